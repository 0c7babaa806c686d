/** Real-name verification, phone and account linking: requests and answers both ends share. */
import { z } from './zod-zh';
import { platformSchema } from './common';
import { LINK_CODE_TTL_MINUTES } from '../privacy/retention';
import { idNumberProblem, normalizeIdNumber } from '../identity/id-number';
import { nameProblem, normalizeName } from '../identity/name';

/**
 * The separate consent (单独同意) for the ID number: the text shown and its version are recorded
 * with the time it was given. A new text gets a new version; answers to an old one are refused.
 */
export const ID_CONSENT_VERSION = '2026-11';
export const ID_CONSENT_TEXT =
  '为依法受理您的投诉，我们需要核验您的真实身份。您的姓名和身份证号属于敏感个人信息，仅用于实名认证和投诉处理，' +
  '将加密保存，只以部分隐藏的形式展示，并提交身份核验服务商比对一次；投诉处理完毕后按规定期限删除。' +
  '您可以随时在“我的”页面撤回本授权或注销账号，详见《隐私政策》。' +
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

const linkableSchema = z.object({ platform: platformSchema, byPhone: z.boolean() });

export const verifyReply = z.object({
  verified: z.literal(true),
  identity: maskedIdentity,
    /**
   * The same person verified on this other platform too. Linking still needs proof that both
   * accounts are in the person's hands: a link code from one entered in the other, or the same
   * platform-vouched phone number on both (`byPhone`).
   */
  linkable: linkableSchema.optional(),
});
export type VerifyReply = z.infer<typeof verifyReply>;

/** Link codes: 8 characters from an alphabet without look-alikes (no 0 O 1 I L). */
export const LINK_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const LINK_CODE_LENGTH = 8;
export { LINK_CODE_TTL_MINUTES };

export const linkCodeReply = z.object({ code: z.string(), expiresAt: z.string() });
export type LinkCodeReply = z.infer<typeof linkCodeReply>;

const linkCodeField = z
  .string()
  .max(32, '关联码应为 8 位字母或数字')
  // Typed on a phone: spaces, dashes and lower case are forgiven.
  .overwrite((v) => v.replace(/[\s-]/g, '').toUpperCase())
  .regex(new RegExp(`^[${LINK_CODE_ALPHABET}]{${LINK_CODE_LENGTH}}$`), '关联码应为 8 位字母或数字，请核对后重新输入');

/** Proof that the other account is the person's too: its link code, or the same verified phone number. */
export const linkBody = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('code'), code: linkCodeField }),
  z.strictObject({ method: z.literal('phone') }),
]);
export type LinkBody = z.infer<typeof linkBody>;
export const linkReply = z.object({ linked: z.array(platformSchema) });
export type LinkReply = z.infer<typeof linkReply>;

/** What happened to the person's accounts, newest first: shown on 我的 so a link nobody asked for is seen. */
export const ACCOUNT_EVENT_ACTIONS = ['verified', 'linked', 'unlinked', 'consent_withdrawn', 'cancelled'] as const;
export const ACCOUNT_EVENT_LABELS: Record<(typeof ACCOUNT_EVENT_ACTIONS)[number], string> = {
  verified: '完成实名认证',
  linked: '关联了账号',
  unlinked: '解除了账号关联',
  consent_withdrawn: '撤回了身份信息授权',
  cancelled: '注销了账号',
};
export const accountEvent = z.object({
  at: z.string(),
  platform: platformSchema,
  action: z.enum(ACCOUNT_EVENT_ACTIONS),
  method: z.enum(['code', 'phone']).optional(),
});
export type AccountEvent = z.infer<typeof accountEvent>;

/** Confirms an action that cannot be undone (注销账号, 撤回授权). */
export const confirmBody = z.strictObject({ confirm: z.literal(true, '请确认此操作') });

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
  linkable: linkableSchema.nullable(),
  idConsent: z.object({ at: z.string(), version: z.string() }).nullable(),
  /** Links, unlinks and other account changes of the verified person, newest first. */
  accountEvents: z.array(accountEvent),
});
export type ProfileView = z.infer<typeof profileView>;
