// Benchmark of the sandboxed lab (root only): cold `lab up` (guest image not cached; the .deb
// cache kept unless --no-deb-cache), `lab down`, warm `lab up` (image cached) for scenarios `nat`
// (2 guests) and `all` (6 guests), a no-op re-apply, and guest start -> SSH ready (median of N).
// Takes the shared lab-test lock, so it never disturbs a running lab test; leaves the lab up on `all`.
//   node --import tsx bench/lab-up.ts [--runs N] [--no-deb-cache] [--skip-cold]
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runUnderLabLock } from './_lab-lock.mjs';

if (process.env.LABGRADE_BENCH_LOCKED !== '1') process.exit(runUnderLabLock('lab-up', import.meta.url, { tsx: true }) ?? 0);

const { labUp, labDown, applyScenario, scenarioByName, labConstants } = await import('../grader/lab/index.js');
const { destroyDomain, startDomain, waitGuestReady } = await import('../grader/lab/guests.js');

const arg = (name: string) => process.argv.includes(name);
const runsIdx = process.argv.indexOf('--runs');
const runs = runsIdx > 0 ? Number(process.argv[runsIdx + 1]) || 3 : 3;
const rows: [string, string, string][] = [];
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = Date.now();
  const v = await fn();
  return [Date.now() - t0, v];
}

const { paths } = labConstants;
await labDown();

if (!arg('--skip-cold')) {
  const aside = `${paths.imageDir}.bench-${process.pid}`;
  const debsAside = `${paths.debDir}.bench-${process.pid}`;
  if (existsSync(paths.imageDir)) await rename(paths.imageDir, aside);
  if (arg('--no-deb-cache') && existsSync(paths.debDir)) await rename(paths.debDir, debsAside);
  try {
    const [ms, r] = await timed(() => labUp({ scenario: 'nat', labFile: false }));
    rows.push([`cold lab up, nat (2 guests)${arg('--no-deb-cache') ? ', .debs downloaded' : ', .debs cached'}`, s(ms),
      `prepare ${s(r.timings.prepareMs)}, image build ${s(r.image.buildMs)}, guests ${s(r.timings.guestsMs)}`]);
  } finally {
    await rm(aside, { recursive: true, force: true });
    if (existsSync(debsAside)) {
      await rm(paths.debDir, { recursive: true, force: true });
      await rename(debsAside, paths.debDir);
    }
  }
  const [downMs, d] = await timed(() => labDown());
  rows.push(['lab down (2 guests)', s(downMs), `domains ${s(d.domainsMs)}, networks ${s(d.networksMs)}, daemons + namespaces ${s(d.teardownMs)}`]);
}

{
  const [ms, r] = await timed(() => labUp({ scenario: 'nat', labFile: false }));
  rows.push(['warm lab up, nat (2 guests)', s(ms), `prepare ${s(r.timings.prepareMs)}, guests ${s(r.timings.guestsMs)}`]);
  const [noop] = await timed(() => applyScenario('nat'));
  rows.push(['re-apply nat (nothing changes)', s(noop), '']);
}

{
  const def = scenarioByName('nat');
  const g = def.guests.debian12!;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await destroyDomain('debian12');
    const [ms] = await timed(async () => {
      await startDomain('debian12');
      await waitGuestReady('debian12', g, {}, 300_000);
    });
    times.push(ms);
  }
  rows.push([`guest start -> SSH ready (debian12, DHCP; median of ${runs})`, s(median(times)), times.map(s).join(', ')]);
}

{
  const [downMs, d] = await timed(() => labDown());
  rows.push(['lab down (2 guests)', s(downMs), `domains ${s(d.domainsMs)}, networks ${s(d.networksMs)}, daemons + namespaces ${s(d.teardownMs)}`]);
  const [ms, r] = await timed(() => labUp({ scenario: 'all', labFile: false, skipPackages: true }));
  rows.push(['warm lab up, all (6 guests)', s(ms), `guests ${s(r.timings.guestsMs)}`]);
  const [sw, started] = await timed(() => applyScenario('firewall'));
  rows.push(['switch all -> firewall (restarts win10)', s(sw), started.join(', ')]);
  const [back] = await timed(() => applyScenario('all'));
  rows.push(['switch firewall -> all', s(back), '']);
}

const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
console.log(`${'measure'.padEnd(w0)}  ${'time'.padStart(w1)}  detail`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
console.log(`(load average at the end: ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}; cores: ${(await import('node:os')).cpus().length})`);
