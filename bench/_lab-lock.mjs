// The common start of every benchmark that drives the lab: root only, and the whole run re-executed
// under the one lab lock that lab tests and other benchmarks take, so nothing moves the guests while
// we measure. One lock name for the project (the tests' comments and docs name the same file).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const LAB_LOCK = '/tmp/labgrade-labtests.lock';

/**
 * Exits 0 with a note when not root; otherwise, unless already under the lock, re-runs this script
 * (`scriptUrl` = import.meta.url) under `flock LAB_LOCK` and exits with its status.
 * `tsx`: the script is TypeScript; `env`: extra variables for the re-run (LABGRADE_BENCH_LOCKED
 * guards against re-entry unless `env` sets its own guard).
 */
export function runUnderLabLock(name, scriptUrl, { tsx = false, env } = {}) {
  if (process.getuid?.() !== 0) {
    console.log(`bench/${name}: needs root (the lab); skipped`);
    process.exit(0);
  }
  if (process.env.LABGRADE_BENCH_LOCKED === '1' && !env) return;
  const args = [LAB_LOCK, process.execPath, ...(tsx ? ['--import', 'tsx'] : []), fileURLToPath(scriptUrl), ...process.argv.slice(2)];
  const r = spawnSync('flock', args, { stdio: 'inherit', env: { ...process.env, LABGRADE_BENCH_LOCKED: '1', ...env } });
  return r.status ?? 1;
}
