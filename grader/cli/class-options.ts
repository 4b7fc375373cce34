// The options `batch` and `watch` share, in one place: the roster, the output folder, the limits
// (--concurrency, --per-host, --deadline), --task, and the hand-in ones (--hand-ins, --since,
// --until, --accept-build), with how each is parsed and checked; and the process hooks a class run
// installs (Ctrl-C / SIGTERM, a stray error event that must not kill the class).
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import type { ExerciseSpec } from '../types.js';
import { InputError } from '../types.js';
import type { RegradeOptions } from '../handin/regrade.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/batch.js';
import en from '../i18n/en/batch.js';
import esHandin from '../i18n/es/handin.js';
import enHandin from '../i18n/en/handin.js';

const t = translator(es, en);
const th = translator(esHandin, enHandin);

export interface ClassCliOptions {
  roster: string;
  out?: string;
  concurrency?: string;
  perHost?: string;
  deadline?: string;
  task?: string;
  handIns?: string;
  since?: string;
  until?: string;
  acceptBuild?: string[];
}

/** Adds the shared options; `out`: whether --out is required and its help (each command's own). */
export function addClassOptions(cmd: Command, lang: CliContext['lang'], out: { required: boolean; help: string }): Command {
  cmd.requiredOption('--roster <roster.yaml>', t(lang, 'optRoster'));
  if (out.required) cmd.requiredOption('--out <dir>', out.help);
  else cmd.option('--out <dir>', out.help);
  return cmd
    .option('--concurrency <n>', t(lang, 'optConcurrency'))
    .option('--per-host <n>', t(lang, 'optPerHost'))
    .option('--deadline <seconds>', t(lang, 'optDeadline'))
    .option('--task <id|all|auto>', t(lang, 'optTask'))
    .option('--hand-ins <dir|zip>', th(lang, 'optHandIns'))
    .option('--since <date>', th(lang, 'optSince'))
    .option('--until <date>', th(lang, 'optUntil'))
    .option('--accept-build <sha256>', th(lang, 'optAcceptBuild'), (v: string, prev: string[] = []) => [...prev, v]);
}

/** A numeric option within [min, max] (an integer when asked); exit 2 with the range otherwise. */
export function num(lang: CliContext['lang'], option: string, value: string | undefined, min: number, max: number, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new InputError(t(lang, integer ? 'badInteger' : 'badNumber', { option, value, min, max }));
  }
  return n;
}

/** --concurrency, --per-host, --deadline, checked (undefined: the roster's own). */
export function classLimits(lang: CliContext['lang'], opts: Pick<ClassCliOptions, 'concurrency' | 'perHost' | 'deadline'>): { concurrency?: number; perHost?: number; deadlineSec?: number } {
  const concurrency = num(lang, '--concurrency', opts.concurrency, 1, 256, true);
  const perHost = num(lang, '--per-host', opts.perHost, 1, 64, true);
  const deadlineSec = num(lang, '--deadline', opts.deadline, 1, 86400, false);
  return { ...(concurrency !== undefined ? { concurrency } : {}), ...(perHost !== undefined ? { perHost } : {}), ...(deadlineSec !== undefined ? { deadlineSec } : {}) };
}

/** The limits a class run gets: the command line's, else the roster's; --task when given. */
export function classRunOptions(
  limits: ReturnType<typeof classLimits>,
  task: string | undefined,
  roster: { limits: { concurrency: number; perHost: number } },
): { concurrency: number; perHost: number; task?: string; deadlineSec?: number } {
  return {
    concurrency: limits.concurrency ?? roster.limits.concurrency,
    perHost: limits.perHost ?? roster.limits.perHost,
    ...(task !== undefined ? { task } : {}),
    ...(limits.deadlineSec !== undefined ? { deadlineSec: limits.deadlineSec } : {}),
  };
}

export function dateOpt(lang: CliContext['lang'], option: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) throw new InputError(th(lang, 'badDate', { option, value }));
  return d;
}

/** What re-grading a hand-in needs from the command line: the spec's hash, this build, the accepted builds, the window. */
export async function handInRegradeOptions(spec: ExerciseSpec, opts: Pick<ClassCliOptions, 'since' | 'until' | 'acceptBuild'>, lang: CliContext['lang'], redact: (s: string) => string): Promise<RegradeOptions> {
  const since = dateOpt(lang, '--since', opts.since);
  const until = dateOpt(lang, '--until', opts.until);
  const [{ buildHash }, { sha256 }, { readFile }] = await Promise.all([import('../handin/format.js'), import('../handin/evidence.js'), import('node:fs/promises')]);
  return {
    spec,
    specSha256: sha256(await readFile(spec.file)),
    lang,
    build: await buildHash(),
    acceptBuilds: opts.acceptBuild ?? [],
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    redact,
  };
}

/**
 * The process hooks of a class run: SIGINT and SIGTERM call `onSignal`; an uncaught exception or
 * unhandled rejection (a stray error event in some connection library) calls `onStray` instead of
 * killing every running student. Returns the function that removes them all.
 */
export function classProcessHooks(onSignal: () => void, onStray: (err: unknown) => void): () => void {
  process.on('uncaughtException', onStray);
  process.on('unhandledRejection', onStray);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('uncaughtException', onStray);
    process.off('unhandledRejection', onStray);
  };
}
