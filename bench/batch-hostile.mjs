#!/usr/bin/env node
// Benchmark: a hostile class. `labgrade batch` over 30 students on the bundled lab (NAT task, the
// same two guests), first with every student handing in clean files, then with the same roster where
// 5 students hand in hostile files (issue 22's attacks and the last round's):
//   s05  answers: an alias bomb (billion laughs) with C1 / bidi controls in its values
//   s11  answers: a FIFO
//   s17  lab file: `networks:` with 93,000 keys (under 1 MiB)
//   s23  answers: a symbolic link escaping into a teacher folder; lab file: inline password `e` and
//        an SSH server "of the student's" on a port only the lab names
//   s29  lab file: a forbidden libvirt URI parameter (command=)
// plus a folder planted in --out named like a temporary file. Prints whether the other 25 are
// graded exactly as in the clean run (status, totals and every verdict's outcome and points), and
// the wall time of the hostile run over the clean one (target: within 1.2x). Never asserts.
// Needs root, a build (npm run build) and the lab (scenario `all`, under /tmp/labgrade-labtests.lock).
// BENCH_CONCURRENCY (default 4).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { measure } from './_measure.mjs';
import { runUnderLabLock } from './_lab-lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const N = 30;
const C = Number(process.env.BENCH_CONCURRENCY ?? 4);
const HOSTILE = ['s05', 's11', 's17', 's23', 's29'];

if (!process.env.LABGRADE_BENCH_LOCKED) process.exit(runUnderLabLock('batch-hostile', import.meta.url) ?? 0);

