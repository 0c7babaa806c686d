/** Resident ID number (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence, check character. */
import { isKnownRegionPrefix } from './region';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += WEIGHTS[i] * Number(first17[i]);
  return CHECK[sum % 11];
}

/** What people type: surrounding spaces and a lower-case x are accepted and normalised. */
export function normalizeIdNumber(value: string): string {
  return value.trim().toUpperCase();
}

export const ID_NUMBER_MESSAGES = {
  empty: '请输入身份证号',
  format: '身份证号应为 18 位，最后一位是数字或 X',
  region: '身份证号前 6 位的地区码不正确',
  birthDate: '身份证号中的出生日期不正确',
  checkChar: '身份证号校验位不正确，请核对后重新输入',
} as const;

/** Resident ID numbers are issued to people born from 1900 on. */
export const EARLIEST_BIRTH_YEAR = 1900;

/**
 * The first problem of a number, as a message for the person, or null when valid. The number is
 * normalised first (normalizeIdNumber), here as in the API, so both ends judge the same string.
 */
export function idNumberProblem(input: string, today: Date = new Date()): string | null {
  const value = normalizeIdNumber(input);
  if (value === '') return ID_NUMBER_MESSAGES.empty;
  if (!/^\d{17}[\dX]$/.test(value)) return ID_NUMBER_MESSAGES.format;
  if (!isKnownRegionPrefix(value)) return ID_NUMBER_MESSAGES.region;
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  const real = birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
  if (!real || year < EARLIEST_BIRTH_YEAR || birth.getTime() > today.getTime()) return ID_NUMBER_MESSAGES.birthDate;
  if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) return ID_NUMBER_MESSAGES.checkChar;
  return null;
}

/** True for an 18-character number (x in either case) with a known region, a real birth date from 1900 to today and a correct check character. */
export function isValidIdNumber(value: string, today: Date = new Date()): boolean {
  return idNumberProblem(value, today) === null;
}
