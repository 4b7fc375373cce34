// Writing a hand-in (`check --hand-in entrega.zip`). One check is one run; a student who checks
// task by task (one lab file per task, as the demo does) gathers the runs in one file: when the
// file already holds a hand-in of the same exercise with the same answers, the new run is added
// (a run with the same task selection replaces the old one). Other answers start a new file.
import type { GradeResult } from '../types.js';
import type { Lang } from '../types.js';
import { stat } from 'node:fs/promises';
import { writeFileAtomic } from '../util/fs.js';
import { chainOf, CHAIN_START, sha256, type EvidenceEntry } from './evidence.js';
import { HANDIN_FORMAT, HANDIN_VERSION, MANIFEST, MAX_RUNS, chainEntries, type Manifest, type ManifestRun } from './format.js';
import { readHandIn, HandInRefused } from './read.js';
import { writeZip } from './zip.js';

export interface NewRun {
  task: string;
  /** The lab file already without secrets (format.ts labForHandIn). */
  lab: string;
  evidence: EvidenceEntry[];
  result: GradeResult;
  reportHtml: string;
}

interface RunFiles {
  meta: Omit<ManifestRun, 'n'>;
  lab: Buffer;
  evidence: Buffer;
  result: Buffer;
  report: Buffer;
}

/** Every string of a value through the redactor. */
function redactDeep<T>(v: T, redact: (s: string) => string): T {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' ? redact(x) : x))) as T;
}

/** The evidence as it goes into the file: redacted, then chained again over what is written. */
export function sealEvidence(entries: EvidenceEntry[], redact: (s: string) => string): string {
  let prev = CHAIN_START;
  const lines = entries.map((e) => {
    const { chain: _old, ...rest } = e;
    const clean = redactDeep(rest, redact);
    prev = chainOf(prev, clean);
    return JSON.stringify({ ...clean, chain: prev });
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export interface WriteHandInInput {
  path: string;
  answers: Buffer;
  exercise: { id: string; sha256: string };
  student: Manifest['student'];
  tool: Manifest['tool'];
  run: NewRun;
  redact: (s: string) => string;
  lang: Lang;
  now: Date;
}

/** Writes (or extends) the hand-in; returns its manifest and whether earlier runs were kept. */
export async function writeHandIn(o: WriteHandInInput): Promise<{ manifest: Manifest; kept: number; replaced: boolean }> {
  const runs: RunFiles[] = [];
  let replaced = false;
  const exists = await stat(o.path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (exists) {
    try {
      const old = await readHandIn(o.path, o.path, o.lang);
      const sameHandIn =
        old.sealProblems.length === 0 && old.manifest.exercise.id === o.exercise.id && old.manifest.exercise.sha256 === o.exercise.sha256 && sha256(old.answers) === sha256(o.answers);
      if (sameHandIn) {
        for (const r of old.manifest.runs) {
          if (r.task === o.run.task) {
            replaced = true;
            continue;
          }
          const f = (n: string): Buffer => old.files.get(`runs/${r.n}/${n}`) ?? Buffer.alloc(0);
          const { n: _n, ...meta } = r;
          runs.push({ meta, lab: f('lab.yaml'), evidence: f('evidence.jsonl'), result: f('result.json'), report: f('report.html') });
        }
      }
    } catch (e) {
      // Not a hand-in (or not a readable one): it is replaced by a new one.
      if (!(e instanceof HandInRefused)) throw e;
    }
  }
  const kept = runs.length;
  const r = o.run;
  const evidence = sealEvidence(r.evidence, o.redact);
  runs.push({
    meta: {
      task: r.task,
      startedAt: r.result.startedAt,
      finishedAt: r.result.finishedAt,
      score: { points: r.result.totals.points, maxPoints: r.result.totals.maxPoints, percent: r.result.totals.percent },
      evidenceEntries: r.evidence.length,
    },
    lab: Buffer.from(o.redact(r.lab), 'utf8'),
    evidence: Buffer.from(evidence, 'utf8'),
    result: Buffer.from(o.redact(`${JSON.stringify(r.result, null, 2)}\n`), 'utf8'),
    report: Buffer.from(o.redact(r.reportHtml), 'utf8'),
  });
  while (runs.length > MAX_RUNS) runs.shift();

  const files: { name: string; data: Buffer }[] = [{ name: 'answers.yaml', data: o.answers }];
  const metas: ManifestRun[] = [];
  runs.forEach((x, i) => {
    const n = i + 1;
    metas.push({ n, ...x.meta });
    files.push(
      { name: `runs/${n}/lab.yaml`, data: x.lab },
      { name: `runs/${n}/evidence.jsonl`, data: x.evidence },
      { name: `runs/${n}/result.json`, data: x.result },
      { name: `runs/${n}/report.html`, data: x.report },
    );
  });
  const { entries, seal } = chainEntries(files);
  const manifest: Manifest = {
    format: HANDIN_FORMAT,
    version: HANDIN_VERSION,
    createdAt: o.now.toISOString(),
    tool: o.tool,
    exercise: o.exercise,
    student: redactDeep(o.student, o.redact),
    runs: metas,
    entries,
    seal,
  };
  const zip = await writeZip([{ name: MANIFEST, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') }, ...files], o.now);
  await writeFileAtomic(o.path, zip);
  return { manifest, kept, replaced };
}
