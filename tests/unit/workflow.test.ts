import { COMPLAINT_TRANSITIONS, availableActions, findTransition } from '../../shared/complaint/workflow';
import { COMPLAINT_STATUSES } from '../../shared/complaint/status';

describe('complaint state machine', () => {
  it.each([
    ['accept', 'submitted', 'accepted'],
    ['reject', 'submitted', 'rejected'],
    ['start_mediation', 'accepted', 'mediating'],
    ['agree', 'mediating', 'resolved'],
    ['terminate', 'mediating', 'mediation_ended'],
    ['close', 'resolved', 'closed'],
    ['close', 'mediation_ended', 'closed'],
    ['withdraw', 'submitted', 'withdrawn'],
  ] as const)('%s takes %s to %s', (action, from, to) => {
    expect(findTransition(action, from)?.to).toBe(to);
  });

  it('allows no edge out of a final state', () => {
    for (const final of ['rejected', 'closed', 'withdrawn'] as const) {
      expect(COMPLAINT_TRANSITIONS.filter((t) => t.from.includes(final))).toEqual([]);
    }
  });

  it('refuses accepting a case twice', () => {
    expect(findTransition('accept', 'accepted')).toBeUndefined();
  });

  it('lets staff, not consumers, accept; lets consumers, not staff, withdraw', () => {
    expect(availableActions('submitted', 'handler').map((t) => t.action)).toEqual(['accept', 'reject']);
    expect(availableActions('submitted', 'consumer').map((t) => t.action)).toEqual(['withdraw']);
  });

  it('names only known states', () => {
    for (const t of COMPLAINT_TRANSITIONS) {
      expect(COMPLAINT_STATUSES).toContain(t.to);
      for (const f of t.from) expect(COMPLAINT_STATUSES).toContain(f);
    }
  });

  it('requires a reason for rejection and termination', () => {
    expect(COMPLAINT_TRANSITIONS.filter((t) => t.needsReason).map((t) => t.action).sort()).toEqual(['reject', 'terminate']);
  });
});
