// `labgrade watch <spec> --roster <roster.yaml> [--every S] [--listen IP:PORT] [--out DIR]
//  [--stuck N] [--concurrency N] [--per-host N] [--deadline S] [--task ID]`: follow a lab session
// live. Re-grades the class in rounds (grader/watch/loop.ts: one round = one batch pass), serves
// the live page (grader/watch/server.ts), prints one line per round; Ctrl-C or SIGTERM closes the
// current round and writes batch's outputs (reports, class.json, index.html, grades.csv) plus the
// history (history.jsonl). Exit 0 when every student's latest grading is complete, 1 otherwise,
// 2 for input errors.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { InputError } from '../../types.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/watch.js';
import en from '../../i18n/en/watch.js';
import esBatch from '../../i18n/es/batch.js';
import enBatch from '../../i18n/en/batch.js';
import esHandin from '../../i18n/es/handin.js';
import enHandin from '../../i18n/en/handin.js';
import { addClassOptions, classLimits, classRunOptions, classProcessHooks, handInRegradeOptions, num, type ClassCliOptions } from '../class-options.js';
import type { GradeFn } from '../../batch/types.js';

const t = translator(es, en);
const tb = translator(esBatch, enBatch);
const th = translator(esHandin, enHandin);

/** With --hand-ins no guest is graded live: a grading asked for anyway is a bug, said so. */
const refuseLive: GradeFn = () => Promise.reject(new Error('watch --hand-ins grades no host'));

/** The hand-ins folder (or download zip) must exist before the session starts: exit 2 otherwise. */
async function handInSource(path: string, lang: CliContext['lang']): Promise<string> {
  const { lstat } = await import('node:fs/promises');
  try {
    const st = await lstat(path);
    if (st.isDirectory() || st.isFile()) return path;
  } catch {
    /* said below */
  }
  throw new InputError(t(lang, 'handInsMissing', { path }));
}

export interface WatchCliOptions extends ClassCliOptions {
  every?: string;
  listen?: string;
  stuck?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const L = ctx.lang;
  addClassOptions(program.command('watch').description(t(L, 'cmdDescription')).argument('<spec>', tb(L, 'argSpec')), L, { required: false, help: t(L, 'optOut') })
    .option('--every <seconds>', t(L, 'optEvery'))
    .option('--listen <ip:port>', t(L, 'optListen'))
    .option('--stuck <rounds>', t(L, 'optStuck'))
    .action(async (specPath: string, opts: WatchCliOptions) => {
      process.exitCode = await runWatchCli(specPath, opts, ctx);
    });
}

