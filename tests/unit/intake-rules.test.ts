import { creditCodeCheckChar, isValidCreditCode } from '../../shared/complaint/credit-code';
import { formatCents, jurisdictionRegion, maskAddress } from '../../shared/complaint/intake';
import { CATEGORY_TREE, PROBLEM_TYPE_TREE, findNode, leafCodes } from '../../shared/complaint/categories';
import { createWordMatcher } from '../../bff/src/modules/content/content.service';
import { respondentKey } from '../../bff/src/modules/complaints/complaints.service';

describe('unified social credit code (GB 32100)', () => {
  it.each(['91350100M000100Y43', '91110000600037341L', '91350100m000100y43'])('accepts %s', (code) => {
    expect(isValidCreditCode(code)).toBe(true);
  });

  it('computes the check character of the standard example', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('maps a remainder of 0 to the check character 0', () => {
    // Find a body whose weighted sum is a multiple of 31: its check character must be '0', not a 32nd symbol.
    const body = Array.from({ length: 31 }, (_, i) => `9111000060003734${'0123456789ABCDEFGHJKLMNPQRTUWXY'[i]}`).find((b) => creditCodeCheckChar(b) === '0');
    expect(body).toBeDefined();
    expect(isValidCreditCode(`${body}0`)).toBe(true);
  });

  it.each([
    ['a wrong check character', '91350100M000100Y44'],
    ['17 characters', '91350100M000100Y4'],
    ['19 characters', '91350100M000100Y433'],
    ['a forbidden letter (O)', '91350100M000100O43'],
    ['letters in the region digits', '9135010AM000100Y43'],
    ['an empty string', ''],
  ])('refuses %s', (_name, code) => {
    expect(isValidCreditCode(code)).toBe(false);
  });
});

describe('jurisdiction rule', () => {
  const respondent = { regionCode: '110105', domicileRegionCode: '440305', platform: { regionCode: '110115' } };
  it.each([
    ['place_of_business', 'store', '110105'],
    ['domicile', 'store', '440305'],
    ['platform_domicile', 'online_platform', '110115'],
  ] as const)('%s picks the right county', (basis, channel, expected) => {
    expect(jurisdictionRegion({ basis, channel, respondent })).toEqual({ ok: true, regionCode: expected });
  });

  it('refuses the domicile rule without a domicile, and the platform rule off-platform', () => {
    expect(jurisdictionRegion({ basis: 'domicile', respondent: { regionCode: '110105' } })).toMatchObject({ ok: false, code: 'DOMICILE_REQUIRED' });
    expect(jurisdictionRegion({ basis: 'platform_domicile', channel: 'store', respondent })).toMatchObject({ ok: false, code: 'PLATFORM_REQUIRED' });
    expect(jurisdictionRegion({ basis: 'platform_domicile', channel: 'online_platform', respondent: { regionCode: '110105' } })).toMatchObject({ ok: false });
  });
});

describe('trees', () => {
  it('category and problem-type codes never collide and only leaves can be chosen', () => {
    const categories = leafCodes(CATEGORY_TREE);
    const problems = leafCodes(PROBLEM_TYPE_TREE);
    expect([...categories].filter((c) => problems.has(c))).toEqual([]);
    expect(categories.has('goods')).toBe(false);
    expect(problems.has('quality.defect')).toBe(true);
    expect(findNode(PROBLEM_TYPE_TREE, 'contract.prepaid')?.name).toBe('预付卡消费纠纷');
  });
});

describe('display helpers', () => {
  it('masks an address after its first characters', () => {
    expect(maskAddress('北京市海淀区中关村大街27号')).toBe('北京市海淀区中关****');
    expect(maskAddress('某路1号')).toBe('某****');
  });

  it('formats cents without floating point', () => {
    expect(formatCents(329900)).toBe('3,299.00');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(10_000_000_000)).toBe('100,000,000.00');
  });

  it('treats spacing, width and case variants of a name as the same respondent', () => {
    expect(respondentKey('ＡＢＣ 电器（北京）有限公司')).toBe(respondentKey('abc电器(北京)有限公司'));
  });
});

describe('word list matcher (Aho-Corasick)', () => {
  const match = createWordMatcher([
    { word: '赌博', reason: 'illegal_trade' },
    { word: '博彩', reason: 'illegal_trade' },
    { word: '加微信', reason: 'contact' },
  ]);

  it('finds overlapping words once each, with their reason', () => {
    expect(match('店里有赌博彩票，赌博')).toEqual([
      { word: '赌博', reason: 'illegal_trade' },
      { word: '博彩', reason: 'illegal_trade' },
    ]);
  });

  it('finds nothing in clean text', () => {
    expect(match('商家拒绝退还预付卡余额')).toEqual([]);
  });
});
