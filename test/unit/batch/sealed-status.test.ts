// Issue 22 item 7: a status is sealed with an HMAC key held in the teacher's config folder
// ($LABGRADE_CONFIG_DIR here), never inside --out. Whoever can write to --out can edit a result to
// 100 %, make its totals agree with its verdicts and recompute every hash; --resume then grades that
// student again and the export carries the real grade, not the forged one.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRoster, type Roster } from '../../../grader/batch/roster.js';
import { runBatch, type BatchOptions } from '../../../grader/batch/run.js';
import type { GradeFn, StudentRecord } from '../../../grader/batch/types.js';
import { writeClassOutputs } from '../../../grader/batch/outputs.js';
import { forgetSealKeyForTests } from '../../../grader/batch/seal.js';
import { redact } from '../../../grader/inputs/secrets.js';
import { computeTotals, taskPoints } from '../../../grader/engine/totals.js';
import type { GradeResult } from '../../../grader/types.js';
import { fakeResult, tempClass, writeFiles } from './helpers.js';

const EXERCISE = { id: 'clase2-redes', title: 'Clase 2', file: '' };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function makeClass(dir: string): Promise<Roster> {
  await writeFiles(dir, {
    'spec.yaml': 'id: fake-spec\n',
    'answers/s0.yaml': 'student: { name: A }\n',
    'roster.yaml': 'defaults:\n  answers: answers/{id}.yaml\n  lab: { uri: "qemu:///system", vms: { linux: { domain: "{id}", access: [agent] } } }\nstudents:\n  - { id: s0, name: Student 0, email: s0@x.org }\n',
  });
  return loadRoster(join(dir, 'roster.yaml'), 'en');
}

describe('batch: --resume trusts only a status sealed with the teacher\'s key', function () {
  this.timeout(30_000);
  let dir: string;
  let config: string;
  let calls: string[];
  const saved = process.env.LABGRADE_CONFIG_DIR;
  const opts = (extra: Partial<BatchOptions> = {}): BatchOptions => ({ exercise: { ...EXERCISE, file: join(dir, 'spec.yaml') }, outDir: join(dir, 'out'), concurrency: 1, perHost: 1, resume: false, lang: 'en', graceMs: 20, ...extra });
  const grade: GradeFn = async (s) => {
    calls.push(s.id);
    return fakeResult(s.name, { failing: [fakeResult('x').tasks[0]!.questions[0]!.id] });
  };
  const file = (rel: string) => join(dir, 'out', 'students', rel);
  beforeEach(async () => {
    dir = await tempClass();
    config = await mkdtemp(join(tmpdir(), 'labgrade-config-'));
    process.env.LABGRADE_CONFIG_DIR = join(config, 'labgrade');
    forgetSealKeyForTests();
    calls = [];
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.LABGRADE_CONFIG_DIR;
    else process.env.LABGRADE_CONFIG_DIR = saved;
    forgetSealKeyForTests();
    await rm(dir, { recursive: true, force: true });
    await rm(config, { recursive: true, force: true });
  });

  /** The attack: a consistent 100 % result, a new report, and a status with every hash recomputed. */
  async function forge(): Promise<void> {
    const r = JSON.parse(await readFile(file('s0.json'), 'utf8')) as GradeResult;
    for (const task of r.tasks) {
      for (const v of [...task.hostChecks, ...task.questions]) {
        if (v.outcome !== 'fail') continue;
        v.outcome = 'pass';
        v.points = v.maxPoints;
        v.codes = [];
      }
      const p = taskPoints([...task.hostChecks, ...task.questions]);
      task.points = p.points;
      task.maxPoints = p.maxPoints;
    }
    r.totals = computeTotals(r.tasks);
    r.exitCode = 0;
    expect(r.totals.percent).to.equal(100);
    const json = `${JSON.stringify(r, null, 2)}\n`;
    const html = '<html>100 %</html>';
    await writeFile(file('s0.json'), json);
    await writeFile(file('s0.html'), html);
    const rec = JSON.parse(await readFile(file('s0.status.json'), 'utf8')) as StudentRecord;
    rec.resultHash = sha(json);
    rec.reportHash = sha(html);
    await writeFile(file('s0.status.json'), JSON.stringify(rec, null, 2));
  }

  it('control: an untouched sealed status is reused', async () => {
    const roster = await makeClass(dir);
    await runBatch(roster, opts(), { grade, redact });
    const rec = JSON.parse(await readFile(file('s0.status.json'), 'utf8')) as StudentRecord;
    expect(rec.seal).to.match(/^[0-9a-f]{64}$/);
    calls = [];
    const again = await runBatch(roster, opts({ resume: true }), { grade, redact });
    expect(calls).to.deep.equal([]);
    expect(again.students[0]!.reused).to.equal(true);
  });

  it('a forged result with consistent totals and recomputed hashes is graded again, and the real grade is exported', async () => {
    const roster = await makeClass(dir);
    await runBatch(roster, opts(), { grade, redact });
    await forge();
    calls = [];
    const again = await runBatch(roster, opts({ resume: true }), { grade, redact });
    expect(calls).to.deep.equal(['s0']);
    expect(again.students[0]!.reused).to.equal(false);
    await writeClassOutputs(roster, again, { outDir: join(dir, 'out'), exercise: EXERCISE, lang: 'en' });
    const csv = await readFile(join(dir, 'out', 'grades.csv'), 'utf8');
    expect(again.students[0]!.digest!.percent).to.be.lessThan(100);
    expect(csv).to.not.match(/,10(\.0+)?\s*$/m);
  });

  it('a status sealed with another key (another account\'s) is not trusted', async () => {
    const roster = await makeClass(dir);
    await runBatch(roster, opts(), { grade, redact });
    process.env.LABGRADE_CONFIG_DIR = join(config, 'other');
    forgetSealKeyForTests();
    calls = [];
    await runBatch(roster, opts({ resume: true }), { grade, redact });
    expect(calls).to.deep.equal(['s0']);
  });

  it('the key is 0600 in a 0700 folder under the config folder, and nothing of it is in --out', async () => {
    const roster = await makeClass(dir);
    await runBatch(roster, opts(), { grade, redact });
    const keyFile = join(config, 'labgrade', 'seal.key');
    expect((await stat(keyFile)).mode & 0o777).to.equal(0o600);
    expect((await stat(join(config, 'labgrade'))).mode & 0o777).to.equal(0o700);
    const key = (await readFile(keyFile, 'utf8')).trim();
    const outFiles = [...(await readdir(join(dir, 'out'))), ...(await readdir(join(dir, 'out', 'students'))).map((f) => `students/${f}`)];
    for (const f of outFiles) {
      if (f === 'students') continue;
      expect(await readFile(join(dir, 'out', f), 'utf8'), f).to.not.include(key);
    }
  });
});
