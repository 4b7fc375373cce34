#!/usr/bin/env node
// Benchmark: `labgrade watch` on the bundled lab with 30 roster entries (every entry grades the NAT
// task on the same two guests, debian12 + win10, SSH, correct answers). Runs the real command (the
// built CLI, bin/labgrade.js) with --every BENCH_WATCH_EVERY (default 60) for BENCH_WATCH_ROUNDS
// rounds (default 3), listens to its page's /events like a browser does, and prints per round:
//   - the round time (its start to its close, from the round event's class.startedAt/finishedAt);
//   - the page's update latency: from the round's close (class.finishedAt, stamped by labgrade) to
//     the SSE `round` event received by this client (same machine, same clock);
//   - labgrade's CPU between rounds (idle): utime+stime of the labgrade process from one round's
//     close to the next round's start, over that wall time (a fraction of one core).
// Prints a table; never passes or fails on timings. Needs root, a build (npm run build) and the lab
// (scenario `all`, under the lab-tests lock). BENCH_WATCH_ENTRIES changes the class size.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUnderLabLock } from './_lab-lock.mjs';
import { inlineLabRoster } from './_lab-roster.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = Number(process.env.BENCH_WATCH_ENTRIES ?? 30);
const EVERY = Number(process.env.BENCH_WATCH_EVERY ?? 60);
const ROUNDS = Number(process.env.BENCH_WATCH_ROUNDS ?? 3);
const GUESTS = ['debian12', 'win10'];

if (!process.env.LABGRADE_BENCH_LOCKED) process.exit(runUnderLabLock('watch', import.meta.url) ?? 0);

const lab = await import(join(root, 'dist', 'grader', 'lab', 'index.js'));
process.stdout.write('bringing the lab to scenario "all"…\n');
await lab.labUp({ scenario: 'all', labFile: false, skipPackages: true });
const work = mkdtempSync(join(tmpdir(), 'labgrade-bench-watch-'));
// The lab inline in the roster (the teacher's): bench/_lab-roster.mjs says why.
const spec = join(root, 'exercises', 'clase2-redes.yaml');
const answers = join(root, 'exercises', 'demo', 'answers-correct.yaml');
const roster = join(work, 'roster.yaml');
writeFileSync(roster, inlineLabRoster(lab, GUESTS, { answers, entries: ENTRIES }));

const TICK = 100; // USER_HZ on Linux
function cpuSec(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / TICK; // utime, stime
}

const child = spawn(process.execPath, [join(root, 'bin', 'labgrade.js'), '--lang', 'en', 'watch', spec, '--roster', roster, '--every', String(EVERY), '--listen', '127.0.0.1:0', '--out', join(work, 'out')], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
let stdout = '';
let stderr = '';
child.stderr.on('data', (c) => {
  stderr += c;
  process.stderr.write(c);
});
const url = await new Promise((resolve, reject) => {
  child.stdout.on('data', (c) => {
    stdout += c;
    const m = /Live page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
    if (m) resolve(m[1]);
  });
  child.on('exit', (code) => reject(new Error(`labgrade watch exited ${code}:\n${stdout}${stderr}`)));
});
process.stdout.write(`labgrade watch: ${ENTRIES} entries, --every ${EVERY}, page ${url}\n`);

const rows = [];
let idleFrom = null; // { wall, cpu } at a round's close
await new Promise((resolve, reject) => {
  const u = new URL('events', url);
  const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: { host: u.host, accept: 'text/event-stream' } }, (res) => {
    res.setEncoding('utf8');
    let buf = '';
    res.on('data', (chunk) => {
      const at = Date.now();
      buf += chunk;
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (\w+)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (!event || !data) continue;
        const snap = JSON.parse(data);
        if (event === 'state' && snap.current && idleFrom && idleFrom.round + 1 === snap.current.round) {
          // The next round started: the gap since the last close was idle.
          const wall = (at - idleFrom.wall) / 1000;
          const row = rows[rows.length - 1];
          row.idleSec = wall;
          row.idleCpu = (cpuSec(child.pid) - idleFrom.cpu) / wall;
          idleFrom = null;
        }
        if (event === 'round') {
          const startedAt = Date.parse(snap.class.startedAt);
          const finishedAt = Date.parse(snap.class.finishedAt);
          const graded = snap.students.filter((s) => s.round === snap.round).length;
          rows.push({ round: snap.round, roundSec: (finishedAt - startedAt) / 1000, latencyMs: at - finishedAt, graded, complete: snap.class.counts.graded, idleSec: NaN, idleCpu: NaN });
          idleFrom = { round: snap.round, wall: at, cpu: cpuSec(child.pid) };
          if (snap.round >= ROUNDS) {
            req.destroy();
            resolve();
          }
        }
      }
    });
  });
  req.on('error', reject);
  req.end();
});
child.kill('SIGTERM');
const code = await new Promise((r) => child.on('exit', (c) => r(c)));

const f = (x, w = 8, d = 1) => (Number.isFinite(x) ? x.toFixed(d).padStart(w) : '       -');
process.stdout.write(`\nround | graded | complete | round time (s) | SSE latency (ms) | idle gap (s) | labgrade CPU while idle (% of a core)\n`);
// An idle gap shorter than this is no idle time at all (rounds ran back to back): its CPU figure
// would be the next round's start-up, so it is not printed as an idle figure.
const MIN_IDLE_SEC = 5;
for (const r of rows) {
  const idle = r.idleSec >= MIN_IDLE_SEC ? f(r.idleCpu * 100, 8, 2) : Number.isFinite(r.idleSec) ? '  no idle time' : '';
  process.stdout.write(`${String(r.round).padStart(5)} | ${String(r.graded).padStart(6)} | ${String(r.complete).padStart(8)} | ${f(r.roundSec, 14)} | ${f(r.latencyMs, 16)} | ${f(r.idleSec, 12)} | ${idle}\n`);
}
if (rows.some((r) => Number.isFinite(r.idleSec) && r.idleSec < MIN_IDLE_SEC)) {
  process.stdout.write(`could not measure the idle CPU after some rounds: the round took longer than --every ${EVERY} s, so the next one started at once (no idle time). Fix: an idle machine, or a larger BENCH_WATCH_EVERY.\n`);
}
if (rows.some((r) => r.complete < ENTRIES)) {
  process.stdout.write(`WARNING: some rounds did not grade all ${ENTRIES} entries completely: those rows do not measure a real round (see the per-student status files)\n`);
}
process.stdout.write(`labgrade watch exited ${code} after SIGTERM; outputs in ${join(work, 'out')} (removed)\n`);
rmSync(work, { recursive: true, force: true });
