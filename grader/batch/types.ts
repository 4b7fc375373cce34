// Shapes of `labgrade batch`: the per-student record (written as a sidecar next to each result),
// the injectable grading function, and the events the progress display listens to.
import type { GradeResult, Lang, Outcome, TrustedHostKey } from '../types.js';
import type { InputHashes } from './hash.js';
import type { Secrets } from '../inputs/secrets.js';
import type { RosterStudent } from './roster.js';

/**
 * graded: a result with nothing unmeasured. incomplete: a result, but some item could not be
 * measured or part of the run stopped (wrong password, guest down...). failed: no result at all
 * (bad answers file, deadline, crash). pending: not run (interrupted).
 */
export type StudentStatus = 'graded' | 'incomplete' | 'failed' | 'pending';

export interface StudentRecord {
  schemaVersion: 1;
  id: string;
  status: StudentStatus;
  /** sha256 over `hashes`: --resume skips a graded student whose inputs hash the same. */
  inputHash: string;
  hashes: InputHashes;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Why the student is not `graded` (localized, secrets redacted). */
  error?: { code: string; message: string };
  /** Output files, relative to the output folder. */
  files: { json: string; html: string };
  /** sha256 of the result file and of the report as written (--resume verifies both). */
  resultHash?: string;
  reportHash?: string;
  /**
   * HMAC-SHA256 over id, status, inputHash, resultHash and reportHash with the teacher's key
   * (grader/batch/seal.ts, outside --out): --resume trusts only a status it sealed itself.
   */
  seal?: string;
}

/**
 * Grades one student. Must honour `signal` where it can (deadline, Ctrl-C). `secrets` is the
 * student's own redaction registry (over the teacher's): their secrets go there, never further.
 */
export type GradeFn = (student: RosterStudent, ctx: { signal: AbortSignal; lang: Lang; secrets: Secrets }) => Promise<GradeResult>;

/** The compact part of a result the class summary needs (results themselves are not kept in memory). */
export interface ResultDigest {
  percent: number;
  points: number;
  maxPoints: number;
  trustedHostKeys?: TrustedHostKey[];
  verdicts: DigestVerdict[];
}

export interface DigestVerdict {
  id: string;
  task: string;
  taskTitle: string;
  question?: string;
  /** The spec's own short title of the question (`questions.<id>.title`), when it has one. */
  questionTitle?: string;
  role?: string;
  check: string;
  subject?: string;
  outcome: Outcome;
  severity: 'error' | 'warning';
  points: number;
  maxPoints: number;
  codes: string[];
  hint?: string;
  message: string;
}

export type BatchEvent =
  | { type: 'queued'; total: number; reused: number }
  | { type: 'start'; student: RosterStudent }
  | { type: 'done'; student: RosterStudent; record: StudentRecord; percent: number | null }
  | { type: 'reused'; student: RosterStudent; record: StudentRecord; percent: number | null };
