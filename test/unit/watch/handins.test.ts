// `labgrade watch --hand-ins`: hand-in zips dropped into the folder while watch runs. A zip still
// being copied is never read (the folder must settle first); only a changed hand-in is graded
// again; copies across the class are found again when a copy arrives; a hand-in for nobody on the
// roster is listed, never dropped; students with no hand-in wait. At the end (and in /state.json),
// the class is exactly what `batch --hand-ins` writes for the same folder.
import { expect } from 'chai';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHandIn } from '../../../grader/handin/create.js';
import { gradeHandIns } from '../../../grader/handin/batch.js';
import { sha256 } from '../../../grader/handin/evidence.js';
import { buildHash } from '../../../grader/handin/format.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadRoster, type Roster } from '../../../grader/batch/roster.js';
import { runWatch, HISTORY_FILE } from '../../../grader/watch/loop.js';
import { HandInTracker, folderSignature, type HandInSource } from '../../../grader/watch/handins.js';
import type { WatchSnapshot } from '../../../grader/watch/state.js';
import type { ExerciseSpec, GradeResult } from '../../../grader/types.js';
import { runWatchCli } from '../../../grader/cli/commands/watch.js';
import { runBatchCli } from '../../../grader/cli/commands/batch.js';
import { startWatchServer } from '../../../grader/watch/server.js';
import { CHROMIUM, chromiumAvailable } from '../reports/chromium.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = `${root}exercises/clase2-redes.yaml`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A hand-in as `labgrade check --hand-in` writes it (no evidence: every item "could not be measured"). */
async function handInBytes(dir: string, name: string, build: string): Promise<Buffer> {
  const path = join(dir, `.make-${name}.zip`);
  const now = new Date();
  const result = { startedAt: now.toISOString(), finishedAt: now.toISOString(), totals: { points: 0, maxPoints: 0, percent: 0 }, student: { name } } as unknown as GradeResult;
  await writeHandIn({
    path,
    answers: Buffer.from(`exercise: clase2-redes\nstudent: { name: ${name} }\nanswers: {}\n`),
    exercise: { id: 'clase2-redes', sha256: sha256(await readFile(SPEC)) },
    student: { name },
    tool: { name: 'labgrade', version: '0', build },
    run: { task: 'nat', lab: 'uri: qemu:///system\nvms:\n  linux: { domain: debian12, access: [ { agent: {} } ] }\n', evidence: [], result, reportHtml: '<p>x</p>' },
    redact: (s) => s,
    lang: 'en',
    now,
  });
  const data = await readFile(path);
  await rm(path);
  return data;
}

