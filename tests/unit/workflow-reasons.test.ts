import { REASON_LISTS, findReason, REJECT_REASONS, TERMINATE_REASONS } from '../../shared/complaint/reasons';

describe('legal reason lists', () => {
  it.each(Object.entries(REASON_LISTS))('%s: codes are unique, snake_case, with a Chinese label and a basis', (_name, list) => {
    const codes = list.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const r of list) {
      expect(r.code).toMatch(/^[a-z_]{2,40}$/);
      expect(r.label).toMatch(/[\u4e00-\u9fa5]/);
      expect(r.basis).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('lists the six Art 15 rejection grounds and the seven Art 21 termination grounds', () => {
    expect(REJECT_REASONS.map((r) => r.basis)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `第十五条第${'一二三四五六'[n - 1]}项`));
    expect(TERMINATE_REASONS).toHaveLength(7);
    expect(TERMINATE_REASONS.find((r) => r.code === 'time_limit_reached')!.label).toContain('四十五个工作日');
  });

  it('finds a ground only in its own list', () => {
    expect(findReason('reject', 'time_barred')?.basis).toBe('第十五条第四项');
    expect(findReason('reject', 'party_refuses')).toBeUndefined();
    expect(findReason('terminate', 'party_refuses')).toBeDefined();
  });
});
