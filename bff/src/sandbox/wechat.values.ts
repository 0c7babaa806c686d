/**
 * WeChat's rules for subscription-message values, by the key type in the template key
 * (`thing1`, `character_string2`, ...). A value that breaks its rule is answered with 47003.
 */
export const KEY_TYPES = [
  'thing',
  'number',
  'letter',
  'symbol',
  'character_string',
  'time',
  'date',
  'amount',
  'phone_number',
  'car_number',
  'name',
  'phrase',
] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export function keyTypeOf(key: string): KeyType | undefined {
  const m = /^([a-z_]+?)\d+$/.exec(key);
  return m && (KEY_TYPES as readonly string[]).includes(m[1]) ? (m[1] as KeyType) : undefined;
}

const length = (s: string) => Array.from(s).length;

const DATE = '\\d{4}年\\d{1,2}月\\d{1,2}日';
const HM = '(?:[01]?\\d|2[0-3]):[0-5]\\d';
const range = (point: string) => new RegExp(`^${point}(?:~${point})?$`, 'u');
const TIME = range(`(?:${DATE} )?${HM}`);
const DATE_VALUE = range(`${DATE}(?: ${HM})?`);

/** Every 年月日 in the value names a real calendar day. */
function realDates(value: string): boolean {
  for (const [, y, m, d] of value.matchAll(/(\d{4})年(\d{1,2})月(\d{1,2})日/g)) {
    const at = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    if (at.getUTCFullYear() !== Number(y) || at.getUTCMonth() !== Number(m) - 1 || at.getUTCDate() !== Number(d)) return false;
  }
  return true;
}

/** Why a value breaks its type's rule, or undefined when it is fine. */
export function valueProblem(type: KeyType, value: string): string | undefined {
  if (value.length === 0) return 'is empty';
  const n = length(value);
  const tooLong = (max: number) => (n > max ? `exceeds limit (${type} allows ${max})` : undefined);
  const fits = (ok: boolean) => (ok ? undefined : `is invalid for ${type}`);
  switch (type) {
    case 'thing':
      return tooLong(20);
    case 'number': {
      if (!/^\d+(?:\.\d+)?$/.test(value)) return fits(false);
      return value.replace('.', '').length > 32 ? `exceeds limit (${type} allows 32 digits)` : undefined;
    }
    case 'letter':
      return fits(/^[A-Za-z]+$/.test(value)) ?? tooLong(32);
    case 'symbol':
      return fits(/^[\p{P}\p{S}]+$/u.test(value)) ?? tooLong(5);
    case 'character_string':
      return fits(/^[\x21-\x7e]+$/.test(value)) ?? tooLong(32);
    case 'time':
      return fits(TIME.test(value) && realDates(value));
    case 'date':
      return fits(DATE_VALUE.test(value) && realDates(value));
    case 'amount': {
      const m = /^[¥￥$€£](\d+)(?:\.(\d{1,2}))?元?$/u.exec(value);
      if (!m) return fits(false);
      return m[1].length + (m[2]?.length ?? 0) > 10 ? `exceeds limit (${type} allows 10 digits)` : undefined;
    }
    case 'phone_number':
      return fits(/^[0-9\p{P}\p{S}]+$/u.test(value) && /\d/.test(value)) ?? tooLong(17);
    case 'car_number':
      return fits(/^[\p{Script=Han}A-Za-z0-9](?:[A-Za-z0-9]*[\p{Script=Han}A-Za-z0-9])?$/u.test(value)) ?? tooLong(8);
    case 'name': {
      if (/^\p{Script=Han}+$/u.test(value)) return tooLong(10);
      return fits(/^[A-Za-z\p{P}\p{S}][A-Za-z\p{P}\p{S} ]*$/u.test(value)) ?? tooLong(20);
    }
    case 'phrase':
      return fits(/^\p{Script=Han}+$/u.test(value)) ?? tooLong(5);
  }
}
