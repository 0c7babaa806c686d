import { formatAlipayValue, formatValue, type KeyType } from '../../shared/notify/format';
import { KEY_TYPES, valueProblem } from '../../bff/src/sandbox/wechat.values';

// Inputs that break some rule of some type: empty, blank, too long, mixed scripts, emoji, stray dots.
const NASTY = [
  '',
  '   ',
  'a',
  '投',
  '已受理',
  'OK',
  '!!',
  '123',
  '.5',
  '1.2.3',
  '¥¥100.999元',
  '+86 138-0013-8000',
  '张San 李',
  '京A1京345学',
  '🙂🙂🙂',
  'x'.repeat(200),
  '投'.repeat(200),
  '9'.repeat(50),
  'TS-2026-投诉-000001-ÄÖ',
  '\n\t某某 电器\n有限公司\t',
];

describe('every key type: no input makes a value WeChat refuses (47003)', () => {
  test.each(KEY_TYPES.filter((t) => t !== 'time' && t !== 'date'))('%s', (type) => {
    for (const input of NASTY) {
      const value = formatValue(type as KeyType, input);
      expect([input, value, valueProblem(type, value)]).toEqual([input, value, undefined]);
    }
  });

  test.each(['time', 'date'] as const)('%s from a date, at the turn of a day and a year in Beijing', (type) => {
    for (const at of ['2026-12-31T16:00:00Z', '2026-12-31T15:59:59Z', '2024-02-28T16:30:00Z']) {
      expect(valueProblem(type, formatValue(type, new Date(at)))).toBeUndefined();
    }
  });
});

describe('values at their limit are kept whole, one past it are cut to it', () => {
  const cases: Array<[KeyType, string, string, string]> = [
    ['thing', '投'.repeat(20), '投'.repeat(21), `${'投'.repeat(19)}…`],
    ['number', '9'.repeat(32), '9'.repeat(33), '9'.repeat(32)],
    ['number', `${'9'.repeat(30)}.99`, `${'9'.repeat(30)}.999`, `${'9'.repeat(30)}.99`],
    ['letter', 'a'.repeat(32), 'a'.repeat(33), 'a'.repeat(32)],
    ['symbol', '!@#%&', '!@#%&*', '!@#%&'],
    ['character_string', `TS-${'0'.repeat(29)}`, `TS-${'0'.repeat(30)}`, `TS-${'0'.repeat(29)}`],
    ['phone_number', `+86-${'1'.repeat(13)}`, `+86-${'1'.repeat(14)}`, `+86-${'1'.repeat(13)}`],
    ['car_number', '粤B12345学', '粤B123456学', '粤B123456'],
    ['amount', '¥1234567890', '¥12345678901', '¥1234567890'],
    ['amount', '¥12345678.90', '¥123456789.90', '¥123456789.9'],
    ['name', '欧'.repeat(10), '欧'.repeat(11), '欧'.repeat(10)],
    ['name', 'A'.repeat(20), 'A'.repeat(21), 'A'.repeat(20)],
    ['phrase', '调解成功啦', '调解成功了吗', '调解成功了'],
  ];

  test.each(cases)('%s: %s stays, %s becomes %s', (type, atLimit, past, expected) => {
    expect(formatValue(type, atLimit)).toBe(atLimit);
    expect(formatValue(type, past)).toBe(expected);
    expect(valueProblem(type, expected)).toBeUndefined();
  });

  test('an empty value becomes a placeholder the vendor takes', () => {
    expect(formatValue('phrase', 'OK')).toBe('无');
    expect(formatValue('thing', '   ')).toBe('—');
    expect(formatAlipayValue('')).toBe('—');
  });

  test('Alipay: 50 characters stay, 51 are cut to 50 with an ellipsis', () => {
    expect(formatAlipayValue('字'.repeat(50))).toBe('字'.repeat(50));
    expect(formatAlipayValue('字'.repeat(51))).toBe(`${'字'.repeat(49)}…`);
  });
});
