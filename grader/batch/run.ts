// Grades a class: students in parallel with a global bound (p-limit) and a bound per libvirt host,
// each under its own deadline. Each student's result (JSON + HTML + a status sidecar) is written
// atomically as soon as it is done, so an interruption or a crash loses nothing already finished;
// `resume` skips students whose inputs hash the same as when they were graded. One student's
// failure becomes that student's error report and never stops the others.
import { join } from 'node:path';
import pLimit from 'p-limit';
import { InputError, TransportError, type GradeResult, type Lang } from '../types.js';
import { cleanStaleTemps, lockOutDir, OutDirError, prepareOutDir, PRIVATE_MODES, writeFileAtomic, type OutLock, type OutputModes } from '../util/fs.js';
import { readInput, ReadInputError } from '../inputs/read.js';
import { studentFiles } from './files.js';
import { runSecrets } from '../inputs/secrets.js';
import { computeTotals, taskPoints } from '../engine/totals.js';
import { renderers } from '../../reports/index.js';
import { resultProblems } from '../../reports/validate.js';
import { toolVersion } from '../version.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/batch.js';
import en from '../i18n/en/batch.js';
import { combineHashes, fileHash, labHash, sha256, type InputHashes } from './hash.js';
import { hostKeyOf } from './hosts.js';
import { sealHolds, sealKey, sealOf } from './seal.js';
import type { Roster, RosterStudent } from './roster.js';
import type { BatchEvent, GradeFn, ResultDigest, StudentRecord, StudentStatus } from './types.js';

const t = translator(es, en);

export interface BatchOptions {
  /** The exercise graded against (its file is hashed for --resume). */
  exercise: { id: string; title: string; file: string };
  outDir: string;
  concurrency: number;
  perHost: number;
  resume: boolean;
  /** Overrides every student's task selection (--task). */
  task?: string;
  /** Overrides every student's deadline (--deadline), seconds. */
  deadlineSec?: number;
  lang: Lang;
  /** Ctrl-C: stop starting students, abandon running ones (they stay pending). */
  signal?: AbortSignal;
  onEvent?: (e: BatchEvent) => void;
  /** After a deadline, how long a student's slot stays taken while its grading winds down (ms). */
  graceMs?: number;
  /** Modes of the files and folders written (default private: 0600 / 0700). */
  modes?: OutputModes;
  /**
   * The caller's hold on `outDir` (grader/util/fs.ts lockOutDir), kept past this call (the CLI
   * writes the class outputs under it); without one, runBatch takes and releases its own.
   */
  lock?: OutLock;
  /**
   * Slots shared with other passes running at the same time in this process (`labgrade watch`:
   * one round = one pass, and a slow student of an earlier round may still hold a slot). Default:
   * this pass's own, from `concurrency` and `perHost`.
   */
  limits?: BatchLimits;
  /** Remove leftover temp files first (default true; false when another pass may be writing). */
  cleanTemps?: boolean;
}

export type Limit = ReturnType<typeof pLimit>;
export interface BatchLimits {
  global: Limit;
  host: (key: string) => Limit;
}

/** The global and per-host slots of a pass (or of several passes sharing them). */
export function batchLimits(concurrency: number, perHost: number): BatchLimits {
  const global = pLimit(Math.max(1, concurrency));
  const hostLimits = new Map<string, Limit>();
  return {
    global,
    host: (key: string) => {
      let l = hostLimits.get(key);
      if (!l) hostLimits.set(key, (l = pLimit(Math.max(1, perHost))));
      return l;
    },
  };
}

export interface BatchDeps {
  grade: GradeFn;
  /** Removes the teacher's secrets from messages (grader/inputs/secrets.ts redact); each student's own are added per run. */
  redact: (text: string) => string;
  now?: () => Date;
}

export interface StudentOutcome {
  student: RosterStudent;
  record: StudentRecord | null;
  digest: ResultDigest | null;
  reused: boolean;
}

export interface BatchOutcome {
  students: StudentOutcome[];
  interrupted: boolean;
  startedAt: string;
  finishedAt: string;
  wallMs: number;
}


