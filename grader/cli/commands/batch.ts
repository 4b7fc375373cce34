// `labgrade batch <spec> --roster <roster.yaml> --out <dir> [--concurrency N] [--per-host N]
//  [--deadline S] [--resume] [--task ID] [--scale N] [--identity F]`: grade a class. Writes
// <out>/students/<id>.{json,html,status.json} as each student finishes, then <out>/index.html
// (class summary), <out>/grades.csv (Moodle) and <out>/class.json. Exit 0 when every student was
// graded (whatever the scores), 1 when some could not be, 2 for input errors, 130 when interrupted.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { InputError } from '../../types.js';
import { withVerbosity, debugging } from '../verbosity.js';
import { checkOutputPath } from '../output-path.js';
import { addClassOptions, classLimits, classRunOptions, classProcessHooks, handInRegradeOptions, num, type ClassCliOptions } from '../class-options.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/batch.js';
import en from '../../i18n/en/batch.js';
import esShard from '../../i18n/es/shard.js';
import enShard from '../../i18n/en/shard.js';

import esHandin from '../../i18n/es/handin.js';
import enHandin from '../../i18n/en/handin.js';

const t = translator(es, en);
const ts = translator(esShard, enShard);
const th = translator(esHandin, enHandin);

interface BatchCliOptions extends ClassCliOptions {
  out: string;
  resume?: boolean;
  scale?: string;
  identity?: string;
  shard?: string;
  publicOutputs?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  const L = ctx.lang;
  const cmd = addClassOptions(program.command('batch').description(t(L, 'cmdDescription')).argument('<spec>', t(L, 'argSpec')), L, { required: true, help: t(L, 'optOut') })
    .option('--resume', t(L, 'optResume'))
    .option('--scale <max>', t(L, 'optScale'))
    .option('--identity <field>', t(L, 'optIdentity'))
    .option('--shard <K/N>', ts(L, 'optShard'))
    .option('--public-outputs', t(L, 'optPublicOutputs'));
  withVerbosity(cmd, L).action(async (specPath: string, opts: BatchCliOptions) => {
      process.exitCode = await runBatchCli(specPath, opts, ctx);
    });
}

/** Where the shared option parsing lives (grader/cli/class-options.ts); kept importable from here. */
export { num };

