// Golden files: every format of every sample result is compared byte for byte with
// test/fixtures/reports/golden/. After an intended change: UPDATE_GOLDEN=1 npx mocha test/unit/reports/golden.test.ts
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderers, reportFormats } from '../../../reports/index.js';
import { FIXTURES, SAMPLES, loadSample } from './samples.js';

const GOLDEN = join(FIXTURES, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

export function goldenCases(): { file: string; render: () => string }[] {
  const cases: { file: string; render: () => string }[] = [];
  for (const sample of SAMPLES) {
    for (const format of reportFormats) {
      const r = renderers[format];
      cases.push({ file: `${sample}.${format}.${r.extension}`, render: () => r(loadSample(sample)) });
    }
    // The other language's labels and the coloured terminal output.
    cases.push({ file: `${sample}.html.other-lang.html`, render: () => renderers.html(loadSample(sample), { lang: loadSample(sample).lang === 'es' ? 'en' : 'es' }) });
    cases.push({ file: `${sample}.text.color.txt`, render: () => renderers.text(loadSample(sample), { color: true }) });
  }
  return cases;
}

describe('reports: golden files', () => {
  if (update) mkdirSync(GOLDEN, { recursive: true });
  for (const c of goldenCases()) {
    it(`renders ${c.file} as recorded`, () => {
      const got = c.render();
      const path = join(GOLDEN, c.file);
      if (update) writeFileSync(path, got);
      expect(existsSync(path), `${path} missing: run with UPDATE_GOLDEN=1`).to.equal(true);
      expect(got).to.equal(readFileSync(path, 'utf8'));
    });
  }

  it('rendering is deterministic (same input, same bytes)', () => {
    for (const c of goldenCases()) expect(c.render()).to.equal(c.render());
  });
});