class DeadlineError extends Error {
  constructor(readonly seconds: number) {
    super(`deadline ${seconds}s`);
  }
}
class CancelledError extends Error {}

export async function runBatch(roster: Roster, opts: BatchOptions, deps: BatchDeps): Promise<BatchOutcome> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const t0 = Date.now();
  const modes = opts.modes ?? PRIVATE_MODES;
  // Created here, or the running user's with no link inside; then held (one run at a time).
  await openOutDir(opts.outDir, modes, opts.lang);
  const lock = opts.lock ?? (await takeOutLock(opts.outDir, opts.lang));
  try {
    return await runLocked(roster, opts, deps, now, started, t0);
  } finally {
    if (!opts.lock) await lock.release();
  }
}

/** The output folder made safe (grader/util/fs.ts prepareOutDir); a refusal is the teacher's input error (exit 2). */
export async function openOutDir(outDir: string, modes: OutputModes, lang: Lang): Promise<void> {
  try {
    await prepareOutDir(outDir, modes);
  } catch (err) {
    throw outDirInputError(err, lang);
  }
}

/** Takes the output folder's lock; a live run holding it is the teacher's input error (exit 2). */
export async function takeOutLock(outDir: string, lang: Lang): Promise<OutLock> {
  try {
    return await lockOutDir(outDir);
  } catch (err) {
    throw outDirInputError(err, lang);
  }
}

function outDirInputError(err: unknown, lang: Lang): unknown {
  if (!(err instanceof OutDirError)) return err;
  const key = ({ 'not-dir': 'outNotDir', 'not-owner': 'outNotOwner', 'link-inside': 'outLinkInside', 'open-to-others': 'outOpenToOthers', locked: 'outLocked' } as const)[err.code];
  return new InputError(t(lang, key, { path: err.path, detail: err.detail }));
}

async function runLocked(roster: Roster, opts: BatchOptions, deps: BatchDeps, now: () => Date, started: Date, t0: number): Promise<BatchOutcome> {
  // Temp files of a run that was killed mid-write hold personal data: gone before anything else.
  if (opts.cleanTemps !== false) {
    await cleanStaleTemps(opts.outDir);
    await cleanStaleTemps(join(opts.outDir, 'students'));
  }
  const specHash = await fileHash(opts.exercise.file, opts.signal);
  const lang = opts.lang;
  const limits = opts.limits ?? batchLimits(opts.concurrency, opts.perHost);
  const global = limits.global;
  const hostLimit = limits.host;

  const outcomes: StudentOutcome[] = roster.students.map((student) => ({ student, record: null, digest: null, reused: false }));
  const emit = (e: BatchEvent) => {
    try {
      opts.onEvent?.(e);
    } catch {
      /* a display problem never stops grading */
    }
  };

  // Hashes and resume decisions first (cheap), so progress knows the real amount of work; a few
  // files at a time (a big class must not run out of file descriptors).
  const io = pLimit(16);
  const prepared = await Promise.all(
    roster.students.map((student) => io(async () => {
      // Hashing reads the student's files: under the student's deadline and Ctrl-C too (the reads are
      // bounded and never block on a FIFO, but a slow file system must not hold the class).
      const seconds = opts.deadlineSec ?? student.deadlineSec;
      const signals = [AbortSignal.timeout(Math.round(seconds * 1000)), ...(opts.signal ? [opts.signal] : [])];
      const signal = AbortSignal.any(signals);
      // Each student file is read once, here (bounded, no-follow, inside the folder the roster
      // names for it: a refused file is never read, so never hashed); grading uses these bytes.
      const answers = await readStudentFile(student.answers, student.answersWithin, signal);
      const lab = student.lab.kind === 'file' ? await readStudentFile(student.lab.path, student.lab.within, signal) : undefined;
      const hashes: InputHashes = {
        spec: specHash,
        answers: answers.hash,
        lab: lab ? lab.hash : await labHash(student.lab, signal).catch(() => 'unreadable:deadline'),
        options: sha256(JSON.stringify({ task: opts.task ?? student.task, lang })),
      };
      const inputHash = combineHashes(hashes);
      const reuse = opts.resume && !signal.aborted ? await reusable(opts.outDir, student.id, inputHash) : null;
      const hostKey = reuse || signal.aborted ? `student:${student.id}` : await hostKeyOf(student.lab, lab?.bytes ?? new Uint8Array(0));
      const preread = { ...(answers.bytes ? { answers: answers.bytes } : {}), ...(lab?.bytes ? { lab: lab.bytes } : {}) };
      return { student: reuse ? student : { ...student, preread }, hashes, inputHash, reuse, hostKey };
    })),
  );
  emit({ type: 'queued', total: roster.students.length, reused: prepared.filter((p) => p.reuse).length });

  const jobs = prepared.map(async (p, i) => {
    const out = outcomes[i]!;
    if (p.reuse) {
      out.record = p.reuse.record;
      out.digest = digestOf(p.reuse.result);
      out.reused = true;
      emit({ type: 'reused', student: p.student, record: p.reuse.record, percent: p.reuse.result.totals.percent, digest: out.digest! });
      return;
    }
    const key = p.hostKey;
    // Host slot first, then a global slot: students waiting for a busy host hold no global slot.
    await hostLimit(key)(() =>
      global(async () => {
        if (opts.signal?.aborted) return;
        emit({ type: 'start', student: p.student });
        const done = await gradeOne(p.student, p.hashes, p.inputHash, opts, deps, now);
        if (!done) return; // interrupted: stays pending
        out.record = done.record;
        out.digest = done.digest;
        emit({ type: 'done', student: p.student, record: done.record, percent: done.percent, digest: done.digest });
      }),
    );
  });
  await Promise.all(jobs);

  return {
    students: outcomes,
    interrupted: Boolean(opts.signal?.aborted),
    startedAt: started.toISOString(),
    finishedAt: now().toISOString(),
    wallMs: Date.now() - t0,
  };
}

