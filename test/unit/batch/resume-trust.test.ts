// --resume trusts only what it can verify, and outputs are private: a result edited after grading
// (even with its status sidecar re-hashed to match), a swapped report, or a sidecar pointing its
// links elsewhere is graded again / never linked; files are 0600 and folders 0700 unless the
// teacher asks for public outputs; temp files a killed run left behind are removed.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRoster, type Roster } from '../../../grader/batch/roster.js';
import { runBatch, type BatchOptions } from '../../../grader/batch/run.js';
import type { GradeFn, StudentRecord } from '../../../grader/batch/types.js';
import { writeClassOutputs } from '../../../grader/batch/outputs.js';
import { redact } from '../../../grader/inputs/secrets.js';
import { PUBLIC_MODES } from '../../../grader/util/fs.js';
import type { GradeResult } from '../../../grader/types.js';
import { fakeResult, tempClass, writeFiles } from './helpers.js';

const EXERCISE = { id: 'clase2-redes', title: 'Clase 2', file: '' };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function makeClass(dir: string, n: number): Promise<Roster> {
  const files: Record<string, string> = { 'spec.yaml': 'id: fake-spec\n' };
  const lines = ['defaults:', '  answers: answers/{id}.yaml', '  lab: { uri: "qemu:///system", vms: { linux: { domain: "{id}", access: [agent] } } }', 'students:'];
  for (let i = 0; i < n; i++) {
    const id = `s${i}`;
    files[`answers/${id}.yaml`] = `student: { name: Student ${i} }\n`;
    lines.push(`  - { id: ${id}, name: Student ${i}, email: ${id}@x.org }`);
  }
  files['roster.yaml'] = `${lines.join('\n')}\n`;
  await writeFiles(dir, files);
  return loadRoster(join(dir, 'roster.yaml'), 'en');
}

