#!/usr/bin/env node
// Runs the benchmarks under bench/ one after another and lets each print its own table.
// `npm run bench` runs all; `npm run bench -- lab-up check` runs those whose file name contains a word.
// Benchmarks print figures; they never pass or fail on timings. Most need root and the lab.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const words = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => /\.(mjs|ts)$/.test(f) && f !== 'run.mjs' && !f.startsWith('_'))
  .filter((f) => words.length === 0 || words.some((w) => f.includes(w)))
  .sort();
let failed = 0;
for (const f of files) {
  process.stdout.write(`\n=== bench/${f}\n`);
  const args = f.endsWith('.ts') ? ['--import', 'tsx', join(here, f)] : [join(here, f)];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: join(here, '..') });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`bench/${f} exited with ${r.status}\n`);
  }
}
process.exit(failed ? 1 : 0);
