/**
 * The complaint state machine as one table: every edge names who may take it, what it needs,
 * what it does to the deadlines and which subscription event it sends.
 */
import type { ComplaintStatus } from './status';

export type Actor = 'consumer' | 'handler' | 'supervisor' | 'admin';
export type ComplaintAction =
  | 'accept'
  | 'reject'
  | 'start_mediation'
  | 'agree'
  | 'terminate'
  | 'close'
  | 'withdraw';
export type NotifyEvent = 'accepted' | 'rejected' | 'mediation_started' | 'mediation_ended' | 'resolved' | 'closed';
export type DeadlineEffect = 'none' | 'start_mediation_clock' | 'stop_clocks';

export interface Transition {
  action: ComplaintAction;
  from: readonly ComplaintStatus[];
  to: ComplaintStatus;
  actors: readonly Actor[];
  needsReason: boolean;
  label: string;
  deadline: DeadlineEffect;
  notify?: NotifyEvent;
}

const STAFF: readonly Actor[] = ['handler', 'supervisor'];

export const COMPLAINT_TRANSITIONS: readonly Transition[] = [
  { action: 'accept', from: ['submitted'], to: 'accepted', actors: STAFF, needsReason: false, label: '受理', deadline: 'start_mediation_clock', notify: 'accepted' },
  { action: 'reject', from: ['submitted'], to: 'rejected', actors: STAFF, needsReason: true, label: '不予受理', deadline: 'stop_clocks', notify: 'rejected' },
  { action: 'start_mediation', from: ['accepted'], to: 'mediating', actors: STAFF, needsReason: false, label: '开始调解', deadline: 'none', notify: 'mediation_started' },
  { action: 'agree', from: ['mediating'], to: 'resolved', actors: STAFF, needsReason: false, label: '达成协议', deadline: 'stop_clocks', notify: 'resolved' },
  { action: 'terminate', from: ['accepted', 'mediating'], to: 'mediation_ended', actors: STAFF, needsReason: true, label: '终止调解', deadline: 'stop_clocks', notify: 'mediation_ended' },
  { action: 'close', from: ['resolved', 'mediation_ended'], to: 'closed', actors: STAFF, needsReason: false, label: '办结', deadline: 'stop_clocks', notify: 'closed' },
  { action: 'withdraw', from: ['submitted', 'accepted', 'mediating'], to: 'withdrawn', actors: ['consumer'], needsReason: false, label: '撤回', deadline: 'stop_clocks' },
];

export function findTransition(action: string, from: ComplaintStatus): Transition | undefined {
  return COMPLAINT_TRANSITIONS.find((t) => t.action === action && t.from.includes(from));
}

export function availableActions(from: ComplaintStatus, actor: Actor): Transition[] {
  return COMPLAINT_TRANSITIONS.filter((t) => t.from.includes(from) && t.actors.includes(actor));
}