describe('batch: verified resume and private outputs', function () {
  this.timeout(20_000);
  let dir: string;
  let calls: string[];
  const opts = (extra: Partial<BatchOptions> = {}): BatchOptions => ({ exercise: { ...EXERCISE, file: join(dir, 'spec.yaml') }, outDir: join(dir, 'out'), concurrency: 2, perHost: 2, resume: false, lang: 'en', graceMs: 20, ...extra });
  const grade: GradeFn = async (s) => {
    calls.push(s.id);
    // s0 fails one question, so a forged 100 % is a visible change.
    return fakeResult(s.name, s.id === 's0' ? { failing: [fakeResult('x').tasks[0]!.questions[0]!.id] } : {});
  };
  const file = (rel: string) => join(dir, 'out', 'students', rel);
  beforeEach(async () => {
    dir = await tempClass();
    calls = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('an untouched class is reused entirely (the check can pass)', async () => {
    const roster = await makeClass(dir, 2);
    await runBatch(roster, opts(), { grade, redact });
    calls = [];
    const again = await runBatch(roster, opts({ resume: true }), { grade, redact });
    expect(calls).to.deep.equal([]);
    expect(again.students.every((s) => s.reused)).to.equal(true);
  });

  it('a result edited to 100 % is graded again, even with its sidecar re-hashed to match', async () => {
    const roster = await makeClass(dir, 2);
    await runBatch(roster, opts(), { grade, redact });
    const r = JSON.parse(await readFile(file('s0.json'), 'utf8')) as GradeResult;
    expect(r.totals.percent).to.be.lessThan(100);
    r.totals.percent = 100;
    r.totals.points = r.totals.maxPoints;
    const forged = `${JSON.stringify(r, null, 2)}\n`;
    await writeFile(file('s0.json'), forged);
    // First: the file alone changed (hash mismatch).
    calls = [];
    await runBatch(roster, opts({ resume: true }), { grade, redact });
    expect(calls).to.deep.equal(['s0']);
    // Then: the file and the sidecar both forged (hash matches, totals do not follow from the verdicts).
    await writeFile(file('s0.json'), forged);
    const rec = JSON.parse(await readFile(file('s0.status.json'), 'utf8')) as StudentRecord;
    rec.resultHash = sha(forged);
    await writeFile(file('s0.status.json'), JSON.stringify(rec));
    calls = [];
    const out = await runBatch(roster, opts({ resume: true }), { grade, redact });
    expect(calls).to.deep.equal(['s0']);
    expect(out.students[0]!.digest!.percent).to.be.lessThan(100);
  });

  it('a replaced report is graded again; links in the summary come from known file names only', async () => {
    const roster = await makeClass(dir, 2);
    await runBatch(roster, opts(), { grade, redact });
    await writeFile(file('s1.html'), '<script>alert(1)</script>');
    const rec = JSON.parse(await readFile(file('s0.status.json'), 'utf8')) as StudentRecord;
    rec.files = { json: '../../elsewhere.json', html: 'javascript:alert(1)' };
    await writeFile(file('s0.status.json'), JSON.stringify(rec));
    calls = [];
    const out = await runBatch(roster, opts({ resume: true }), { grade, redact });
    expect(calls).to.deep.equal(['s1']);
    // s0's sidecar was reused (its hashes hold) but its links are not taken from it.
    out.students[0]!.record!.files = rec.files;
    const summary = await writeClassOutputs(roster, out, { outDir: join(dir, 'out'), exercise: EXERCISE, lang: 'en' });
    expect(summary.students.map((s) => s.report)).to.deep.equal(['students/s0.html', 'students/s1.html']);
    const html = await readFile(join(dir, 'out', 'index.html'), 'utf8');
    expect(html).to.not.include('javascript:').and.not.include('elsewhere');
  });

  it('a sidecar without content hashes (older or hand-made) is not trusted', async () => {
    const roster = await makeClass(dir, 1);
    await runBatch(roster, opts(), { grade, redact });
    const rec = JSON.parse(await readFile(file('s0.status.json'), 'utf8')) as StudentRecord;
    delete rec.resultHash;
    await writeFile(file('s0.status.json'), JSON.stringify(rec));
    calls = [];
    await runBatch(roster, opts({ resume: true }), { grade, redact });
    expect(calls).to.deep.equal(['s0']);
  });

  it('outputs are 0600 in 0700 folders by default, even in a folder that existed with wider modes', async () => {
    const roster = await makeClass(dir, 2);
    await mkdir(join(dir, 'out'), { mode: 0o755 });
    const out = await runBatch(roster, opts(), { grade, redact });
    await writeClassOutputs(roster, out, { outDir: join(dir, 'out'), exercise: EXERCISE, lang: 'en' });
    const mode = async (p: string) => (await stat(p)).mode & 0o777;
    expect(await mode(join(dir, 'out'))).to.equal(0o700);
    expect(await mode(join(dir, 'out', 'students'))).to.equal(0o700);
    for (const f of ['class.json', 'grades.csv', 'index.html', 'students/s0.json', 'students/s0.html', 'students/s0.status.json']) {
      expect(await mode(join(dir, 'out', f)), f).to.equal(0o600);
    }
  });

  it('an existing folder that is not an output folder (--out .) keeps its mode; the files in it are still 0600', async () => {
    const roster = await makeClass(dir, 1);
    await writeFiles(dir, { 'shared/notes.txt': 'x' });
    const { chmod } = await import('node:fs/promises');
    await chmod(join(dir, 'shared'), 0o755);
    const out = await runBatch(roster, opts({ outDir: join(dir, 'shared') }), { grade, redact });
    await writeClassOutputs(roster, out, { outDir: join(dir, 'shared'), exercise: EXERCISE, lang: 'en' });
    expect((await stat(join(dir, 'shared'))).mode & 0o777).to.equal(0o755);
    expect((await stat(join(dir, 'shared', 'students'))).mode & 0o777).to.equal(0o700);
    expect((await stat(join(dir, 'shared', 'grades.csv'))).mode & 0o777).to.equal(0o600);
  });

  it('--public-outputs widens them to 0644 / 0755 (for a web server)', async () => {
    const roster = await makeClass(dir, 1);
    const out = await runBatch(roster, opts({ modes: PUBLIC_MODES }), { grade, redact });
    await writeClassOutputs(roster, out, { outDir: join(dir, 'out'), exercise: EXERCISE, lang: 'en', modes: PUBLIC_MODES });
    const mode = async (p: string) => (await stat(p)).mode & 0o777;
    expect(await mode(join(dir, 'out', 'students'))).to.equal(0o755);
    expect(await mode(join(dir, 'out', 'grades.csv'))).to.equal(0o644);
    expect(await mode(join(dir, 'out', 'students', 's0.json'))).to.equal(0o644);
  });

  it('temp files left by a killed run are removed; other files are kept', async () => {
    const roster = await makeClass(dir, 1);
    await writeFiles(dir, {
      'out/students/.s0.json.4242.deadbeef.tmp': '{"name": "half a result"',
      'out/.grades.csv.4242.0badf00d.tmp': 'Email,grade\r\nana@x.org,',
      'out/notes.txt': 'mine',
    });
    await runBatch(roster, opts(), { grade, redact });
    const exists = (p: string) => stat(join(dir, 'out', p)).then(() => true, () => false);
    expect(await exists('students/.s0.json.4242.deadbeef.tmp')).to.equal(false);
    expect(await exists('.grades.csv.4242.0badf00d.tmp')).to.equal(false);
    expect(await exists('notes.txt')).to.equal(true);
  });
});
