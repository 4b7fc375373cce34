// Contract: a result keeps its words as data (grader/i18n/messages.ts), not as prose of one
// language: every displayed field of every verdict has its message; a catalog message names a key
// both catalogs have and its string params are data (no sentence of either catalog); a text given
// in both languages is each in its own language. reports/model.ts renders them in either language.
// Issue 21 item 3: the checks and the grading make messages (keys with their parameters), once:
// no check says anything in a language, nothing is graded twice, and a pair of sentences {es, en}
// is only the spec's own text (titles, hints) or data, the same in both.
import { expect } from 'chai';
import type { GradeResult, Lang, Msg } from '../../../grader/types.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { isMsg, knownKey, say } from '../../../grader/i18n/messages.js';
import { A, answersFile, courseSpec, fakeDeps, labFile, referenceAnswers, referenceGuests, snapshot } from '../../fixtures/engine/world.js';
import { questionChecks } from '../../../checks/questions/index.js';
import { hostChecks } from '../../../checks/host/index.js';
import type { HostCheck, QuestionCheck } from '../../../checks/types.js';
import { sourceFiles, sourceText, importsOf } from '../../helpers/sources.js';
import esGrade from '../../../grader/i18n/es/grade.js';
import enGrade from '../../../grader/i18n/en/grade.js';
import esInspect from '../../../grader/i18n/es/inspect.js';
import enInspect from '../../../grader/i18n/en/inspect.js';

/** Literal pieces (12+ characters) of one language's sentences that the other never uses. */
function sentences(lang: Lang): string[] {
  const cats = { es: [esGrade, esInspect], en: [enGrade, enInspect] };
  const other = cats[lang === 'es' ? 'en' : 'es'].flatMap((c) => Object.values(c)).join('\n');
  const out = new Set<string>();
  for (const t of cats[lang].flatMap((c) => Object.values(c) as string[])) {
    for (const p of t.replace(/\{[^{}]*\{[^{}]*\}[^{}]*\}|\{[^{}]*\}/g, '\u0000').split('\u0000').map((x) => x.trim())) if (p.length >= 12 && !other.includes(p)) out.add(p);
  }
  return [...out];
}

async function demoResult(): Promise<GradeResult> {
  // The engine's demo world: every task, some answers wrong, one guest unreachable on a task not selected.
  const ans = referenceAnswers('nat');
  ans.config = { ...(ans.config ?? {}), linux: A.cm('static') };
  ans.outside = { ...(ans.outside ?? {}), windows: A.yn(false) };
  const { deps } = fakeDeps(snapshot({ linux: 'red-nat', windows: 'red-aislada' }), referenceGuests('nat'));
  return JSON.parse(JSON.stringify(await gradeStudent({ spec: courseSpec(), lab: labFile(), answers: answersFile({ nat: ans }), task: 'all', lang: 'es', deps }))) as GradeResult;
}

