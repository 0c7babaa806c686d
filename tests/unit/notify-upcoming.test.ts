import { upcomingEvents } from '../../shared/notify/upcoming';

describe('the templates a consent dialog asks for', () => {
  test.each([
    ['submitted', ['accepted', 'rejected', 'mediation_started']],
    ['accepted', ['mediation_started', 'mediation_ended', 'resolved']],
    ['mediating', ['resolved', 'mediation_ended', 'closed']],
    ['resolved', ['closed']],
    ['closed', []],
    ['withdrawn', []],
  ] as const)('a %s case asks for %j', (status, events) => {
    expect(upcomingEvents(status)).toEqual(events);
  });

  test('a transfer, which most cases never see, is asked for only when room is left', () => {
    const all = upcomingEvents('submitted', 20);
    expect(all).toContain('transferred');
    expect(all[all.length - 1]).toBe('transferred');
  });

  test('a report asks for the decision on it', () => {
    expect(upcomingEvents('submitted', 3, 'report')[0]).toBe('report_decided');
  });

  test('never more than three, the most a dialog takes', () => {
    expect(upcomingEvents('submitted', 5).length).toBeGreaterThan(3);
    expect(upcomingEvents('submitted')).toHaveLength(3);
  });
});