/**
 * A graded student's earlier result, if it can be verified: the status sidecar names the inputs'
 * hash and the content hashes of the result and report it was written with; the result passes the
 * schema; its totals, recomputed from its verdicts, agree with what it says; its status follows
 * from it. Anything else (an edited or swapped file, a missing hash) means grading again.
 */
/** A student's file read once: its bytes and hash, or the marker of why it was refused / unreadable. */
async function readStudentFile(path: string, within: string | undefined, signal: AbortSignal): Promise<{ bytes?: Uint8Array; hash: string }> {
  try {
    const bytes = await readInput(path, 'yaml', { trust: 'student', signal, ...(within !== undefined ? { within } : {}) });
    return { bytes, hash: sha256(bytes) };
  } catch (err) {
    if (err instanceof ReadInputError) return { hash: `unreadable:${err.code}:${err.reason}` };
    return { hash: 'unreadable:deadline' };
  }
}

export async function reusable(outDir: string, id: string, inputHash: string): Promise<{ record: StudentRecord; result: GradeResult } | null> {
  const files = studentFiles(id);
  try {
    const record = JSON.parse((await readInput(join(outDir, files.status), 'result')).toString('utf8')) as StudentRecord;
    if (record?.status !== 'graded' || record.inputHash !== inputHash || record.id !== id) return null;
    if (typeof record.resultHash !== 'string' || typeof record.reportHash !== 'string') return null;
    // Sealed by this user's key: an edited status with recomputed hashes is graded again.
    if (!sealHolds(record, await sealKey())) return null;
    const bytes = await readInput(join(outDir, files.json), 'result');
    if (sha256(bytes) !== record.resultHash) return null;
    if (sha256(await readInput(join(outDir, files.html), 'result')) !== record.reportHash) return null;
    const result = JSON.parse(bytes.toString('utf8')) as unknown;
    if ((await resultProblems(result)).length > 0) return null;
    const r = result as GradeResult;
    if (!totalsAgree(r)) return null;
    if (r.errors.length > 0 || r.totals.error > 0 || r.totals.maxPoints <= 0) return null;
    return { record, result: r };
  } catch {
    return null;
  }
}

