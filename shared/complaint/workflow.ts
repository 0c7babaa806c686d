/**
 * The handling state machines as tables, one for complaints and one for reports: every edge
 * names who may take it, what it needs, what it does to the deadlines and which subscription
 * event it sends. The BFF applies exactly these rows; the admin page shows exactly these actions.
 */
import type { CaseType, ComplaintStatus } from './status';
import type { ReasonList } from './reasons';

export type Actor = 'consumer' | 'handler' | 'supervisor' | 'admin';
export type ComplaintAction =
  | 'accept'
  | 'reject'
  | 'transfer'
  | 'reassign'
  | 'start_mediation'
  | 'pause_for_testing'
  | 'resume_after_testing'
  | 'agree'
  | 'terminate'
  | 'close'
  | 'withdraw'
  | 'open_case'
  | 'decline';
export type NotifyEvent =
  | 'accepted'
  | 'rejected'
  | 'transferred'
  | 'mediation_started'
  | 'mediation_ended'
  | 'resolved'
  | 'closed'
  | 'report_decided';
export type DeadlineEffect =
  | 'none'
  | 'start_mediation_clock'
  | 'restart_first_clock'
  | 'pause_mediation_clock'
  | 'resume_mediation_clock'
  | 'start_inform_clock'
  | 'stop_clocks';
/** Fields a request must carry for the row: a legal ground, free text, a target bureau. */
export type RequiredField = 'reasonCode' | 'reason' | 'toBureau';

export interface Transition {
  action: ComplaintAction;
  from: readonly ComplaintStatus[];
  /** 'same' keeps the state (reassign, testing pause and resumption). */
  to: ComplaintStatus | 'same';
  actors: readonly Actor[];
  needs: readonly RequiredField[];
  /** The legal list reasonCode comes from. */
  reasons?: ReasonList;
  /** Only while a testing period runs (true) or only while none runs (false). */
  whilePaused?: boolean;
  label: string;
  deadline: DeadlineEffect;
  notify?: NotifyEvent;
}

const STAFF: readonly Actor[] = ['handler', 'supervisor'];
const OPEN_COMPLAINT: readonly ComplaintStatus[] = ['submitted', 'accepted', 'mediating', 'resolved', 'mediation_ended'];

export const COMPLAINT_TRANSITIONS: readonly Transition[] = [
  { action: 'accept', from: ['submitted'], to: 'accepted', actors: STAFF, needs: [], label: '受理', deadline: 'start_mediation_clock', notify: 'accepted' },
  { action: 'reject', from: ['submitted'], to: 'rejected', actors: STAFF, needs: ['reasonCode', 'reason'], reasons: 'reject', label: '不予受理', deadline: 'stop_clocks', notify: 'rejected' },
  { action: 'transfer', from: ['submitted'], to: 'submitted', actors: STAFF, needs: ['toBureau', 'reasonCode', 'reason'], reasons: 'transfer', label: '移送', deadline: 'restart_first_clock', notify: 'transferred' },
  // A supervisor moves work between bureaus of the region; the legal clock runs on unchanged.
  { action: 'reassign', from: OPEN_COMPLAINT, to: 'same', actors: ['supervisor'], needs: ['toBureau', 'reason'], label: '改派', deadline: 'none' },
  { action: 'start_mediation', from: ['accepted'], to: 'mediating', actors: STAFF, needs: [], whilePaused: false, label: '开始调解', deadline: 'none', notify: 'mediation_started' },
  { action: 'pause_for_testing', from: ['accepted', 'mediating'], to: 'same', actors: STAFF, needs: ['reason'], whilePaused: false, label: '检验检测中止计时', deadline: 'pause_mediation_clock' },
  { action: 'resume_after_testing', from: ['accepted', 'mediating'], to: 'same', actors: STAFF, needs: [], whilePaused: true, label: '检验检测结束恢复计时', deadline: 'resume_mediation_clock' },
  { action: 'agree', from: ['mediating'], to: 'resolved', actors: STAFF, needs: [], whilePaused: false, label: '达成协议', deadline: 'stop_clocks', notify: 'resolved' },
  { action: 'terminate', from: ['accepted', 'mediating'], to: 'mediation_ended', actors: STAFF, needs: ['reasonCode', 'reason'], reasons: 'terminate', label: '终止调解', deadline: 'stop_clocks', notify: 'mediation_ended' },
  { action: 'close', from: ['resolved', 'mediation_ended'], to: 'closed', actors: STAFF, needs: [], label: '办结', deadline: 'stop_clocks', notify: 'closed' },
  { action: 'withdraw', from: ['submitted', 'accepted', 'mediating'], to: 'withdrawn', actors: ['consumer'], needs: [], label: '撤回', deadline: 'stop_clocks' },
];

export const REPORT_TRANSITIONS: readonly Transition[] = [
  { action: 'open_case', from: ['submitted'], to: 'case_opened', actors: STAFF, needs: [], label: '立案', deadline: 'start_inform_clock', notify: 'report_decided' },
  { action: 'decline', from: ['submitted'], to: 'not_opened', actors: STAFF, needs: ['reasonCode', 'reason'], reasons: 'decline', label: '不予立案', deadline: 'start_inform_clock', notify: 'report_decided' },
  { action: 'transfer', from: ['submitted'], to: 'submitted', actors: STAFF, needs: ['toBureau', 'reasonCode', 'reason'], reasons: 'transfer', label: '移送', deadline: 'restart_first_clock', notify: 'transferred' },
  { action: 'reassign', from: ['submitted', 'case_opened', 'not_opened'], to: 'same', actors: ['supervisor'], needs: ['toBureau', 'reason'], label: '改派', deadline: 'none' },
  { action: 'close', from: ['case_opened', 'not_opened'], to: 'closed', actors: STAFF, needs: [], label: '办结', deadline: 'stop_clocks', notify: 'closed' },
];

export const TRANSITIONS: Record<CaseType, readonly Transition[]> = {
  complaint: COMPLAINT_TRANSITIONS,
  report: REPORT_TRANSITIONS,
};

/** The status a row leads to from a given status. */
export function targetStatus(t: Transition, from: ComplaintStatus): ComplaintStatus {
  return t.to === 'same' ? from : t.to;
}

export interface MachineState {
  /** True while a testing period runs. */
  paused?: boolean;
}

function applies(t: Transition, from: ComplaintStatus, state: MachineState): boolean {
  if (!t.from.includes(from)) return false;
  if (t.whilePaused !== undefined && t.whilePaused !== !!state.paused) return false;
  return true;
}

export function findTransition(
  action: string,
  from: ComplaintStatus,
  type: CaseType = 'complaint',
  state: MachineState = {},
): Transition | undefined {
  return TRANSITIONS[type].find((t) => t.action === action && applies(t, from, state));
}

export function availableActions(
  from: ComplaintStatus,
  actor: Actor,
  type: CaseType = 'complaint',
  state: MachineState = {},
): Transition[] {
  return TRANSITIONS[type].filter((t) => applies(t, from, state) && t.actors.includes(actor));
}

/** Every action label of both tables, plus the consumer's own entries, for timelines. */
export const ACTION_LABELS: Record<string, string> = {
  submit: '提交',
  feedback: '评价',
  ...Object.fromEntries([...COMPLAINT_TRANSITIONS, ...REPORT_TRANSITIONS].map((t) => [t.action, t.label])),
};
