#!/usr/bin/env node
// The one test command (`npm test`): unit tests, then the real-lab tests (root only; they bring
// the sandboxed lab up themselves through test/helpers/lab.ts). Arguments: test files or globs
// (default: everything), `--grep PATTERN`, `--unit` (unit tests only), `--bail`.
// It ends with the plain line `N passed, N failed, N skipped` that CI reads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// labgrade's per-user state (the key that seals batch status files) goes to a folder of this run,
// never to the user's own ~/.config/labgrade, unless the caller chose one.
const own = process.env.LABGRADE_CONFIG_DIR ? null : mkdtempSync(join(tmpdir(), 'labgrade-test-config-'));
const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'mocha-driver.mjs'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: own ? { ...process.env, LABGRADE_CONFIG_DIR: own } : process.env,
});
if (own) rmSync(own, { recursive: true, force: true });
process.exit(r.status ?? 1);
