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

/**
 * What a value becomes when nothing of it survives its type's rule: the vendor refuses an empty
 * value too, and a visible placeholder beats a message that never arrives.
 */
const PLACEHOLDER: Record<KeyType, string> = {
  thing: '—',
  number: '0',
  letter: 'NA',
  symbol: '-',
  character_string: '-',
  time: '-',
  date: '-',
  amount: '¥0',
  phone_number: '0',
  car_number: '无',
  name: '未知',
  phrase: '无',
};

/** Digits with at most one decimal point, at most `max` digits in all. */
function digitsOnly(s: string, max: number): string {
  const [whole = '', ...rest] = s.replace(/[^0-9.]/g, '').split('.');
  const int = cut(whole, max);
  const frac = cut(rest.join(''), max - int.length);
  if (!int) return frac ? `0.${cut(frac, max - 1)}` : '';
  return frac ? `${int}.${frac}` : int;
}

function clean(type: KeyType, s: string): string {
  switch (type) {
    case 'thing':
      return cutWithEllipsis(s, 20);
    case 'number':
      return digitsOnly(s, 32);
    case 'letter':
      return cut(s.replace(/[^A-Za-z]/g, ''), 32);
    case 'symbol':
      return cut(s.replace(/[^\p{P}\p{S}]/gu, ''), 5);
    case 'character_string':
      return cut(s.replace(/[^\x21-\x7e]/g, ''), 32);
    case 'phone_number': {
      const kept = cut(s.replace(/[^0-9+\-]/g, ''), 17);
      return /\d/.test(kept) ? kept : '';
    }
    case 'car_number': {
      // Chinese characters only first or last (京A12345, 粤B12345学); a cut keeps the leading part.
      const list = chars(s.replace(/[^\p{Script=Han}A-Za-z0-9]/gu, ''));
      return list.filter((c, i) => i === 0 || i === list.length - 1 || /[A-Za-z0-9]/.test(c)).slice(0, 8).join('');
    }
    case 'amount': {
      const [whole = '', frac = ''] = s.replace(/[^0-9.]/g, '').split('.');
      const int = cut(whole || (frac ? '0' : ''), 10);
      if (!int) return '';
      const cents = cut(frac, Math.min(2, 10 - int.length));
      return `¥${int}${cents ? `.${cents}` : ''}`;
    }
    case 'name': {
      const han = s.replace(/[^\p{Script=Han}]/gu, '');
      if (han) return cut(han, 10);
      return cut(s.replace(/[^A-Za-z ]/g, '').replace(/\s+/g, ' ').trim(), 20).trim();
    }
    case 'phrase':
      return cut(s.replace(/[^\p{Script=Han}]/gu, ''), 5);
    case 'time':
    case 'date':
      return s;
  }
}

export function formatValue(type: KeyType, value: string | number | Date): string {
  if (value instanceof Date) return type === 'date' ? formatDate(value) : formatTime(value);
  return clean(type, String(value)) || PLACEHOLDER[type];
}

/** Alipay template values: any text, at most 50 characters. */
export function formatAlipayValue(value: string | number | Date): string {
  if (value instanceof Date) return formatTime(value);
  return cutWithEllipsis(String(value), 50) || '—';
}
