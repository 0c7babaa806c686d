/**
 * The handling history of a generated case: a walk through the real state machine
 * (shared/complaint/workflow.ts) from receipt until now, each step applied with the handling
 * service's own deadline rules, so status, timeline, deadlines, pauses and transfers agree the
 * way they would after staff had really worked the case.
 */
import { applyDeadlineEffect, timelineNote, type CaseDoc, type UpdateParts } from '../modules/handling/handling.service';
import { findTransition, targetStatus, type Actor, type ComplaintAction } from '../../../shared/complaint/workflow';
import { findReason, type Reason, type ReasonList } from '../../../shared/complaint/reasons';
import { deadlineState, initialDeadlines, ruleSetFor, runningClock, type Deadlines, type DeadlineState } from '../../../shared/complaint/deadlines';
import type { CaseType, ComplaintStatus } from '../../../shared/complaint/status';
import { addWorkingDays, beijingDate } from '../../../shared/calendar/working-days';
import { formatCents } from '../../../shared/complaint/intake';
import type { Rng } from './random';

export interface BureauRef {
  code: string;
  name: string;
  regionCode: string;
}

interface TimelineEntry {
  at: Date;
  actor: string;
  role?: string;
  bureauCode?: string;
  action: string;
  from: ComplaintStatus | null;
  to: ComplaintStatus;
  note?: string;
}
interface Transfer {
  at: Date;
  kind: 'transfer' | 'reassign';
  fromBureau: string;
  toBureau: string;
  reasonCode?: string;
  reason: string;
  by: string;
}
interface Pause {
  from: string;
  to: string;
  workingDays: number;
  note?: string;
}

export interface History {
  status: ComplaintStatus;
  version: number;
  bureauCode: string;
  deadlines: Deadlines;
  timeline: TimelineEntry[];
  transfers: Transfer[];
  pauses: Pause[];
  pausedOn?: string;
  pauseNote?: string;
  decidedAt?: Date;
  deadlineState: DeadlineState;
  dueOn?: string;
  feedback?: { satisfied: boolean; text?: string; at: Date };
  /** The last change, for updatedAt. */
  lastAt: Date;
}

export interface HistoryInput {
  type: CaseType;
  receivedAt: Date;
  now: Date;
  bureau: BureauRef;
  /** A real-name reporter is owed the decision (Art 31); complaints are always real-name. */
  realName: boolean;
  flagged: boolean;
  amountCents?: number;
  online: boolean;
  /** Another bureau to send the case to (移送), if there is one. */
  transferTarget(rng: Rng, from: BureauRef): BureauRef | undefined;
  /** A bureau of the same city for a supervisor's reassignment (改派), if there is one. */
  reassignTarget(rng: Rng, from: BureauRef): BureauRef | undefined;
}

const MINUTE = 60_000;
/** Chance, per step, that nobody takes the next one. */
const STALL_RATE = 0.006;
const beijingAt = (date: string, minutes: number) => new Date(new Date(`${date}T00:00:00+08:00`).getTime() + minutes * MINUTE);

