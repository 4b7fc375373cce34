// `labgrade watch`'s rounds. A round is one batch pass (grader/batch/run.ts runBatch) over every
// student not already being graded, with slots (concurrency, per host) shared by all passes, so a
// straggler of an earlier round still counts against the limits. A round closes when each of its
// students is done or late: a grading running for more than `lateAfterSec` (default: --every, at
// least 30 s), or one still waiting for a slot after that long while every running grading is late
// (the slots are held by slow hosts). Late students keep their previous state, marked stale, and
// join a later round once their grading ends; the others never wait for them. Each student's
// result is applied as soon as it is done; each round is appended to history.jsonl.
import { join } from 'node:path';
import type { Lang } from '../types.js';
import type { Roster, RosterStudent } from '../batch/roster.js';
import { batchLimits, openOutDir, runBatch, takeOutLock, type BatchDeps } from '../batch/run.js';
import { writeClassOutputs } from '../batch/outputs.js';
import type { ClassSummary } from '../batch/summary.js';
import type { BatchEvent } from '../batch/types.js';
import { PRIVATE_MODES, type OutLock, type OutputModes } from '../util/fs.js';
import { appendFile, open } from 'node:fs/promises';
import { toolVersion } from '../version.js';
import { WatchState, type HistoryLine, type WatchSnapshot } from './state.js';
import { DEFAULT_POLL_MS, HandInTracker, applyScan, watchFolder, writeScanOutputs, type HandInSource } from './handins.js';

export const HISTORY_FILE = 'history.jsonl';
/** A grading shorter than this never makes a round close without it, whatever --every says. */
export const MIN_LATE_SEC = 30;

export interface WatchOptions {
  exercise: ClassSummary['exercise'];
  outDir: string;
  concurrency: number;
  perHost: number;
  task?: string;
  deadlineSec?: number;
  lang: Lang;
  everySec: number;
  stuckAfter: number;
  /** A grading running longer than this no longer holds its round (default max(everySec, 30)). */
  lateAfterSec?: number;
  /** Stop: the round closes with what is done, running gradings are abandoned (their previous state stays). */
  signal?: AbortSignal;
  modes?: OutputModes;
  /** Stop after this many rounds (tests, benchmarks). */
  maxRounds?: number;
  /** After a deadline or a stop, how long a grading's slot stays taken while it winds down (ms). */
  graceMs?: number;
  /** The state changed (a student's grading started or ended). */
  onUpdate?: (snap: WatchSnapshot) => void;
  /** A round closed. */
  onRound?: (info: RoundInfo, snap: WatchSnapshot) => void;
  /** A student's grading event (the batch pass's own). */
  onEvent?: (e: BatchEvent) => void;
  /**
   * Follow the class from its hand-ins instead of its hosts (grader/watch/handins.ts): a round is a
   * scan of the folder; a hand-in dropped there starts one as soon as it is completely written.
   */
  handIns?: HandInSource;
  /** Hand-ins: the redaction regrade uses (secrets never in a reason). */
  redact?: (s: string) => string;
}

export interface RoundInfo {
  round: number;
  startedAt: Date;
  finishedAt: Date;
  graded: number;
  late: string[];
  counts: ClassSummary['counts'];
  stuck: number;
}

export interface WatchOutcome {
  rounds: number;
  summary: ClassSummary;
  state: WatchState;
}

export async function runWatch(roster: Roster, opts: WatchOptions, deps: BatchDeps): Promise<WatchOutcome> {
  const now = deps.now ?? (() => new Date());
  const modes = opts.modes ?? PRIVATE_MODES;
  // One hold on the output folder for the whole session: every round's pass writes under it.
  await openOutDir(opts.outDir, modes, opts.lang);
  const lock = await takeOutLock(opts.outDir, opts.lang);
  try {
    if (opts.handIns) return await watchHandInsLocked(roster, opts, opts.handIns, now, modes);
    return await watchLocked(roster, opts, deps, now, modes, lock);
  } finally {
    await lock.release();
  }
}

