// batch --shard K/N and batch merge: the split is stable and complete, and merging the slices'
// folders gives the same class outputs as one run over the whole roster (the CSV and the summary
// page byte for byte; class.json up to the measured durations).
import { expect } from 'chai';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, TransportError } from '../../../grader/types.js';
import { loadRoster, type Roster } from '../../../grader/batch/roster.js';
import { runBatch, type BatchOptions } from '../../../grader/batch/run.js';
import type { GradeFn } from '../../../grader/batch/types.js';
import { writeClassOutputs } from '../../../grader/batch/outputs.js';
import { buildManifest, parseShard, shardOf, sliceRoster, writeManifest } from '../../../grader/batch/shard.js';
import { loadSlices, mergeSlices } from '../../../grader/batch/merge.js';
import { fileHash } from '../../../grader/batch/hash.js';
import { redact } from '../../../grader/inputs/secrets.js';
import { fakeResult, tempClass, writeFiles } from './helpers.js';

const EXERCISE = { id: 'clase2-redes', title: 'Clase 2', file: '' };

async function makeClass(dir: string, n: number, reversed = false): Promise<Roster> {
  const files: Record<string, string> = { 'spec.yaml': 'id: fake-spec\n' };
  const lines = ['defaults:', '  answers: answers/{id}.yaml', 'students:'];
  const ids = Array.from({ length: n }, (_, i) => i);
  for (const i of reversed ? ids.reverse() : ids) {
    const id = `s${String(i).padStart(2, '0')}`;
    files[`answers/${id}.yaml`] = `student: { name: Student ${i} }\n`;
    lines.push(`  - id: ${id}`, `    name: Student ${i}`, `    email: ${id}@x.org`, `    lab: { uri: "qemu+ssh://t@host${i % 3}.example/system", vms: { linux: { domain: ${id}-deb, access: [agent] } } }`);
  }
  files[reversed ? 'roster-reversed.yaml' : 'roster.yaml'] = `${lines.join('\n')}\n`;
  await writeFiles(dir, files);
  return loadRoster(join(dir, reversed ? 'roster-reversed.yaml' : 'roster.yaml'), 'en');
}

/** Deterministic results: some failures, one incomplete, one that cannot be graded at all. */
const grade: GradeFn = async (s) => {
  const i = Number(s.id.slice(1));
  if (i === 4) throw new TransportError('auth', `ssh root@${s.id}`, 'Permission denied (publickey)');
  const qs = fakeResult(s.name).tasks.flatMap((task) => task.questions.map((v) => v.id));
  if (i === 7) return fakeResult(s.name, { unmeasured: [qs[0]!] });
  return fakeResult(s.name, { failing: qs.filter((_, j) => (i + j) % 4 === 0), partial: i % 5 === 0 ? [qs[1]!] : [] });
};

const FIXED = new Date('2026-11-28T10:00:00.000Z');
function options(dir: string, out: string): BatchOptions {
  return { exercise: { ...EXERCISE, file: join(dir, 'spec.yaml') }, outDir: join(dir, out), concurrency: 3, perHost: 2, resume: false, lang: 'en', graceMs: 50 };
}
const deps = { grade, redact, now: () => FIXED };

/** class.json without what is measured (durations): everything else must be equal. */
function comparable(json: string): unknown {
  const c = JSON.parse(json) as { wallMs: number; students: { durationMs: number | null }[] };
  c.wallMs = 0;
  for (const s of c.students) s.durationMs = s.durationMs === null ? null : 0;
  return c;
}

async function runSlices(dir: string, roster: Roster, n: number): Promise<string[]> {
  const sha = await fileHash(roster.file);
  const dirs: string[] = [];
  for (let k = 1; k <= n; k++) {
    const shard = { k, n };
    const slice = sliceRoster(roster, shard);
    const o = options(dir, `slice-${k}`);
    await mkdir(o.outDir, { recursive: true });
    const outcome = await runBatch(slice, o, deps);
    await writeManifest(o.outDir, buildManifest(shard, slice, sha, roster.students.length, outcome, { exercise: o.exercise, lang: 'en' }));
    dirs.push(o.outDir);
  }
  return dirs;
}

