// `batch --shard K/N`: which students a slice grades, and the manifest a slice leaves beside its
// results so `batch merge` can rebuild the class outputs exactly as one run would.
//
// A student belongs to slice 1 + (first 32 bits of sha256(student id)) mod N. The rule depends only
// on the id and N: reordering the roster, or adding and removing other students, never moves a
// student to another slice (so `--resume` in a CI cache keeps working), and every job of a matrix
// computes the same split without talking to the others. The price: slices are balanced only on
// average (a class of 30 in 4 slices gets roughly 5 to 10 per slice), not exactly.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Lang } from '../types.js';
import { PRIVATE_MODES, writeFileAtomic, type OutputModes } from '../util/fs.js';
import type { ExportOptions, Roster } from './roster.js';
import type { BatchOutcome } from './run.js';

export interface Shard {
  /** 1-based slice number. */
  k: number;
  n: number;
}

export const MAX_SHARDS = 1000;
export const MANIFEST = 'shard.json';

/** Parses "K/N"; null when malformed or out of range (the caller reports it). */
export function parseShard(text: string): Shard | null {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  if (!m) return null;
  const k = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || n > MAX_SHARDS || k < 1 || k > n) return null;
  return { k, n };
}

/** The slice (1-based) a student id belongs to when the class is split in n. */
export function shardOf(id: string, n: number): number {
  const h = createHash('sha256').update(id, 'utf8').digest();
  return (h.readUInt32BE(0) % n) + 1;
}

/** The roster restricted to one slice (same file, order and export settings). */
export function sliceRoster(roster: Roster, shard: Shard): Roster {
  return { ...roster, students: roster.students.filter((s) => shardOf(s.id, shard.n) === shard.k) };
}

export interface ShardManifest {
  schemaVersion: 1;
  kind: 'labgrade-shard';
  shard: Shard;
  /** The roster as given and the sha256 of its bytes (merge refuses another version). */
  roster: { file: string; sha256: string; students: number };
  exercise: { id: string; title: string; file: string };
  lang: Lang;
  /** Export settings after command-line overrides (--identity, --scale). */
  export: ExportOptions;
  startedAt: string;
  finishedAt: string;
  wallMs: number;
  interrupted: boolean;
  /** This slice's students in roster order; `recorded`: a status file was written for this run. */
  students: { id: string; recorded: boolean; reused: boolean }[];
}

export function buildManifest(
  shard: Shard,
  roster: Roster,
  rosterSha256: string,
  totalStudents: number,
  outcome: BatchOutcome,
  meta: { exercise: ShardManifest['exercise']; lang: Lang },
): ShardManifest {
  return {
    schemaVersion: 1,
    kind: 'labgrade-shard',
    shard,
    roster: { file: roster.file, sha256: rosterSha256, students: totalStudents },
    exercise: meta.exercise,
    lang: meta.lang,
    export: { ...roster.export },
    startedAt: outcome.startedAt,
    finishedAt: outcome.finishedAt,
    wallMs: outcome.wallMs,
    interrupted: outcome.interrupted,
    students: outcome.students.map((o) => ({ id: o.student.id, recorded: o.record !== null, reused: o.reused })),
  };
}

export async function writeManifest(outDir: string, m: ShardManifest, modes: OutputModes = PRIVATE_MODES): Promise<void> {
  await writeFileAtomic(join(outDir, MANIFEST), `${JSON.stringify(m, null, 2)}\n`, modes.file, modes.dir);
}