/** What staff write in free text, per legal ground (the ground itself comes from the reason lists). */
const REASON_TEXT: Record<string, string[]> = {
  'reject:not_market_regulation': ['投诉事项属于劳动争议，不属于市场监管部门职责', '涉及物业服务合同纠纷，已告知向住建部门反映'],
  'reject:handled_elsewhere': ['投诉人已向人民法院提起诉讼', '该争议已由区消费者协会调解处理'],
  'reject:not_personal_consumption': ['购买用于经营，非生活消费', '无法提供与被投诉人存在消费关系的凭证'],
  'reject:time_barred': ['消费行为发生于三年前，已超过受理期限'],
  'reject:materials_missing': ['经两次电话联系，投诉人未补充购物凭证', '未提供被投诉人的具体地址，无法核实'],
  'reject:other_statutory': ['属于信访事项，已告知按信访程序反映'],
  'terminate:withdrawn_or_settled': ['双方已自行和解，投诉人申请终止', '投诉人表示已与商家协商解决'],
  'terminate:no_testing_agreement': ['双方对检测机构的选择无法达成一致'],
  'terminate:party_refuses': ['被投诉人明确拒绝调解', '被投诉人两次无正当理由未到场'],
  'terminate:no_agreement_possible': ['双方对赔偿金额分歧较大，无法达成协议', '投诉人坚持三倍赔偿，商家仅同意退款'],
  'terminate:time_limit_reached': ['自受理之日起四十五个工作日内未能达成调解协议'],
  'terminate:rejection_ground_found': ['调解中发现投诉人已向法院起诉'],
  'terminate:other_statutory': ['被投诉人已注销，无法继续调解'],
  'transfer:no_jurisdiction': ['经核查，被投诉人实际经营地不在本辖区', '被投诉人住所地在外区，移送有管辖权的部门'],
  'transfer:platform_domicile': ['网络交易纠纷，移送平台住所地市场监管部门'],
  'transfer:superior_assigned': ['经上级部门指定管辖'],
  'decline:no_violation': ['现场检查未发现举报所述违法行为', '经核查，商品标签标识符合规定'],
  'decline:minor_corrected': ['当事人已当场改正，未造成危害后果'],
  'decline:time_barred': ['违法行为发生已超过两年'],
  'decline:not_our_duty': ['举报事项属于卫生健康部门职责'],
  'decline:leads_insufficient': ['举报地址不详，无法核查', '举报内容不具体，无法开展核查'],
};
const PAUSE_TEXT = ['委托第三方检测机构对商品质量进行检测', '送检鉴定空调压缩机故障原因', '对食品样品进行抽样检验', '委托司法鉴定机构进行鉴定'];
const REASSIGN_TEXT = ['工作量调配，改由辖区市场监管所承办', '被投诉人经营地址属该所辖区'];
const WITHDRAW_TEXT = ['商家已退款，撤回投诉', '已与商家协商解决', undefined];
const FEEDBACK_GOOD = ['处理及时，感谢工作人员', '问题已解决，非常满意', undefined];
const FEEDBACK_BAD = ['处理时间太长', '商家只退了一部分钱，不满意', undefined];

const WEIGHTS = {
  reject: [
    ['materials_missing', 30],
    ['not_market_regulation', 22],
    ['not_personal_consumption', 18],
    ['handled_elsewhere', 14],
    ['time_barred', 8],
    ['other_statutory', 8],
  ],
  terminate: [
    ['no_agreement_possible', 34],
    ['party_refuses', 30],
    ['withdrawn_or_settled', 16],
    ['no_testing_agreement', 5],
    ['rejection_ground_found', 5],
    ['other_statutory', 4],
  ],
  decline: [
    ['no_violation', 40],
    ['leads_insufficient', 25],
    ['minor_corrected', 20],
    ['not_our_duty', 10],
    ['time_barred', 5],
  ],
} as const satisfies Partial<Record<ReasonList, ReadonlyArray<readonly [string, number]>>>;

/** The staff accounts acting on a bureau's cases: the demo handler works the demo bureau. */
const handlerOf = (rng: Rng, bureau: BureauRef) => (bureau.code === '110105' && rng.chance(0.7) ? 'demo' : `h${bureau.code}.${rng.int(1, 3)}`);
const supervisorOf = (bureau: BureauRef) => `s${bureau.regionCode.slice(0, 4)}`;

class Walk {
  status: ComplaintStatus = 'submitted';
  version = 0;
  bureau: BureauRef;
  deadlines: Deadlines;
  timeline: TimelineEntry[];
  transfers: Transfer[] = [];
  pauses: Pause[] = [];
  pausedOn?: string;
  pauseNote?: string;
  decidedAt?: Date;
  feedback?: History['feedback'];
  last: Date;
  stalled = false;
  readonly rules;
  readonly today: string;

