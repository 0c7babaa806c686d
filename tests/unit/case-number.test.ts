import { formatCaseNumber, isValidCaseNumber, mod112Check, normalizeCaseNumber } from '../../shared/complaint/case-number';

describe('case numbers', () => {
  it('uses the ID-number check scheme (ISO 7064 MOD 11-2)', () => {
    // The check character of 11010519491231002X is X (REFERENCE.md section 3).
    expect(mod112Check('11010519491231002')).toBe('X');
    expect(mod112Check('44052418800101001')).toBe('4');
  });

  it('formats the type prefix, the date, a six-digit sequence and the check character', () => {
    const n = formatCaseNumber('complaint', '2026-11-22', 42);
    expect(n).toMatch(/^TS20261122000042[0-9X]$/);
    expect(isValidCaseNumber(n)).toBe(true);
    expect(formatCaseNumber('report', '2026-11-22', 1).startsWith('JB20261122000001')).toBe(true);
  });

  it('refuses a number with one digit mistyped', () => {
    const n = formatCaseNumber('complaint', '2026-11-22', 123456);
    for (let i = 2; i < n.length - 1; i++) {
      const digit = n[i] === '9' ? '0' : String(Number(n[i]) + 1);
      expect(isValidCaseNumber(n.slice(0, i) + digit + n.slice(i + 1))).toBe(false);
    }
  });

  it('refuses two adjacent digits swapped', () => {
    const n = formatCaseNumber('complaint', '2026-11-22', 123456);
    const swapped = n.slice(0, 10) + n[11] + n[10] + n.slice(12);
    expect(swapped).not.toBe(n);
    expect(isValidCaseNumber(swapped)).toBe(false);
  });

  it('refuses a date that does not exist, even with a right check character (TS202602300000013)', () => {
    const feb30 = `TS20260230000001${mod112Check('20260230000001')}`;
    expect(feb30).toBe('TS202602300000013');
    expect(isValidCaseNumber(feb30)).toBe(false);
    expect(isValidCaseNumber(`JB20251301000001${mod112Check('20251301000001')}`)).toBe(false);
    expect(isValidCaseNumber(`TS20260229000001${mod112Check('20260229000001')}`)).toBe(false);
    expect(isValidCaseNumber(`TS20280229000001${mod112Check('20280229000001')}`)).toBe(true);
  });

  it('accepts a number as people type it: lower case, spaces around', () => {
    const n = formatCaseNumber('report', '2026-11-22', 7);
    expect(normalizeCaseNumber(` ${n.toLowerCase()} `)).toBe(n);
    expect(isValidCaseNumber(` ${n.toLowerCase()} `)).toBe(true);
  });

  it('refuses other shapes', () => {
    expect(isValidCaseNumber('')).toBe(false);
    expect(isValidCaseNumber('XX202611220000421')).toBe(false);
    expect(isValidCaseNumber('TS2026112200004')).toBe(false);
  });
});