async function watchLocked(roster: Roster, opts: WatchOptions, deps: BatchDeps, now: () => Date, modes: OutputModes, lock: OutLock): Promise<WatchOutcome> {
  const state = new WatchState(roster, { exercise: opts.exercise, lang: opts.lang, version: toolVersion(), everySec: opts.everySec, stuckAfter: opts.stuckAfter, now });
  const limits = batchLimits(opts.concurrency, opts.perHost);
  const lateAfterMs = Math.max(opts.lateAfterSec ?? Math.max(opts.everySec, MIN_LATE_SEC), 0) * 1000;
  const signal = opts.signal;
  const historyPath = join(opts.outDir, HISTORY_FILE);
  await touchPrivate(historyPath, modes.file);

  /** Students queued or running: id -> when their grading started (null: still waiting for a slot). */
  const inFlight = new Map<string, { round: number; started: number | null }>();
  const passes = new Set<Promise<unknown>>();
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const waitFor = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      wake = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  const update = () => {
    try {
      opts.onUpdate?.(state.snapshot());
    } catch {
      /* a display problem never stops grading */
    }
  };

  let round = 0;
  let firstPass = true;
  while (!signal?.aborted && (opts.maxRounds === undefined || round < opts.maxRounds)) {
    const ready = roster.students.filter((s) => !inFlight.has(s.id));
    if (ready.length === 0) {
      // Everyone is still being graded from earlier rounds: wait for one of them.
      await waitFor(1000);
      continue;
    }
    round++;
    const thisRound = round;
    const startedAt = now();
    const t0 = Date.now();
    for (const s of ready) inFlight.set(s.id, { round: thisRound, started: null });
    state.roundStarted(thisRound, startedAt, ready.map((s) => s.id));
    update();
    const mine = new Set(ready.map((s) => s.id));
    const onEvent = (e: BatchEvent) => {
      try {
        opts.onEvent?.(e);
      } catch {
        /* display only */
      }
      if (e.type === 'start') {
        const f = inFlight.get(e.student.id);
        if (f) f.started = Date.now();
        state.started(e.student.id);
      } else if (e.type === 'done' || e.type === 'reused') {
        inFlight.delete(e.student.id);
        mine.delete(e.student.id);
        state.graded(e.student.id, thisRound, e.record, e.digest ?? null);
      } else return;
      update();
      poke();
    };
    const pass = runBatch(
      { ...roster, students: ready },
      {
        exercise: opts.exercise,
        outDir: opts.outDir,
        concurrency: opts.concurrency,
        perHost: opts.perHost,
        resume: false,
        ...(opts.task !== undefined ? { task: opts.task } : {}),
        ...(opts.deadlineSec !== undefined ? { deadlineSec: opts.deadlineSec } : {}),
        lang: opts.lang,
        ...(signal ? { signal } : {}),
        onEvent,
        modes,
        limits,
        lock,
        // Only the first pass cleans: later ones run beside stragglers that may be writing.
        cleanTemps: firstPass,
        ...(opts.graceMs !== undefined ? { graceMs: opts.graceMs } : {}),
      },
      deps,
    )
      .catch(() => null)
      .then(() => {
        // Whatever did not end with a result (interrupted) keeps its previous state.
        for (const s of ready) {
          if (inFlight.get(s.id)?.round === thisRound) {
            inFlight.delete(s.id);
            state.abandoned(s.id);
          }
        }
        passes.delete(pass);
        mine.clear();
        update();
        poke();
      });
    passes.add(pass);
    firstPass = false;

    // Close the round when each of its students is done or late.
    const late = (id: string, at: number): boolean => {
      const f = inFlight.get(id);
      if (!f) return false;
      if (f.started !== null) return at - f.started > lateAfterMs;
      if (at - t0 <= lateAfterMs) return false;
      const running = [...inFlight.values()].filter((x) => x.started !== null);
      return running.every((x) => at - x.started! > lateAfterMs);
    };
    for (;;) {
      if (signal?.aborted) break;
      const at = Date.now();
      if ([...mine].every((id) => late(id, at))) break;
      await waitFor(Math.min(1000, Math.max(50, lateAfterMs / 4)));
    }
    if (signal?.aborted) {
      // Stopping: the running gradings are abandoned (their previous results stay); give them
      // the grace period to wind down before the round closes.
      await Promise.race([Promise.all([...passes]), sleep((opts.graceMs ?? 5000) + 1000)]);
    }
    const finishedAt = now();
    const lateIds = ready.filter((s) => inFlight.get(s.id)?.round === thisRound).map((s) => s.id);
    const line = state.roundClosed(thisRound, startedAt, finishedAt, lateIds, Boolean(signal?.aborted));
    await appendHistory(historyPath, line, modes.file);
    const more = !signal?.aborted && (opts.maxRounds === undefined || round < opts.maxRounds);
    const next = more ? new Date(Math.max(t0 + opts.everySec * 1000, Date.now())) : null;
    state.setNext(next);
    const snap = state.snapshot();
    try {
      opts.onRound?.(
        {
          round: thisRound,
          startedAt,
          finishedAt,
          graded: line.graded.length,
          late: lateIds,
          counts: snap.class.counts,
          stuck: snap.students.filter((s) => s.stuck).length,
        },
        snap,
      );
    } catch {
      /* display only */
    }
    if (!more) break;
    const wait = t0 + opts.everySec * 1000 - Date.now();
    if (wait > 0) await sleepUnlessAborted(wait, signal);
  }
  // The batch outputs, from each student's latest finished grading (the student files on disk
  // are those of that same grading: an abandoned one writes nothing).
  if (passes.size) await Promise.race([Promise.all([...passes]), sleep((opts.graceMs ?? 5000) + 1000)]);
  const summary = await writeClassOutputs(roster, state.outcome(), { outDir: opts.outDir, exercise: opts.exercise, lang: opts.lang, modes });
  return { rounds: round, summary, state };
}

