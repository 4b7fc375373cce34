// `labgrade batch merge`: rebuilds a class's outputs (class.json, index.html, grades.csv) from the
// folders of `batch --shard K/N` runs. Each slice's manifest (shard.json) says which students it
// ran; their records and results are read back, the students' files are copied into the merged
// folder, and the summary is built by the same code and in the same roster order as a single run,
// so the outputs are the same bytes (up to the run's wall time and start/end times, which are the
// earliest start, the latest end and the longest slice).
import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError, type GradeResult, type InputIssue, type Lang } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/shard.js';
import en from '../i18n/en/shard.js';
import { fileHash } from './hash.js';
import { PRIVATE_MODES } from '../util/fs.js';
import type { Roster } from './roster.js';
import { digestOf, type BatchOutcome, type StudentOutcome } from './run.js';
import { studentFiles } from './files.js';
import { MANIFEST, shardOf, type ShardManifest } from './shard.js';
import type { StudentRecord } from './types.js';

const t = translator(es, en);

export interface LoadedSlice {
  dir: string;
  manifest: ShardManifest;
}

function isManifest(x: unknown): x is ShardManifest {
  const m = x as ShardManifest;
  return (
    !!m &&
    m.kind === 'labgrade-shard' &&
    m.schemaVersion === 1 &&
    Number.isInteger(m.shard?.k) &&
    Number.isInteger(m.shard?.n) &&
    typeof m.roster?.sha256 === 'string' &&
    typeof m.exercise?.id === 'string' &&
    (m.lang === 'es' || m.lang === 'en') &&
    typeof m.export === 'object' &&
    Array.isArray(m.students) &&
    m.students.every((s) => typeof s?.id === 'string' && typeof s.recorded === 'boolean')
  );
}

/** Reads and cross-checks the manifests; throws InputError naming every bad folder. */
export async function loadSlices(dirs: string[], roster: Roster, lang: Lang): Promise<{ slices: LoadedSlice[]; missing: number[]; n: number }> {
  const issues: InputIssue[] = [];
  const slices: LoadedSlice[] = [];
  const rosterSha = await fileHash(roster.file);
  for (const d of dirs) {
    const dir = resolve(d);
    let raw: string;
    try {
      raw = await readFile(join(dir, MANIFEST), 'utf8');
    } catch {
      issues.push({ file: join(dir, MANIFEST), message: t(lang, 'noManifest', { dir }) });
      continue;
    }
    let m: unknown;
    try {
      m = JSON.parse(raw);
    } catch (e) {
      issues.push({ file: join(dir, MANIFEST), message: t(lang, 'badManifest', { dir, detail: (e as Error).message }) });
      continue;
    }
    if (!isManifest(m)) {
      issues.push({ file: join(dir, MANIFEST), message: t(lang, 'badManifest', { dir, detail: 'kind/schemaVersion/shard/students' }) });
      continue;
    }
    if (m.roster.sha256 !== rosterSha) issues.push({ file: join(dir, MANIFEST), message: t(lang, 'rosterChanged', { dir, roster: roster.display }) });
    slices.push({ dir, manifest: m });
  }
  const first = slices[0];
  if (first) {
    const same = (what: string, get: (m: ShardManifest) => unknown) => {
      for (const s of slices.slice(1)) {
        const a = JSON.stringify(get(first.manifest));
        const b = JSON.stringify(get(s.manifest));
        if (a !== b) issues.push({ file: join(s.dir, MANIFEST), message: t(lang, 'mismatch', { dir: s.dir, what, first: first.dir, a, b }) });
      }
    };
    same('N (--shard K/N)', (m) => m.shard.n);
    same('exercise', (m) => m.exercise.id);
    same('--lang', (m) => m.lang);
    same('export (--identity, --scale)', (m) => m.export);
    const seen = new Map<number, string>();
    for (const s of slices) {
      const prev = seen.get(s.manifest.shard.k);
      if (prev !== undefined) {
        issues.push({ file: join(s.dir, MANIFEST), message: t(lang, 'duplicateSlice', { k: s.manifest.shard.k, n: s.manifest.shard.n, a: prev, b: s.dir }) });
      }
      seen.set(s.manifest.shard.k, s.dir);
    }
  }
  if (issues.length) throw new InputError(issues[0]!.message, issues);
  const n = first?.manifest.shard.n ?? 0;
  const have = new Set(slices.map((s) => s.manifest.shard.k));
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !have.has(k));
  return { slices, missing, n };
}

