// `labgrade demo [--out DIR]`: the second quick-start command. As root on a fresh Debian machine it
// brings the bundled lab up (scenario `all`: the course's two VMs on each of the three networks),
// grades two sample students (exercises/demo/answers-correct.yaml and answers-mistakes.yaml) on all
// three tasks — one grading run per task, each with a lab file naming that network's pair of VMs,
// merged into one result per student — and writes html/json/junit/text reports under DIR.
// Exit 0 when the correct student scores 100 % and both were graded; 1 otherwise.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { InputError, type GradeResult, type Lang } from '../../types.js';
import { withVerbosity, type Verbosity } from '../verbosity.js';
import { checkOutputPath } from '../output-path.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/grade.js';
import en from '../../i18n/en/grade.js';

const t = translator(es, en);

/** The `all` scenario's VM pair per task (grader/lab/scenarios.ts). */
export const DEMO_PAIRS: Record<string, { linux: string; windows: string }> = {
  nat: { linux: 'debian12', windows: 'win10' },
  isolated: { linux: 'debian12-iso', windows: 'win10-iso' },
  very_isolated: { linux: 'debian12-viso', windows: 'win10-viso' },
};

export const DEMO_STUDENTS = [
  { slug: 'correct', file: 'exercises/demo/answers-correct.yaml' },
  { slug: 'mistakes', file: 'exercises/demo/answers-mistakes.yaml' },
] as const;

export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('demo')
    .description(t(ctx.lang, 'cliDemoDesc'))
    .option('--out <dir>', t(ctx.lang, 'cliDemoOut'), 'labgrade-demo');
  withVerbosity(cmd, ctx.lang).action(async (opts: { out: string }) => {
    process.exitCode = await runDemo(opts.out, ctx.lang, ctx.verbosity);
  });
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function runDemo(outDir: string, lang: Lang, verbosity: Verbosity = 'normal'): Promise<number> {
  // -q: the steps are left out; where the reports are and the scores are the result, always shown.
  const step = verbosity === 'quiet' ? () => undefined : say;
  checkOutputPath(outDir, '--out', lang);
  const lab = await import('../../lab/index.js');
  if (!lab.isRoot()) throw new InputError(t(lang, 'demoNeedsRoot'));
  const [{ join, resolve }, { mkdir }, { projectRoot }, { loadSpec }, { loadLab }, { loadAnswers }, engine, { mergeResults }, { defaultDeps }, { renderers }, { tLab }] =
    await Promise.all([
      import('node:path'),
      import('node:fs/promises'),
      import('../../version.js'),
      import('../../inputs/load-spec.js'),
      import('../../inputs/load-lab.js'),
      import('../../inputs/load-answers.js'),
      import('../../engine/run.js'),
      import('../../engine/totals.js'),
      import('../../engine/default-deps.js'),
      import('../../../reports/index.js'),
      import('../../lab/errors.js'),
    ]);
  const root = projectRoot();
  const out = resolve(outDir);
  step(t(lang, 'demoStart'));

  // 1. The lab, with a heartbeat while the VMs boot (TCG on 2 cores can take a while).
  step(t(lang, 'demoLabUp'));
  const t0 = Date.now();
  const beat = setInterval(() => step(t(lang, 'demoStillWaiting', { seconds: Math.round((Date.now() - t0) / 1000) })), 15_000);
  try {
    await lab.labUp({ scenario: 'all', labFile: false, log: (code, params) => step(t(lang, 'demoLabStep', { step: tLab(lang, code, params) })) });
  } finally {
    clearInterval(beat);
  }
  step(t(lang, 'demoLabReady', { seconds: Math.round((Date.now() - t0) / 1000) }));

  // 2. One lab file per task, naming that network's VM pair.
  const spec = await loadSpec(join(root, 'exercises', 'clase2-redes.yaml'), { lang });
  await mkdir(join(out, 'labs'), { recursive: true });
  const labs: Record<string, Awaited<ReturnType<typeof loadLab>>> = {};
  for (const task of spec.tasks) {
    const pair = DEMO_PAIRS[task.id];
    if (!pair) continue;
    const path = await lab.writeLabFile(join(out, 'labs', `${task.id}.yaml`), pair);
    labs[task.id] = await loadLab(path, { lang });
  }

  // 3. Grade each student task by task, merge, render every format.
  const deps = defaultDeps(lang);
  const results: { slug: string; result: GradeResult; files: Record<string, string> }[] = [];
  for (const s of DEMO_STUDENTS) {
    const answers = await loadAnswers(join(root, s.file), spec, { lang });
    const runs: GradeResult[] = [];
    for (const task of spec.tasks) {
      const labFile = labs[task.id];
      if (!labFile) continue;
      step(t(lang, 'demoGrading', { student: answers.student.name, task: task.id, guests: Object.values(DEMO_PAIRS[task.id]!).join(', ') }));
      runs.push(await engine.gradeStudent({ spec, lab: labFile, answers, task: task.id, lang, deps }));
    }
    const result = mergeResults(runs);
    const dir = join(out, s.slug);
    await mkdir(dir, { recursive: true });
    const files: Record<string, string> = {};
    const { writeFileAtomic } = await import('../../util/fs.js');
    for (const [format, render] of Object.entries(renderers)) {
      const file = join(dir, `report.${render.extension}`);
      await writeFileAtomic(file, render(result, { lang, color: false }));
      files[format] = file;
    }
    results.push({ slug: s.slug, result, files });
  }

  // 4. Where everything is.
  say('');
  say(t(lang, 'demoReports', { dir: out }));
  for (const r of results) {
    const x = r.result.totals;
    say(t(lang, 'demoStudentScore', { student: r.result.student.name, points: x.points, max: x.maxPoints, percent: x.percent, pass: x.pass, fail: x.fail, error: x.error }));
    for (const f of Object.values(r.files)) say(`      ${f}`);
  }
  say('');
  say(t(lang, 'demoOpen', { file: results[0]?.files.html ?? '' }));
  say(t(lang, 'demoOpenText', { file: results[1]?.files.text ?? '' }));
  say(t(lang, 'demoLabDown'));
  const correct = results.find((r) => r.slug === 'correct')?.result;
  if (!correct || correct.totals.percent !== 100) {
    say(t(lang, 'demoCorrectNot100'));
    return 1;
  }
  return 0;
}
