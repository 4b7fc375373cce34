// A real `labgrade batch` process (spawned): a student whose answers file is a FIFO fails at once
// while the others go on; SIGTERM ends the batch while a student is stuck on a silent host,
// writing the class outputs with what is done (exit 130); a second signal quits at once.
import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempClass, writeFiles } from './helpers.js';
import { listen, type Listener } from './listener.js';

const SPEC = join(process.cwd(), 'exercises', 'clase2-redes.yaml');
const MAIN = join(process.cwd(), 'grader', 'cli', 'main.ts');

interface Run {
  stderr(): string;
  exited: Promise<number | null>;
  kill(sig: NodeJS.Signals): void;
}

function startBatch(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', `import(${JSON.stringify(MAIN)}).then((m) => m.main(['node', 'labgrade', ...process.argv.slice(1)]))`, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LABGRADE_LANG: 'en', LANG: 'C' },
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.resume();
  return {
    stderr: () => err,
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    kill: (sig) => child.kill(sig),
  };
}

async function until(what: string, cond: () => boolean, run: Run): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never saw: ${what}\n${run.stderr()}`);
}

describe('batch: signals and FIFO inputs (a spawned CLI process)', function () {
  this.timeout(120_000);
  let dir: string;
  let hole: Listener;
  before(async () => {
    dir = await tempClass();
    hole = await listen({ silent: true });
    await writeFiles(dir, {
      'answers/ref.yaml': await readFile(join(process.cwd(), 'test', 'fixtures', 'spec', 'answers-reference.yaml'), 'utf8'),
      'answers/bad.yaml': 'not: [valid\n',
      'roster.yaml': `defaults:
  answers: answers/ref.yaml
  task: nat
  lab:
    uri: "test:///default"
    networks: { nat: default }
    vms: { linux: { domain: test, access: [{ ssh: { user: root, host: 127.0.0.1, port: ${hole.port}, password: { value: x } } }] } }
students:
  - { id: fifo, name: Fifo, email: f@x.org, answers: answers/fifo.yaml }
  - { id: quick, name: Quick, email: q@x.org, answers: answers/bad.yaml }
  - { id: stuck, name: Stuck, email: s@x.org }
`,
    });
    execFileSync('mkfifo', [join(dir, 'answers', 'fifo.yaml')]);
  });
  after(async () => {
    await hole?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the FIFO student fails at once, the others run; SIGTERM ends the batch and writes what is done', async () => {
    const out = join(dir, 'out');
    const run = startBatch(['batch', SPEC, '--roster', join(dir, 'roster.yaml'), '--out', out, '--concurrency', '3', '--lang', 'en']);
    await until('the FIFO and the malformed answers reported', () => /fifo: failed/.test(run.stderr()) && /quick: failed/.test(run.stderr()), run);
    expect(run.stderr()).to.include('not a regular file (it is a fifo)');
    await until('the stuck student connected to the silent host', () => hole.connections > 0, run);
    run.kill('SIGTERM');
    const code = await run.exited;
    expect(code).to.equal(130);
    // Ended by the interrupt path itself, not by the watchdog that forces an exit.
    expect(run.stderr()).to.include('Interrupted').and.not.include('Still winding down');
    const cls = JSON.parse(await readFile(join(out, 'class.json'), 'utf8')) as { counts: Record<string, number>; students: { id: string; status: string }[] };
    expect(Object.fromEntries(cls.students.map((s) => [s.id, s.status]))).to.deep.equal({ fifo: 'failed', quick: 'failed', stuck: 'pending' });
  });

  it('a second signal quits at once', async () => {
    const run = startBatch(['batch', SPEC, '--roster', join(dir, 'roster.yaml'), '--out', join(dir, 'out2'), '--concurrency', '3', '--lang', 'en']);
    await until('the stuck student connected', () => hole.connections > 1, run);
    run.kill('SIGTERM');
    run.kill('SIGTERM');
    expect(await run.exited).to.equal(130);
  });
});
