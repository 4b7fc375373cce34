// Verdicts keep message keys with their parameters (issue 21 item 3), made once; before, every
// check and every grading ran twice, once per language, and kept both sentences. The reports must
// not change: for each world in test/fixtures/reports/words-parity/, the code of that time stored
// the result (graded in one language) and its text report in Spanish and in English. Graded again
// now, both reports are the same, and so is every string field of the JSON; the stored result
// itself (with words as pairs of sentences) still renders the same in both languages.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradeResult } from '../../../grader/types.js';
import { renderers } from '../../../reports/index.js';
import { resultProblems } from '../../../reports/validate.js';
import { gradeWorld, WORLDS } from '../../fixtures/reports/words-parity/worlds.js';
import { ROOT } from '../../helpers/sources.js';

const DIR = join(ROOT, 'test/fixtures/reports/words-parity');
const read = (f: string): string => readFileSync(join(DIR, f), 'utf8');
/** The result without its words (the strings a reader of the JSON sees; the spec's path is where the checkout was). */
const strings = (r: GradeResult): unknown => JSON.parse(JSON.stringify(r), (k, v) => (k === 'words' || k === 'titleWords' || (k === 'file' && typeof v === 'string' && v.endsWith('.yaml')) ? undefined : v));

describe('reports: message keys render as the sentences made per language did (words parity)', () => {
  for (const name of Object.keys(WORLDS)) {
    it(`${name}: graded again, the text report in es and en and the JSON's strings are as before`, async () => {
      const stored = JSON.parse(read(`${name}.result.json`)) as GradeResult;
      const r = JSON.parse(renderers.json(await gradeWorld(name))) as GradeResult;
      expect(await resultProblems(r)).to.deep.equal([]);
      for (const lang of ['es', 'en'] as const) expect(renderers.text(r, { lang }), `${name} in ${lang}`).to.equal(read(`${name}.${lang}.txt`));
      expect(strings(r)).to.deep.equal(strings(stored));
      // Words are catalog keys now, not a sentence per language.
      const v = r.tasks.flatMap((t) => [...t.hostChecks, ...t.questions]).find((x) => x.outcome !== 'skip');
      expect(v?.words?.message).to.satisfy((m: object) => 'key' in m || 'join' in m);
    });

    it(`${name}: the result stored then still renders the same in es and en`, () => {
      const stored = JSON.parse(read(`${name}.result.json`)) as GradeResult;
      for (const lang of ['es', 'en'] as const) expect(renderers.text(stored, { lang }), `${name} in ${lang}`).to.equal(read(`${name}.${lang}.txt`));
    });
  }
});
