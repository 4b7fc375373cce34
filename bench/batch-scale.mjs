#!/usr/bin/env node
// Benchmark: `labgrade batch` wall time and peak RSS for 1, 10 and 100 roster entries at
// concurrency 1, 4 and 16 against the bundled lab. Every entry grades the NAT task on the same two
// guests (debian12 + win10, SSH), so entries are identical and the ideal is
//   overhead + ceil(entries / concurrency) x one entry's time
// (one entry's time and the fixed overhead come from the 1-entry, concurrency-1 run). Also prints
// the CPU the lab guests used (virsh domstats cpu.time / wall) and the host load, to show where the
// guests' CPU saturates. Prints a table; never passes or fails on timings.
// Needs root, a build (npm run build) and the lab (scenario `all`, taken under the lab-tests lock).
// BENCH_BATCH_SIZES=1,10 BENCH_BATCH_CONCURRENCY=1,4 narrow the grid.
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUnderLabLock } from './_lab-lock.mjs';
import { inlineLabRoster } from './_lab-roster.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = (process.env.BENCH_BATCH_SIZES ?? '1,10,100').split(',').map(Number);
const CONC = (process.env.BENCH_BATCH_CONCURRENCY ?? '1,4,16').split(',').map(Number);
const GUESTS = ['debian12', 'win10'];

// Child mode: run the batch command in this process and report its peak RSS.
if (process.argv[2] === '--child') {
  const [, , , spec, roster, out, conc] = process.argv;
  const { runBatchCli } = await import(join(root, 'dist', 'grader', 'cli', 'commands', 'batch.js'));
  const code = await runBatchCli(spec, { roster, out, concurrency: conc, perHost: conc, deadline: '600' }, { lang: 'en' });
  process.stderr.write(`\nBENCH_RESULT ${JSON.stringify({ code, maxRssKb: process.resourceUsage().maxRSS })}\n`);
  process.exit(0);
}

if (!process.env.LABGRADE_BENCH_LOCKED) process.exit(runUnderLabLock('batch-scale', import.meta.url) ?? 0);

const lab = await import(join(root, 'dist', 'grader', 'lab', 'index.js'));
const { LIBVIRT_URI } = (await import(join(root, 'dist', 'grader', 'lab', 'constants.js')));
process.stdout.write('bringing the lab to scenario "all"…\n');
await lab.labUp({ scenario: 'all', labFile: false, skipPackages: true });
const work = mkdtempSync(join(tmpdir(), 'labgrade-bench-batch-'));
const spec = join(root, 'exercises', 'clase2-redes.yaml');
const answers = join(root, 'exercises', 'demo', 'answers-correct.yaml');

// The lab inline in the roster (the teacher's), as bench/watch.mjs: bench/_lab-roster.mjs says why.
function roster(n) {
  const file = join(work, `roster-${n}.yaml`);
  writeFileSync(file, inlineLabRoster(lab, GUESTS, { answers, entries: n }));
  return file;
}

function guestCpuNs() {
  const out = execFileSync('virsh', ['-c', LIBVIRT_URI ?? 'qemu:///system', 'domstats', '--cpu-total', ...GUESTS], { encoding: 'utf8' });
  return [...out.matchAll(/cpu\.time=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
}

function runOnce(n, c) {
  const out = join(work, `out-${n}-${c}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const file = roster(n);
  const cpu0 = guestCpuNs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', spec, file, out, String(c)], { encoding: 'utf8', env: { ...process.env, LABGRADE_BENCH_LOCKED: '1' } });
  const wall = performance.now() - t0;
  const guestCores = (guestCpuNs() - cpu0) / 1e6 / wall;
  const m = /BENCH_RESULT (.*)/.exec(r.stderr ?? '');
  if (!m) {
    process.stdout.write(r.stdout + r.stderr);
    throw new Error(`batch run ${n}x${c} did not finish`);
  }
  const res = JSON.parse(m[1]);
  const statuses = readdirSync(join(out, 'students')).filter((f) => f.endsWith('.status.json')).map((f) => JSON.parse(readFileSync(join(out, 'students', f), 'utf8')));
  const graded = statuses.filter((s) => s.status === 'graded').length;
  const durations = statuses.map((s) => s.durationMs).sort((a, b) => a - b);
  return { n, c, wall, rssMb: res.maxRssKb / 1024, code: res.code, graded, guestCores, meanEntry: durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length), load: loadavg()[0] };
}

// Warm-up (page cache, first SSH handshakes), then the grid; rows print as they complete.
runOnce(1, 1);
const f = (x, w = 7, d = 1) => (Number.isFinite(x) ? x.toFixed(d).padStart(w) : '      -');
let entry = NaN;
let overhead = NaN;
const rows = [];
process.stdout.write(`\nlabgrade batch, NAT task, every entry on the same two guests (host: ${cpus().length} CPUs; guests are TCG VMs)\n`);
process.stdout.write('entries  conc   wall s  ideal s  wall/ideal  per-entry s  graded  peak RSS MB  guest CPU (cores)  load1\n');
for (const n of SIZES) {
  for (const c of CONC) {
    const r = runOnce(n, c);
    if (!Number.isFinite(entry)) {
      // The first row (1 entry, concurrency 1) gives one entry's time and the fixed overhead.
      entry = r.meanEntry;
      overhead = Math.max(0, r.wall - entry);
    }
    rows.push(r);
    const ideal = overhead + Math.ceil(r.n / r.c) * entry;
    process.stdout.write(
      `${String(r.n).padStart(7)} ${String(r.c).padStart(5)} ${f(r.wall / 1000, 8, 2)} ${f(ideal / 1000, 8, 2)} ${f(r.wall / ideal, 11, 2)} ${f(r.meanEntry / 1000, 12, 2)} ${String(r.graded).padStart(4)}/${String(r.n).padEnd(3)} ${f(r.rssMb, 11, 0)} ${f(r.guestCores, 18, 2)} ${f(r.load, 6, 2)}\n`,
    );
  }
}
rmSync(work, { recursive: true, force: true });
process.stdout.write(`one entry: ${(entry / 1000).toFixed(2)} s; fixed overhead (start, spec, roster, class files): ${(overhead / 1000).toFixed(2)} s\n`);
process.stdout.write('target: wall/ideal <= 1.5 until the guests\' CPU saturates; peak RSS < 300 MB at 100 entries\n');
