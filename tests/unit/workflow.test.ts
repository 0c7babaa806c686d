import {
  COMPLAINT_TRANSITIONS,
  REPORT_TRANSITIONS,
  TRANSITIONS,
  availableActions,
  findTransition,
  targetStatus,
  type Actor,
  type ComplaintAction,
} from '../../shared/complaint/workflow';
import { COMPLAINT_STATUSES, FINAL_STATUSES, type CaseType, type ComplaintStatus } from '../../shared/complaint/status';
import { REASON_LISTS } from '../../shared/complaint/reasons';
import { WECHAT_TEMPLATES, ALIPAY_TEMPLATES } from '../../config/templates';

type Edge = [ComplaintAction, ComplaintStatus, ComplaintStatus, { paused?: boolean }?];

// Every allowed edge, written out by hand from DESIGN.md "Handling workflow".
const COMPLAINT_EDGES: Edge[] = [
  ['accept', 'submitted', 'accepted'],
  ['reject', 'submitted', 'rejected'],
  ['transfer', 'submitted', 'submitted'],
  ['reassign', 'submitted', 'submitted'],
  ['reassign', 'accepted', 'accepted'],
  ['reassign', 'mediating', 'mediating'],
  ['reassign', 'resolved', 'resolved'],
  ['reassign', 'mediation_ended', 'mediation_ended'],
  ['start_mediation', 'accepted', 'mediating'],
  ['pause_for_testing', 'accepted', 'accepted'],
  ['pause_for_testing', 'mediating', 'mediating'],
  ['resume_after_testing', 'accepted', 'accepted', { paused: true }],
  ['resume_after_testing', 'mediating', 'mediating', { paused: true }],
  ['agree', 'mediating', 'resolved'],
  ['terminate', 'accepted', 'mediation_ended'],
  ['terminate', 'mediating', 'mediation_ended'],
  ['terminate', 'accepted', 'mediation_ended', { paused: true }],
  ['terminate', 'mediating', 'mediation_ended', { paused: true }],
  ['reassign', 'accepted', 'accepted', { paused: true }],
  ['reassign', 'mediating', 'mediating', { paused: true }],
  ['close', 'resolved', 'closed'],
  ['close', 'mediation_ended', 'closed'],
  ['withdraw', 'submitted', 'withdrawn'],
  ['withdraw', 'accepted', 'withdrawn'],
  ['withdraw', 'mediating', 'withdrawn'],
  ['withdraw', 'accepted', 'withdrawn', { paused: true }],
  ['withdraw', 'mediating', 'withdrawn', { paused: true }],
];

const REPORT_EDGES: Edge[] = [
  ['open_case', 'submitted', 'case_opened'],
  ['decline', 'submitted', 'not_opened'],
  ['transfer', 'submitted', 'submitted'],
  ['reassign', 'submitted', 'submitted'],
  ['reassign', 'case_opened', 'case_opened'],
  ['reassign', 'not_opened', 'not_opened'],
  ['close', 'case_opened', 'closed'],
  ['close', 'not_opened', 'closed'],
];

const EDGES: Record<CaseType, Edge[]> = { complaint: COMPLAINT_EDGES, report: REPORT_EDGES };
const ALL_ACTIONS = [...new Set([...COMPLAINT_TRANSITIONS, ...REPORT_TRANSITIONS].map((t) => t.action))];