/** Copies a file (with its mode: the slice's private or public) by a temporary name and a rename. */
async function copyAtomic(from: string, to: string): Promise<void> {
  if (resolve(from) === resolve(to)) return;
  const tmp = `${to}.${process.pid}.merge.tmp`;
  await copyFile(from, tmp);
  await rename(tmp, to);
}

/**
 * The outcome a single run over the whole roster would have produced, from the slices; the
 * students' files are copied into outDir. `warnings` are for the user (never fatal).
 */
export async function mergeSlices(
  roster: Roster,
  loaded: { slices: LoadedSlice[]; n: number },
  outDir: string,
  lang: Lang,
  dirMode: number = PRIVATE_MODES.dir,
): Promise<{ outcome: BatchOutcome; warnings: string[] }> {
  const warnings: string[] = [];
  const byK = new Map(loaded.slices.map((s) => [s.manifest.shard.k, s]));
  const rosterIds = new Set(roster.students.map((s) => s.id));
  for (const s of loaded.slices) {
    for (const st of s.manifest.students) {
      if (!rosterIds.has(st.id) || shardOf(st.id, loaded.n) !== s.manifest.shard.k) {
        warnings.push(t(lang, 'foreignStudent', { dir: s.dir, id: st.id, k: s.manifest.shard.k, n: loaded.n }));
      }
    }
  }
  await mkdir(join(outDir, 'students'), { recursive: true, mode: dirMode });
  const students: StudentOutcome[] = [];
  for (const student of roster.students) {
    const slice = byK.get(shardOf(student.id, loaded.n));
    const entry = slice?.manifest.students.find((x) => x.id === student.id);
    if (!slice || !entry || !entry.recorded) {
      students.push({ student, record: null, digest: null, reused: false });
      continue;
    }
    const files = studentFiles(student.id);
    let record: StudentRecord;
    let result: GradeResult;
    try {
      record = JSON.parse(await readFile(join(slice.dir, files.status), 'utf8')) as StudentRecord;
      result = JSON.parse(await readFile(join(slice.dir, files.json), 'utf8')) as GradeResult;
      if (record.id !== student.id) throw new Error(`status file of ${record.id}`);
    } catch (e) {
      warnings.push(t(lang, 'unreadable', { dir: slice.dir, id: student.id, detail: (e as Error).message }));
      students.push({ student, record: null, digest: null, reused: false });
      continue;
    }
    // Same order as a run: result, report, then the sidecar that says both are complete.
    await copyAtomic(join(slice.dir, files.json), join(outDir, files.json));
    await copyAtomic(join(slice.dir, files.html), join(outDir, files.html));
    await copyAtomic(join(slice.dir, files.status), join(outDir, files.status));
    students.push({ student, record, digest: digestOf(result), reused: entry.reused });
  }
  const ms = loaded.slices.map((s) => s.manifest);
  const startedAt = ms.map((m) => m.startedAt).sort()[0] ?? new Date().toISOString();
  const finishedAt = ms.map((m) => m.finishedAt).sort().at(-1) ?? startedAt;
  return {
    outcome: {
      students,
      interrupted: ms.some((m) => m.interrupted),
      startedAt,
      finishedAt,
      wallMs: Math.max(0, ...ms.map((m) => m.wallMs)),
    },
    warnings,
  };
}