/** The totals (and each task's points) a result states are the ones its verdicts give. */
export function totalsAgree(r: GradeResult): boolean {
  const again = computeTotals(r.tasks);
  const keys = ['points', 'maxPoints', 'percent', 'pass', 'fail', 'error', 'skip'] as const;
  if (keys.some((k) => again[k] !== r.totals[k])) return false;
  for (const task of r.tasks) {
    const p = taskPoints([...task.hostChecks, ...task.questions]);
    if (p.points !== task.points || p.maxPoints !== task.maxPoints) return false;
  }
  return true;
}

async function gradeOne(
  student: RosterStudent,
  hashes: InputHashes,
  inputHash: string,
  opts: BatchOptions,
  deps: BatchDeps,
  now: () => Date,
): Promise<{ record: StudentRecord; digest: ResultDigest; percent: number | null } | null> {
  const lang = opts.lang;
  const startedAt = now();
  const t0 = Date.now();
  const seconds = opts.deadlineSec ?? student.deadlineSec;
  const ac = new AbortController();
  const onCancel = () => ac.abort(new CancelledError('cancelled'));
  if (opts.signal?.aborted) return null;
  opts.signal?.addEventListener('abort', onCancel, { once: true });
  const timer = setTimeout(() => ac.abort(new DeadlineError(seconds)), Math.round(seconds * 1000));
  const aborted = new Promise<never>((_, reject) => ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true }));
  aborted.catch(() => undefined);

  let result: GradeResult | null = null;
  let failure: { code: string; message: string } | null = null;
  // This student's redaction: the teacher's secrets and the student's own, nobody else's.
  const secrets = runSecrets();
  const redact = (s: string) => secrets.redact(deps.redact(s));
  const work = (async () => deps.grade({ ...student, task: opts.task ?? student.task }, { signal: ac.signal, lang, secrets }))();
  try {
    result = await Promise.race([work, aborted]);
  } catch (err) {
    if (err instanceof CancelledError) failure = { code: 'cancelled', message: t(lang, 'errCancelled') };
    else failure = describeFailure(err, lang, redact);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCancel);
  }
  const wind = async () => {
    // The abandoned grading may still hold connections: keep the slot a little while it winds down.
    if (ac.signal.aborted) await Promise.race([work.then(() => undefined, () => undefined), sleep(opts.graceMs ?? 5000)]);
  };
  if (failure?.code === 'cancelled') {
    await wind();
    return null;
  }

  let status: StudentStatus;
  if (result) {
    const s = resultStatus(result, lang, redact);
    status = s.status;
    if (s.failure) failure = s.failure;
  } else {
    status = 'failed';
    result = errorResult(student, opts, failure!.message, startedAt, now());
  }
  const files = studentFiles(student.id);
  const json = renderers.json(result);
  const html = renderers.html(result, { lang });
  const record: StudentRecord = {
    schemaVersion: 1,
    id: student.id,
    status,
    inputHash,
    hashes,
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    durationMs: Date.now() - t0,
    ...(failure ? { error: failure } : {}),
    files: { json: files.json, html: files.html },
    // What --resume checks the files against before trusting them again.
    resultHash: sha256(json),
    reportHash: sha256(html),
  };
  const key = await sealKey();
  if (key) record.seal = sealOf(record, key);
  // Result, report, then the sidecar: a sidecar on disk means the other two are complete.
  const modes = opts.modes ?? PRIVATE_MODES;
  await writeFileAtomic(join(opts.outDir, files.json), json, modes.file, modes.dir);
  await writeFileAtomic(join(opts.outDir, files.html), html, modes.file, modes.dir);
  await writeFileAtomic(join(opts.outDir, files.status), `${JSON.stringify(record, null, 2)}\n`, modes.file, modes.dir);
  const out = { record, digest: digestOf(result), percent: status === 'failed' ? null : result.totals.percent };
  await wind();
  return out;
}