describe.each(['complaint', 'report'] as const)('%s state machine', (type) => {
  it.each(EDGES[type].map(([a, f, t, s]) => [a, f, t, !!s?.paused] as const))(
    'allows %s from %s to %s (testing paused: %s)',
    (action, from, to, paused) => {
      const t = findTransition(action, from, type, { paused });
      expect(t).toBeDefined();
      expect(targetStatus(t!, from)).toBe(to);
    },
  );

  // Every (action, state, paused) combination not listed above is forbidden.
  const forbidden: Array<[ComplaintAction, ComplaintStatus, boolean]> = [];
  for (const action of ALL_ACTIONS)
    for (const from of COMPLAINT_STATUSES)
      for (const paused of [false, true]) {
        const listed = EDGES[type].some(([a, f, , s]) => a === action && f === from && !!s?.paused === paused);
        // A pause can only exist in accepted or mediating; elsewhere "paused" is not a real state.
        const real = !paused || from === 'accepted' || from === 'mediating';
        if (!listed && real) forbidden.push([action, from, paused]);
      }
  it.each(forbidden)('forbids %s from %s (testing paused: %s)', (action, from, paused) => {
    expect(findTransition(action, from, type, { paused })).toBeUndefined();
  });

  it('allows no edge out of a final state', () => {
    for (const final of FINAL_STATUSES) expect(TRANSITIONS[type].filter((t) => t.from.includes(final))).toEqual([]);
  });

  it('names only known states', () => {
    for (const t of TRANSITIONS[type]) {
      if (t.to !== 'same') expect(COMPLAINT_STATUSES).toContain(t.to);
      for (const f of t.from) expect(COMPLAINT_STATUSES).toContain(f);
    }
  });

  it('ties every legal ground requirement to a list of grounds', () => {
    for (const t of TRANSITIONS[type]) {
      expect(t.needs.includes('reasonCode')).toBe(t.reasons !== undefined);
      if (t.reasons) expect(REASON_LISTS[t.reasons].length).toBeGreaterThan(0);
    }
  });

  it('has a template on both platforms for every message it sends', () => {
    for (const t of TRANSITIONS[type].filter((r) => r.notify)) {
      expect(WECHAT_TEMPLATES.map((x) => x.event)).toContain(t.notify);
      expect(ALIPAY_TEMPLATES.map((x) => x.event)).toContain(t.notify);
    }
  });
});

describe('role-by-action matrix', () => {
  const C = 'consumer', H = 'handler', S = 'supervisor';
  // Who may take each action; admins manage accounts and bureaus and take no case action.
  const MATRIX: Record<ComplaintAction, Actor[]> = {
    accept: [H, S],
    reject: [H, S],
    transfer: [H, S],
    reassign: [S],
    start_mediation: [H, S],
    pause_for_testing: [H, S],
    resume_after_testing: [H, S],
    agree: [H, S],
    terminate: [H, S],
    close: [H, S],
    withdraw: [C],
    open_case: [H, S],
    decline: [H, S],
  };
  const actors: Actor[] = ['consumer', 'handler', 'supervisor', 'admin'];
  const rows = [...COMPLAINT_TRANSITIONS.map((t) => ['complaint', t] as const), ...REPORT_TRANSITIONS.map((t) => ['report', t] as const)];
  const cases = rows.flatMap(([type, t]) => actors.map((a) => [type, t.action, a, MATRIX[t.action].includes(a)] as const));

  it.each(cases)('%s %s by %s: allowed %s', (type, action, actor, allowed) => {
    const t = TRANSITIONS[type].find((r) => r.action === action)!;
    const state = { paused: t.whilePaused === true };
    const offered = availableActions(t.from[0], actor, type, state).map((r) => r.action);
    expect(offered.includes(action)).toBe(allowed);
  });

  it('offers a handler exactly accept, reject and transfer on a new complaint', () => {
    expect(availableActions('submitted', 'handler').map((t) => t.action)).toEqual(['accept', 'reject', 'transfer']);
  });

  it('offers a consumer only withdrawal', () => {
    expect(availableActions('mediating', 'consumer').map((t) => t.action)).toEqual(['withdraw']);
  });

  it('while testing runs, offers resumption and termination but not agreement', () => {
    const actions = availableActions('mediating', 'handler', 'complaint', { paused: true }).map((t) => t.action);
    expect(actions).toEqual(['resume_after_testing', 'terminate']);
  });
});

describe('required fields', () => {
  it('rejection, termination and declining need a legal ground and a text', () => {
    for (const [type, action] of [['complaint', 'reject'], ['complaint', 'terminate'], ['report', 'decline']] as const) {
      expect(TRANSITIONS[type].find((t) => t.action === action)!.needs).toEqual(['reasonCode', 'reason']);
    }
  });

  it('a transfer needs the receiving bureau, a legal ground and a text', () => {
    expect(findTransition('transfer', 'submitted')!.needs).toEqual(['toBureau', 'reasonCode', 'reason']);
  });

  it('acceptance restarts no clock but starts the mediation clock; a transfer restarts the first clock', () => {
    expect(findTransition('accept', 'submitted')!.deadline).toBe('start_mediation_clock');
    expect(findTransition('transfer', 'submitted')!.deadline).toBe('restart_first_clock');
    expect(findTransition('open_case', 'submitted', 'report')!.deadline).toBe('start_inform_clock');
  });
});
