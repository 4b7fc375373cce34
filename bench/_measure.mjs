// Measures one command as a whole process tree: wall time, CPU (user + sys of the command and
// every process it starts, from a cpuacct cgroup of its own, so helpers a program leaves running
// or kills at exit still count; /usr/bin/time's children figures otherwise) and peak memory
// (largest RSS of one process, /usr/bin/time %M). Root for the cgroup; benchmarks only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const CPUACCT = '/sys/fs/cgroup/cpuacct';
let seq = 0;

function makeCgroup() {
  if (!existsSync(join(CPUACCT, 'cpuacct.usage'))) return null;
  const dir = join(CPUACCT, `labgrade-bench-${process.pid}-${seq++}`);
  try {
    mkdirSync(dir);
    return dir;
  } catch {
    return null;
  }
}

function ticksPerSec() {
  return 100; // USER_HZ on Linux
}

/**
 * Runs argv (no shell: a constant sh script joins the cgroup and execs argv) and returns
 * { status, stdout, stderr, wallMs, cpuMs, userMs, sysMs, maxRssKb, cpuSource }.
 */
export function measure(argv, opts = {}) {
  const cg = makeCgroup();
  const timeFile = join(tmpdir(), `labgrade-bench-time-${process.pid}-${seq++}`);
  const join_ = cg ? `echo $$ > ${cg}/cgroup.procs; ` : '';
  const script = `${join_}exec "$@"`;
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, 'sh', '-c', script, 'sh', ...argv], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...opts,
  });
  const wallMs = performance.now() - t0;
  const [, u, s, rss] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(timeFile, { force: true });
  let userMs = u * 1000;
  let sysMs = s * 1000;
  let cpuMs = userMs + sysMs;
  let cpuSource = '/usr/bin/time (waited children only)';
  if (cg) {
    // Give processes killed at exit a moment to be accounted, then read and remove the group.
    spawnSync('sleep', ['0.05']);
    const usageNs = Number(readFileSync(join(cg, 'cpuacct.usage'), 'utf8'));
    const stat = Object.fromEntries(readFileSync(join(cg, 'cpuacct.stat'), 'utf8').trim().split('\n').map((l) => l.split(' ')));
    cpuMs = usageNs / 1e6;
    const tick = 1000 / ticksPerSec();
    const tu = Number(stat.user) * tick;
    const ts = Number(stat.system) * tick;
    // Split the precise total in the ticks' proportion.
    userMs = tu + ts > 0 ? (cpuMs * tu) / (tu + ts) : cpuMs;
    sysMs = cpuMs - userMs;
    cpuSource = 'cpuacct cgroup (whole process tree)';
    for (let i = 0; i < 20; i++) {
      try {
        rmdirSync(cg);
        break;
      } catch {
        spawnSync('sleep', ['0.05']);
      }
    }
  }
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', wallMs, cpuMs, userMs, sysMs, maxRssKb: rss, cpuSource };
}

export const median = (xs) => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
