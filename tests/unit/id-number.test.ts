import { idNumberCheckChar, isValidIdNumber } from '../../shared/identity/id-number';

test.each(['11010519491231002X', '440524198001010013', '11010519000101001X'])('%s is valid', (id) => {
  expect(isValidIdNumber(id)).toBe(true);
});

test('the check character follows the GB 11643 weights', () => {
  expect(idNumberCheckChar('11010519491231002')).toBe('X');
  expect(idNumberCheckChar('44052418800101001')).toBe('4');
});

test.each([
  ['a wrong check character', '110105194912310021'],
  ['17 characters', '11010519491231002'],
  ['a date that is not a calendar day', `11010519490230001${idNumberCheckChar('11010519490230001')}`],
])('a number with %s is invalid', (_why, id) => {
  expect(isValidIdNumber(id)).toBe(false);
});

test('a lower-case x and surrounding spaces are normalised before the check, as the API does', () => {
  expect(isValidIdNumber('11010519491231002x')).toBe(true);
  expect(isValidIdNumber(' 11010519491231002X ')).toBe(true);
});

test('a birth date before 1900 is invalid, even with a right check character (GB 11643 example 440524188001010014)', () => {
  expect(isValidIdNumber('440524188001010014')).toBe(false);
  const first17 = '11010518991231001';
  expect(isValidIdNumber(first17 + idNumberCheckChar(first17))).toBe(false);
});

test('a birth date in the future is invalid', () => {
  const first17 = '11010520990101001';
  expect(isValidIdNumber(first17 + idNumberCheckChar(first17), new Date('2026-01-01T00:00:00Z'))).toBe(false);
});
