// Issue 22 item 6 / issue 21: no process outlives labgrade. A spawned `labgrade batch` whose virsh
// (a fake on PATH) hangs gets SIGTERM: after it exits, no process it started (found by a marker in
// the environment every descendant inherits) is still running, none re-parented to PID 1. A
// `labgrade check` on a fake host leaves nothing behind when it ends either.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = join(process.cwd(), 'grader', 'cli', 'main.ts');
const SPEC = join(process.cwd(), 'exercises', 'clase2-redes.yaml');
const fxDir = fileURLToPath(new URL('../../fixtures/libvirt/', import.meta.url));

/** Pids (other than `except`) whose environment holds MARK=value. */
function marked(value: string, except: number[] = []): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (except.includes(pid) || pid === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (!env.split('\0').includes(`LABGRADE_TEST_MARK=${value}`)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      if (/\) Z /.test(stat)) continue; // a zombie is already gone
      out.push({ pid, cmd: readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim() });
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out;
}

function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', `import(${JSON.stringify(MAIN)}).then((m) => m.main(['node', 'labgrade', ...process.argv.slice(1)]))`, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LABGRADE_LANG: 'en', LANG: 'C', ...env },
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.resume();
  return { child, stderr: () => err, exited: new Promise<number | null>((r) => child.on('exit', (code) => r(code))) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function settle(mark: string, except: number[]): Promise<{ pid: number; cmd: string }[]> {
  // Killing is immediate; give the kernel a moment to reap.
  for (let i = 0; i < 20; i++) {
    const left = marked(mark, except);
    if (left.length === 0) return left;
    await sleep(100);
  }
  return marked(mark, except);
}

describe('no process outlives labgrade', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lg-procs-'));
    mkdirSync(join(dir, 'hang-bin'));
    // A virsh that never answers (it sleeps in a child process of its own).
    writeFileSync(join(dir, 'hang-bin', 'virsh'), '#!/bin/sh\nsleep 300\n');
    chmodSync(join(dir, 'hang-bin', 'virsh'), 0o755);
    mkdirSync(join(dir, 'fake-bin'));
    symlinkSync(join(fxDir, 'fake-virsh.mjs'), join(dir, 'fake-bin', 'virsh'));
    const answers = readFileSync(join(process.cwd(), 'test', 'fixtures', 'spec', 'answers-reference.yaml'), 'utf8');
    writeFileSync(join(dir, 'answers.yaml'), answers);
    writeFileSync(join(dir, 'lab.yaml'), 'networks: { nat: red-nat }\nvms:\n  linux: { domain: debian12, access: [agent] }\n');
    writeFileSync(
      join(dir, 'roster.yaml'),
      'defaults:\n  answers: answers.yaml\n  task: nat\n  lab: { uri: "qemu:///system", networks: { nat: red-nat }, vms: { linux: { domain: debian12, access: [agent] } } }\nstudents:\n  - { id: a1, name: A, email: a1@x.org }\n  - { id: a2, name: B, email: a2@x.org }\n',
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGTERM during a batch whose virsh hangs: every child goes, nothing is left with PPID 1', async () => {
    const mark = randomBytes(8).toString('hex');
    const run = startCli([SPEC, '--roster', join(dir, 'roster.yaml'), '--out', join(dir, 'out'), '--deadline', '200'].reduce((a, x, i) => (i === 0 ? ['batch', x] : [...a, x]), [] as string[]), {
      PATH: `${join(dir, 'hang-bin')}:${process.env.PATH}`,
      LABGRADE_TEST_MARK: mark,
    });
    const cli = run.child.pid!;
    // Wait until the hanging virsh runs (a sleep started by it).
    for (let i = 0; i < 600 && !marked(mark, [cli]).some((p) => p.cmd.startsWith('sleep')); i++) await sleep(100);
    expect(marked(mark, [cli]).some((p) => p.cmd.startsWith('sleep')), run.stderr()).to.equal(true);
    run.child.kill('SIGTERM');
    const code = await run.exited;
    expect(code, run.stderr()).to.equal(130);
    const left = await settle(mark, []);
    expect(left, JSON.stringify(left)).to.deep.equal([]);
  });

  it('`check` on a (fake) host leaves no process behind when it ends', async () => {
    const mark = randomBytes(8).toString('hex');
    const run = startCli(['check', SPEC, '--lab', join(dir, 'lab.yaml'), '--answers', join(dir, 'answers.yaml'), '--task', 'nat', '--format', 'json'], {
      PATH: `${join(dir, 'fake-bin')}:${process.env.PATH}`,
      FAKE_VIRSH_HOST: join(fxDir, 'host-course.json'),
      LABGRADE_TEST_MARK: mark,
    });
    const code = await run.exited;
    expect(code, run.stderr()).to.be.oneOf([0, 1]);
    const left = await settle(mark, []);
    expect(left, JSON.stringify(left)).to.deep.equal([]);
  });
});
