/**
 * The privacy policy (隐私政策) the mini program shows. Its numbers come from retention.ts, the
 * same constants the BFF's defaults use, so the text says what the code does.
 */
import { DRAFT_KEEP_DAYS, LINK_CODE_TTL_MINUTES, RETENTION_CLOSED_CASE_DAYS, UNFILED_UPLOAD_KEEP_DAYS } from './retention';

export const PRIVACY_POLICY_VERSION = '2026-11';

/** "1095 天（约 3 年）" */
export const retentionText = (days: number) => (days % 365 === 0 ? `${days} 天（${days / 365} 年）` : `${days} 天`);

export interface PolicySection {
  title: string;
  paragraphs: string[];
}

export const PRIVACY_POLICY: PolicySection[] = [
  {
    title: '我们收集哪些信息，为什么',
    paragraphs: [
      '账号：微信或支付宝提供的用户标识，用于登录和向您推送办理进度。',
      '实名信息：姓名和身份证号，用于实名认证。投诉须实名提交（《市场监督管理投诉举报处理暂行办法》第九条），市场监管部门据此受理和联系您。身份证号属于敏感个人信息，仅在您单独同意后处理，并提交身份核验服务商比对。',
      '联系方式：手机号（经微信或支付宝授权）、投诉时填写的联系电话和地址，用于市场监管部门联系您和送达告知。',
      '投诉内容和证据：您填写的情况说明、诉求和上传的图片、视频、PDF，用于办理您的投诉或举报。',
    ],
  },
  {
    title: '我们如何保护这些信息',
    paragraphs: [
      '姓名、身份证号、手机号、联系电话、地址、情况说明和处理意见等文字、草稿以及证据文件均加密保存（AES-256-GCM），页面上只显示部分隐藏的形式，日志中不记录这些信息。',
      '只有有权办理您案件的市场监管部门工作人员可以查看，查看完整信息会留下审计记录。',
    ],
  },
  {
    title: '保存多久',
    paragraphs: [
      `投诉或举报办结、不予受理或撤回后，案件中的个人信息（姓名、身份证号、电话、地址、情况说明等文字）和证据文件保存 ${retentionText(RETENTION_CLOSED_CASE_DAYS)}，期满后自动删除，只保留不含个人信息的统计数字。保存这段时间，是因为消费者可在知道权益受损之日起 3 年内投诉，同一纠纷可能再次处理或复查。`,
      `未提交的草稿最后一次保存 ${DRAFT_KEEP_DAYS} 天后自动删除。`,
      `上传后没有随投诉或举报提交的文件，在上传或列有它的草稿最后一次保存 ${UNFILED_UPLOAD_KEEP_DAYS} 天后自动删除。`,
      '实名信息保存到您撤回授权或注销账号为止。',
    ],
  },
  {
    title: '您的权利',
    paragraphs: [
      '撤回身份信息授权：在“我的”页面可随时撤回。撤回后本账号的姓名和身份证号立即删除，账号变为未认证，再次投诉需要重新认证。已提交的案件按法律要求保留投诉人信息，到上述保存期满时删除。',
      '注销账号：在“我的”页面可注销。注销会删除您的实名信息、手机号、草稿、订阅记录和上传的文件，删除已办结案件中的个人信息，并退出所有设备。有尚未办结的投诉或举报时不能注销，请先撤回投诉或等待办结：办理中的案件需要您的联系方式，市场监管部门依法须告知您办理结果。',
      `关联账号：同一实名身份的微信和支付宝账号，须在一个账号生成关联码、${LINK_CODE_TTL_MINUTES} 分钟内在另一个账号输入，或两个账号授权同一手机号，才能关联并查看彼此的投诉。任一账号都可以解除关联，关联和解除都记录在“我的”页面。`,
    ],
  },
];