function describeFailure(err: unknown, lang: Lang, redact: (s: string) => string): { code: string; message: string } {
  if (err instanceof DeadlineError) return { code: 'deadline', message: t(lang, 'errDeadline', { seconds: err.seconds }) };
  if (err instanceof InputError) {
    const detail = err.issues.length
      ? err.issues.map((i) => `${[i.file, i.line, i.column].filter((x) => x !== undefined && x !== '').join(':')}: ${i.message}`).join('; ')
      : err.message;
    return { code: 'input', message: redact(t(lang, 'errInput', { message: detail })) };
  }
  if (err instanceof TransportError) {
    return { code: `transport-${err.code}`, message: redact(t(lang, 'errTransport', { target: err.target, message: err.message })) };
  }
  const e = err as Error;
  return { code: 'internal', message: redact(t(lang, 'errInternal', { message: e?.message ?? String(err) })) };
}

/** A result's batch status: graded, or incomplete (with why) when something was not measured or nothing graded. */
export function resultStatus(result: GradeResult, lang: Lang, redact: (s: string) => string): { status: 'graded' | 'incomplete'; failure?: { code: string; message: string } } {
  const unmeasured = result.totals.error;
  if (result.errors.length > 0 || unmeasured > 0) {
    return { status: 'incomplete', failure: { code: 'incomplete', message: redact(result.errors[0] ?? t(lang, 'errIncomplete', { count: unmeasured })) } };
  }
  // Everything skipped (no task found, VMs missing): there is no grade to give.
  if (result.totals.maxPoints <= 0) return { status: 'incomplete', failure: { code: 'nothing-graded', message: t(lang, 'errNothingGraded') } };
  return { status: 'graded' };
}

/** The report of a student who could not be graded at all: no task, the reason in `errors`. */
export function errorResult(student: RosterStudent, opts: Pick<BatchOptions, 'exercise' | 'lang'>, message: string, startedAt: Date, finishedAt: Date): GradeResult {
  const identity: GradeResult['student'] = { name: student.name };
  if (student.idNumber) identity.id = student.idNumber;
  if (student.email) identity.email = student.email;
  return {
    schemaVersion: 1,
    tool: { name: 'labgrade', version: toolVersion() },
    lang: opts.lang,
    exercise: { ...opts.exercise },
    student: identity,
    lab: { uri: student.lab.kind === 'inline' && typeof student.lab.data.uri === 'string' ? student.lab.data.uri : '', file: student.lab.kind === 'file' ? student.lab.path : '' },
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    timings: { inspectMs: 0, connectMs: 0, probeMs: 0, gradeMs: 0 },
    tasks: [],
    totals: { points: 0, maxPoints: 0, percent: 0, pass: 0, fail: 0, error: 0, skip: 0 },
    errors: [message],
    exitCode: 1,
  };
}

export function digestOf(r: GradeResult): ResultDigest {
  return {
    percent: r.totals.percent,
    points: r.totals.points,
    maxPoints: r.totals.maxPoints,
    ...(r.trustedHostKeys?.length ? { trustedHostKeys: r.trustedHostKeys } : {}),
    verdicts: r.tasks.flatMap((task) =>
      [...task.hostChecks, ...task.questions].map((v) => ({
        id: v.id,
        task: task.id,
        taskTitle: task.title,
        ...(v.question !== undefined ? { question: v.question } : {}),
        ...(v.questionTitle !== undefined ? { questionTitle: v.questionTitle } : {}),
        ...(v.role !== undefined ? { role: v.role } : {}),
        check: v.check,
        ...(v.subject !== undefined ? { subject: v.subject } : {}),
        outcome: v.outcome,
        severity: v.severity,
        points: v.points,
        maxPoints: v.maxPoints,
        codes: v.codes,
        ...(v.hints[0] !== undefined ? { hint: v.hints[0] } : {}),
        message: v.outcome === 'pass' ? '' : v.message,
      })),
    ),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
