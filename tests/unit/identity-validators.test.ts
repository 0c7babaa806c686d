import { idNumberCheckChar, idNumberProblem, ID_NUMBER_MESSAGES, isValidIdNumber, normalizeIdNumber } from '../../shared/identity/id-number';
import { nameProblem, NAME_MESSAGES, normalizeName } from '../../shared/identity/name';
import { isKnownRegionPrefix } from '../../shared/identity/region';
import { ID_CONSENT_VERSION, verifyBody } from '../../shared/api/identity';

const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);
const TODAY = new Date('2026-06-01T00:00:00Z');

describe('ID number', () => {
  test.each(['11010519491231002X', '11010519491231002x', '440524198001010013', '110101199003071233', withCheck('46900120000101001')])('%s is valid', (id) => {
    expect(idNumberProblem(id, TODAY)).toBeNull();
  });

  test.each([
    ['a wrong check character', '110105194912310021', ID_NUMBER_MESSAGES.checkChar],
    ['a check digit where X belongs', '110105194912310020', ID_NUMBER_MESSAGES.checkChar],
    ['30 February', withCheck('11010519490230001'), ID_NUMBER_MESSAGES.birthDate],
    ['month 13', withCheck('11010519491331001'), ID_NUMBER_MESSAGES.birthDate],
    ['day 00', withCheck('11010519491200001'), ID_NUMBER_MESSAGES.birthDate],
    ['29 February of a common year', withCheck('11010519010229001'), ID_NUMBER_MESSAGES.birthDate],
    ['a birth date after today', withCheck('11010520260602001'), ID_NUMBER_MESSAGES.birthDate],
    ['17 characters', '11010519491231002', ID_NUMBER_MESSAGES.format],
    ['19 characters', '11010519491231002X1', ID_NUMBER_MESSAGES.format],
    ['an X before the end', '1101051949123100X2', ID_NUMBER_MESSAGES.format],
    ['a birth year before 1900', '440524188001010014', ID_NUMBER_MESSAGES.birthDate],
    ['an unknown province', withCheck('99010519491231002'), ID_NUMBER_MESSAGES.region],
    ['a bare province code', withCheck('11000019491231002'), ID_NUMBER_MESSAGES.region],
    ['nothing', '', ID_NUMBER_MESSAGES.empty],
  ])('a number with %s is refused with its message', (_why, id, message) => {
    expect(idNumberProblem(id, TODAY)).toBe(message);
    expect(isValidIdNumber(id, TODAY)).toBe(false);
  });

  test('29 February of a leap year is a real date', () => {
    expect(idNumberProblem(withCheck('44030420000229456'), TODAY)).toBeNull();
  });

  test('a birth date of today is accepted', () => {
    expect(idNumberProblem(withCheck('11010520260601001'), TODAY)).toBeNull();
  });

  test('normalising upper-cases x and trims spaces', () => {
    expect(normalizeIdNumber(' 11010519491231002x ')).toBe('11010519491231002X');
  });
});

describe('region prefix', () => {
  test.each(['110105', '440300', '469001', '820101'])('%s is known', (code) => {
    expect(isKnownRegionPrefix(code)).toBe(true);
  });
  test.each(['000000', '190101', '110000', '99', 'abcdef'])('%s is not', (code) => {
    expect(isKnownRegionPrefix(code)).toBe(false);
  });
});

describe('name', () => {
  test.each(['张三', '欧阳娜娜', '阿沛·阿旺晋美', '买买提·吐尔逊', '张'.repeat(30)])('%s is valid', (name) => {
    expect(nameProblem(name)).toBeNull();
  });

  test.each([
    ['one character', '张', NAME_MESSAGES.length],
    ['31 characters', '张'.repeat(31), NAME_MESSAGES.length],
    ['Latin letters', 'Zhang San', NAME_MESSAGES.form],
    ['digits', '张3', NAME_MESSAGES.form],
    ['a leading dot', '·阿旺', NAME_MESSAGES.form],
    ['two dots together', '阿沛··阿旺', NAME_MESSAGES.form],
    ['a space inside', '张 三', NAME_MESSAGES.form],
    ['nothing', '', NAME_MESSAGES.empty],
  ])('a name with %s is refused with its message', (_why, name, message) => {
    expect(nameProblem(name)).toBe(message);
  });

  test('look-alike dots become the middle dot', () => {
    expect(normalizeName(' 阿沛•阿旺晋美 ')).toBe('阿沛·阿旺晋美');
    expect(normalizeName('阿沛・阿旺晋美')).toBe('阿沛·阿旺晋美');
  });
});

describe('the verify request', () => {
  const base = { name: '张三', idNumber: '11010519491231002X', consent: true, consentVersion: ID_CONSENT_VERSION };

  test('normalises what was typed', () => {
    const parsed = verifyBody.parse({ ...base, name: ' 张三', idNumber: '11010519491231002x ' });
    expect(parsed).toEqual(base);
  });

  test('reports each field with its Chinese message', () => {
    const result = verifyBody.safeParse({ ...base, name: 'A', idNumber: '110105194912310021', consent: false, extra: 1 });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.') || i.code, i.message]));
    expect(messages).toMatchObject({
      name: NAME_MESSAGES.length,
      idNumber: ID_NUMBER_MESSAGES.checkChar,
      consent: '请阅读并同意身份证号处理规则',
    });
    expect(result.error!.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
  });

  test('refuses a non-string without throwing', () => {
    expect(verifyBody.safeParse({ ...base, idNumber: { $gt: '' } }).success).toBe(false);
  });
});
