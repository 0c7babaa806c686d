/** Pieces the handling suites share: bureaus, staff accounts, signed-in staff clients, cases. */
import mongoose from 'mongoose';
import { formatCaseNumber } from '../../shared/complaint/case-number';
import { initialDeadlines } from '../../shared/complaint/deadlines';
import { nameTerms, normaliseName } from '../../shared/complaint/search-terms';
import { beijingDate } from '../../shared/calendar/working-days';
import type { CaseType, ComplaintStatus } from '../../shared/complaint/status';
import { hashPassword } from '../../bff/src/modules/staff/staff.service';
import type { Harness, Reply } from './harness';

export const BUREAUS = {
  chaoyang: { code: '110105', name: '北京市朝阳区市场监督管理局', regionCode: '110105' },
  haidian: { code: '110108', name: '北京市海淀区市场监督管理局', regionCode: '110108' },
  xuhui: { code: '310104', name: '上海市徐汇区市场监督管理局', regionCode: '310104' },
} as const;

export const STAFF_PASSWORD = 'staff-password-1';

export async function seedBureaus(h: Harness): Promise<void> {
  for (const b of Object.values(BUREAUS)) await h.deps.models.Bureau.updateOne({ code: b.code }, { $setOnInsert: b }, { upsert: true });
}

let passwordHash: Promise<string> | undefined;

export async function createStaff(
  h: Harness,
  s: { username: string; role: 'admin' | 'supervisor' | 'handler'; bureauCode: string; regionPrefix: string },
): Promise<void> {
  passwordHash ??= hashPassword(STAFF_PASSWORD);
  await h.deps.models.Staff.create({ ...s, displayName: `测试${s.username}`, passwordHash: await passwordHash });
}

export interface StaffClient {
  cookie: string;
  csrf: string;
  get<T = any>(path: string): Promise<Reply<T>>;
  post<T = any>(path: string, body?: unknown): Promise<Reply<T>>;
}

export async function signIn(h: Harness, username: string, password = STAFF_PASSWORD): Promise<StaffClient> {
  const res = await h.http('POST', '/api/v1/admin/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`staff login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  const csrf = res.body.csrfToken as string;
  return {
    cookie,
    csrf,
    get: (path) => h.http('GET', `/api/v1${path}`, { headers: { cookie } }),
    post: (path, body = {}) => h.http('POST', `/api/v1${path}`, { headers: { cookie, 'x-csrf-token': csrf }, body }),
  };
}

let sequence = 0;

/** The respondent as the intake stores it: the name, its normalised key and its search terms. */
const respondentFields = (name: string) => ({ name, nameKey: normaliseName(name), terms: nameTerms(name) });

/**
 * Puts a case in the database as the intake stores it, written through the driver so these
 * suites depend only on the fields handling reads.
 */
export async function insertCase(
  h: Harness,
  c: {
    owner: { userId: string; platform: 'wechat' | 'alipay' };
    bureauCode: string;
    type?: CaseType;
    status?: ComplaintStatus;
    receivedAt?: Date;
    deadlines?: Record<string, string>;
    respondentName?: string;
    description?: string;
    extra?: Record<string, unknown>;
  },
): Promise<string> {
  const type = c.type ?? 'complaint';
  const receivedAt = c.receivedAt ?? new Date();
  const date = beijingDate(receivedAt);
  sequence += 1;
  const number = formatCaseNumber(type, date, 90_000 + sequence);
  await h.deps.models.Case.collection.insertOne({
    _id: new mongoose.Types.ObjectId(),
    number,
    type,
    status: c.status ?? 'submitted',
    version: 0,
    bureauCode: c.bureauCode,
    owner: c.owner,
    idempotencyKey: `test-${number}`,
    respondent: respondentFields(c.respondentName ?? '某某电器有限公司'),
    description: c.description ?? '购买的空调安装后第三天就无法制冷，商家拒绝上门维修。',
    receivedAt,
    deadlines: c.deadlines ?? initialDeadlines(type, date),
    timeline: [{ at: receivedAt, actor: 'consumer', action: 'submit', from: null, to: 'submitted' }],
    deliveries: {},
    outboxPending: 0,
    createdAt: receivedAt,
    updatedAt: receivedAt,
    ...c.extra,
  });
  return number;
}
