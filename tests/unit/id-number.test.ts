import { idNumberCheckChar, isValidIdNumber } from '../../shared/identity/id-number';

test.each(['11010519491231002X', '440524188001010014'])('the standard example %s is valid', (id) => {
  expect(isValidIdNumber(id)).toBe(true);
});

test('the check character follows the GB 11643 weights', () => {
  expect(idNumberCheckChar('11010519491231002')).toBe('X');
  expect(idNumberCheckChar('44052418800101001')).toBe('4');
});

test.each([
  ['a wrong check character', '110105194912310021'],
  ['a lower-case x', '11010519491231002x'],
  ['17 characters', '11010519491231002'],
  ['a date that is not a calendar day', `11010519490230001${idNumberCheckChar('11010519490230001')}`],
])('a number with %s is invalid', (_why, id) => {
  expect(isValidIdNumber(id)).toBe(false);
});

test('a birth date in the future is invalid', () => {
  const first17 = '11010520990101001';
  expect(isValidIdNumber(first17 + idNumberCheckChar(first17), new Date('2026-01-01T00:00:00Z'))).toBe(false);
});
