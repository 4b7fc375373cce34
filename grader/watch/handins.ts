// `labgrade watch --hand-ins DIR|ZIP`: the class followed from its hand-ins (an online course). Each
// scan reads the hand-ins with batch --hand-ins's own reader (grader/handin/batch.ts
// collectSubmissions: bounded, a student's file), matches them to the roster by batch's rule,
// re-grades only the submissions whose bytes changed since the previous scan (gradeSubmission:
// sealed evidence, seal, trust, result disagreements), then assembles the whole class again
// (assembleClass: copies across the class, trust, grades) and writes batch --hand-ins's outputs
// (writeHandInOutputs). Nothing here grades or decides on its own.
//
// A file being copied into the folder is never read half-written: a scan happens only once the
// folder's listing (each hand-in's name, size and modification time) has not changed for
// `settleMs`, and its result is dropped when the listing changed while it was read.
import { lstat, readdir } from 'node:fs/promises';
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { ExerciseSpec, GradeResult, Lang } from '../types.js';
import type { Roster } from '../batch/roster.js';
import type { StudentRecord } from '../batch/types.js';
import { digestOf, resultStatus } from '../batch/run.js';
import { studentFiles } from '../batch/files.js';
import { sha256 } from '../batch/hash.js';
import { assembleClass, collectSubmissions, gradeSubmission, matchSubmissions, writeHandInOutputs, type GradedSubmission, type HandInClass, type MatchedSubmissions } from '../handin/batch.js';
import type { RegradeOptions } from '../handin/regrade.js';
import type { OutputModes } from '../util/fs.js';
import type { WatchState } from './state.js';

/** How long the folder must stay unchanged before it is read (a copy in progress keeps changing it). */
export const DEFAULT_SETTLE_MS = 2000;
/** How often the folder's listing is looked at when no file-system event says it changed. */
export const DEFAULT_POLL_MS = 1000;

export interface HandInSource {
  /** The folder (or Moodle download zip) batch --hand-ins would read. */
  source: string;
  /** What regrade.ts needs: the spec, its hash, the accepted builds, the window, redaction. */
  regrade: RegradeOptions & { spec: ExerciseSpec };
  settleMs?: number;
  pollMs?: number;
}

/** One scan's class: what batch --hand-ins would assemble for the folder as it stood. */
export interface HandInScan {
  matched: MatchedSubmissions;
  graded: Map<string, GradedSubmission>;
  cls: HandInClass;
  results: Map<string, GradeResult>;
  /** Roster ids whose hand-in is new, changed or gone since the previous scan. */
  changed: string[];
  /** Anything in the class differs from the previous scan (a hand-in, a copy found, one matching nobody). */
  classChanged: boolean;
  /** The listing the scan was read under. */
  signature: string;
}

/**
 * The hand-in files as they stand: name, size and modification time of each `.zip` (top level and
 * one folder down, the two layouts batch reads) and each folder's name. Never reads a file.
 */