async function until<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('watch --hand-ins: hand-ins dropped while watch runs', function () {
  this.timeout(120_000);
  let dir: string;
  let spec: ExerciseSpec;
  let roster: Roster;
  let src: HandInSource;
  const BUILD = `sha256:${'1'.repeat(64)}`;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labgrade-watch-handins-'));
    spec = await loadSpec(SPEC);
    await writeFile(join(dir, 'clase.yaml'), 'export: { identity: id }\nstudents:\n' + ['ana', 'bea', 'carla', 'dan'].map((id) => `  - { id: ${id}, name: ${id} }`).join('\n') + '\n');
    roster = await loadRoster(join(dir, 'clase.yaml'), 'en', { handIns: true });
    await (await import('node:fs/promises')).mkdir(join(dir, 'entregas'));
    src = { source: join(dir, 'entregas'), regrade: { spec, specSha256: sha256(await readFile(SPEC)), lang: 'en', build: BUILD, redact: (s) => s }, settleMs: 1000, pollMs: 50 };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('the folder is read only once its listing has held still for the settle time; an unchanged hand-in is not graded again', async () => {
    let clock = 0;
    const tracker = new HandInTracker(roster, src, 'en', () => clock);
    const ana = await handInBytes(dir, 'ana', BUILD);
    await writeFile(join(dir, 'entregas', 'ana.zip'), ana.subarray(0, 100));
    expect((await tracker.look()).state).to.equal('changing');
    clock = 999;
    expect((await tracker.look()).state).to.equal('changing');
    // Still being copied: the listing changes, the wait starts again.
    await appendFile(join(dir, 'entregas', 'ana.zip'), ana.subarray(100));
    expect((await tracker.look()).state).to.equal('changing');
    clock = 1998;
    expect((await tracker.look()).state).to.equal('changing');
    clock = 1999;
    const l = await tracker.look();
    expect(l).to.deep.include({ state: 'settled', changedSinceScan: true });
    const first = await tracker.scan();
    expect(first!.changed).to.deep.equal(['ana']);
    expect(first!.cls.students.find((s) => s.id === 'ana')!.flags.map((f) => f.code)).to.not.include('refused');
    const second = await tracker.scan();
    expect(second!.changed).to.deep.equal([]);
    expect(second!.classChanged).to.equal(false);
    // The very same grading object: not re-graded.
    expect(second!.graded.get('ana')).to.equal(first!.graded.get('ana'));
    expect((await tracker.look()).changedSinceScan).to.equal(false);
    expect(await folderSignature(join(dir, 'missing'))).to.match(/^unlisted ENOENT/);
  });

  it('drops: a slow copy never read half-written, a copy of another hand-in flagged on both, one for nobody listed; the end is batch --hand-ins', async () => {
    const ana = await handInBytes(dir, 'ana', BUILD);
    const bea = await handInBytes(dir, 'bea', BUILD);
    const nobody = await handInBytes(dir, 'zoe', BUILD);
    await writeFile(join(src.source, 'ana.zip'), ana);
    const snaps: WatchSnapshot[] = [];
    const ac = new AbortController();
    const out = join(dir, 'watch-out');
    const running = runWatch(
      roster,
      { exercise: { id: spec.id, title: spec.title.en, file: spec.file }, outDir: out, concurrency: 1, perHost: 1, lang: 'en', everySec: 3600, stuckAfter: 3, signal: ac.signal, handIns: src, onRound: (_i, s) => snaps.push(s) },
      { grade: () => Promise.reject(new Error('no live grading')), redact: (s) => s },
    );
    const round1 = await until('round 1', () => snaps[0]);
    const by1 = Object.fromEntries(round1.handIns!.students.map((s) => [s.id, s]));
    expect(by1.ana!.trust).to.not.equal('missing');
    expect(round1.students.find((s) => s.id === 'ana')!.status).to.not.equal('pending');
    for (const id of ['bea', 'carla', 'dan']) {
      expect(by1[id]!.trust, id).to.equal('missing');
      expect(round1.students.find((s) => s.id === id)!.status, id).to.equal('pending');
    }
    // Ana's cells come from her hand-in's result.
    expect(Object.keys(round1.students.find((s) => s.id === 'ana')!.cells)).to.not.be.empty;

    // Bea's zip arrives slowly: a chunk every 100 ms (well inside the 1 s settle time).
    const path = join(src.source, 'bea.zip');
    const chunk = Math.ceil(bea.length / 8);
    await writeFile(path, bea.subarray(0, chunk));
    for (let at = chunk; at < bea.length; at += chunk) {
      await sleep(100);
      await appendFile(path, bea.subarray(at, at + chunk));
    }
    const round2 = await until('bea graded', () => snaps.find((s) => s.handIns!.students.find((x) => x.id === 'bea')!.trust !== 'missing'));
    for (const s of snaps) expect(s.handIns!.students.find((x) => x.id === 'bea')!.flags.map((f) => f.code), 'never half-read').to.not.include('refused');
    expect(round2.handIns!.students.find((x) => x.id === 'bea')!.trust).to.not.equal('withheld');

    // Carla hands in Ana's very zip: both are flagged (copies are looked for across the class again).
    await writeFile(join(src.source, 'carla.zip'), ana);
    const round3 = await until('the copy found', () => snaps.find((s) => s.handIns!.students.find((x) => x.id === 'carla')!.trust !== 'missing'));
    for (const id of ['ana', 'carla']) {
      const st = round3.handIns!.students.find((x) => x.id === id)!;
      expect(st.flags.map((f) => f.code), id).to.include('same-hand-in');
      expect(st.trust, id).to.equal('withheld');
    }
    // A hand-in for nobody on the roster: listed as such.
    await writeFile(join(src.source, 'zoe.zip'), nobody);
    const round4 = await until('zoe listed', () => snaps.find((s) => s.handIns!.unmatched.length > 0));
    expect(round4.handIns!.unmatched).to.deep.equal(['zoe']);
    expect(round4.handIns!.students.find((x) => x.id === 'dan')!.trust).to.equal('missing');

    ac.abort();
    const w = await running;
    const final = w.state.snapshot();
    // batch --hand-ins over the same folder: the same class.json, CSV and summary page.
    const bout = join(dir, 'batch-out');
    const cls = await gradeHandIns({ ...src.regrade, roster, source: src.source, outDir: bout });
    const batchJson = await readFile(join(bout, 'class.json'), 'utf8');
    expect(final.handIns).to.deep.equal(JSON.parse(batchJson));
    expect(final.handIns).to.deep.equal(cls);
    for (const f of ['class.json', 'grades.csv', 'index.html']) expect(await readFile(join(out, f), 'utf8'), f).to.equal(await readFile(join(bout, f), 'utf8'));
    // Each report: the same re-grade (its own start and end times aside).
    const timeless = async (f: string) => {
      const r = JSON.parse(await readFile(f, 'utf8')) as Record<string, unknown>;
      for (const k of ['startedAt', 'finishedAt', 'timings']) delete r[k];
      return r;
    };
    for (const id of ['ana', 'bea', 'carla']) expect(await timeless(join(out, 'students', `${id}.json`)), id).to.deep.equal(await timeless(join(bout, 'students', `${id}.json`)));
    const history = (await readFile(join(out, HISTORY_FILE), 'utf8')).trim().split('\n');
    expect(history.length).to.equal(w.rounds);
    expect(w.rounds).to.be.at.least(4);
  });

  it('the command: /state.json follows a hand-in dropped while it runs, and its final class is batch --hand-ins\'s (exit codes as batch)', async () => {
    const build = await buildHash();
    const out = join(dir, 'w');
    const lines: string[] = [];
    const stdout = { write: (s: string) => (lines.push(String(s)), true) } as unknown as NodeJS.WritableStream;
    const stderr = { write: () => true } as unknown as NodeJS.WritableStream;
    const ac = new AbortController();
    const running = runWatchCli(SPEC, { roster: join(dir, 'clase.yaml'), handIns: src.source, out, every: '3600', listen: '127.0.0.1:0' }, { lang: 'en' }, { stdout, stderr, signal: ac.signal });
    const url = await until('the page address', () => lines.join('').match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0]);
    const state = async () => (await (await fetch(`${url}state.json`)).json()) as WatchSnapshot;
    await until('round 1', async () => (await state()).round >= 1);
    expect((await state()).handIns!.students.every((s) => s.trust === 'missing')).to.equal(true);
    await writeFile(join(src.source, 'bea.zip'), await handInBytes(dir, 'bea', build));
    const s = await until('bea in /state.json', async () => {
      const x = await state();
      return x.handIns!.students.find((y) => y.id === 'bea')!.trust !== 'missing' && x;
    });
    expect(s.handIns!.students.find((y) => y.id === 'bea')!.source).to.equal('bea');
    ac.abort();
    const code = await running;
    expect(code, 'not every student handed in: 1, as batch').to.equal(1);
    const bout = join(dir, 'b');
    const o = process.stderr.write.bind(process.stderr);
    const p = process.stdout.write.bind(process.stdout);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    let bcode;
    try {
      bcode = await runBatchCli(SPEC, { roster: join(dir, 'clase.yaml'), handIns: src.source, out: bout }, { lang: 'en' });
    } finally {
      process.stderr.write = o;
      process.stdout.write = p;
    }
    expect(bcode).to.equal(code);
    expect(await readFile(join(out, 'class.json'), 'utf8')).to.equal(await readFile(join(bout, 'class.json'), 'utf8'));
    expect(JSON.parse(await readFile(join(out, 'class.json'), 'utf8'))).to.deep.equal(s.handIns);
  });

  it('a --hand-ins folder that does not exist is bad input (exit 2), before anything is served', async () => {
    try {
      await runWatchCli(SPEC, { roster: join(dir, 'clase.yaml'), handIns: join(dir, 'nope'), listen: '127.0.0.1:0' }, { lang: 'en' }, { signal: new AbortController().signal });
      throw new Error('expected an input error');
    } catch (e) {
      expect((e as Error).name).to.equal('InputError');
      expect((e as Error).message).to.match(/neither a folder nor a file/);
    }
  });

  it('the page (headless Chromium): trust and reasons per student, Waiting for no hand-in, a hand-in for nobody listed; a drop updates the open page', async function () {
    if (!chromiumAvailable()) this.skip();
    const { chromium } = await import('playwright-core');
    const ana = await handInBytes(dir, 'ana', BUILD);
    await writeFile(join(src.source, 'ana.zip'), ana);
    await writeFile(join(src.source, 'zoe.zip'), await handInBytes(dir, 'zoe', BUILD));
    const out = join(dir, 'out');
    let latest: WatchSnapshot | null = null;
    const server = await startWatchServer({ listen: { host: '127.0.0.1', port: 0 }, token: null, lang: 'en', outDir: out, ids: new Set(roster.students.map((x) => x.id)), snapshot: () => latest! });
    const ac = new AbortController();
    const running = runWatch(
      roster,
      {
        exercise: { id: spec.id, title: spec.title.en, file: spec.file },
        outDir: out,
        concurrency: 1,
        perHost: 1,
        lang: 'en',
        everySec: 3600,
        stuckAfter: 3,
        signal: ac.signal,
        handIns: { ...src, settleMs: 300 },
        onRound: (_i, x) => {
          latest = x;
          server.publish('round', x);
        },
      },
      { grade: () => Promise.reject(new Error('no live grading')), redact: (x) => x },
    );
    const origin = `http://127.0.0.1:${server.port}`;
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    const requests: string[] = [];
    try {
      await until('round 1', () => latest && latest.round >= 1);
      const page = await browser.newPage();
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`${origin}/`, { waitUntil: 'load' });
      await page.waitForSelector('tr[data-student="ana"] [data-trust]');
      for (const id of ['bea', 'carla', 'dan']) await page.waitForSelector(`tr[data-student="${id}"] [data-waiting="${id}"]`);
      expect(await page.isVisible('#unmatched')).to.equal(true);
      expect(await page.textContent('[data-unmatched]')).to.equal('zoe');
      // Carla drops Ana's very zip: both flagged on the open page, no reload.
      await writeFile(join(src.source, 'carla.zip'), ana);
      await page.waitForSelector('tr[data-student="carla"] [data-trust="withheld"]');
      await page.waitForSelector('tr[data-student="ana"] li[data-flag="same-hand-in"]');
      expect(await page.$('tr[data-student="carla"] [data-waiting]')).to.equal(null);
      for (const r of requests) expect(new URL(r).origin, r).to.equal(origin);
    } finally {
      await browser.close();
      ac.abort();
      await running;
      await server.close();
    }
  });
});
