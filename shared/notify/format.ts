/**
 * Subscription-message values, formatted by the key type of the template field so the vendor
 * never rejects them (WeChat 47003): each value is cut or cleaned to its type's rule.
 */
export type KeyType =
  | 'thing'
  | 'number'
  | 'letter'
  | 'symbol'
  | 'character_string'
  | 'time'
  | 'date'
  | 'amount'
  | 'phone_number'
  | 'car_number'
  | 'name'
  | 'phrase';

/** The key type of a WeChat template key such as `thing1` or `character_string12`. */
export function keyTypeOf(key: string): KeyType | undefined {
  const m = /^([a-z_]+?)\d+$/.exec(key);
  return m ? (m[1] as KeyType) : undefined;
}

const chars = (s: string) => Array.from(s);
const cut = (s: string, max: number) => chars(s).slice(0, max).join('');
const HAN = /\p{Script=Han}/u;

function cutWithEllipsis(s: string, max: number): string {
  const list = chars(s.replace(/\s+/g, ' ').trim());
  return list.length <= max ? list.join('') : list.slice(0, max - 1).join('') + '…';
}

/** Beijing time, the way the vendor expects it: 2026年1月5日 09:30 */
export function formatTime(at: Date): string {
  const d = new Date(at.getTime() + 8 * 3600_000);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${formatDate(at)} ${hh}:${mm}`;
}

export function formatDate(at: Date): string {
  const d = new Date(at.getTime() + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

export function formatValue(type: KeyType, value: string | number | Date): string {
  if (value instanceof Date) return type === 'date' ? formatDate(value) : formatTime(value);
  const s = String(value);
  switch (type) {
    case 'thing':
      return cutWithEllipsis(s, 20);
    case 'number':
      return cut(s.replace(/[^0-9.]/g, ''), 32);
    case 'letter':
      return cut(s.replace(/[^A-Za-z]/g, ''), 32);
    case 'symbol':
      return cut(s.replace(/[A-Za-z0-9\s\p{Script=Han}]/gu, ''), 5);
    case 'character_string':
      return cut(s.replace(/[^\x21-\x7e]/g, ''), 32);
    case 'phone_number':
      return cut(s.replace(/[^0-9+\-]/g, ''), 17);
    case 'car_number':
      return cut(s.replace(/\s/g, ''), 8);
    case 'amount': {
      const digits = s.replace(/[^0-9.]/g, '');
      return `¥${cut(digits, 10)}`;
    }
    case 'name': {
      const clean = s.replace(/\s+/g, '');
      return HAN.test(clean) ? cut(clean, 10) : cut(clean.replace(/[^A-Za-z]/g, ''), 20);
    }
    case 'phrase':
      return cut(s.replace(/[^\p{Script=Han}]/gu, ''), 5);
    case 'time':
    case 'date':
      return s;
  }
}

/** Alipay template values: any text, at most 50 characters. */
export function formatAlipayValue(value: string | number | Date): string {
  if (value instanceof Date) return formatTime(value);
  return cutWithEllipsis(String(value), 50);
}
