#!/usr/bin/env node
// Side-by-side benchmark: `labgrade check --task nat` and the testinfra peer
// (/work/shared/bench/peer-testinfra/, Debian's python3-testinfra over paramiko) on the same two
// NAT guests of the bundled lab, ALTERNATELY in one run (same machine load for both). Prints per
// tool the median wall time, CPU (user + sys of the whole process tree) and peak memory, the ratio,
// labgrade's stage timings, and what one profiled labgrade run (--cpu-prof) spent its CPU on.
// Targets (issue 16) are printed next to the figures, never asserted.
// Needs root, a build, the lab (scenario `all`, under /tmp/labgrade-labtests.lock) and python3-testinfra.
// BENCH_RUNS=N (default 5) alternating runs after one warm-up each; PEER_DIR overrides the peer's folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './_measure.mjs';
import { summarise, newestProfile, formatSummary } from './_cpuprofile.mjs';
import { runUnderLabLock } from './_lab-lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PEER = process.env.PEER_DIR ?? join(root, '..', '..', 'shared', 'bench', 'peer-testinfra');
const PEER_DIR = existsSync(PEER) ? PEER : '/work/shared/bench/peer-testinfra';
// The NAT guests of scenario `all` (grader/lab/scenarios.ts) and the lab's Internet name.
const HOSTS = '192.168.101.218,192.168.101.219';
const NAME = 'www.labgrade.test';
// Debian's interpreter (its dist-packages hold python3-testinfra), not a pyenv shim.
const PY = process.env.PEER_PYTHON ?? '/usr/bin/python3';

if (process.getuid?.() !== 0) {
  console.log('bench/vs-testinfra: needs root (the lab); skipped');
  process.exit(0);
}
if (spawnSync(PY, ['-c', 'import testinfra, paramiko, pytest']).status !== 0) {
  console.log('bench/vs-testinfra: python3-testinfra / python3-paramiko / python3-pytest missing (scripts/bootstrap.sh installs them); skipped');
  process.exit(0);
}
if (!existsSync(join(PEER_DIR, 'test_nat_testinfra.py'))) {
  console.log(`bench/vs-testinfra: no peer at ${PEER_DIR} (set PEER_DIR); skipped`);
  process.exit(0);
}
if (!process.env.LABGRADE_BENCH_LOCKED) process.exit(runUnderLabLock('vs-testinfra', import.meta.url) ?? 0);

const lab = await import(join(root, 'dist', 'grader', 'lab', 'index.js'));
const { paths } = await import(join(root, 'dist', 'grader', 'lab', 'constants.js'));
process.stdout.write('bringing the lab to scenario "all"…\n');
await lab.labUp({ scenario: 'all', labFile: false, skipPackages: true });
const work = mkdtempSync(join(tmpdir(), 'labgrade-bench-vs-'));
const labFile = await lab.writeLabFile(join(work, 'lab.yaml'), { linux: 'debian12', windows: 'win10' });
const cli = join(root, 'bin', 'labgrade.js');
const spec = join(root, 'exercises', 'clase2-redes.yaml');
const answers = join(root, 'exercises', 'demo', 'answers-correct.yaml');