export async function runBatchCli(specPath: string, opts: BatchCliOptions, ctx: CliContext): Promise<number> {
  const lang = ctx.lang;
  if (opts.handIns !== undefined) return runHandInsCli(specPath, opts, ctx);
  const limits = classLimits(lang, opts);
  const scale = num(lang, '--scale', opts.scale, 0.01, 100000, false);
  const identities = ['email', 'idNumber', 'username', 'id'] as const;
  if (opts.identity !== undefined && !(identities as readonly string[]).includes(opts.identity)) {
    throw new InputError(t(lang, 'badIdentity', { value: opts.identity }));
  }
  checkOutputPath(opts.out, '--out', lang);
  const shardMod = opts.shard !== undefined ? await import('../../batch/shard.js') : null;
  const shard = shardMod ? shardMod.parseShard(opts.shard!) : null;
  if (shardMod && !shard) throw new InputError(ts(lang, 'badShard', { value: opts.shard! }));

  const { stopAll } = await import('../../util/cleanup.js');
  const [{ loadSpec }, { loadRoster }, { runBatch, openOutDir, takeOutLock }, { preflight }, { realGrader, redact }, { writeClassOutputs }, { Progress }, { resolve, join }, { PRIVATE_MODES, PUBLIC_MODES }, { questionChecks }] =
    await Promise.all([
      import('../../inputs/load-spec.js'),
      import('../../batch/roster.js'),
      import('../../batch/run.js'),
      import('../../batch/preflight.js'),
      import('../../batch/real-grader.js'),
      import('../../batch/outputs.js'),
      import('../../batch/progress.js'),
      import('node:path'),
      import('../../util/fs.js'),
      import('../../../checks/questions/index.js'),
    ]);
  const modes = opts.publicOutputs ? PUBLIC_MODES : PRIVATE_MODES;
  // With the checks: a question's bad `params` stop the class here, before any student is graded.
  const spec = await loadSpec(specPath, { lang, checks: questionChecks });
  let roster = await loadRoster(opts.roster, lang);
  const classSize = roster.students.length;
  if (opts.identity !== undefined || scale !== undefined) {
    // CLI overrides need every student to have the identity asked for.
    const identity = (opts.identity ?? roster.export.identity) as (typeof identities)[number];
    const missing = roster.students.filter((s) => (identity === 'id' ? false : s[identity] === undefined));
    if (missing.length) {
      throw new InputError(
        t(lang, 'rosterInvalid', { file: roster.display, count: missing.length }),
        missing.map((s) => ({ file: roster.display, ...(s.line !== undefined ? { line: s.line } : {}), path: `students[${s.index}]`, message: t(lang, 'missingIdentity', { field: identity }) })),
      );
    }
    roster.export.identity = identity;
    if (scale !== undefined) roster.export.scale = scale;
  }
  // A slice grades only its students (grader/batch/shard.ts says which, and why that way).
  if (shardMod && shard) roster = shardMod.sliceRoster(roster, shard);
  const inlineLabs = await preflight(roster, spec, lang, opts.task);
  const outDir = resolve(opts.out);
  const exercise = { id: spec.id, title: spec.title[lang], file: spec.file };
  // The output folder: created here, or the running user's with no link inside; held by this run
  // (a second run on it refuses) until the class outputs are written.
  await openOutDir(outDir, modes, lang);
  const lock = await takeOutLock(outDir, lang);
  try {
    // -q: no progress (notes such as an interrupt still show); -v: one line per student even on a terminal.
    const quiet = ctx.verbosity === 'quiet';
    const progress = new Progress(process.stderr, lang, ctx.verbosity === 'normal' || ctx.verbosity === undefined ? Boolean(process.stderr.isTTY) : false);
    const controller = new AbortController();
    let interrupts = 0;
    const STOP_AFTER_SEC = 15;
    const onSigint = () => {
      interrupts++;
      // A second signal quits at once: every finished student is already on disk.
      if (interrupts > 1) process.exit(130);
      progress.note(t(lang, 'interrupted'));
      // Nothing new starts, and every child process (virsh, relays) goes now.
      stopAll();
      controller.abort();
      // Whatever still runs (a connection library ignoring the abort) cannot hold the batch: the
      // class outputs get a few seconds to be written, then the process ends. unref: it never
      // keeps an otherwise finished process alive.
      setTimeout(() => {
        progress.note(t(lang, 'stopping', { seconds: STOP_AFTER_SEC }));
        process.exit(130);
      }, STOP_AFTER_SEC * 1000).unref();
    };
    // Last line of defence for a long class run: a stray error event in some connection library must
    // not kill the process and every running student with it. It is reported; the student it belonged
    // to ends at their deadline and gets an error report, the others carry on.
    const onStray = (err: unknown) => {
      const e = err as Error;
      progress.note(t(lang, 'strayError', { message: redact(e?.message ?? String(err)) }));
      if (debugging(ctx.verbosity) && e?.stack) process.stderr.write(`${redact(e.stack)}\n`);
    };
    const unhook = classProcessHooks(onSigint, onStray);
    let outcome;
    try {
      outcome = await runBatch(
        roster,
        {
          exercise,
          outDir,
          ...classRunOptions(limits, opts.task, roster),
          resume: Boolean(opts.resume),
          lang,
          signal: controller.signal,
          onEvent: quiet ? () => undefined : progress.onEvent,
          modes,
          lock,
        },
        { grade: realGrader(spec, inlineLabs), redact },
      );
    } finally {
      progress.stop();
      unhook();
    }
    if (shardMod && shard) {
      const { fileHash } = await import('../../batch/hash.js');
      await shardMod.writeManifest(outDir, shardMod.buildManifest(shard, roster, await fileHash(roster.file), classSize, outcome, { exercise, lang }), modes);
      const graded = outcome.students.filter((s) => s.record?.status === 'graded').length;
      process.stdout.write(`${ts(lang, 'shardWrote', { k: shard.k, n: shard.n, count: roster.students.length, total: classSize })}\n`);
      if (outcome.interrupted) return 130;
      return graded === roster.students.length ? 0 : 1;
    }
    const summary = await writeClassOutputs(roster, outcome, { outDir, exercise, lang, modes });
    const c = summary.counts;
    if (!quiet) process.stderr.write(`${t(lang, 'finished', { graded: c.graded, incomplete: c.incomplete, failed: c.failed, pending: c.pending, seconds: (outcome.wallMs / 1000).toFixed(1) })}\n`);
    process.stdout.write(`${t(lang, 'wrote', { summary: join(outDir, 'index.html'), csv: join(outDir, 'grades.csv'), json: join(outDir, 'class.json') })}\n`);
    if (outcome.interrupted) {
      // Abandoned gradings may still hold sockets or child processes: once everything finished is on
      // disk, they must not keep the process alive (unref: this timer alone never does).
      setTimeout(() => process.exit(130), 500).unref();
      return 130;
    }
    return c.graded === c.students ? 0 : 1;
  } finally {
    await lock.release();
  }
}

