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
/**
 * The result without its words (the strings a reader of the JSON sees; the spec's path is where the
 * checkout was). Evidence ids (`e1`, `e2`... per guest, in the order commands ran) are left out too:
 * since probes are planned from the questions' needs, a VM runs no lookup nobody asked of it, so
 * the entries a verdict cites keep their command and output but may come earlier in the sequence.
 */
const strings = (r: GradeResult): unknown =>
  JSON.parse(JSON.stringify(r), (k, v) =>
    k === 'words' || k === 'titleWords' || (k === 'file' && typeof v === 'string' && v.endsWith('.yaml')) || (k === 'id' && typeof v === 'string' && /^e\d+$/.test(v)) ? undefined : v,
  );

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

describe('reports: an unreadable answer says why in either language', () => {
  it('the reason the loader gives is a message: graded in Spanish, the English report says it in English', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { loadSpec } = await import('../../../grader/inputs/load-spec.js');
    const { loadAnswers } = await import('../../../grader/inputs/load-answers.js');
    const { questionChecks } = await import('../../../checks/questions/index.js');
    const { exercise } = await import('../../fixtures/exercises/world.js');
    const dir = await mkdtemp(join(tmpdir(), 'labgrade-words-'));
    try {
      const spec = await loadSpec(exercise('clase7-router-nat.yaml'), { checks: questionChecks, lang: 'es' });
      const file = join(dir, 'a.yaml');
      const src = readFileSync(exercise('demo/clase7-answers-mistakes.yaml'), 'utf8').replace('    forwarding: sí', '    forwarding: tal vez mañana').replace('    gateway: 172.22.0.2', '    gateway: 172.22.0.2 y ninguna');
      await writeFile(file, src);
      const answers = await loadAnswers(file, spec, { lang: 'es' });
      const fw = answers.tasks.router!.forwarding!['*']!;
      expect(fw.value).to.equal(null);
      expect(fw.problemWords?.reason).to.deep.include({ key: 'spec:ansYesNoUnknown' });
      const r = JSON.parse(renderers.json(await gradeWorldWith(spec, answers))) as GradeResult;
      const es = renderers.text(r, { lang: 'es' });
      const en = renderers.text(r, { lang: 'en' });
      expect(es).to.include(fw.problem!.reason);
      expect(en).to.include('cannot understand "tal vez mañana": answer yes or no');
      expect(en).to.not.match(/no se entiende|responde sí o no/);
      // Said in the run's language, it is the loader's own sentence (as before: JSON strings unchanged).
      const v = r.tasks.flatMap((t) => t.questions).find((x) => x.id === 'router.forwarding.linux')!;
      expect(v.message).to.include(fw.problem!.reason);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('no answer problem ends with a full stop (the verdict puts its own after it)', async () => {
    for (const lang of ['es', 'en'] as const) {
      const cat = (await import(`../../../grader/i18n/${lang}/spec.js`)) as { default: Record<string, string> };
      const ending = Object.entries(cat.default).filter(([k, v]) => k.startsWith('ans') && /[.\s]$/.test(v));
      expect(ending, lang).to.deep.equal([]);
    }
  });
});

async function gradeWorldWith(spec: import('../../../grader/types.js').ExerciseSpec, answers: import('../../../grader/types.js').AnswersFile): Promise<GradeResult> {
  const { gradeStudent } = await import('../../../grader/engine/run.js');
  const { deps, lab, routerLinux, routerWindows, snapshotOf } = await import('../../fixtures/exercises/world.js');
  const linux = routerLinux();
  const windows = routerWindows();
  const snap = snapshotOf(['net-red-nat.xml', 'net-red-muy-aislada.xml'], ['dom-debian12-router.xml', 'dom-win10-viso.xml']);
  return gradeStudent({ spec, lab: lab(), answers, task: 'all', lang: 'es', deps: deps(snap, { linux, windows }) });
}
