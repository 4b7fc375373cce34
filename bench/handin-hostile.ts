// Hostile hand-ins: how long refusing each takes and how much memory the process grows by.
// Needs no lab: `npm run bench -- handin-hostile`. Prints figures; asserts nothing.
import { performance } from 'node:perf_hooks';
import { dotDotZip, liar, manyEntries, zipOf } from '../test/helpers/hostile-zips.js';
import { readHandIn, HandInRefused } from '../grader/handin/read.js';

const cases: [string, () => Promise<Buffer>][] = [
  ['zip bomb: one entry of 512 MiB of zeros (declared)', () => zipOf((z) => z.addBuffer(Buffer.alloc(512 * 1024 * 1024), 'runs/1/evidence.jsonl'))],
  ['zip bomb lying: 512 MiB of zeros declared as 1,000 bytes', async () => liar(await zipOf((z) => z.addBuffer(Buffer.alloc(512 * 1024 * 1024), 'labgrade-handin.json')))],
  ['ratio: 8 MiB of zeros', () => zipOf((z) => z.addBuffer(Buffer.alloc(8 * 1024 * 1024), 'answers.yaml'))],
  ['../ entry', dotDotZip],
  ['symlink entry', () => zipOf((z) => z.addBuffer(Buffer.from('/etc/shadow'), 'answers.yaml', { mode: 0o120777 }))],
  ['100,000 entries', async () => manyEntries(100_000)],
];

console.log('| hostile hand-in | zip size | refused as | time to refuse | heap + buffers held after (before GC) |');
console.log('|---|---|---|---|---|');
for (const [label, make] of cases) {
  const zip = await make();
  global.gc?.();
  const mem = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  const m0 = mem();
  const t0 = performance.now();
  let how = 'accepted (!)';
  try {
    await readHandIn(zip, 'bench', 'en');
  } catch (e) {
    how = e instanceof HandInRefused ? e.code : String(e);
  }
  const ms = performance.now() - t0;
  const grow = Math.max(0, mem() - m0) / 1024 / 1024;
  console.log(`| ${label} | ${(zip.length / 1024).toFixed(0)} KiB | ${how} | ${ms.toFixed(1)} ms | ${grow.toFixed(1)} MiB |`);
}
