// runBatch with a fake grader: bounds, isolation of failures, deadlines, atomic outputs, resume,
// interruption, redaction.
import { expect } from 'chai';
import { readdir, readFile, rm, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, TransportError, type GradeResult } from '../../../grader/types.js';
import { loadRoster, type Roster, type RosterStudent } from '../../../grader/batch/roster.js';
import { runBatch, type BatchOptions } from '../../../grader/batch/run.js';
import type { BatchEvent, GradeFn, StudentRecord } from '../../../grader/batch/types.js';
import { writeClassOutputs } from '../../../grader/batch/outputs.js';
import { registerSecret, redact, clearSecretsForTests } from '../../../grader/inputs/secrets.js';
import { resultProblems } from '../../../reports/validate.js';
import { fakeResult, sleep, tempClass, writeFiles } from './helpers.js';

const EXERCISE = { id: 'clase2-redes', title: 'Clase 2', file: '' };

/** A class of n students; students i with i % hosts on host i % hosts. */
async function makeClass(dir: string, n: number, hosts = 1): Promise<Roster> {
  const files: Record<string, string> = { 'spec.yaml': 'id: fake-spec\n' };
  const lines = ['defaults:', '  answers: answers/{id}.yaml', 'students:'];
  for (let i = 0; i < n; i++) {
    const id = `s${String(i).padStart(2, '0')}`;
    files[`answers/${id}.yaml`] = `student: { name: Student ${i} }\n`;
    lines.push(`  - id: ${id}`, `    name: Student ${i}`, `    email: ${id}@x.org`, `    lab: { uri: "qemu+ssh://t@host${i % hosts}.example/system", vms: { linux: { domain: ${id}-deb, access: [agent] } } }`);
  }
  files['roster.yaml'] = `${lines.join('\n')}\n`;
  await writeFiles(dir, files);
  return loadRoster(join(dir, 'roster.yaml'), 'en');
}

function options(dir: string, extra: Partial<BatchOptions> = {}): BatchOptions {
  return { exercise: { ...EXERCISE, file: join(dir, 'spec.yaml') }, outDir: join(dir, 'out'), concurrency: 4, perHost: 4, resume: false, lang: 'en', graceMs: 50, ...extra };
}

async function readRecord(dir: string, id: string): Promise<StudentRecord> {
  return JSON.parse(await readFile(join(dir, 'out', 'students', `${id}.status.json`), 'utf8')) as StudentRecord;
}

