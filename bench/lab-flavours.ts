// Benchmark of the lab's guest flavours (root only): per flavour, the image build (forced; .debs
// cached, or downloaded with --no-deb-cache), the cache check when nothing changed, the course pair
// (debian12 + win10) booted together on red-nat until SSH answers, one guest restarted until SSH
// answers (median of N), and one `check` of the nat task as root by key and as usuario by password.
// Each flavour runs under the shared lab lock, released between flavours (other users get slots).
//   node --import tsx bench/lab-flavours.ts [--flavour busybox,debian-nm,...] [--runs N] [--no-deb-cache]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LAB_LOCK } from './_lab-lock.mjs';

if (process.getuid?.() !== 0) {
  console.log('bench/lab-flavours: skipped (needs root)');
  process.exit(0);
}
const argValue = (name: string, def: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? (process.argv[i + 1] ?? def) : def;
};
const flavours = argValue('--flavour', 'tiny,busybox,debian-nm,debian-networkd').split(',');
const runs = Number(argValue('--runs', '3')) || 3;
const noDebCache = process.argv.includes('--no-deb-cache');

if (process.env.LABGRADE_BENCH_FLAVOUR === undefined) {
  console.log(`| flavour | measure | time | detail |\n| --- | --- | --- | --- |`);
  let failed = 0;
  for (const f of flavours) {
    const r = spawnSync('flock', [LAB_LOCK, process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, LABGRADE_BENCH_FLAVOUR: f },
    });
    if (r.status !== 0) failed++;
  }
  process.exit(failed ? 1 : 0);
}

const lab = await import('../grader/lab/index.js');
const { ensureImage, imageDir } = await import('../grader/lab/image.js');
const { destroyDomain, startDomain, waitGuestReady } = await import('../grader/lab/guests.js');
const { loadSpec } = await import('../grader/inputs/load-spec.js');
const { loadLab } = await import('../grader/inputs/load-lab.js');
const { loadAnswers } = await import('../grader/inputs/load-answers.js');
const { gradeStudent } = await import('../grader/engine/run.js');
const { defaultDeps } = await import('../grader/engine/default-deps.js');

const flavour = process.env.LABGRADE_BENCH_FLAVOUR as import('../grader/lab/flavours.js').Flavour;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const row = (what: string, ms: number, detail = '') => console.log(`| ${flavour} | ${what} | ${s(ms)} | ${detail} |`);
async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = Date.now();
  const v = await fn();
  return [Date.now() - t0, v];
}

const { paths } = lab.labConstants;
const debs = lab.FLAVOURS[flavour].script === 'build-image.sh' ? paths.debDir : paths.aptArchives;
const aside = `${debs}.bench-${process.pid}`;
if (noDebCache && existsSync(debs)) await rename(debs, aside);
try {
  const [ms, img] = await timed(() => ensureImage(lab.quietLog, { force: true, flavour }));
  row(`image build${noDebCache ? ' (.debs downloaded)' : ' (.debs cached)'}`, ms, imageDir(flavour));
  void img;
} finally {
  if (existsSync(aside)) {
    await rm(debs, { recursive: true, force: true });
    await rename(aside, debs);
  }
}
const [cachedMs] = await timed(() => ensureImage(lab.quietLog, { flavour }));
row('image up to date (nothing built)', cachedMs);

const def = lab.withFlavours(lab.scenarioByName('nat'), { '*': flavour });
// both guests stopped first, so both boot
await destroyDomain('debian12');
await destroyDomain('win10');
const [pairMs] = await timed(() => lab.applyScenario(def));
row('debian12 + win10 on red-nat, booted together until SSH answers', pairMs);

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
row(`one guest: start until SSH answers (median of ${runs})`, median(times), times.map(s).join(', '));

const root = fileURLToPath(new URL('../', import.meta.url));
const spec = await loadSpec(`${root}exercises/clase2-redes.yaml`);
const answers = await loadAnswers(`${root}exercises/demo/answers-correct.yaml`, spec);
for (const user of ['root', 'usuario'] as const) {
  const file = await lab.writeLabFile(`${lab.labConstants.STATE_DIR}/bench-flavours-${user}.yaml`, { linux: 'debian12', windows: 'win10' }, { users: { '*': user } });
  const [ms, r] = await timed(async () => gradeStudent({ spec, lab: await loadLab(file), answers, task: 'nat', lang: 'en', deps: defaultDeps('en') }));
  row(`check --task nat as ${user}`, ms, `${r.totals.percent} %`);
  await rm(file, { force: true });
}
