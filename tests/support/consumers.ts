/** Consumers for intake suites: a verified sign-in, and complaint and report bodies that pass every rule. */
import { randomInt } from 'node:crypto';
import { idNumberCheckChar } from '../../shared/identity/id-number';
import { ID_CONSENT_VERSION } from '../../shared/api/identity';
import { loginAs, type Harness } from './harness';

let serial = 0;

/** A fictitious person with a valid ID number no other test uses (birth dates step by one day). */
export function fictitiousPerson(name = '张测试') {
  serial += 1;
  const birth = new Date(Date.UTC(1970, 0, 1) + (randomInt(0, 9000) + serial) * 86_400_000);
  const first17 = `110105${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  return { name, idNumber: first17 + idNumberCheckChar(first17) };
}

/** Signs in and verifies a fictitious person through the identity stand-in, as a consumer would. */
export async function verifiedConsumer(h: Harness, platform: 'wechat' | 'alipay', id: string, person = fictitiousPerson()) {
  const session = await loginAs(h, platform, id);
  // Signing in again as someone already verified keeps their identity.
  if ((session.user as { verified?: boolean }).verified) return session;
  const added = await h.http('POST', '/api/v1/sandbox/identity/people', { body: person });
  if (added.status !== 200) throw new Error(`sandbox person: ${added.status} ${JSON.stringify(added.body)}`);
  const verified = await h.http('POST', '/api/v1/identity/verify', {
    token: session.accessToken,
    body: { ...person, consent: true, consentVersion: ID_CONSENT_VERSION },
  });
  if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${JSON.stringify(verified.body)}`);
  return session;
}

/** A complaint against a business in 北京市朝阳区 (110105), the demo bureau's county. */
export function complaintBody(overrides: Record<string, unknown> = {}) {
  return {
    respondent: { name: '某某电器有限公司', creditCode: '91350100M000100Y43', address: '北京市朝阳区建国路88号', regionCode: '110105' },
    consumer: { phone: '13812345678', address: '北京市海淀区中关村大街1号' },
    business: {
      kind: 'goods',
      categoryCode: 'goods.appliance',
      problemTypeCode: 'after_sales.refuse_repair',
      channel: 'store',
      productName: '变频空调',
      amountCents: 329900,
      occurredOn: '2025-09-20',
      demands: [{ type: 'repair' }, { type: 'compensation' }],
    },
    description: '购买的空调安装后第三天就无法制冷，商家拒绝上门维修。',
    jurisdiction: { basis: 'place_of_business' },
    ...overrides,
  };
}

export function reportBody(overrides: Record<string, unknown> = {}) {
  return {
    respondent: { name: '某某食品店', address: '上海市长宁区愚园路100号', regionCode: '310105' },
    description: '该店长期销售过期食品，货架上的牛奶生产日期已超过保质期一个月。',
    jurisdiction: { basis: 'place_of_business' },
    anonymous: true,
    ...overrides,
  };
}
