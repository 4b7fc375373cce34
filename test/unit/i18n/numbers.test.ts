// formatNumber is written by hand (Intl.NumberFormat's first use costs ~20 ms of ICU loading per
// run): it must print exactly what Intl prints for the numbers labgrade shows (points, percents).
import { expect } from 'chai';
import { formatNumber, formatPercent } from '../../../grader/i18n/translate.js';

describe('i18n: numbers', () => {
  it('prints what Intl.NumberFormat prints (es-ES, en-GB style: no grouping), for points and percents', () => {
    const values = [0, -0, 0.5, 1, 1.25, 2 / 3, 1 / 3, 3.5, 7.125, 8, 10, 12.345, 99.95, 100, 1234.5, 83.15, 0.005, 0.015, 1.005, 2.675, -2.675, -1.5, 1e6, 1e-7];
    for (const lang of ['es', 'en'] as const) {
      for (const digits of [0, 1, 2, 3]) {
        const intl = new Intl.NumberFormat(lang === 'es' ? 'es-ES' : 'en-GB', { maximumFractionDigits: digits, useGrouping: false });
        for (const v of values) {
          // Intl rounds half away from zero on the shortest decimal spelling (2.675 -> 2.68), where
          // toFixed rounds the binary value (2.67): the hand-written one must do as Intl does.
          const want = intl.format(v).replace(/^-0$/, '0');
          expect(formatNumber(lang, v, digits), `${lang} ${v} ${digits}`).to.equal(want);
        }
      }
    }
  });

  it('a decimal comma in Spanish, a point in English; percents as the RAE and English write them', () => {
    expect(formatNumber('es', 3.5)).to.equal('3,5');
    expect(formatNumber('en', 3.5)).to.equal('3.5');
    expect(formatPercent('es', 83.16)).to.equal('83,2 %');
    expect(formatPercent('en', 83.16)).to.equal('83.2%');
    expect(formatNumber('es', Number.NaN)).to.equal('NaN');
  });
});
