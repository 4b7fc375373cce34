// Issue 22 item 5 (+ item 8's third bullet): `--out` is created by labgrade, or is the running
// user's folder with no link inside; nothing is ever written through a planted link; temporary
// names are unpredictable and a planted folder named like one does not stop the batch; two runs on
// one folder never interleave (a lock, taken over when its process is gone); an existing
// `students/` subfolder is narrowed to 0700 on a private rerun.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmod, chown, lstat, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../../grader/types.js';
import { loadRoster, type Roster } from '../../../grader/batch/roster.js';
import { runBatch, takeOutLock, type BatchOptions } from '../../../grader/batch/run.js';
import { redact } from '../../../grader/inputs/secrets.js';
import { writeFileAtomic } from '../../../grader/util/fs.js';
import { fakeResult, sleep, tempClass, writeFiles } from './helpers.js';

const EXERCISE = { id: 'clase2-redes', title: 'Clase 2', file: '' };
const grade = async (s: { name: string }) => fakeResult(s.name);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

async function makeClass(dir: string): Promise<Roster> {
  await writeFiles(dir, {
    'spec.yaml': 'id: fake-spec\n',
    'answers/ok1.yaml': 'student: { name: A }\n',
    'roster.yaml': 'students:\n  - { id: ok1, name: A, email: a@x.org, answers: answers/ok1.yaml, lab: { uri: "qemu:///system", vms: { linux: { domain: d, access: [agent] } } } }\n',
  });
  return loadRoster(join(dir, 'roster.yaml'), 'en');
}
const options = (dir: string, out: string, extra: Partial<BatchOptions> = {}): BatchOptions => ({ exercise: { ...EXERCISE, file: join(dir, 'spec.yaml') }, outDir: out, concurrency: 2, perHost: 2, resume: false, lang: 'en', graceMs: 50, ...extra });
const refused = async (p: Promise<unknown>): Promise<InputError> => {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected a refusal');
};

describe('batch: the output folder is never written through a planted link', function () {
  this.timeout(30_000);
  let dir: string;
  let roster: Roster;
  beforeEach(async () => {
    dir = await tempClass();
    roster = await makeClass(dir);
    await mkdir(join(dir, 'victim'));
    await writeFile(join(dir, 'victim', 'ok1.json'), 'victim data\n');
    await chmod(join(dir, 'victim'), 0o755);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const victimUntouched = async () => {
    expect(await readdir(join(dir, 'victim'))).to.deep.equal(['ok1.json']);
    expect(await readFile(join(dir, 'victim', 'ok1.json'), 'utf8')).to.equal('victim data\n');
    expect((await stat(join(dir, 'victim'))).mode & 0o777).to.equal(0o755);
  };

  (isRoot ? it : it.skip)('the repro: --out owned by another user with students -> victim, run as root: refused, nothing written through the link', async () => {
    const out = join(dir, 'out');
    await mkdir(out, { mode: 0o755 });
    await symlink(join(dir, 'victim'), join(out, 'students'));
    await chown(out, 65534, 65534);
    const e = await refused(runBatch(roster, options(dir, out), { grade, redact }));
    expect(e.message).to.include('belongs to another user');
    await victimUntouched();
  });

  it('a folder of the running user holding a link (students -> victim) is refused, nothing written', async () => {
    const out = join(dir, 'out');
    await mkdir(out);
    await symlink(join(dir, 'victim'), join(out, 'students'));
    const e = await refused(runBatch(roster, options(dir, out), { grade, redact }));
    expect(e.message).to.include('symbolic link inside the output folder');
    await victimUntouched();
  });

  it('a link planted as a report name (class.json -> victim file) is refused too', async () => {
    const out = join(dir, 'out');
    await mkdir(out);
    await symlink(join(dir, 'victim', 'ok1.json'), join(out, 'class.json'));
    await refused(runBatch(roster, options(dir, out), { grade, redact }));
    await victimUntouched();
  });

  it('a folder other users can write to is refused (they could plant a link meanwhile)', async () => {
    const out = join(dir, 'shared');
    await mkdir(out);
    await writeFile(join(out, 'notes.txt'), 'x');
    await chmod(out, 0o777);
    const e = await refused(runBatch(roster, options(dir, out), { grade, redact }));
    expect(e.message).to.include('other users can write');
  });

  it('a folder labgrade creates is graded into as usual', async () => {
    const out = join(dir, 'new', 'out');
    await runBatch(roster, options(dir, out), { grade, redact });
    expect((await stat(join(out, 'students', 'ok1.json'))).isFile()).to.equal(true);
    expect((await lstat(join(out, '.labgrade.lock')).catch(() => null)), 'the lock is released').to.equal(null);
  });
});

describe('batch: temporary files', function () {
  this.timeout(30_000);
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a planted folder named like a temporary file does not abort the batch', async () => {
    dir = await tempClass();
    const roster = await makeClass(dir);
    const out = join(dir, 'out');
    await mkdir(join(out, '.class.json.123.deadbeef.tmp', 'inside'), { recursive: true });
    await mkdir(join(out, 'students', '.ok1.json.123.deadbeef.tmp'), { recursive: true });
    const outcome = await runBatch(roster, options(dir, out), { grade, redact });
    expect(outcome.students[0]!.record?.status).to.equal('graded');
  });

  it('temporary names carry 128 random bits, and a planted one is never opened (O_EXCL)', async () => {
    dir = await tempClass();
    const names: string[] = [];
    const target = join(dir, 'f.json');
    // Watch the names by writing many times in a folder and listing what a crash would leave.
    for (let i = 0; i < 3; i++) await writeFileAtomic(target, `v${i}`);
    expect(await readFile(target, 'utf8')).to.equal('v2');
    const src = await readFile(join(process.cwd(), 'grader', 'util', 'fs.ts'), 'utf8');
    expect(src).to.match(/randomBytes\(16\)/);
    expect(src).to.match(/O_EXCL/);
    names.push(...(await readdir(dir)));
    expect(names).to.deep.equal(['f.json']);
  });
});

