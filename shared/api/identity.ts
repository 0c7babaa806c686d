/** Real-name verification, phone and account linking: requests and answers both ends share. */
import { z } from './zod-zh';
import { platformSchema } from './common';
import { idNumberProblem, normalizeIdNumber } from '../identity/id-number';
import { nameProblem, normalizeName } from '../identity/name';

/**
 * The separate consent (单独同意) for the ID number: the text shown and its version are recorded
 * with the time it was given. A new text gets a new version; answers to an old one are refused.
 */
export const ID_CONSENT_VERSION = '2026-01';
export const ID_CONSENT_TEXT =
  '为依法受理您的投诉，我们需要核验您的真实身份。您的姓名和身份证号属于敏感个人信息，仅用于实名认证和投诉处理，' +
  '将加密保存，只以部分隐藏的形式展示，并提交身份核验服务商比对一次；投诉处理完毕后按规定期限删除。' +
  '我已阅读并单独同意为上述目的处理我的身份证号。';
export const VERIFY_PURPOSE = '投诉须实名提交。认证通过后，投诉表中的投诉人信息将自动填写，市场监管部门据此联系您。';

const problem = (check: (value: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
  const message = check(value);
  if (message) ctx.addIssue({ code: 'custom', message });
};

export const nameField = z.string().max(64, '姓名应为 2 至 30 个字').overwrite(normalizeName).superRefine(problem(nameProblem));
export const idNumberField = z
  .string()
  .max(32, '身份证号应为 18 位，最后一位是数字或 X')
  .overwrite(normalizeIdNumber)
  .superRefine(problem((v) => idNumberProblem(v)));

export const verifyBody = z.strictObject({
  name: nameField,
  idNumber: idNumberField,
  consent: z.literal(true, '请阅读并同意身份证号处理规则'),
  consentVersion: z.literal(ID_CONSENT_VERSION, '同意书已更新，请重新阅读后同意'),
});
export type VerifyBody = z.infer<typeof verifyBody>;

/** Only masked forms ever leave the server. */
export const maskedIdentity = z.object({
  name: z.string(),
  idNumber: z.string(),
  verifiedAt: z.string(),
});
export type MaskedIdentity = z.infer<typeof maskedIdentity>;

export const verifyReply = z.object({
  verified: z.literal(true),
  identity: maskedIdentity,
  /** The same person already verified on this other platform: POST /identity/link to see the same cases. */
  linkable: z.object({ platform: platformSchema }).optional(),
});
export type VerifyReply = z.infer<typeof verifyReply>;

export const linkBody = z.strictObject({ confirm: z.literal(true, '请确认关联账号') });
export const linkReply = z.object({ linked: z.array(platformSchema) });

/** WeChat: the code from the getPhoneNumber button; Alipay: the whole `response` string my.getPhoneNumber gave. */
export const phoneBody = z.strictObject({
  platform: platformSchema,
  code: z.string().trim().min(1, '缺少手机号授权凭证').max(4096, '手机号授权凭证格式不正确'),
});
export const phoneReply = z.object({ phone: z.string() });

export const profileView = z.object({
  identity: maskedIdentity.nullable(),
  phone: z.string().nullable(),
  /** Platforms whose accounts share this person's cases, this one included. */
  linkedPlatforms: z.array(platformSchema),
  linkable: z.object({ platform: platformSchema }).nullable(),
  idConsent: z.object({ at: z.string(), version: z.string() }).nullable(),
});
export type ProfileView = z.infer<typeof profileView>;
