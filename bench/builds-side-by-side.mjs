#!/usr/bin/env node
// Two (or more) builds of labgrade side by side on the same lab, ALTERNATELY in one run: the way to
// tell a regression from a slower machine or a busier moment (the same old build is measured in the
// same minutes). Each TREE is a built checkout (e.g. `git worktree add /tmp/old <commit>`, `npm ci`,
// `npm run build` there). Prints per build the median wall time, CPU of the whole process tree,
// labgrade's stage timings and, with BENCH_PROFILE=1, the main thread's on-CPU time from a
// --cpu-prof profile of each run (profiling adds its own CPU: leave it off for the CPU column).
//   sudo node bench/builds-side-by-side.mjs /path/to/old-tree /path/to/new-tree
// BENCH_RUNS=N (default 7) runs per build after one warm-up each. Needs root and the lab (it takes the
// lab lock and brings scenario `all` up); NAT task, correct answers, as bench/vs-testinfra.mjs.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './_measure.mjs';
import { summarise } from './_cpuprofile.mjs';
import { runUnderLabLock } from './_lab-lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const trees = process.argv.slice(2).map((t) => resolve(t));
if (trees.length === 0) {
  // Run by `npm run bench` with no trees: nothing to compare, so nothing measured.
  console.log('bench/builds-side-by-side: give the built checkouts to compare (node bench/builds-side-by-side.mjs TREE [TREE...]); skipped');
  process.exit(0);
}
if (!process.env.LABGRADE_BENCH_LOCKED) process.exit(runUnderLabLock('builds-side-by-side', import.meta.url) ?? 0);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PROFILE = process.env.BENCH_PROFILE === '1';

const lab = await import(join(root, 'dist', 'grader', 'lab', 'index.js'));
await lab.labUp({ scenario: 'all', labFile: false, skipPackages: true });
const work = mkdtempSync(join(tmpdir(), 'labgrade-bench-builds-'));
// Each build writes its own lab file (the format may differ between builds).
const labs = [];
for (const [i, t] of trees.entries()) {
  const own = await import(join(t, 'dist', 'grader', 'lab', 'index.js'));
  labs.push(await own.writeLabFile(join(work, `lab-${i}.yaml`), { linux: 'debian12', windows: 'win10' }));
}

const rows = trees.map(() => []);
for (let k = 0; k < RUNS + 1; k++) {
  for (const [i, t] of trees.entries()) {
    const out = join(work, `r-${i}.json`);
    const prof = join(work, `prof-${i}-${k}`);
    const m = measure([process.execPath, ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []), join(t, 'bin', 'labgrade.js'), 'check', join(t, 'exercises', 'clase2-redes.yaml'), '--lab', labs[i], '--answers', join(t, 'exercises', 'demo', 'answers-correct.yaml'), '--task', 'nat', '--format', 'json', '-o', out, '-q']);
    let r = null;
    try {
      r = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      console.log(`${t}: run ${k} failed (exit ${m.status}): ${m.stderr.slice(0, 300)}`);
    }
    if (r && r.totals.percent !== 100) console.log(`${t}: run ${k} scored ${r.totals.percent} % (expected 100)`);
    const files = PROFILE ? readdirSync(prof) : [];
    const mainMs = files.length ? summarise(join(prof, files[0])).totalMs : NaN;
    if (k > 0 && r) rows[i].push({ ...m, ...r.timings, mainMs });
  }
}
rmSync(work, { recursive: true, force: true });

const f = (x) => (Number.isFinite(x) ? x.toFixed(0) : '-').padStart(6);
console.log(`\nlabgrade check --task nat, builds alternately, ${RUNS} runs each (medians, ms)`);
console.log('build                                     wall     CPU  main-thread  inspect connect  probe  grade');
for (const [i, t] of trees.entries()) {
  const m = (k) => median(rows[i].map((x) => x[k]));
  console.log(`${t.slice(-40).padEnd(40)} ${f(m('wallMs'))}  ${f(m('cpuMs'))}  ${f(m('mainMs'))}      ${f(m('inspectMs'))}  ${f(m('connectMs'))} ${f(m('probeMs'))} ${f(m('gradeMs'))}`);
}
