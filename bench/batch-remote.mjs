#!/usr/bin/env node
// Batch over remote hosts: a class whose students each have their own qemu+ssh libvirt host
// (simulated: one sshd per student in the lab namespace, grader/lab/remote-host.ts, all in front of
// the lab's libvirtd and the same two NAT guests). Times one student alone, then the class at a
// given concurrency, and prints the class time against the ideal ceil(N / concurrency) x one
// student (issue 16's target: within 1.5x, until the guests' CPU is the limit), with the guests'
// CPU use (virsh domstats) to show where that limit is. Never asserts.
// Needs root, a build, the lab (scenario `all`, under /tmp/labgrade-labtests.lock).
// BENCH_STUDENTS (default 30) and BENCH_CONCURRENCY (default 4).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './_measure.mjs';
import { parse, stringify } from 'yaml';
import { runUnderLabLock } from './_lab-lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_STUDENTS ?? 30);
const C = Number(process.env.BENCH_CONCURRENCY ?? 4);

if (!process.env.LABGRADE_BENCH_LOCKED) process.exit(runUnderLabLock('batch-remote', import.meta.url) ?? 0);

const lab = await import(join(root, 'dist', 'grader', 'lab', 'index.js'));
const { startRemoteHost } = await import(join(root, 'dist', 'grader', 'lab', 'remote-host.js'));
process.stdout.write('bringing the lab to scenario "all"…\n');
await lab.labUp({ scenario: 'all', labFile: false, skipPackages: true });
const work = mkdtempSync(join(tmpdir(), 'labgrade-bench-batch-remote-'));
const hosts = [];
try {
  const base = 21000 + (process.pid % 5000);
  for (let i = 0; i < N; i++) hosts.push(await startRemoteHost({ port: base + i }));
  const labs = [];
  for (let i = 0; i < N; i++) labs.push(await hosts[i].writeLabFile(join(work, `lab-${i}.yaml`), { linux: 'debian12', windows: 'win10' }));
  const spec = join(root, 'exercises', 'clase2-redes.yaml');
  const answers = join(root, 'exercises', 'demo', 'answers-correct.yaml');
  // Inline labs (the teacher's roster): a lab *file* listed in a roster is a student's hand-in,
  // which may not name keys or known_hosts (grader/transports/credentials.ts).
  const roster = (n) => {
    const students = [];
    for (let i = 0; i < n; i++) students.push({ id: `s${String(i).padStart(2, '0')}`, name: `Student ${i}`, email: `s${i}@bench.invalid`, lab: parse(readFileSync(labs[i], 'utf8')) });
    const f = join(work, `roster-${n}.yaml`);
    writeFileSync(f, stringify({ defaults: { answers, task: 'nat' }, students }));
    return f;
  };
  const graded = (out) => {
    try {
      const c = JSON.parse(readFileSync(join(work, out, 'class.json'), 'utf8')).counts;
      return `${c.graded}/${c.students} graded${c.students - c.graded ? ` (${c.incomplete} incomplete, ${c.failed} failed)` : ''}`;
    } catch (e) {
      return `no class.json (${e.message})`;
    }
  };
  const cli = join(root, 'bin', 'labgrade.js');
  const batch = (n, conc, out) => [process.execPath, cli, 'batch', spec, '--roster', roster(n), '--out', join(work, out), '--concurrency', String(conc), '--per-host', '1', '--deadline', '600'];
  const guestCpu = () => {
    const out = execFileSync('virsh', ['-c', 'qemu:///system', 'domstats', '--cpu-total', 'debian12', 'win10'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    return [...out.matchAll(/cpu\.time=(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0) / 1e6;
  };
  measure(batch(1, 1, 'warm')); // warm-up
  const one = measure(batch(1, 1, 'one'));
  const g0 = guestCpu();
  const cls = measure(batch(N, C, 'class'));
  const guestMs = guestCpu() - g0;
  const ideal = Math.ceil(N / C) * one.wallMs;
  const f = (x) => (x / 1000).toFixed(1).padStart(7);
  process.stdout.write(`\nbatch of remote hosts: ${N} students, each with its own qemu+ssh host (sshd in the lab namespace), NAT task on the same 2 guests\n`);
  process.stdout.write(`one student alone:                 ${f(one.wallMs)} s wall  ${f(one.cpuMs)} s CPU (exit ${one.status}; ${graded('one')})\n`);
  process.stdout.write(`class at concurrency ${String(C).padEnd(3)}:            ${f(cls.wallMs)} s wall  ${f(cls.cpuMs)} s CPU (exit ${cls.status}; ${graded('class')})\n`);
  process.stdout.write(`ideal ceil(${N}/${C}) x one student:      ${f(ideal)} s   -> ${(cls.wallMs / ideal).toFixed(2)}x the ideal (target < 1.5x)\n`);
  process.stdout.write(`guests' CPU during the class: ${(guestMs / 1000).toFixed(1)} s over ${(cls.wallMs / 1000).toFixed(1)} s = ${(guestMs / cls.wallMs).toFixed(2)} of ${cpus().length} host cores; labgrade's own: ${(cls.cpuMs / cls.wallMs).toFixed(2)} cores\n`);
} finally {
  for (const h of hosts) await h.stop();
  rmSync(work, { recursive: true, force: true });
}
