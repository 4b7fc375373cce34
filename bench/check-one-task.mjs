#!/usr/bin/env node
// Benchmark: `labgrade check` of one task with two guests on the bundled lab, split into
// inspect / connect / probe / grade (GradeResult.timings) / render / process overhead, for the NAT
// task (SSH) and the very isolated task (guest agent only); and the cold start of
// `labgrade --version`. Prints a table; never passes or fails on timings.
// Needs root, a build (npm run build) and the lab (it applies scenario `all`, under the lab lock (bench/_lab-lock.mjs)).
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUnderLabLock } from './_lab-lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

if (!process.env.LABGRADE_BENCH_LOCKED) process.exit(runUnderLabLock('check-one-task', import.meta.url) ?? 0);

const dist = (p) => join(root, 'dist', p);
const lab = await import(dist('grader/lab/index.js'));
const { renderers } = await import(dist('reports/index.js'));
const cli = join(root, 'bin', 'labgrade.js');
const spec = join(root, 'exercises', 'clase2-redes.yaml');
const answers = join(root, 'exercises', 'demo', 'answers-correct.yaml');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

process.stdout.write('bringing the lab to scenario "all" (two guests per network)…\n');
await lab.labUp({ scenario: 'all', labFile: false, skipPackages: true });
const work = mkdtempSync(join(tmpdir(), 'labgrade-bench-'));
const PAIRS = {
  nat: { linux: 'debian12', windows: 'win10' },
  very_isolated: { linux: 'debian12-viso', windows: 'win10-viso' },
};

const rows = [];
for (const [task, pair] of Object.entries(PAIRS)) {
  const labFile = await lab.writeLabFile(join(work, `${task}.yaml`), pair);
  const timeoutMs = /timeout_ms:\s*(\d+)/.exec(readFileSync(labFile, 'utf8'))?.[1];
  const samples = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const out = join(work, `${task}-${i}.json`);
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'check', spec, '--lab', labFile, '--answers', answers, '--task', task, '--format', 'json', '-o', out, '-q'], { encoding: 'utf8' });
    const wall = performance.now() - t0;
    if (r.status === 2) {
      process.stdout.write(r.stderr);
      process.exit(1);
    }
    const result = JSON.parse(readFileSync(out, 'utf8'));
    const r0 = performance.now();
    for (const f of ['text', 'json', 'junit', 'html']) renderers[f](result, { color: false });
    const renderAll = performance.now() - r0;
    const t1 = performance.now();
    renderers.text(result, { color: false });
    const renderText = performance.now() - t1;
    if (i === 0) continue; // warm-up (page cache, first SSH handshakes)
    const tm = result.timings;
    samples.push({ wall, ...tm, renderText, renderAll, percent: result.totals.percent, exit: r.status });
  }
  const m = (k) => median(samples.map((s) => s[k]));
  const other = m('wall') - m('inspectMs') - m('connectMs') - m('probeMs') - m('gradeMs');
  rows.push({ task, transport: task === 'nat' ? 'ssh' : 'agent', timeoutMs, wall: m('wall'), inspect: m('inspectMs'), connect: m('connectMs'), probe: m('probeMs'), grade: m('gradeMs'), render: m('renderText'), renderAll: m('renderAll'), other, percent: samples.map((s) => s.percent).join('/') });
}

// Cold start of --version (a new process each time).
const ver = [];
for (let i = 0; i < 11; i++) {
  const t0 = performance.now();
  execFileSync(process.execPath, [cli, '--version']);
  ver.push(performance.now() - t0);
}
rmSync(work, { recursive: true, force: true });

const f = (x) => (Number.isFinite(x) ? x.toFixed(0).padStart(6) : '     -');
process.stdout.write(`\nlabgrade check, one task, two guests (median of ${RUNS} runs after a warm-up; ms)\n`);
process.stdout.write('task           via    total  inspect connect  probe  grade render(text) render(all 4) startup+load  score\n');
for (const r of rows) {
  process.stdout.write(
    `${r.task.padEnd(14)} ${r.transport.padEnd(5)} ${f(r.wall)}  ${f(r.inspect)}  ${f(r.connect)} ${f(r.probe)} ${f(r.grade)}       ${f(r.render)}        ${f(r.renderAll)}       ${f(r.other)}  ${r.percent}\n`,
  );
}
process.stdout.write(`negative-probe timeout in the lab file: ${rows[0]?.timeoutMs ?? '?'} ms; target: total < 1500 ms + one timeout\n`);
process.stdout.write(`\nlabgrade --version cold start: median ${median(ver).toFixed(0)} ms (min ${Math.min(...ver).toFixed(0)}, max ${Math.max(...ver).toFixed(0)}; 11 runs; target < 150 ms)\n`);
