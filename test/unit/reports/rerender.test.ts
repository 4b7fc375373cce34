// One stored result, rendered in Spanish and in English: every word of each report is in its own
// language (the result keeps its verdicts' words as messages, grader/i18n/messages.ts), and the
// rendering in the result's own language is the same as before (the stored strings).
import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GradeResult, Lang } from '../../../grader/types.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { renderers } from '../../../reports/index.js';
import { present } from '../../../reports/model.js';
import { resultProblems } from '../../../reports/validate.js';
import { A, answersFile, courseSpec, fakeDeps, labFile, referenceAnswers, referenceGuests, snapshot } from '../../fixtures/engine/world.js';
import esGrade from '../../../grader/i18n/es/grade.js';
import enGrade from '../../../grader/i18n/en/grade.js';
import esInspect from '../../../grader/i18n/es/inspect.js';
import enInspect from '../../../grader/i18n/en/inspect.js';
import esReport from '../../../grader/i18n/es/report.js';
import enReport from '../../../grader/i18n/en/report.js';

const CATALOGS: Record<Lang, Record<string, string>[]> = { es: [esGrade, esInspect, esReport], en: [enGrade, enInspect, enReport] };

/** The literal pieces of a language's messages (12+ characters) that the other language never uses. */
function ownFragments(lang: Lang): string[] {
  const other: Lang = lang === 'es' ? 'en' : 'es';
  const otherText = CATALOGS[other].flatMap((c) => Object.values(c)).join('\n');
  const out = new Set<string>();
  for (const template of CATALOGS[lang].flatMap((c) => Object.values(c))) {
    for (const piece of template.replace(/\{[^{}]*\{[^{}]*\}[^{}]*\}|\{[^{}]*\}/g, '\u0000').split('\u0000')) {
      const p = piece.trim();
      if (p.length >= 12 && !otherText.includes(p)) out.add(p);
    }
  }
  return [...out];
}

/** A stored result with passes, failures, partial credit, an unreadable answer and skipped tasks. */
async function storedResult(lang: Lang, dir: string): Promise<GradeResult> {
  const ans = referenceAnswers('nat');
  ans.config = { ...(ans.config ?? {}), linux: A.cm('static') };
  ans.vm_config = { ...(ans.vm_config ?? {}), windows: A.cfg('192.168.50.7', 24, null, []) };
  ans.outside = { ...(ans.outside ?? {}), windows: A.yn(false) };
  const answers = answersFile({ nat: ans });
  answers.tasks.nat!.dns = { ...(answers.tasks.nat!.dns ?? {}), linux: { value: null, raw: 'ni idea', problem: { reason: lang === 'es' ? 'no dice sí ni no' : 'says neither yes nor no', example: 'sí' } } };
  const { deps } = fakeDeps(snapshot({ linux: 'red-nat', windows: 'red-nat' }), referenceGuests('nat'));
  const r = await gradeStudent({ spec: courseSpec(), lab: labFile(), answers, task: 'nat', lang, deps });
  // As `labgrade check --format json -o r.json` writes it, and read back.
  const file = join(dir, `${lang}.result.json`);
  await writeFile(file, renderers.json(r));
  return JSON.parse(await readFile(file, 'utf8')) as GradeResult;
}

describe('reports: one stored result renders in either language', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labgrade-rerender-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const graded of ['es', 'en'] as const) {
    it(`a result graded in ${graded}: valid, and its own language renders exactly as its stored strings say`, async () => {
      const r = await storedResult(graded, dir);
      expect(await resultProblems(r)).to.deep.equal([]);
      const m = present(r, graded);
      const all = m.tasks.flatMap((t) => t.verdicts);
      expect(all.length).to.be.greaterThan(10);
      for (const vv of all) {
        const v = vv.verdict;
        expect(v.words, v.id).to.not.equal(undefined);
        expect([vv.message, vv.observed, vv.theory, vv.studentAnswer, vv.hints], v.id).to.deep.equal([v.message, v.observed, v.theory, v.studentAnswer, v.hints]);
      }
      expect(m.errors).to.deep.equal(r.errors);
      // Without the words (a result written before them), the same report.
      const bare = JSON.parse(JSON.stringify(r), (k, val) => (k === 'words' || k === 'titleWords' ? undefined : val)) as GradeResult;
      for (const f of ['text', 'html', 'junit'] as const) expect(renderers[f](bare), f).to.equal(renderers[f](r));
    });

    for (const lang of ['es', 'en'] as const) {
      it(`a result graded in ${graded}, rendered in ${lang}: text, HTML and JUnit are wholly in ${lang}`, async () => {
        const r = await storedResult(graded, dir);
        const foreign = ownFragments(lang === 'es' ? 'en' : 'es');
        const spec = courseSpec();
        const foreignSpec = [spec.title, ...spec.tasks.map((t) => t.title), ...Object.values(spec.questions).flatMap((q) => [...(q.title ? [q.title] : []), ...Object.values(q.hints)])]
          .map((x) => (lang === 'es' ? x.en : x.es))
          .filter((s) => s.length >= 12 && !JSON.stringify(spec).includes(JSON.stringify(lang === 'es' ? { es: s } : { en: s }).slice(1, -1)));
        for (const f of ['text', 'html', 'junit'] as const) {
          const out = renderers[f](r, { lang });
          const found = [...foreign, ...foreignSpec].filter((p) => out.includes(p));
          expect(found, `${f} in ${lang}`).to.deep.equal([]);
        }
        // And it says things in its own language: the Spanish report has the Spanish explanations.
        const own = ownFragments(lang).filter((p) => renderers.text(r, { lang }).includes(p));
        expect(own.length, `own ${lang} sentences`).to.be.greaterThan(5);
      });
    }
  }
});
