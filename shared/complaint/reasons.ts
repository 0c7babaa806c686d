/**
 * The legal grounds a decision must cite, as codes with their Chinese wording. Grounds follow
 * SAMR Order 20 (市场监督管理投诉举报处理暂行办法); the staff add the facts in free text.
 */
export interface Reason {
  code: string;
  label: string;
  basis: string;
}

/** 不予受理 (Art 15). */
export const REJECT_REASONS = [
  { code: 'not_market_regulation', label: '不属于市场监督管理部门职责，或者本部门不具有处理权限', basis: '第十五条第一项' },
  { code: 'handled_elsewhere', label: '法院、仲裁机构、其他行政机关、消费者协会或者依法成立的其他调解组织已经受理或者处理过同一消费者权益争议', basis: '第十五条第二项' },
  { code: 'not_personal_consumption', label: '不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议', basis: '第十五条第三项' },
  { code: 'time_barred', label: '除法律另有规定外，投诉人知道或者应当知道自己的权益受到被投诉人侵害之日起超过三年', basis: '第十五条第四项' },
  { code: 'materials_missing', label: '未提供本办法第九条第一款和第十条规定的材料', basis: '第十五条第五项' },
  { code: 'other_statutory', label: '法律、法规、规章规定不予受理的其他情形', basis: '第十五条第六项' },
] as const satisfies readonly Reason[];

/** 终止调解 (Art 21). */
export const TERMINATE_REASONS = [
  { code: 'withdrawn_or_settled', label: '投诉人撤回投诉或者双方自行和解', basis: '第二十一条第一项' },
  { code: 'no_testing_agreement', label: '投诉人与被投诉人对委托承担检定、检验、检测、鉴定工作的技术机构或者费用承担无法协商一致', basis: '第二十一条第二项' },
  { code: 'party_refuses', label: '投诉人或者被投诉人无正当理由不参加调解，或者被投诉人明确拒绝调解', basis: '第二十一条第三项' },
  { code: 'no_agreement_possible', label: '经组织调解，投诉人或者被投诉人明确表示无法达成调解协议', basis: '第二十一条第四项' },
  { code: 'time_limit_reached', label: '自投诉受理之日起四十五个工作日内投诉人和被投诉人未能达成调解协议', basis: '第二十一条第五项' },
  { code: 'rejection_ground_found', label: '市场监督管理部门受理投诉后，发现存在本办法第十五条规定情形', basis: '第二十一条第六项' },
  { code: 'other_statutory', label: '法律、法规、规章规定的应当终止调解的其他情形', basis: '第二十一条第七项' },
] as const satisfies readonly Reason[];

/** 移送/转办: why a case goes to another bureau (Art 12, 13, 30). */
export const TRANSFER_REASONS = [
  { code: 'no_jurisdiction', label: '本部门无管辖权，应由被投诉人实际经营地或者住所地的市场监督管理部门处理', basis: '第十二条、第十三条' },
  { code: 'platform_domicile', label: '应由电子商务平台经营者住所地的市场监督管理部门处理', basis: '第十三条' },
  { code: 'superior_assigned', label: '管辖争议经协商不成，由共同上一级市场监督管理部门指定管辖', basis: '第三十条' },
] as const satisfies readonly Reason[];

/** 不予立案 of a report; the grounds of the administrative-penalty procedure rules. */
export const DECLINE_REASONS = [
  { code: 'no_violation', label: '经核查，违法事实不能成立', basis: '行政处罚程序规定第二十条' },
  { code: 'minor_corrected', label: '违法行为轻微并及时改正，没有造成危害后果', basis: '行政处罚程序规定第二十条' },
  { code: 'time_barred', label: '违法行为已超过追责时效', basis: '行政处罚程序规定第二十条' },
  { code: 'not_our_duty', label: '不属于本部门职责或者管辖范围', basis: '第三十一条' },
  { code: 'leads_insufficient', label: '举报线索不具体，无法核查', basis: '第二十七条' },
] as const satisfies readonly Reason[];

export const REASON_LISTS = {
  reject: REJECT_REASONS,
  terminate: TERMINATE_REASONS,
  transfer: TRANSFER_REASONS,
  decline: DECLINE_REASONS,
} as const;
export type ReasonList = keyof typeof REASON_LISTS;

export function findReason(list: ReasonList, code: string): Reason | undefined {
  return (REASON_LISTS[list] as readonly Reason[]).find((r) => r.code === code);
}