const lab = await import(join(root, 'dist', 'grader', 'lab', 'index.js'));
process.stdout.write('bringing the lab to scenario "all"…\n');
await lab.labUp({ scenario: 'all', labFile: false, skipPackages: true });
const work = mkdtempSync(join(tmpdir(), 'labgrade-bench-batch-hostile-'));
try {
  const labFile = await lab.writeLabFile(join(work, 'lab.yaml'), { linux: 'debian12', windows: 'win10' });
  const inlineLab = parse(readFileSync(labFile, 'utf8'));
  const spec = join(root, 'exercises', 'clase2-redes.yaml');
  const answers = join(root, 'exercises', 'demo', 'answers-correct.yaml');
  const ids = Array.from({ length: N }, (_, i) => `s${String(i).padStart(2, '0')}`);

  // The hostile hand-ins.
  const h = join(work, 'handins');
  mkdirSync(join(h, 'teacher'), { recursive: true });
  writeFileSync(join(h, 'teacher', 'private.yaml'), 'TEACHER-SECRET-LINE: do not publish\n', { mode: 0o600 });
  const bomb = ['a: &a ["\u009b2J\u202eexe", "\u2066x\u2069"]'];
  for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  writeFileSync(join(h, 's05-answers.yaml'), `${bomb.join('\n')}\n`);
  execFileSync('mkfifo', [join(h, 's11-answers.yaml')]);
  const keys = [];
  for (let i = 0; i < 93000; i++) keys.push(`k${i}: n`);
  writeFileSync(join(h, 's17-lab.yaml'), `uri: "qemu:///system"\nnetworks: {${keys.join(', ')}}\nvms:\n  linux: { domain: debian12, access: [agent] }\n`);
  mkdirSync(join(h, 'entregas'));
  symlinkSync(join(h, 'teacher'), join(h, 'entregas', 's23'));
  writeFileSync(join(h, 's23-lab.yaml'), `uri: "qemu:///system"\nnetworks: { nat: red-nat }\nvms:\n  linux: { domain: debian12, access: [{ ssh: { user: root, host: 127.0.0.1, port: 18992, password: { value: e } } }] }\n  windows: { domain: win10, access: [agent] }\n`);
  writeFileSync(join(h, 's29-lab.yaml'), `uri: "qemu+ssh://root@127.0.0.1:18992/system?command=/tmp/labgrade-bench-pwned"\nnetworks: { nat: red-nat }\nvms:\n  linux: { domain: debian12, access: [agent] }\n`);
  const hostileEntry = {
    s05: { answers: join(h, 's05-answers.yaml') },
    s11: { answers: join(h, 's11-answers.yaml') },
    s17: { lab: join(h, 's17-lab.yaml') },
    s23: { answers: join(h, 'entregas', 's23', 'private.yaml'), lab: join(h, 's23-lab.yaml') },
    s29: { lab: join(h, 's29-lab.yaml') },
  };

  const roster = (name, hostile) => {
    const students = ids.map((id, i) => ({ id, name: `Student ${i}`, email: `${id}@bench.invalid`, lab: inlineLab, ...(hostile ? hostileEntry[id] ?? {} : {}) }));
    const f = join(work, `roster-${name}.yaml`);
    writeFileSync(f, stringify({ credentials: [{ hosts: ['127.0.0.1'], ssh: { user: 'root', password: { value: 'bench-teacher-pw' }, accept_new_host_key: true } }], defaults: { answers, task: 'nat', deadline: 120 }, students }));
    return f;
  };
  const cli = join(root, 'bin', 'labgrade.js');
  const batch = (name, hostile, conc, only) => {
    const out = join(work, `out-${name}`);
    if (hostile) mkdirSync(join(out, '.class.json.123.deadbeef.tmp'), { recursive: true });
    let r = roster(name, hostile);
    if (only) {
      const data = parse(readFileSync(r, 'utf8'));
      data.students = data.students.slice(0, only);
      writeFileSync(r, stringify(data));
    }
    return [process.execPath, cli, 'batch', spec, '--roster', r, '--out', out, '--concurrency', String(conc), '--per-host', String(conc)];
  };
  /** What must not change for a clean student: status, totals, and every verdict's outcome and points. */
  const gist = (out, id) => {
    try {
      const status = JSON.parse(readFileSync(join(work, out, 'students', `${id}.status.json`), 'utf8')).status;
      const r = JSON.parse(readFileSync(join(work, out, 'students', `${id}.json`), 'utf8'));
      const verdicts = r.tasks.flatMap((t) => [...t.hostChecks, ...t.questions].map((v) => `${v.id}:${v.outcome}:${v.points}/${v.maxPoints}`));
      return JSON.stringify({ status, points: r.totals.points, max: r.totals.maxPoints, verdicts });
    } catch (e) {
      return `unreadable (${e.message})`;
    }
  };
  const counts = (out) => {
    try {
      const c = JSON.parse(readFileSync(join(work, out, 'class.json'), 'utf8')).counts;
      return `${c.graded} graded, ${c.incomplete} incomplete, ${c.failed} failed, ${c.pending} pending`;
    } catch (e) {
      return `no class.json (${e.message})`;
    }
  };

  measure(batch('warm', false, 1, 1)); // warm-up: page cache, first SSH handshakes
  const clean = measure(batch('clean', false, C));
  const hostile = measure(batch('hostile', true, C));
  const others = ids.filter((id) => !HOSTILE.includes(id));
  const differ = others.filter((id) => gist('out-clean', id) !== gist('out-hostile', id));
  const leaked = (() => {
    try {
      return execFileSync('grep', ['-rl', 'TEACHER-SECRET-LINE', join(work, 'out-hostile')], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  })();
  const f = (x) => (x / 1000).toFixed(1).padStart(6);
  process.stdout.write(`\nbatch of ${N} students, NAT task on the same 2 guests, concurrency ${C} (host: ${cpus().length} CPUs)\n`);
  process.stdout.write(`clean run:    ${f(clean.wallMs)} s wall  ${f(clean.cpuMs)} s CPU  exit ${clean.status}  (${counts('out-clean')})\n`);
  process.stdout.write(`hostile run:  ${f(hostile.wallMs)} s wall  ${f(hostile.cpuMs)} s CPU  exit ${hostile.status}  (${counts('out-hostile')})\n`);
  process.stdout.write(`hostile / clean wall time: ${(hostile.wallMs / clean.wallMs).toFixed(2)}x (target <= 1.2x)\n`);
  process.stdout.write(`the other ${others.length}: ${others.length - differ.length} graded exactly as in the clean run${differ.length ? `; DIFFERENT: ${differ.join(', ')}` : ''}\n`);
  for (const id of HOSTILE) {
    let s = '?';
    try {
      const st = JSON.parse(readFileSync(join(work, 'out-hostile', 'students', `${id}.status.json`), 'utf8'));
      s = `${st.status}${st.error ? ` (${st.error.code}: ${st.error.message.slice(0, 110)})` : ''}`;
    } catch (e) {
      s = `no status (${e.message})`;
    }
    process.stdout.write(`  ${id}: ${s}\n`);
  }
  process.stdout.write(`teacher's file quoted in any output: ${leaked ? `YES: ${leaked}` : 'no'}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
