/**
 * Case numbers: a type prefix (TS 投诉, JB 举报), the receipt date, a six-digit daily sequence and
 * one ISO 7064 MOD 11-2 check character (the same scheme as the resident ID number), so a
 * mistyped number is refused before any lookup.
 */
import type { CaseType } from './status';

const PREFIX: Record<CaseType, string> = { complaint: 'TS', report: 'JB' };
const PATTERN = /^(TS|JB)(\d{8})(\d{6})([0-9X])$/;

export function mod112Check(digits: string): string {
  let sum = 0;
  for (const ch of digits) sum = (sum * 2 + Number(ch)) % 11;
  const check = (12 - ((sum * 2) % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

export function formatCaseNumber(type: CaseType, date: string, sequence: number): string {
  const body = date.replaceAll('-', '') + String(sequence).padStart(6, '0');
  return PREFIX[type] + body + mod112Check(body);
}

/** What people type: surrounding spaces and lower-case letters are accepted and normalised. */
export function normalizeCaseNumber(value: string): string {
  return value.trim().toUpperCase();
}

/** A real calendar date, YYYYMMDD. */
function isRealDate(yyyymmdd: string): boolean {
  const [y, m, d] = [Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)), Number(yyyymmdd.slice(6, 8))];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A well-formed number (normalised first) whose date exists and whose check character is right. */
export function isValidCaseNumber(input: string): boolean {
  const m = PATTERN.exec(normalizeCaseNumber(input));
  if (!m) return false;
  return isRealDate(m[2]) && mod112Check(m[2] + m[3]) === m[4];
}