  constructor(
    readonly rng: Rng,
    readonly input: HistoryInput,
  ) {
    const received = beijingDate(input.receivedAt);
    this.rules = ruleSetFor(received);
    this.today = beijingDate(input.now);
    this.bureau = input.bureau;
    this.deadlines = initialDeadlines(input.type, received, this.rules);
    this.last = input.receivedAt;
    this.timeline = [{ at: input.receivedAt, actor: 'consumer', action: 'submit', from: null, to: 'submitted', ...(input.flagged ? { note: '内容需人工复核' } : {}) }];
  }

  get lastDate(): string {
    return beijingDate(this.last);
  }

  /**
   * A moment in office hours `workingDays` working days after `date` (0: the same day, later than
   * the last step), or undefined when that lies after now: the step has not happened yet.
   */
  officeTime(date: string, workingDays: number): Date | undefined {
    // A few cases are left lying where they are: the ones that end up overdue.
    if (this.stalled || this.rng.chance(STALL_RATE)) {
      this.stalled = true;
      return undefined;
    }
    const day = workingDays > 0 ? addWorkingDays(date, workingDays) : date;
    let at = beijingAt(day, this.rng.int(8 * 60 + 30, 17 * 60 + 30));
    if (at <= this.last) at = new Date(this.last.getTime() + this.rng.int(10, 180) * MINUTE);
    return at <= this.input.now ? at : undefined;
  }

