import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isReportFormat, renderers, reportFormats, wantColor } from '../../../reports/index.js';
import { FIXTURES, SAMPLES, loadSample } from './samples.js';

describe('reports: registry', () => {
  it('registers exactly text, json, junit and html, each once under its own name', () => {
    expect([...reportFormats].sort()).to.deep.equal(['html', 'json', 'junit', 'text']);
    const fns = new Set(Object.values(renderers));
    expect(fns.size).to.equal(reportFormats.length);
    for (const f of reportFormats) {
      expect(renderers[f].format).to.equal(f);
      expect(renderers[f].extension).to.match(/^[a-z]+$/);
      expect(renderers[f].mediaType).to.match(/^[a-z]+\/[a-z+-]+/);
    }
    const exts = new Set(reportFormats.map((f) => renderers[f].extension));
    expect(exts.size).to.equal(reportFormats.length);
  });

  it('every registered renderer has golden files for every sample (none silently dropped)', () => {
    const golden = new Set(readdirSync(join(FIXTURES, 'golden')));
    for (const f of reportFormats) {
      for (const s of SAMPLES) expect(golden.has(`${s}.${f}.${renderers[f].extension}`), `${s}.${f}`).to.equal(true);
    }
  });

  it('every renderer produces non-empty output for every sample', () => {
    for (const f of reportFormats) for (const s of SAMPLES) expect(renderers[f](loadSample(s)).length).to.be.greaterThan(100);
  });

  it('isReportFormat accepts only registered names', () => {
    expect(isReportFormat('html')).to.equal(true);
    expect(isReportFormat('pdf')).to.equal(false);
    expect(isReportFormat('toString')).to.equal(false);
    expect(isReportFormat(undefined)).to.equal(false);
  });

  it('wantColor: only on a TTY, never with NO_COLOR or TERM=dumb', () => {
    expect(wantColor({ isTTY: true }, {})).to.equal(true);
    expect(wantColor({ isTTY: false }, {})).to.equal(false);
    expect(wantColor({}, {})).to.equal(false);
    expect(wantColor({ isTTY: true }, { NO_COLOR: '1' })).to.equal(false);
    expect(wantColor({ isTTY: true }, { TERM: 'dumb' })).to.equal(false);
  });
});
