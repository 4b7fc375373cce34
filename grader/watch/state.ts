// What `labgrade watch` knows about the class between rounds: each student's latest grading (the
// same record and digest `batch` keeps), whether a grading of theirs is queued or running now, and
// per matrix cell the outcome, since when it has held and for how many gradings in a row. The
// class part of the snapshot is batch's own summary (grader/batch/summary.ts buildSummary) built
// from the latest gradings, so /state.json's `class` is what `batch` would write for that round.
import type { Lang } from '../types.js';
import type { Roster } from '../batch/roster.js';
import type { BatchOutcome, StudentOutcome } from '../batch/run.js';
import type { ResultDigest, StudentRecord, StudentStatus } from '../batch/types.js';
import { buildSummary, cellOutcome, type ClassSummary } from '../batch/summary.js';
import type { HandInClass } from '../handin/batch.js';

/** Outcomes that are the student's own mistake (an `error` is a measurement we could not make). */
const FAILING = new Set(['fail', 'partial']);

export interface CellState {
  /** As in the class summary's matrix: pass, fail, partial, warning, error, skip. */
  outcome: string;
  /** The outcome and its codes: "the same verdict" means the same signature. */
  signature: string;
  /** When this verdict was first seen (the end of the grading that first gave it). */
  since: string;
  sinceRound: number;
  /** Gradings in a row that gave this verdict. */
  rounds: number;
  /** A failing verdict held for --stuck gradings or more. */
  stuck: boolean;
}

export interface WatchStudent {
  id: string;
  /** batch's status of the latest grading (pending before the first one ends). */
  status: StudentStatus;
  /** Queued or being graded now (its cells still show the previous grading). */
  grading: 'idle' | 'queued' | 'running';
  /** The round whose grading the cells show (null: none yet). */
  round: number | null;
  gradedAt: string | null;
  /** The cells come from a round older than the last one closed (a slow or unreachable host). */
  stale: boolean;
  stuck: boolean;
  cells: Record<string, CellState>;
}

export interface FirstPass {
  student: string;
  question: string;
  round: number;
  at: string;
}

export interface WatchSnapshot {
  schemaVersion: 1;
  kind: 'labgrade-watch';
  /** The last round closed (0 before the first one ends). */
  round: number;
  /** The round being graded now, if any. */
  current: { round: number; startedAt: string } | null;
  /** When the next round starts, when known. */
  nextAt: string | null;
  everySec: number;
  stuckAfter: number;
  /** When each student first passed each question (student id -> verdict id -> first pass). */
  firstPassed: Record<string, Record<string, { round: number; at: string }>>;
  students: WatchStudent[];
  /** batch's class summary (class.json) over each student's latest grading. */
  class: ClassSummary;
  /**
   * With --hand-ins: the class as `batch --hand-ins` writes it in class.json (trust, reasons, copies
   * across the class, hand-ins that match nobody); null otherwise.
   */
  handIns: HandInClass | null;
}

/** One line of history.jsonl: a closed round. */
export interface HistoryLine {
  kind: 'labgrade-watch-round';
  round: number;
  startedAt: string;
  finishedAt: string;
  /** Students graded in this round (the others kept their previous state). */
  graded: string[];
  /** Students still queued or running when the round closed. */
  late: string[];
  /** First passes seen since the previous line. */
  firstPassed: FirstPass[];
  students: Record<string, { status: StudentStatus; round: number | null; cells: Record<string, string> }>;
}

interface Entry extends StudentOutcome {
  grading: WatchStudent['grading'];
  round: number | null;
  gradedAt: string | null;
  cells: Map<string, CellState>;
}

export class WatchState {
  private readonly entries: Entry[];
  private readonly byId = new Map<string, Entry>();
  private readonly firstPassed = new Map<string, Map<string, { round: number; at: string }>>();
  private newFirstPasses: FirstPass[] = [];
  private closed = 0;
  private current: WatchSnapshot['current'] = null;
  private nextAt: string | null = null;
  private lastOutcome: Pick<BatchOutcome, 'startedAt' | 'finishedAt' | 'wallMs' | 'interrupted'>;
  private handIns: HandInClass | null = null;

  constructor(
    private readonly roster: Roster,
    private readonly meta: {
      exercise: ClassSummary['exercise'];
      lang: Lang;
      version: string;
      everySec: number;
      stuckAfter: number;
      now: () => Date;
      /** Hand-ins: a student is graded again only when their hand-in changes, so never stale. */
      handIns?: boolean;
    },
  ) {
    this.entries = roster.students.map((student) => ({ student, record: null, digest: null, reused: false, grading: 'idle', round: null, gradedAt: null, cells: new Map() }));
    for (const e of this.entries) this.byId.set(e.student.id, e);
    const at = meta.now().toISOString();
    this.lastOutcome = { startedAt: at, finishedAt: at, wallMs: 0, interrupted: false };
  }

  get lastRound(): number {
    return this.closed;
  }