describe('batch: runBatch with a fake grader', function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(async () => {
    dir = await tempClass();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('never runs more students at once than --concurrency, yet runs them in parallel', async () => {
    const roster = await makeClass(dir, 12, 12);
    let running = 0;
    let peak = 0;
    const grade: GradeFn = async (s) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(20);
      running--;
      return fakeResult(s.name);
    };
    const out = await runBatch(roster, options(dir, { concurrency: 3, perHost: 8 }), { grade, redact });
    expect(peak).to.equal(3);
    expect(out.students.every((s) => s.record?.status === 'graded')).to.equal(true);
  });

  it('never runs more students of one libvirt host at once than --per-host', async () => {
    const roster = await makeClass(dir, 12, 2);
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    let globalPeak = 0;
    let total = 0;
    const grade: GradeFn = async (s) => {
      const host = String((s.lab as unknown as { data: { uri: string } }).data.uri);
      running.set(host, (running.get(host) ?? 0) + 1);
      total++;
      globalPeak = Math.max(globalPeak, total);
      peak.set(host, Math.max(peak.get(host) ?? 0, running.get(host)!));
      await sleep(20);
      running.set(host, running.get(host)! - 1);
      total--;
      return fakeResult(s.name);
    };
    await runBatch(roster, options(dir, { concurrency: 10, perHost: 2 }), { grade, redact });
    expect([...peak.values()]).to.deep.equal([2, 2]);
    expect(globalPeak).to.equal(4);
  });

  it("one student's failure (bad answers, wrong password, crash, deadline) is that student's error report; the others are graded", async () => {
    const roster = await makeClass(dir, 6);
    const grade: GradeFn = async (s, { signal }) => {
      switch (s.id) {
        case 's01':
          throw new InputError('answers invalid', [{ file: 'answers/s01.yaml', line: 3, column: 7, message: 'expected yes or no' }]);
        case 's02':
          throw new TransportError('auth', 'ssh root@192.168.101.218:22', 'authentication failed');
        case 's03':
          throw new Error('libvirtd stopped');
        case 's04':
          // Hangs until aborted by the deadline.
          await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
          throw new Error('unreachable');
        default:
          return fakeResult(s.name);
      }
    };
    const events: BatchEvent[] = [];
    const out = await runBatch(roster, options(dir, { deadlineSec: 0.3, onEvent: (e) => events.push(e) }), { grade, redact });
    const by = Object.fromEntries(out.students.map((s) => [s.student.id, s.record!]));
    expect(by.s00!.status).to.equal('graded');
    expect(by.s05!.status).to.equal('graded');
    expect(by.s01).to.include({ status: 'failed' });
    expect(by.s01!.error).to.deep.include({ code: 'input' });
    expect(by.s01!.error!.message).to.include('answers/s01.yaml:3:7: expected yes or no');
    expect(by.s02!.error).to.deep.include({ code: 'transport-auth' });
    expect(by.s02!.error!.message).to.include('ssh root@192.168.101.218:22');
    expect(by.s03!.error).to.deep.include({ code: 'internal' });
    expect(by.s04!.error).to.deep.include({ code: 'deadline' });
    expect(by.s04!.error!.message).to.match(/0\.3 s/);
    // Every student has a schema-valid JSON and an HTML report, failed ones included.
    for (const s of roster.students) {
      const json = JSON.parse(await readFile(join(dir, 'out', 'students', `${s.id}.json`), 'utf8')) as GradeResult;
      expect(await resultProblems(json), s.id).to.deep.equal([]);
      const html = await readFile(join(dir, 'out', 'students', `${s.id}.html`), 'utf8');
      expect(html).to.include('<!DOCTYPE html>');
      if (['s01', 's02', 's03', 's04'].includes(s.id)) {
        expect(json.errors[0]).to.equal(by[s.id]!.error!.message);
        expect(json.exitCode).to.equal(1);
      }
    }
    expect(events.filter((e) => e.type === 'done').length).to.equal(6);
    // Class outputs: exit-code rule = every student graded?
    const summary = await writeClassOutputs(roster, out, { outDir: join(dir, 'out'), exercise: EXERCISE, lang: 'en' });
    expect(summary.counts).to.include({ graded: 2, failed: 4, incomplete: 0, pending: 0 });
  });

  it('a result with unmeasured items or run errors is "incomplete", not graded', async () => {
    const roster = await makeClass(dir, 4);
    const nothingGraded = (name: string) => {
      // What the engine returns when no task could be graded: every verdict skipped, 0 points at stake.
      const r = fakeResult(name);
      for (const task of r.tasks) for (const v of [...task.hostChecks, ...task.questions]) Object.assign(v, { outcome: 'skip', points: 0, maxPoints: 0 });
      r.totals = { points: 0, maxPoints: 0, percent: 0, pass: 0, fail: 0, error: 0, skip: r.totals.pass + r.totals.skip };
      return r;
    };
    const grade: GradeFn = async (s) =>
      s.id === 's01'
        ? fakeResult(s.name, { unmeasured: ['nat.outside.linux'] })
        : s.id === 's02'
          ? fakeResult(s.name, { errors: ['win10: guest is shut off'] })
          : s.id === 's03'
            ? nothingGraded(s.name)
            : fakeResult(s.name, { failing: ['nat.dns.linux'] });
    const out = await runBatch(roster, options(dir), { grade, redact });
    const st = out.students.map((s) => s.record!.status);
    expect(st).to.deep.equal(['graded', 'incomplete', 'incomplete', 'incomplete']);
    expect(out.students[3]!.record!.error!.code).to.equal('nothing-graded');
    expect(out.students[2]!.record!.error!.message).to.equal('win10: guest is shut off');
    expect(out.students[1]!.record!.error!.message).to.match(/^incomplete grading: 1 item could not be measured$/);
  });

  it('writes atomically: no temporary file is left, and a sidecar exists only next to its JSON and HTML', async () => {
    const roster = await makeClass(dir, 5);
    await runBatch(roster, options(dir), { grade: async (s) => fakeResult(s.name), redact });
    const files = await readdir(join(dir, 'out', 'students'));
    expect(files.filter((f) => f.endsWith('.tmp') || f.startsWith('.'))).to.deep.equal([]);
    expect(files.length).to.equal(15);
    for (const s of roster.students) {
      const rec = await readRecord(dir, s.id);
      const [j, h, st] = await Promise.all([stat(join(dir, 'out', rec.files.json)), stat(join(dir, 'out', rec.files.html)), stat(join(dir, 'out', 'students', `${s.id}.status.json`))]);
      expect(st.mtimeMs).to.be.at.least(Math.max(j.mtimeMs, h.mtimeMs));
    }
  });

  it('--resume re-runs only the failed, incomplete and changed students', async () => {
    const roster = await makeClass(dir, 5);
    let calls: string[] = [];
    const flaky: GradeFn = async (s) => {
      calls.push(s.id);
      if (s.id === 's01') throw new TransportError('unreachable', 'ssh s01', 'no route to host');
      if (s.id === 's02') return fakeResult(s.name, { unmeasured: ['nat.host.linux'] });
      return fakeResult(s.name);
    };
    await runBatch(roster, options(dir), { grade: flaky, redact });
    expect(calls.sort()).to.deep.equal(['s00', 's01', 's02', 's03', 's04']);

    // s03 changes their answers; the spec stays the same.
    await writeFile(join(dir, 'answers', 's03.yaml'), 'student: { name: Student 3 }\n# fixed\n');
    calls = [];
    const events: BatchEvent[] = [];
    const fixed: GradeFn = async (s) => {
      calls.push(s.id);
      return fakeResult(s.name);
    };
    const out = await runBatch(roster, options(dir, { resume: true, onEvent: (e) => events.push(e) }), { grade: fixed, redact });
    expect(calls.sort()).to.deep.equal(['s01', 's02', 's03']);
    expect(out.students.filter((s) => s.reused).map((s) => s.student.id)).to.deep.equal(['s00', 's04']);
    expect(out.students.every((s) => s.record?.status === 'graded')).to.equal(true);
    expect(events.find((e) => e.type === 'queued')).to.deep.equal({ type: 'queued', total: 5, reused: 2 });

    // A changed spec re-runs everyone; without --resume everyone runs too.
    await writeFile(join(dir, 'spec.yaml'), 'id: fake-spec\n# v2\n');
    calls = [];
    await runBatch(roster, options(dir, { resume: true }), { grade: fixed, redact });
    expect(calls.length).to.equal(5);
  });

  it('--resume does not trust a result file that was damaged after grading', async () => {
    const roster = await makeClass(dir, 2);
    await runBatch(roster, options(dir), { grade: async (s) => fakeResult(s.name), redact });
    await writeFile(join(dir, 'out', 'students', 's00.json'), '{"half": ');
    const calls: string[] = [];
    await runBatch(roster, options(dir, { resume: true }), {
      grade: async (s) => {
        calls.push(s.id);
        return fakeResult(s.name);
      },
      redact,
    });
    expect(calls).to.deep.equal(['s00']);
  });

  it('an interruption keeps every finished student, leaves the others pending, and --resume finishes them', async () => {
    const roster = await makeClass(dir, 8);
    const ac = new AbortController();
    let finished = 0;
    const onEvent = (e: BatchEvent) => {
      if (e.type === 'done' && ++finished === 3) ac.abort(); // Ctrl-C after the third student
    };
    const grade: GradeFn = async (s, { signal }) => {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 30);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('aborted'));
        });
      });
      return fakeResult(s.name);
    };
    const out = await runBatch(roster, options(dir, { concurrency: 1, signal: ac.signal, onEvent }), { grade, redact });
    expect(out.interrupted).to.equal(true);
    const done = out.students.filter((s) => s.record).map((s) => s.student.id);
    // One at a time: after the third, nobody else starts.
    expect(done).to.deep.equal(['s00', 's01', 's02']);
    const files = await readdir(join(dir, 'out', 'students'));
    expect(files.filter((f) => f.endsWith('.status.json')).length).to.equal(3);
    const summary = await writeClassOutputs(roster, out, { outDir: join(dir, 'out'), exercise: EXERCISE, lang: 'en' });
    expect(summary.counts).to.include({ graded: 3, pending: 5 });

    const calls: string[] = [];
    await runBatch(roster, options(dir, { resume: true }), {
      grade: async (s) => {
        calls.push(s.id);
        return fakeResult(s.name);
      },
      redact,
    });
    expect(calls).to.deep.equal(['s03', 's04', 's05', 's06', 's07']);
  });

  it('a student running when interrupted is abandoned (nothing written, stays pending)', async () => {
    const roster = await makeClass(dir, 3);
    const ac = new AbortController();
    const grade: GradeFn = async (s, { signal }) => {
      if (s.id === 's01') {
        setTimeout(() => ac.abort(), 20);
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      }
      return fakeResult(s.name);
    };
    const out = await runBatch(roster, options(dir, { concurrency: 1, signal: ac.signal }), { grade, redact });
    expect(out.students.map((s) => s.record?.status ?? 'pending')).to.deep.equal(['graded', 'pending', 'pending']);
    expect((await readdir(join(dir, 'out', 'students'))).sort()).to.deep.equal(['s00.html', 's00.json', 's00.status.json']);
  });

  it('no secret reaches a student error report or the class outputs', async () => {
    const roster = await makeClass(dir, 2);
    const secret = 'S3cr3t-Pa55-for-batch';
    registerSecret(secret);
    try {
      const grade: GradeFn = async (s) => {
        if (s.id === 's00') throw new TransportError('auth', 'winrm alumno@192.168.101.219:5985', `password ${secret} rejected`);
        throw new Error(`crash while using ${secret}`);
      };
      const out = await runBatch(roster, options(dir), { grade, redact });
      await writeClassOutputs(roster, out, { outDir: join(dir, 'out'), exercise: EXERCISE, lang: 'en' });
      const all = [
        ...(await readdir(join(dir, 'out'))).filter((f) => f !== 'students').map((f) => join(dir, 'out', f)),
        ...(await readdir(join(dir, 'out', 'students'))).map((f) => join(dir, 'out', 'students', f)),
      ];
      expect(all.length).to.be.greaterThan(6);
      for (const f of all) expect(await readFile(f, 'utf8'), f).to.not.include(secret);
      expect(out.students[0]!.record!.error!.message).to.include('***');
    } finally {
      clearSecretsForTests();
    }
  });

  it('the task override reaches the grader', async () => {
    const roster = await makeClass(dir, 2);
    const seen: RosterStudent[] = [];
    await runBatch(roster, options(dir, { task: 'nat' }), {
      grade: async (s) => {
        seen.push(s);
        return fakeResult(s.name);
      },
      redact,
    });
    expect(seen.map((s) => s.task)).to.deep.equal(['nat', 'nat']);
  });
});
