import { formatAlipayValue, formatDate, formatTime, formatValue, keyTypeOf } from '../../shared/notify/format';

describe('subscription value formatting by key type', () => {
  it('reads the key type from the template key', () => {
    expect(keyTypeOf('thing2')).toBe('thing');
    expect(keyTypeOf('character_string12')).toBe('character_string');
    expect(keyTypeOf('time4')).toBe('time');
    expect(keyTypeOf('nokey')).toBeUndefined();
  });

  it('thing: keeps 20 characters, cuts longer text with an ellipsis', () => {
    expect(formatValue('thing', '一二三四五六七八九十一二三四五六七八九十')).toHaveLength(20);
    const cut = formatValue('thing', '一二三四五六七八九十一二三四五六七八九十多');
    expect(Array.from(cut)).toHaveLength(20);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('phrase: at most 5 Chinese characters, nothing else', () => {
    expect(formatValue('phrase', '已受理')).toBe('已受理');
    expect(formatValue('phrase', '调解成功了吗是的')).toBe('调解成功了');
    expect(formatValue('phrase', 'ok已受理!')).toBe('已受理');
  });

  it('character_string: 32 printable ASCII characters at most', () => {
    expect(formatValue('character_string', 'TS202611220000427')).toBe('TS202611220000427');
    expect(formatValue('character_string', 'A'.repeat(40))).toHaveLength(32);
    expect(formatValue('character_string', '编号TS1')).toBe('TS1');
  });

  it('number, letter, symbol, phone_number, car_number, amount and name keep to their limits', () => {
    expect(formatValue('number', '1'.repeat(40))).toHaveLength(32);
    expect(formatValue('letter', 'abc123def')).toBe('abcdef');
    expect(formatValue('symbol', '%%%%%%%')).toHaveLength(5);
    expect(formatValue('phone_number', '+86 138-0013-8000-1234')).toHaveLength(17);
    expect(formatValue('car_number', '京A 12345 67')).toHaveLength(8);
    expect(formatValue('amount', '12345678901234')).toBe('¥1234567890');
    expect(formatValue('name', '欧阳一二三四五六七八九')).toHaveLength(10);
    expect(formatValue('name', 'Alexander Hamilton The Third')).toHaveLength(20);
  });

  it('time and date in Beijing time, the way the vendor expects', () => {
    const at = new Date('2026-10-01T07:01:00Z');
    expect(formatTime(at)).toBe('2026年10月1日 15:01');
    expect(formatDate(at)).toBe('2026年10月1日');
    expect(formatValue('time', at)).toBe('2026年10月1日 15:01');
    expect(formatValue('date', at)).toBe('2026年10月1日');
  });

  it('Alipay: at most 50 characters', () => {
    expect(Array.from(formatAlipayValue('字'.repeat(60)))).toHaveLength(50);
    expect(formatAlipayValue('短')).toBe('短');
  });
});