/** `batch --hand-ins`: the class from its hand-ins (grader/handin/batch.ts), no guest contacted. */
async function runHandInsCli(specPath: string, opts: BatchCliOptions, ctx: CliContext): Promise<number> {
  const lang = ctx.lang;
  const [{ loadSpec }, { loadRoster }, { gradeHandIns }, { redact }, { resolve, join }, { PRIVATE_MODES, PUBLIC_MODES }, { questionChecks }] = await Promise.all([
    import('../../inputs/load-spec.js'),
    import('../../batch/roster.js'),
    import('../../handin/batch.js'),
    import('../../inputs/secrets.js'),
    import('node:path'),
    import('../../util/fs.js'),
    import('../../../checks/questions/index.js'),
  ]);
  const spec = await loadSpec(specPath, { lang, checks: questionChecks });
  const roster = await loadRoster(opts.roster, lang, { handIns: true });
  const { HandInRefused } = await import('../../handin/read.js');
  const outDir = resolve(opts.out);
  let cls;
  try {
    cls = await gradeHandIns({
      ...(await handInRegradeOptions(spec, opts, lang, redact)),
      roster,
      source: resolve(opts.handIns!),
      outDir,
      modes: opts.publicOutputs ? PUBLIC_MODES : PRIVATE_MODES,
      onStudent: (s) => process.stderr.write(`${th(lang, 'batchStudent', { id: s.id, score: s.percent === null ? '—' : `${s.percent} %`, trust: th(lang, `trust_${s.trust}`) })}\n`),
    });
  } catch (e) {
    if (e instanceof HandInRefused) throw new InputError(e.message);
    throw e;
  }
  const n = (x: string) => cls.students.filter((s) => s.trust === x).length;
  process.stderr.write(`${th(lang, 'batchDone', { count: cls.students.length, ok: n('ok'), review: n('review'), withheld: n('withheld'), missing: n('missing'), unmatched: cls.unmatched.length })}\n`);
  process.stdout.write(`${th(lang, 'batchWrote', { summary: join(outDir, 'index.html'), csv: join(outDir, 'grades.csv'), json: join(outDir, 'class.json'), feedback: join(outDir, 'feedback.zip') })}\n`);
  return cls.students.every((s) => s.trust === 'ok') ? 0 : 1;
}
