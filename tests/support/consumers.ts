/** Consumers for intake suites: a verified sign-in, and complaint and report bodies that pass every rule. */
import { loginAs, type Harness } from './harness';

/** Real-name verification is another module's flow; intake only needs its outcome on the user. */
export async function verifiedConsumer(h: Harness, platform: 'wechat' | 'alipay', id: string) {
  const session = await loginAs(h, platform, id);
  await h.deps.models.User.updateOne({ _id: session.user.id }, { $set: { verified: true } });
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