  /** A moment `days` calendar days after the last step, at any waking hour (what consumers do). */
  consumerTime(days: number): Date | undefined {
    const day = new Date(new Date(`${this.lastDate}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);
    let at = beijingAt(day, this.rng.int(7 * 60, 23 * 60 + 30));
    if (at <= this.last) at = new Date(this.last.getTime() + this.rng.int(10, 600) * MINUTE);
    return at <= this.input.now ? at : undefined;
  }

  reason(list: keyof typeof WEIGHTS): Reason {
    return findReason(list, this.rng.weighted(WEIGHTS[list]))!;
  }

  textFor(list: ReasonList, reason: Reason): string {
    return this.rng.pick(REASON_TEXT[`${list}:${reason.code}`] ?? ['经核查']);
  }

  /** Applies one row of the state machine as the handling service does; a row that does not apply is a bug here. */
  apply(action: ComplaintAction, at: Date, opts: { actor?: Actor; username?: string; reason?: Reason; text?: string; toBureau?: BureauRef } = {}): void {
    const type = this.input.type;
    const t = findTransition(action, this.status, type, { paused: !!this.pausedOn });
    const actor = opts.actor ?? 'handler';
    if (!t || !t.actors.includes(actor)) throw new Error(`generated history: ${action} is not allowed from ${this.status} for ${actor}`);
    const from = this.status;
    const to = targetStatus(t, from);
    const today = beijingDate(at);
    const doc = {
      type,
      status: from,
      deadlines: { ...this.deadlines },
      pausedOn: this.pausedOn,
      pauseNote: this.pauseNote,
      complainant: this.input.realName ? {} : undefined,
    } as unknown as CaseDoc;
    const next = { ...doc, status: to, deadlines: { ...this.deadlines } } as CaseDoc;
    const u: UpdateParts = { $set: {}, $unset: {}, $push: {} };
    applyDeadlineEffect(t.deadline, doc, next, u, { now: at, today, rules: this.rules, type, reason: opts.text });
    for (const [path, value] of Object.entries(u.$set)) {
      if (path.startsWith('deadlines.')) (this.deadlines as Record<string, string>)[path.slice('deadlines.'.length)] = value as string;
      else if (path === 'pausedOn') this.pausedOn = value as string;
      else if (path === 'pauseNote') this.pauseNote = value as string | undefined;
      else if (path === 'decidedAt') this.decidedAt = value as Date;
    }
    if ('pausedOn' in u.$unset) this.pausedOn = undefined;
    if ('pauseNote' in u.$unset) this.pauseNote = undefined;
    if (u.$push.pauses) this.pauses.push(u.$push.pauses as Pause);

    const username = opts.username ?? (actor === 'consumer' ? undefined : handlerOf(this.rng, this.bureau));
    // The staff member acts for the bureau holding the case before any move.
    const staff = actor === 'consumer' ? {} : { role: actor, bureauCode: this.bureau.code };
    if (opts.toBureau) {
      this.transfers.push({
        at,
        kind: action === 'reassign' ? 'reassign' : 'transfer',
        fromBureau: this.bureau.code,
        toBureau: opts.toBureau.code,
        ...(opts.reason ? { reasonCode: opts.reason.code } : {}),
        reason: opts.text ?? '',
        by: username!,
      });
      this.bureau = opts.toBureau;
    }
    const note = actor === 'consumer' ? opts.text : timelineNote(t, opts.reason, opts.toBureau?.name, opts.text);
    this.timeline.push({ at, actor: actor === 'consumer' ? 'consumer' : `staff:${username}`, ...staff, action, from, to, ...(note ? { note } : {}) });
    this.status = to;
    this.version += 1;
    this.last = at;
  }

  /** Sends the case on to another bureau before the decision; the first clock restarts there. */
  maybeTransfer(p: number): void {
    if (!this.rng.chance(p)) return;
    const target = this.input.transferTarget(this.rng, this.bureau);
    const at = this.officeTime(this.lastDate, this.rng.int(1, 3));
    if (!target || !at) return;
    const code = this.input.online && this.rng.chance(0.5) ? 'platform_domicile' : this.rng.chance(0.9) ? 'no_jurisdiction' : 'superior_assigned';
    const reason = findReason('transfer', code)!;
    this.apply('transfer', at, { reason, text: this.textFor('transfer', reason), toBureau: target });
  }

  maybeReassign(p: number): void {
    if (!this.rng.chance(p)) return;
    const target = this.input.reassignTarget(this.rng, this.bureau);
    const at = this.officeTime(this.lastDate, this.rng.int(0, 2));
    if (!target || !at) return;
    this.apply('reassign', at, { actor: 'supervisor', username: supervisorOf(this.bureau), text: this.rng.pick(REASSIGN_TEXT), toBureau: target });
  }

  /** Working days until a decision: mostly within the limit, some late. */
  decisionDelay(limit: number, lateShare: number): number {
    if (this.rng.chance(lateShare)) return this.rng.int(limit + 1, limit + 8);
    return Math.min(limit, 1 + Math.floor(this.rng.next() * this.rng.next() * limit * 1.2));
  }

  close(): boolean {
    const at = this.officeTime(this.lastDate, this.rng.chance(0.1) ? this.rng.int(6, 12) : this.rng.int(1, 5));
    if (!at) return false;
    this.apply('close', at);
    return true;
  }

  giveFeedback(): void {
    if (this.status !== 'closed' || !this.rng.chance(0.45)) return;
    const at = this.consumerTime(this.rng.int(0, 7));
    if (!at) return;
    const satisfied = this.rng.chance(0.72);
    const text = this.rng.pick(satisfied ? FEEDBACK_GOOD : FEEDBACK_BAD);
    this.feedback = { satisfied, ...(text ? { text } : {}), at };
    this.timeline.push({ at, actor: 'consumer', action: 'feedback', from: 'closed', to: 'closed', note: satisfied ? '满意' : '不满意' });
    this.version += 1;
    this.last = at;
  }

  complaint(): void {
    const { rng } = this;
    this.maybeReassign(0.01);
    this.maybeTransfer(0.04);
    const delay = this.decisionDelay(this.rules.acceptWithin, 0.06);
    if (rng.chance(0.03)) {
      const at = this.consumerTime(rng.int(0, delay));
      if (at) this.apply('withdraw', at, { actor: 'consumer', text: rng.pick(WITHDRAW_TEXT) });
      return;
    }
    const decided = this.officeTime(this.lastDate, delay);
    if (!decided) return;
    if (rng.chance(0.13)) {
      const reason = this.reason('reject');
      this.apply('reject', decided, { reason, text: this.textFor('reject', reason) });
      return;
    }
    this.apply('accept', decided);
    const mediationBy = this.deadlines.mediationBy!;

    if (rng.chance(0.08)) {
      // Ended before mediation started: a party refuses, or a rejection ground shows up.
      const at = this.officeTime(this.lastDate, rng.int(2, 20));
      if (!at) return;
      const reason = findReason('terminate', rng.pick(['party_refuses', 'rejection_ground_found', 'withdrawn_or_settled']))!;
      this.apply('terminate', at, { reason, text: this.textFor('terminate', reason) });
      if (this.close()) this.giveFeedback();
      return;
    }
    const started = this.officeTime(this.lastDate, rng.int(1, 5));
    if (!started) return;
    this.apply('start_mediation', started);

    if (rng.chance(0.05)) {
      const paused = this.officeTime(this.lastDate, rng.int(1, 8));
      if (!paused) return;
      this.apply('pause_for_testing', paused, { text: rng.pick(PAUSE_TEXT) });
      const resumed = this.officeTime(this.lastDate, rng.int(3, 20));
      if (!resumed) return;
      this.apply('resume_after_testing', resumed);
    }

    const late = rng.chance(0.07);
    const outcome = late
      ? this.officeTime(this.deadlines.mediationBy ?? mediationBy, rng.int(1, 10))
      : this.officeTime(this.lastDate, rng.int(3, 35));
    if (!outcome) return;
    const end = rng.weighted([['agree', 55], ['terminate', 37], ['withdraw', 8]] as const);
    if (end === 'withdraw') {
      this.apply('withdraw', outcome, { actor: 'consumer', text: rng.pick(WITHDRAW_TEXT) });
      return;
    }
    if (end === 'agree') {
      this.apply('agree', outcome, { text: this.agreement() });
    } else {
      const reason = late ? findReason('terminate', 'time_limit_reached')! : this.reason('terminate');
      this.apply('terminate', outcome, { reason, text: this.textFor('terminate', reason) });
    }
    if (this.close()) this.giveFeedback();
  }

  agreement(): string {
    const amount = this.input.amountCents ?? 0;
    const options = [
      amount > 0 ? `经调解，被投诉人退款${formatCents(Math.round((amount * this.rng.int(5, 10)) / 10 / 100) * 100)}元` : undefined,
      '经调解，被投诉人同意换货',
      '经调解，被投诉人同意免费维修并赔礼道歉',
      amount > 0 ? `经调解，被投诉人全额退款并补偿${this.rng.int(1, 5) * 100}元` : undefined,
    ].filter((o): o is string => !!o);
    return this.rng.pick(options);
  }

  report(): void {
    const { rng } = this;
    this.maybeReassign(0.01);
    this.maybeTransfer(0.03);
    const decided = this.officeTime(this.lastDate, this.decisionDelay(this.rules.decideReportWithin, 0.08));
    if (!decided) return;
    if (rng.chance(0.35)) {
      this.apply('open_case', decided, { text: rng.pick(['经核查，违法事实基本清楚，予以立案', '现场检查发现涉嫌违法行为，予以立案']) });
    } else {
      const reason = this.reason('decline');
      this.apply('decline', decided, { reason, text: this.textFor('decline', reason) });
    }
    this.close();
  }

  result(): History {
    const clock = runningClock({ type: this.input.type, status: this.status, deadlines: this.deadlines, pausedOn: this.pausedOn }, this.today);
    return {
      status: this.status,
      version: this.version,
      bureauCode: this.bureau.code,
      deadlines: this.deadlines,
      timeline: this.timeline,
      transfers: this.transfers,
      pauses: this.pauses,
      ...(this.pausedOn ? { pausedOn: this.pausedOn, pauseNote: this.pauseNote } : {}),
      ...(this.decidedAt ? { decidedAt: this.decidedAt } : {}),
      deadlineState: deadlineState(clock),
      ...(clock ? { dueOn: clock.due } : {}),
      ...(this.feedback ? { feedback: this.feedback } : {}),
      lastAt: this.last,
    };
  }
}

/** Everything handling did to a case between its receipt and `now`. */
export function walkHistory(rng: Rng, input: HistoryInput): History {
  const walk = new Walk(rng, input);
  if (input.type === 'complaint') walk.complaint();
  else walk.report();
  return walk.result();
}
