#!/usr/bin/env node
// The one test command (`npm test`): unit tests, then the real-lab tests (root only; they bring
// the sandboxed lab up themselves through test/helpers/lab.ts). Arguments: test files or globs
// (default: everything), `--grep PATTERN`, `--unit` (unit tests only), `--bail`.
// It ends with the plain line `N passed, N failed, N skipped` that CI reads.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'mocha-driver.mjs'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