export async function folderSignature(source: string): Promise<string> {
  try {
    const st = await lstat(source);
    if (!st.isDirectory()) return `file ${st.size} ${st.mtimeMs}`;
    const parts: string[] = [];
    for (const d of (await readdir(source, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(source, d.name);
      if (d.isDirectory()) {
        parts.push(`dir ${d.name}`);
        for (const z of (await readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
          if (!z.name.toLowerCase().endsWith('.zip')) continue;
          const zs = await lstat(join(p, z.name));
          parts.push(`zip ${d.name}/${z.name} ${zs.size} ${zs.mtimeMs}`);
        }
      } else if (d.name.toLowerCase().endsWith('.zip')) {
        const zs = await lstat(p);
        parts.push(`zip ${d.name} ${zs.size} ${zs.mtimeMs}`);
      }
    }
    return parts.join('\n');
  } catch (e) {
    // Something vanished while listing (a rename in progress): a listing that is still changing.
    return `unlisted ${(e as NodeJS.ErrnoException).code ?? 'error'} ${process.hrtime.bigint()}`;
  }
}

/** The hand-ins of one folder, scanned again and again; each submission graded once per content. */
export class HandInTracker {
  private readonly cache = new Map<string, { key: string; graded: GradedSubmission }>();
  private lastListing: string | null = null;
  private listingSince = 0;
  private scanned: string | null = null;
  private latest: HandInScan | null = null;

  constructor(
    private readonly roster: Roster,
    private readonly src: HandInSource,
    private readonly lang: Lang,
    private readonly clock: () => number = Date.now,
  ) {}

  get settleMs(): number {
    return this.src.settleMs ?? DEFAULT_SETTLE_MS;
  }

  get last(): HandInScan | null {
    return this.latest;
  }

  /** Looks at the listing: 'settled' once unchanged for settleMs, else 'changing'. */
  async look(): Promise<{ state: 'settled' | 'changing'; signature: string; changedSinceScan: boolean }> {
    const sig = await folderSignature(this.src.source);
    const now = this.clock();
    if (sig !== this.lastListing) {
      this.lastListing = sig;
      this.listingSince = now;
    }
    return { state: now - this.listingSince >= this.settleMs ? 'settled' : 'changing', signature: sig, changedSinceScan: sig !== this.scanned };
  }

  /**
   * Reads, matches and grades the folder as it stands (only changed submissions are graded again),
   * then assembles the class. null: the listing changed while it was read (read again later).
   */
  async scan(): Promise<HandInScan | null> {
    const before = await folderSignature(this.src.source);
    const subs = await collectSubmissions(this.src.source, this.lang);
    if ((await folderSignature(this.src.source)) !== before) return null;
    const matched = matchSubmissions(subs, this.roster.students, this.lang);
    const graded = new Map<string, GradedSubmission>();
    const changed: string[] = [];
    for (const rs of this.roster.students) {
      const sub = matched.byStudent.get(rs.id);
      const prior = this.cache.get(rs.id);
      if (!sub) {
        if (prior) {
          this.cache.delete(rs.id);
          changed.push(rs.id);
        }
        continue;
      }
      const key = `${sub.label}\n${sub.data ? sha256(sub.data) : `none:${sub.problem ?? ''}`}`;
      if (prior && prior.key === key) {
        graded.set(rs.id, prior.graded);
        continue;
      }
      const g = await gradeSubmission(sub, this.src.regrade);
      this.cache.set(rs.id, { key, graded: g });
      graded.set(rs.id, g);
      changed.push(rs.id);
    }
    const { cls, results } = assembleClass({ spec: this.src.regrade.spec, roster: this.roster, lang: this.lang }, matched, graded);
    // Copies across the class, or hand-ins matching nobody, change the class without changing a hand-in.
    const classChanged = changed.length > 0 || !this.latest || JSON.stringify(cls) !== JSON.stringify(this.latest.cls);
    this.scanned = before;
    this.latest = { matched, graded, cls, results, changed, classChanged, signature: before };
    return this.latest;
  }
}

/**
 * Applies a scan to the live state: a changed student's cells come from their hand-in's result (the
 * same record and digest shape batch keeps); a refused hand-in is `failed` with its reason; a hand-in
 * gone sends the student back to waiting. Unchanged students keep their cells and how long they held.
 */
export function applyScan(state: WatchState, scan: HandInScan, round: number, at: Date, lang: Lang, redact: (s: string) => string): void {
  for (const id of scan.changed) {
    const g = scan.graded.get(id);
    const hs = scan.cls.students.find((s) => s.id === id);
    if (!g || !hs) {
      state.forget(id);
      continue;
    }
    const r = g.result;
    const files = studentFiles(id);
    const status = r ? resultStatus(r, lang, redact) : { status: 'failed' as const, failure: { code: 'refused', message: g.flags[0]?.reason ?? '' } };
    const record: StudentRecord = {
      schemaVersion: 1,
      id,
      status: status.status,
      inputHash: '',
      hashes: { spec: '', answers: '', lab: '', options: '' },
      startedAt: at.toISOString(),
      finishedAt: at.toISOString(),
      durationMs: 0,
      ...(status.failure ? { error: status.failure } : {}),
      files: { json: files.json, html: files.html },
    };
    state.graded(id, round, record, r ? digestOf(r) : null);
  }
  state.setHandIns(scan.cls);
}

/** batch --hand-ins's outputs for the scan (reports, class.json, grades.csv, index.html, feedback.zip). */
export async function writeScanOutputs(scan: HandInScan, o: { spec: ExerciseSpec; roster: Roster; lang: Lang; outDir: string; modes: OutputModes }): Promise<void> {
  await writeHandInOutputs(o, scan.cls, scan.results, scan.matched);
}

/**
 * Calls `onChange` when something in the folder may have changed: fs.watch where the system has it
 * (recursive where it can, the folder itself otherwise), and in every case the caller's own polling
 * of the listing (a network or FUSE folder may send no event at all). Returns the closer.
 */
export function watchFolder(source: string, onChange: () => void): () => void {
  let w: FSWatcher | null = null;
  for (const recursive of [true, false]) {
    try {
      w = fsWatch(source, { recursive, persistent: false }, () => onChange());
      w.on('error', () => {
        w?.close();
        w = null;
      });
      break;
    } catch {
      w = null;
    }
  }
  return () => w?.close();
}