export async function runWatchCli(specPath: string, opts: WatchCliOptions, ctx: CliContext, io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream; signal?: AbortSignal } = {}): Promise<number> {
  const lang = ctx.lang;
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const every = num(lang, '--every', opts.every, 1, 86400, false) ?? 120;
  const stuck = num(lang, '--stuck', opts.stuck, 1, 1000, true) ?? 3;
  const limits = classLimits(lang, opts);
  const [{ parseListen, isLoopback, newToken }, { startWatchServer, pageUrl }, { runWatch, HISTORY_FILE }] = await Promise.all([
    import('../../watch/access.js'),
    import('../../watch/server.js'),
    import('../../watch/loop.js'),
  ]);
  const listen = parseListen(opts.listen ?? '127.0.0.1:8750');
  if (!listen) throw new InputError(t(lang, 'badListen', { value: opts.listen ?? '' }));

  const [{ loadSpec }, { loadRoster }, { preflight }, { realGrader, redact }, { resolve, join }, { questionChecks }] = await Promise.all([
    import('../../inputs/load-spec.js'),
    import('../../batch/roster.js'),
    import('../../batch/preflight.js'),
    import('../../batch/real-grader.js'),
    import('node:path'),
    import('../../../checks/questions/index.js'),
  ]);
  const spec = await loadSpec(specPath, { lang, checks: questionChecks });
  // With --hand-ins (an online course) the class comes from its hand-ins, as with batch --hand-ins:
  // the roster needs no lab, no guest is contacted.
  const handInsDir = opts.handIns !== undefined ? resolve(opts.handIns) : null;
  const roster = await loadRoster(opts.roster, lang, handInsDir ? { handIns: true } : {});
  const inlineLabs = handInsDir ? null : await preflight(roster, spec, lang, opts.task);
  const handIns = handInsDir ? { source: await handInSource(handInsDir, lang), regrade: { ...(await handInRegradeOptions(spec, opts, lang, redact)), spec } } : undefined;
  const outDir = resolve(opts.out ?? `labgrade-watch-${spec.id}`);
  const exercise = { id: spec.id, title: spec.title[lang], file: spec.file };

  const { WatchState } = await import('../../watch/state.js');
  const { toolVersion } = await import('../../version.js');
  // The page has a state before the first round closes (everyone pending).
  let latest = new WatchState(roster, { exercise, lang, version: toolVersion(), everySec: every, stuckAfter: stuck, now: () => new Date() }).snapshot();
  const token = isLoopback(listen.host) ? null : newToken();
  let server;
  try {
    server = await startWatchServer({ listen, token, lang, outDir, ids: new Set(roster.students.map((s) => s.id)), snapshot: () => latest });
  } catch (err) {
    stderr.write(`${t(lang, 'listenFailed', { address: opts.listen ?? '127.0.0.1:8750', message: (err as Error).message })}\n`);
    return 1;
  }
  const url = pageUrl(listen, server.port, token);
  stdout.write(`${t(lang, token ? 'listeningToken' : 'listening', { url })}\n`);

  const controller = new AbortController();
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals > 1) process.exit(130);
    stderr.write(`${t(lang, 'stopping')}\n`);
    controller.abort();
  };
  const external = io.signal;
  external?.addEventListener('abort', onSignal, { once: true });
  const onStray = (err: unknown) => {
    const e = err as Error;
    stderr.write(`${tb(lang, 'strayError', { message: redact(e?.message ?? String(err)) })}\n`);
  };
  const unhook = classProcessHooks(onSignal, onStray);
  let outcome;
  try {
    outcome = await runWatch(
      roster,
      {
        exercise,
        outDir,
        ...classRunOptions(limits, opts.task, roster),
        lang,
        everySec: every,
        stuckAfter: stuck,
        signal: controller.signal,
        ...(handIns ? { handIns, redact } : {}),
        onUpdate: (snap) => {
          latest = snap;
          server.publish('state', snap);
        },
        onRound: (info, snap) => {
          latest = snap;
          server.publish('round', snap);
          const c = info.counts;
          stderr.write(
            `${t(lang, 'roundLine', {
              round: info.round,
              time: info.finishedAt.toTimeString().slice(0, 8),
              graded: info.graded,
              ok: c.graded,
              incomplete: c.incomplete,
              failed: c.failed,
              stuck: info.stuck,
              late: info.late.length,
              seconds: Math.round((info.finishedAt.getTime() - info.startedAt.getTime()) / 100) / 10,
            })}\n`,
          );
        },
      },
      { grade: inlineLabs ? realGrader(spec, inlineLabs) : refuseLive, redact },
    );
  } finally {
    unhook();
    external?.removeEventListener('abort', onSignal);
    await server.close();
  }
  const c = outcome.summary.counts;
  const hc = outcome.state.snapshot().handIns;
  if (hc) stdout.write(`${th(lang, 'batchWrote', { summary: join(outDir, 'index.html'), csv: join(outDir, 'grades.csv'), json: join(outDir, 'class.json'), feedback: join(outDir, 'feedback.zip') })}\n`);
  else stdout.write(`${tb(lang, 'wrote', { summary: join(outDir, 'index.html'), csv: join(outDir, 'grades.csv'), json: join(outDir, 'class.json') })}\n`);
  stdout.write(`${t(lang, 'finished', { rounds: outcome.rounds, history: join(outDir, HISTORY_FILE) })}\n`);
  // As batch: 0 when every student is graded (hand-ins: every one trusted), 1 otherwise.
  const code = hc ? (hc.students.every((s) => s.trust === 'ok') ? 0 : 1) : c.graded === c.students ? 0 : 1;
  // Abandoned gradings may still hold sockets: they must not keep the process alive.
  if (!io.signal) setTimeout(() => process.exit(code), 500).unref();
  return code;
}
