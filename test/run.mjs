#!/usr/bin/env node
// The one test command (`npm test`): unit tests, then the real-lab tests (root only; they bring
// the sandboxed lab up themselves). Extra arguments go to mocha (e.g. a file or --grep).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extra = process.argv.slice(2);
const specs = extra.some((a) => !a.startsWith('-')) ? [] : ['test/unit/**/*.test.ts', 'test/lab/**/*.test.ts'];
const mocha = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const r = spawnSync(process.execPath, [mocha, ...specs, ...extra], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