const labgradeArgv = (out, extra = []) => [process.execPath, ...extra, cli, 'check', spec, '--lab', labFile, '--answers', answers, '--task', 'nat', '--format', 'json', '-o', out, '-q'];
const peerArgv = ['ip', 'netns', 'exec', 'labgrade', 'env', `LAB_KEY=${paths.sshKey}`, `LAB_HOSTS=${HOSTS}`, `LAB_NAME=${NAME}`,
  PY, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', join(PEER_DIR, 'test_nat_testinfra.py')];

const rows = { labgrade: [], testinfra: [] };
const stages = [];
const problems = [];
for (let i = 0; i < RUNS + 1; i++) {
  const out = join(work, `r${i}.json`);
  const a = measure(labgradeArgv(out));
  let result = null;
  try {
    result = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    problems.push(`labgrade run ${i}: exit ${a.status}: ${a.stderr.slice(0, 300)}`);
  }
  if (result && result.totals.percent !== 100) problems.push(`labgrade run ${i}: ${result.totals.percent} % (expected 100): ${JSON.stringify(result.errors)}`);
  const b = measure(peerArgv, { cwd: PEER_DIR });
  if (b.status !== 0) problems.push(`testinfra run ${i}: exit ${b.status}: ${(b.stdout + b.stderr).slice(-400)}`);
  if (i === 0) continue; // warm-up: page cache, the guests' first handshakes
  rows.labgrade.push(a);
  rows.testinfra.push(b);
  if (result) stages.push(result.timings);
}

// Profiled labgrade runs: what the main thread spent the CPU on. The bundle (as shipped) gives the
// total; its chunks do not name modules, so the same run from the separate modules
// (LABGRADE_NO_BUNDLE=1) gives the attribution by module.
const profile = (dir, env = {}) => {
  measure(labgradeArgv(join(work, 'prof.json'), ['--cpu-prof', `--cpu-prof-dir=${dir}`]), { env: { ...process.env, ...env } });
  return newestProfile(dir);
};
const profBundle = profile(join(work, 'prof-bundle'));
const prof = profile(join(work, 'prof'), { LABGRADE_NO_BUNDLE: '1' });
rmSync(join(work, 'lab.yaml'), { force: true });

const m = (list, k) => median(list.map((x) => x[k]));
const f = (x, w = 7) => (Number.isFinite(x) ? x.toFixed(0) : '-').padStart(w);
const L = rows.labgrade;
const T = rows.testinfra;
process.stdout.write(`\nlabgrade check --task nat vs pytest-testinfra, same 2 NAT guests, ${RUNS} alternating runs each (medians)\n`);
process.stdout.write(`CPU: ${L[0]?.cpuSource ?? '?'}\n`);
process.stdout.write('tool          wall ms   CPU ms  (user  + sys)   peak RSS MB\n');
for (const [name, list] of [['labgrade', L], ['testinfra', T]]) {
  process.stdout.write(`${name.padEnd(12)} ${f(m(list, 'wallMs'), 8)} ${f(m(list, 'cpuMs'), 8)}  (${f(m(list, 'userMs'), 5)} + ${f(m(list, 'sysMs'), 4)})  ${(m(list, 'maxRssKb') / 1024).toFixed(1).padStart(10)}\n`);
}
const ratio = m(L, 'wallMs') / m(T, 'wallMs');
process.stdout.write(`ratio labgrade/testinfra wall: ${ratio.toFixed(2)}x   CPU: ${(m(L, 'cpuMs') / m(T, 'cpuMs')).toFixed(2)}x\n`);
process.stdout.write(`labgrade stages (median ms): inspect ${f(median(stages.map((s) => s.inspectMs)), 0)}, connect ${f(median(stages.map((s) => s.connectMs)), 0)}, probe ${f(median(stages.map((s) => s.probeMs)), 0)}, grade ${f(median(stages.map((s) => s.gradeMs)), 0)}\n`);
process.stdout.write(`targets (issue 16): wall < 1500 ms [${m(L, 'wallMs') < 1500 ? 'met' : 'not met'}], < 0.5x testinfra [${ratio < 0.5 ? 'met' : 'not met'}], CPU < 600 ms [${m(L, 'cpuMs') < 600 ? 'met' : 'not met'}]\n`);
if (profBundle) {
  const b = summarise(profBundle);
  process.stdout.write(`\nprofile of one labgrade run as shipped (bundle): main thread on-CPU ${b.totalMs.toFixed(0)} ms, idle ${b.idleMs.toFixed(0)} ms\n`);
}
if (prof) process.stdout.write(`profile of one run from the separate modules (LABGRADE_NO_BUNDLE=1), main thread self time by module:\n${formatSummary(summarise(prof), 12)}\n`);
if (problems.length) process.stdout.write(`\nproblems:\n  ${problems.join('\n  ')}\n`);
rmSync(work, { recursive: true, force: true });