  roundStarted(round: number, startedAt: Date, ids: string[]): void {
    this.current = { round, startedAt: startedAt.toISOString() };
    this.nextAt = null;
    for (const id of ids) {
      const e = this.byId.get(id);
      if (e) e.grading = 'queued';
    }
  }

  started(id: string): void {
    const e = this.byId.get(id);
    if (e) e.grading = 'running';
  }

  /** A grading that ended without a result to show (interrupted): the previous one stays. */
  abandoned(id: string): void {
    const e = this.byId.get(id);
    if (e) e.grading = 'idle';
  }

  /** A grading of `round` ended: its record and digest become the student's state. */
  graded(id: string, round: number, record: StudentRecord, digest: ResultDigest | null): void {
    const e = this.byId.get(id);
    if (!e) return;
    e.grading = 'idle';
    e.record = record;
    e.digest = digest;
    e.round = round;
    e.gradedAt = record.finishedAt;
    const at = record.finishedAt;
    const seen = new Set<string>();
    if (digest && record.status !== 'failed') {
      for (const v of digest.verdicts) {
        if (v.question === undefined) continue;
        seen.add(v.id);
        const outcome = cellOutcome(v);
        const signature = `${outcome}|${[...v.codes].sort().join(',')}`;
        const prev = e.cells.get(v.id);
        const cell: CellState =
          prev && prev.signature === signature
            ? { ...prev, rounds: prev.rounds + 1 }
            : { outcome, signature, since: at, sinceRound: round, rounds: 1, stuck: false };
        cell.stuck = FAILING.has(cell.outcome) && cell.rounds >= this.meta.stuckAfter;
        e.cells.set(v.id, cell);
        if (outcome === 'pass') {
          let mine = this.firstPassed.get(id);
          if (!mine) this.firstPassed.set(id, (mine = new Map()));
          if (!mine.has(v.id)) {
            mine.set(v.id, { round, at });
            this.newFirstPasses.push({ student: id, question: v.id, round, at });
          }
        }
      }
    }
    // A grading with no verdict for a cell (no result at all, task not graded): the cell is empty.
    for (const k of [...e.cells.keys()]) if (!seen.has(k)) e.cells.delete(k);
  }

  /** The student's hand-in is gone: back to waiting, nothing to show. */
  forget(id: string): void {
    const e = this.byId.get(id);
    if (!e) return;
    Object.assign(e, { record: null, digest: null, grading: 'idle', round: null, gradedAt: null });
    e.cells.clear();
  }

  /** With --hand-ins: the class as batch --hand-ins assembles it, after the latest scan. */
  setHandIns(cls: HandInClass): void {
    this.handIns = cls;
  }

  /** Closes `round`: the history line to append. `late`: its students still queued or running. */
  roundClosed(round: number, startedAt: Date, finishedAt: Date, late: string[], interrupted = false): HistoryLine {
    this.closed = round;
    this.current = null;
    this.lastOutcome = { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), wallMs: finishedAt.getTime() - startedAt.getTime(), interrupted };
    const line: HistoryLine = {
      kind: 'labgrade-watch-round',
      round,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      graded: this.entries.filter((e) => e.round === round).map((e) => e.student.id),
      late,
      firstPassed: this.newFirstPasses,
      students: Object.fromEntries(
        this.entries.map((e) => [e.student.id, { status: e.record?.status ?? 'pending', round: e.round, cells: Object.fromEntries([...e.cells].map(([k, c]) => [k, c.outcome])) }]),
      ),
    };
    this.newFirstPasses = [];
    return line;
  }

  setNext(at: Date | null): void {
    this.nextAt = at ? at.toISOString() : null;
  }

  /** The class as batch's outcome: each student's latest grading (pending when none yet). */
  outcome(): BatchOutcome {
    return {
      students: this.entries.map(({ student, record, digest, reused }) => ({ student, record, digest, reused })),
      ...this.lastOutcome,
    };
  }

  summary(): ClassSummary {
    return buildSummary(this.roster, this.outcome(), { exercise: this.meta.exercise, lang: this.meta.lang, version: this.meta.version });
  }

  snapshot(): WatchSnapshot {
    return {
      schemaVersion: 1,
      kind: 'labgrade-watch',
      round: this.closed,
      current: this.current,
      nextAt: this.nextAt,
      everySec: this.meta.everySec,
      stuckAfter: this.meta.stuckAfter,
      firstPassed: Object.fromEntries([...this.firstPassed].map(([id, m]) => [id, Object.fromEntries(m)])),
      students: this.entries.map((e) => {
        const cells = Object.fromEntries(e.cells);
        return {
          id: e.student.id,
          status: e.record?.status ?? 'pending',
          grading: e.grading,
          round: e.round,
          gradedAt: e.gradedAt,
          stale: !this.meta.handIns && this.closed > 0 && (e.round === null || e.round < this.closed),
          stuck: Object.values(cells).some((c) => c.stuck),
          cells,
        };
      }),
      class: this.summary(),
      handIns: this.handIns,
    };
  }
}
