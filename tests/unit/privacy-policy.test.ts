/** The privacy policy says what the code does: its numbers are the constants the BFF's defaults use. */
import { loadConfig } from '../../config/bff';
import { PRIVACY_POLICY, retentionText } from '../../shared/privacy/policy';
import { DRAFT_KEEP_DAYS, LINK_CODE_TTL_MINUTES, RETENTION_CLOSED_CASE_DAYS } from '../../shared/privacy/retention';
import { DRAFT_KEEP_DAYS as DRAFT_MODEL_DAYS } from '../../bff/src/modules/drafts/draft.model';
import { ID_CONSENT_TEXT } from '../../shared/api/identity';

const env = { NODE_ENV: 'test', MONGODB_URI: 'mongodb://127.0.0.1:1/x', REDIS_URL: 'redis://127.0.0.1:1' };
const text = PRIVACY_POLICY.flatMap((s) => [s.title, ...s.paragraphs]).join('\n');

it('the retention job’s default is the period the policy states', () => {
  expect(loadConfig(env).retention.closedCaseDays).toBe(RETENTION_CLOSED_CASE_DAYS);
  expect(text).toContain(`保存 ${retentionText(RETENTION_CLOSED_CASE_DAYS)}，期满后自动删除`);
  expect(retentionText(1095)).toBe('1095 天（3 年）');
});

it('a deployment may set its own period', () => {
  expect(loadConfig({ ...env, RETENTION_CLOSED_CASE_DAYS: '1825' }).retention.closedCaseDays).toBe(1825);
  expect(() => loadConfig({ ...env, RETENTION_CLOSED_CASE_DAYS: '0' })).toThrow(/RETENTION_CLOSED_CASE_DAYS/);
});

it('the draft period and the link code lifetime are the ones the code uses', () => {
  expect(DRAFT_MODEL_DAYS).toBe(DRAFT_KEEP_DAYS);
  expect(text).toContain(`${DRAFT_KEEP_DAYS} 天后自动删除`);
  expect(text).toContain(`${LINK_CODE_TTL_MINUTES} 分钟内在另一个账号输入`);
});

it('the policy and the consent text name the rights the mini program offers', () => {
  for (const right of ['撤回身份信息授权', '注销账号', '加密保存', '解除关联']) expect(text).toContain(right);
  expect(ID_CONSENT_TEXT).toContain('《隐私政策》');
  expect(ID_CONSENT_TEXT).toContain('撤回');
});
