// Benchmark: inspectHost (virsh XML -> HostSnapshot) on the bundled lab (4 networks, 6 guests):
// in-process (warm, with and without guest-agent pings, virsh calls and their summed time) and as
// a cold process (`labgrade inspect --format json`, needs `npm run build`), plus the cost of one
// bare virsh call for scale. Prints a table; never passes or fails on timings.
// Needs root and the lab (applies scenario `all` under the lab lock (bench/_lab-lock.mjs)).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUnderLabLock } from './_lab-lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

if (!process.env.LABGRADE_BENCH_LOCKED) process.exit(runUnderLabLock('inspect-host', import.meta.url, { tsx: true }) ?? 0);

const lab = await import('../grader/lab/index.js');
const { inspectHost } = await import('../grader/libvirt/snapshot.js');
const { Virsh } = await import('../grader/libvirt/virsh.js');
const URI = lab.labConstants.LIBVIRT_URI;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};
const fmt = (ms: number): string => `${ms.toFixed(0)} ms`;

process.stdout.write('bringing the lab to scenario "all"…\n');
await lab.labUp({ scenario: 'all', labFile: false, skipPackages: true });

const rows: [string, string, string][] = [];

// One bare virsh call (process start + connection + one RPC).
{
  const v = new Virsh({ uri: URI });
  const xs: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    await v.listNetworks('all');
    if (i > 0) xs.push(performance.now() - t0);
  }
  rows.push(['one virsh call (net-list --all --name)', fmt(median(xs)), `median of ${RUNS}`]);
}

for (const agentPing of [true, false]) {
  const xs: number[] = [];
  let calls = 0;
  let virshMs = 0;
  let shape = '';
  for (let i = 0; i < RUNS + 1; i++) {
    const v = new Virsh({ uri: URI });
    const t0 = performance.now();
    const s = await inspectHost(URI, { virsh: v, agentPing });
    const ms = performance.now() - t0;
    if (i === 0) continue; // warm-up
    xs.push(ms);
    calls = v.stats.calls;
    virshMs = v.stats.totalMs;
    shape = `${s.networks.length} networks, ${s.domains.length} domains, ${s.leases.length} leases, ${s.problems.length} problems`;
  }
  rows.push([`inspectHost in-process, agent ping ${agentPing ? 'on' : 'off'}`, fmt(median(xs)), `${calls} virsh calls (${fmt(virshMs)} summed, 4 in parallel); ${shape}`]);
}

const cli = join(root, 'bin', 'labgrade.js');
if (existsSync(join(root, 'dist', 'grader', 'cli', 'main.js'))) {
  const xs: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'inspect', '--uri', URI, '--format', 'json'], { encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0 && r.status !== 1) {
      process.stdout.write(`labgrade inspect failed (exit ${r.status}): ${r.stderr}\n`);
      break;
    }
    if (i > 0) xs.push(ms);
  }
  if (xs.length) rows.push(['labgrade inspect --format json (cold process)', fmt(median(xs)), `median of ${RUNS}, node start + CLI + inspect`]);
} else {
  rows.push(['labgrade inspect (cold process)', '-', 'not built: run `npm run build` first']);
}

const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
process.stdout.write(`\ninspect on ${URI} (${RUNS} runs after a warm-up)\n`);
for (const [a, b, c] of rows) process.stdout.write(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}\n`);