describe('batch: --shard K/N and merge', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(async () => {
    dir = await tempClass();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('parses K/N and refuses anything else', () => {
    expect(parseShard('2/5')).to.deep.equal({ k: 2, n: 5 });
    expect(parseShard(' 1 / 1 ')).to.deep.equal({ k: 1, n: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '1/1001', 'a/b', '1', '1/2/3', '-1/2', '1.5/2', '']) expect(parseShard(bad), bad).to.equal(null);
  });

  it('puts every student in exactly one slice, by id only (roster order does not matter)', async () => {
    const roster = await makeClass(dir, 30);
    const reversed = await makeClass(dir, 30, true);
    for (const n of [1, 2, 4, 7]) {
      const slices = Array.from({ length: n }, (_, i) => sliceRoster(roster, { k: i + 1, n }).students.map((s) => s.id));
      expect(slices.flat().sort()).to.deep.equal(roster.students.map((s) => s.id).sort());
      const again = Array.from({ length: n }, (_, i) => sliceRoster(reversed, { k: i + 1, n }).students.map((s) => s.id).sort());
      expect(again).to.deep.equal(slices.map((s) => [...s].sort()));
    }
    // A fixed point of the rule, so a change of rule (which would move students between CI jobs) is noticed.
    expect(['s00', 'alice', 's17'].map((id) => [shardOf(id, 4), shardOf(id, 7)])).to.deep.equal([[2, 1], [2, 1], [2, 1]]);
    expect(['s01', 's02', 's03'].map((id) => shardOf(id, 1000))).to.deep.equal([541, 129, 874]);
    expect(sliceRoster(roster, { k: 1, n: 1 }).students).to.have.length(30);
  });

  it('merged slices give the same class outputs as one run', async () => {
    const roster = await makeClass(dir, 13);
    const single = options(dir, 'single');
    const outcome = await runBatch(roster, single, deps);
    await writeClassOutputs(roster, outcome, { outDir: single.outDir, exercise: single.exercise, lang: 'en' });

    const dirs = await runSlices(dir, roster, 3);
    const merged = join(dir, 'merged');
    const loaded = await loadSlices(dirs, roster, 'en');
    expect(loaded.missing).to.deep.equal([]);
    const m = await mergeSlices(roster, loaded, merged, 'en');
    expect(m.warnings).to.deep.equal([]);
    await writeClassOutputs(roster, m.outcome, { outDir: merged, exercise: single.exercise, lang: 'en' });

    const read = (d: string, f: string) => readFile(join(d, f), 'utf8');
    expect(await read(merged, 'grades.csv')).to.equal(await read(single.outDir, 'grades.csv'));
    expect(await read(merged, 'index.html')).to.equal(await read(single.outDir, 'index.html'));
    expect(comparable(await read(merged, 'class.json'))).to.deep.equal(comparable(await read(single.outDir, 'class.json')));
    // The students' own files are there too (the summary links to them), the same results.
    const files = (await readdir(join(merged, 'students'))).sort();
    expect(files).to.deep.equal((await readdir(join(single.outDir, 'students'))).sort());
    for (const f of files.filter((x) => x.endsWith('.json') && !x.endsWith('.status.json'))) {
      expect(await read(merged, `students/${f}`), f).to.equal(await read(single.outDir, `students/${f}`));
    }
    const summary = JSON.parse(await read(merged, 'class.json')) as { counts: Record<string, number> };
    expect(summary.counts).to.include({ students: 13, failed: 1, incomplete: 1, graded: 11, pending: 0 });
  });

  it('a missing slice leaves its students pending; slices of another roster or run are refused', async () => {
    const roster = await makeClass(dir, 10);
    const dirs = await runSlices(dir, roster, 3);
    const loaded = await loadSlices([dirs[0]!, dirs[2]!], roster, 'en');
    expect(loaded.missing).to.deep.equal([2]);
    const m = await mergeSlices(roster, loaded, join(dir, 'merged'), 'en');
    const pending = m.outcome.students.filter((s) => s.record === null).map((s) => s.student.id);
    expect(pending).to.deep.equal(roster.students.filter((s) => shardOf(s.id, 3) === 2).map((s) => s.id));

    // Same slice twice.
    await expectInput(loadSlices([dirs[0]!, dirs[0]!], roster, 'en'), /slice 1\/3 given twice/);
    // A folder that is not a slice.
    await expectInput(loadSlices([join(dir, 'answers')], roster, 'en'), /no shard\.json/);
    // The roster changed since the slices were graded.
    await writeFile(roster.file, `${await readFile(roster.file, 'utf8')}# edited\n`);
    await expectInput(loadSlices(dirs, roster, 'es'), /otra versión de la lista/);
  });
});

describe('batch merge: the command', function () {
  this.timeout(30_000);
  it('writes the class outputs from the slices, says what is missing, exits 1 when not everyone was graded', async () => {
    const dir = await tempClass();
    try {
      const roster = await makeClass(dir, 8);
      const dirs = await runSlices(dir, roster, 2);
      const { runMergeCli } = await import('../../../grader/cli/commands/batch-merge.js');
      let err = '';
      let out = '';
      const ew = process.stderr.write.bind(process.stderr);
      const ow = process.stdout.write.bind(process.stdout);
      (process.stderr as { write: unknown }).write = (x: string) => ((err += String(x)), true);
      (process.stdout as { write: unknown }).write = (x: string) => ((out += String(x)), true);
      let code: number;
      let partial: number;
      try {
        code = await runMergeCli(dirs, { roster: roster.file, out: join(dir, 'merged') }, { lang: 'en' });
        partial = await runMergeCli([dirs[1]!], { roster: roster.file, out: join(dir, 'partial') }, { lang: 'es' });
      } finally {
        (process.stderr as { write: unknown }).write = ew;
        (process.stdout as { write: unknown }).write = ow;
      }
      // s04 cannot be graded (the fake grader's transport error): 1, as for a single run.
      expect(code).to.equal(1);
      expect(out).to.include(join(dir, 'merged', 'grades.csv'));
      const csv = await readFile(join(dir, 'merged', 'grades.csv'), 'utf8');
      // Header + the 6 graded (s04 failed and s07 incomplete stay out of Moodle's CSV).
      expect(csv.split('\r\n').filter((l) => l !== '')).to.have.length(1 + 6);
      expect(partial).to.equal(1);
      expect(err).to.match(/de las 2 porciones faltan estas: 1/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

async function expectInput(p: Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(InputError);
    const all = [(e as InputError).message, ...(e as InputError).issues.map((i) => i.message)].join('\n');
    expect(all).to.match(re);
    return;
  }
  throw new Error('expected an InputError');
}