describe('contract: verdicts carry their words as messages, not prose of one language', () => {
  it('every verdict of the demo world has words; keys exist in both catalogs; params are data; both-language texts are each in their language', async () => {
    const r = await demoResult();
    const es = sentences('es');
    const en = sentences('en');
    const problems: string[] = [];
    const check = (where: string, m: Msg) => {
      if (!isMsg(m)) return problems.push(`${where}: not a message: ${JSON.stringify(m)}`);
      if ('key' in m) {
        if (!knownKey(m.key)) problems.push(`${where}: unknown key ${m.key}`);
        for (const [k, v] of Object.entries(m.params ?? {})) {
          if (v !== null && typeof v === 'object') check(`${where}.${k}`, v);
          else if (typeof v === 'string' && [...es, ...en].some((s) => v.includes(s))) problems.push(`${where}.${k}: a translated sentence as data: ${v}`);
        }
      } else if ('join' in m) m.join.forEach((x, i) => check(`${where}[${i}]`, x));
      else {
        if (en.some((s) => m.es.includes(s))) problems.push(`${where}.es holds English: ${m.es}`);
        if (es.some((s) => m.en.includes(s))) problems.push(`${where}.en holds Spanish: ${m.en}`);
      }
    };
    let n = 0;
    for (const task of r.tasks) {
      if (!task.titleWords) problems.push(`${task.id}: no titleWords`);
      for (const v of [...task.hostChecks, ...task.questions]) {
        n++;
        const w = v.words;
        if (!w) {
          problems.push(`${v.id}: no words`);
          continue;
        }
        check(`${v.id}.message`, w.message);
        for (const f of ['studentAnswer', 'observed', 'theory'] as const) {
          if ((w[f] === null) !== (v[f] === null)) problems.push(`${v.id}.${f}: words and string disagree`);
          if (w[f] !== null) check(`${v.id}.${f}`, w[f]!);
        }
        w.hints.forEach((h, i) => check(`${v.id}.hints[${i}]`, h));
        // The string fields are the same words in the result's language.
        if (say(r.lang, w.message) !== v.message) problems.push(`${v.id}: message differs from its words`);
      }
    }
    for (const [i, e] of (r.words?.errors ?? []).entries()) check(`errors[${i}]`, e);
    expect(r.words?.errors.length).to.equal(r.errors.length);
    expect(n).to.be.greaterThan(20);
    expect(problems).to.deep.equal([]);
  });

  it('the skip reasons and run problems the engine says itself are catalog keys', async () => {
    const r = await demoResult();
    const skipped = r.tasks.flatMap((t) => t.questions).filter((v) => v.outcome === 'skip');
    expect(skipped.length).to.be.greaterThan(0);
    const { deps } = fakeDeps(new Error('libvirt down'), {});
    const down = await gradeStudent({ spec: courseSpec(), lab: labFile(), answers: answersFile({}), task: 'all', lang: 'en', deps });
    expect(down.words?.errors.map((m) => ('key' in m ? m.key : '?'))).to.deep.equal(['grade:inspectFailed']);
    expect(say('es', down.words!.errors[0]!)).to.not.equal(down.errors[0]);
  });

  it('a pair of sentences {es, en} is the spec\'s own text or data (the same in both): the rest are catalog keys', async () => {
    const r = await demoResult();
    const spec = courseSpec();
    const specTexts = new Set(
      [spec.title, ...spec.tasks.map((t) => t.title), ...Object.values(spec.networks).map((n) => n.title), ...Object.values(spec.questions).flatMap((q) => [...(q.title ? [q.title] : []), ...Object.values(q.hints)])].map(
        (x) => JSON.stringify([x.es, x.en]),
      ),
    );
    const problems: string[] = [];
    let keys = 0;
    const walk = (where: string, m: Msg): void => {
      if ('key' in m) {
        keys++;
        for (const [k, v] of Object.entries(m.params ?? {})) if (v !== null && typeof v === 'object') walk(`${where}.${k}`, v);
      } else if ('join' in m) m.join.forEach((x, i) => walk(`${where}[${i}]`, x));
      else if (m.es !== m.en && !specTexts.has(JSON.stringify([m.es, m.en]))) problems.push(`${where}: a sentence per language, not a key: ${JSON.stringify(m)}`);
    };
    for (const v of r.tasks.flatMap((t) => [...t.hostChecks, ...t.questions])) {
      const w = v.words!;
      walk(`${v.id}.message`, w.message);
      for (const f of ['studentAnswer', 'observed', 'theory'] as const) if (w[f]) walk(`${v.id}.${f}`, w[f]!);
      w.hints.forEach((h, i) => walk(`${v.id}.hints[${i}]`, h));
    }
    expect(problems).to.deep.equal([]);
    expect(keys).to.be.greaterThan(50);
  });

  it('every check runs once per question and VM, every host check once per task (no second run for the other language)', async () => {
    const calls: Record<string, number> = {};
    const count = (k: string) => (calls[k] = (calls[k] ?? 0) + 1);
    const qc: Record<string, QuestionCheck> = Object.fromEntries(
      Object.entries(questionChecks).map(([name, c]) => [name, { ...c, observe: (ctx) => (count(`${ctx.task.id}.${ctx.question.id}.${ctx.role}`), c.observe(ctx)) }]),
    );
    const hc: HostCheck[] = hostChecks.map((c) => ({ ...c, run: (ctx) => (count(`${ctx.task.id}.host.${c.name}`), c.run(ctx)) }));
    const { deps } = fakeDeps(snapshot({ linux: 'red-nat', windows: 'red-nat' }), referenceGuests('nat'), { questionChecks: qc, hostChecks: hc });
    const r = await gradeStudent({ spec: courseSpec(), lab: labFile(), answers: answersFile({ nat: referenceAnswers('nat') }), task: 'nat', lang: 'es', deps });
    const graded = r.tasks.flatMap((t) => t.questions).filter((v) => v.outcome !== 'skip');
    expect(graded.length).to.be.greaterThan(5);
    for (const v of graded) expect(calls[v.id], v.id).to.equal(1);
    expect(Object.entries(calls).filter(([k]) => k.includes('.host.')).map(([, n]) => n)).to.satisfy((ns: number[]) => ns.length > 0 && ns.every((n) => n === 1));
  });

  it('no check says anything in a language: checks/** import no translator, no say(), no string-making word function', () => {
    const STRINGS = ['grader/i18n/translate.ts'];
    const SAYERS = /\b(say|measurementText|measurementFix|networkTypeLabel|translator|format)\s*\(/;
    const problems: string[] = [];
    for (const f of sourceFiles('checks')) {
      for (const i of importsOf(f)) if (STRINGS.includes(i.target)) problems.push(`${f} imports ${i.target}`);
      const code = sourceText(f).replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      const m = SAYERS.exec(code);
      if (m) problems.push(`${f}: ${m[0]}`);
    }
    expect(problems).to.deep.equal([]);
    // The rule can fail: the scanner sees such a call.
    expect(SAYERS.test("const s = say('es', m);")).to.equal(true);
    // And the grading makes messages too: grade.ts says nothing itself (grader/verdict.ts does, once).
    expect(SAYERS.exec(sourceText('grader/engine/grade.ts').replace(/\/\/.*$/gm, ''))?.[0] ?? null).to.equal(null);
  });
});