describe('batch: one run at a time on an output folder', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(async () => {
    dir = await tempClass();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a second run while the first holds the folder refuses, and the first is unaffected', async () => {
    const roster = await makeClass(dir);
    const out = join(dir, 'out');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = runBatch(roster, options(dir, out), {
      grade: async (s) => {
        await gate;
        return fakeResult(s.name);
      },
      redact,
    });
    while (!(await lstat(join(out, '.labgrade.lock')).catch(() => null))) await sleep(10);
    const e = await refused(runBatch(roster, options(dir, out), { grade, redact }));
    expect(e.message).to.include('another labgrade run is writing to this folder');
    expect(e.message).to.include(`pid ${process.pid}`);
    release();
    const outcome = await first;
    expect(outcome.students[0]!.record?.status).to.equal('graded');
  });

  it('a lock left by a process that is gone is taken over', async () => {
    const roster = await makeClass(dir);
    const out = join(dir, 'out');
    await mkdir(out);
    // A real pid that has ended.
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    const { hostname } = await import('node:os');
    await writeFile(join(out, '.labgrade.lock'), JSON.stringify({ pid, host: hostname() }));
    const outcome = await runBatch(roster, options(dir, out), { grade, redact });
    expect(outcome.students[0]!.record?.status).to.equal('graded');
  });

  it('the lock is one file, created exclusively, naming this process', async () => {
    const out = join(dir, 'out');
    await mkdir(out);
    const lock = await takeOutLock(out, 'en');
    expect(JSON.parse(await readFile(join(out, '.labgrade.lock'), 'utf8')).pid).to.equal(process.pid);
    await refused(takeOutLock(out, 'en'));
    await lock.release();
    await (await takeOutLock(out, 'en')).release();
  });
});

describe('batch: a private rerun narrows an existing students/ folder', function () {
  this.timeout(30_000);
  it('students/ at 0755 from an earlier public run becomes 0700', async () => {
    const dir = await tempClass();
    try {
      const roster = await makeClass(dir);
      const out = join(dir, 'out');
      await mkdir(join(out, 'students'), { recursive: true, mode: 0o755 });
      await writeFile(join(out, 'students', 'old.json'), '{}');
      await chmod(join(out, 'students'), 0o755);
      await chmod(out, 0o755);
      await runBatch(roster, options(dir, out), { grade, redact });
      expect((await stat(join(out, 'students'))).mode & 0o777).to.equal(0o700);
      expect((await stat(out)).mode & 0o777).to.equal(0o700);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