/**
 * --hand-ins: each round scans the folder once it has settled and re-grades what changed; between
 * rounds, a change in the folder (fs.watch, or the listing polled every `pollMs`) starts the next
 * round early, once the new file is completely written. At the end, batch --hand-ins's outputs for
 * the folder as it then stands.
 */
async function watchHandInsLocked(roster: Roster, opts: WatchOptions, src: HandInSource, now: () => Date, modes: OutputModes): Promise<WatchOutcome> {
  const state = new WatchState(roster, { exercise: opts.exercise, lang: opts.lang, version: toolVersion(), everySec: opts.everySec, stuckAfter: opts.stuckAfter, now, handIns: true });
  const tracker = new HandInTracker(roster, src, opts.lang);
  const redact = opts.redact ?? ((s: string) => s);
  const signal = opts.signal;
  const pollMs = src.pollMs ?? DEFAULT_POLL_MS;
  const historyPath = join(opts.outDir, HISTORY_FILE);
  await touchPrivate(historyPath, modes.file);
  const out = { spec: src.regrade.spec, roster, lang: opts.lang, outDir: opts.outDir, modes };
  let wake: (() => void) | null = null;
  const stopWatching = watchFolder(src.source, () => {
    const w = wake;
    wake = null;
    w?.();
  });
  /** Sleeps up to `ms`, woken early by a file-system event or a stop. */
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        wake = null;
        resolve();
      }
      wake = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  /** Waits for the folder to settle (a copy in progress); false when stopped first. */
  const settled = async (): Promise<boolean> => {
    for (;;) {
      const l = await tracker.look();
      if (l.state === 'settled') return true;
      if (signal?.aborted) return false;
      await nap(Math.min(pollMs, tracker.settleMs));
    }
  };
  const update = () => {
    try {
      opts.onUpdate?.(state.snapshot());
    } catch {
      /* display only */
    }
  };
  let round = 0;
  try {
    while (!signal?.aborted && (opts.maxRounds === undefined || round < opts.maxRounds)) {
      if (!(await settled())) break;
      const t0 = Date.now();
      const startedAt = now();
      state.roundStarted(round + 1, startedAt, []);
      const scan = await tracker.scan();
      if (!scan) continue; // the folder changed while it was read: settle and read it again
      round++;
      applyScan(state, scan, round, now(), opts.lang, redact);
      if (scan.classChanged) await writeScanOutputs(scan, out);
      const finishedAt = now();
      const line = state.roundClosed(round, startedAt, finishedAt, [], false);
      await appendHistory(historyPath, line, modes.file);
      const more = !signal?.aborted && (opts.maxRounds === undefined || round < opts.maxRounds);
      state.setNext(more ? new Date(t0 + opts.everySec * 1000) : null);
      const snap = state.snapshot();
      update();
      try {
        opts.onRound?.({ round, startedAt, finishedAt, graded: scan.changed.length, late: [], counts: snap.class.counts, stuck: snap.students.filter((s) => s.stuck).length }, snap);
      } catch {
        /* display only */
      }
      if (!more) break;
      // Until the next round is due, or the folder changes (then: the next round at once, once settled).
      while (!signal?.aborted && Date.now() < t0 + opts.everySec * 1000) {
        if ((await tracker.look()).changedSinceScan) break;
        await nap(Math.min(pollMs, t0 + opts.everySec * 1000 - Date.now()));
      }
    }
    // The final outputs are batch --hand-ins's for the folder as it stands now: a change since the
    // last scan is read once it has settled (a few settle periods at most, even after a stop).
    let last = tracker.last;
    for (let i = 0; i < 20; i++) {
      const l = await tracker.look();
      if (last && !l.changedSinceScan) break;
      if (l.state === 'settled') {
        const s = await tracker.scan();
        if (s) {
          last = s;
          applyScan(state, s, round, now(), opts.lang, redact);
          update();
          break;
        }
      }
      await sleep(Math.max(50, tracker.settleMs / 4));
    }
    if (last) await writeScanOutputs(last, out);
  } finally {
    stopWatching();
  }
  return { rounds: round, summary: state.summary(), state };
}

/** The history file exists from the start, private, appended to (never rewritten). */
async function touchPrivate(path: string, mode: number): Promise<void> {
  const fh = await open(path, 'a', mode);
  await fh.close();
}

async function appendHistory(path: string, line: HistoryLine, mode: number): Promise<void> {
  await appendFile(path, `${JSON.stringify(line)}\n`, { mode });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref?.());
}

function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export type { RosterStudent };
