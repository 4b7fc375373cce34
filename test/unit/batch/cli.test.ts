// `labgrade batch` at the command level (no lab needed: every student's answers are malformed, so
// nobody reaches a libvirt host): exit codes, outputs, usage errors.
import { expect } from 'chai';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputError } from '../../../grader/types.js';
import { runBatchCli } from '../../../grader/cli/commands/batch.js';
import { tempClass, writeFiles } from './helpers.js';

const SPEC = join(process.cwd(), 'exercises', 'clase2-redes.yaml');

async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    return { value: await fn(), out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

describe('batch: command line', function () {
  this.timeout(30_000);
  let dir: string;
  before(async () => {
    dir = await tempClass();
    await writeFiles(dir, {
      'roster.yaml': `defaults:
  lab: { uri: "test:///default", vms: { linux: { domain: "{id}-d", access: [agent] }, windows: { domain: "{id}-w", access: [agent] } } }
  answers: a/{id}.yaml
students:
  - { id: a1, name: Uno, email: uno@x.org }
  - { id: a2, name: Dos, email: dos@x.org }
`,
      'a/a1.yaml': 'exercise: clase2-redes\nstudent: { name: Uno }\nanswers:\n  nat:\n    config: quizás\n',
      'a/a2.yaml': 'not: [valid\n',
    });
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exits 1 when some student could not be graded, and still writes every output', async () => {
    const out = join(dir, 'out');
    const r = await quietly(() => runBatchCli(SPEC, { roster: join(dir, 'roster.yaml'), out }, { lang: 'en' }));
    expect(r.value).to.equal(1);
    expect(r.out).to.include(join(out, 'index.html')).and.include(join(out, 'grades.csv'));
    // a1's one unreadable answer ("quizás") costs only its own points: a1 is graded, not failed.
    expect(r.err).to.not.match(/\[\d\/2\] a1: failed/);
    expect(r.err).to.match(/\[\d\/2\] a2: failed/);
    expect(r.err).to.match(/\[\d\/2\] a1: incomplete/);
    expect(r.err).to.include('0 graded, 1 incomplete, 1 failed');
    const csv = await readFile(join(out, 'grades.csv'), 'utf8');
    expect(csv).to.equal('Email address,labgrade clase2-redes\r\n');
    const cls = JSON.parse(await readFile(join(out, 'class.json'), 'utf8')) as { counts: Record<string, number> };
    expect(cls.counts).to.include({ failed: 1, incomplete: 1 });
  });

  it('rejects bad options and unknown tasks as input errors (exit 2)', async () => {
    const roster = join(dir, 'roster.yaml');
    const out = join(dir, 'out2');
    for (const bad of [{ concurrency: '0' }, { concurrency: 'x' }, { perHost: '2.5' }, { deadline: '-1' }, { scale: '0' }, { identity: 'dni' }, { task: 'nta' }]) {
      let err: unknown;
      try {
        await quietly(() => runBatchCli(SPEC, { roster, out, ...bad }, { lang: 'en' }));
      } catch (e) {
        err = e;
      }
      // By name: under mocha+tsx, modules loaded by the command's dynamic imports are separate instances.
      expect((err as Error)?.name, JSON.stringify(bad)).to.equal('InputError');
    }
  });

  it('--identity needs that field on every student (positioned)', async () => {
    try {
      await quietly(() => runBatchCli(SPEC, { roster: join(dir, 'roster.yaml'), out: join(dir, 'out3'), identity: 'idNumber' }, { lang: 'en' }));
      expect.fail('should throw');
    } catch (e) {
      expect((e as Error).name).to.equal('InputError');
      expect((e as InputError).issues.map((i) => i.line)).to.deep.equal([5, 6]);
    }
  });
});
