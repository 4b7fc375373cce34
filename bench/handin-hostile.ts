// Hostile hand-ins: how long refusing each takes and how much memory the process grows by.
// Needs no lab: `npm run bench -- handin-hostile`. Prints figures; asserts nothing.
import { performance } from 'node:perf_hooks';
import yazl from 'yazl';
import { readHandIn, HandInRefused } from '../grader/handin/read.js';

function zipOf(add: (z: yazl.ZipFile) => void): Promise<Buffer> {
  const z = new yazl.ZipFile();
  add(z);
  z.end();
  return new Promise((resolve) => {
    const c: Buffer[] = [];
    z.outputStream.on('data', (d: Buffer) => c.push(d)).on('end', () => resolve(Buffer.concat(c)));
  });
}

/** n empty stored entries, zip64 (written by hand: yazl is slow for 100,000 entries). */
function manyEntries(n: number): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let off = 0;
  for (let i = 0; i < n; i++) {
    const name = Buffer.from(`f${i}`);
    const l = Buffer.alloc(30);
    l.writeUInt32LE(0x04034b50, 0);
    l.writeUInt16LE(20, 4);
    l.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(off, 42);
    parts.push(l, name);
    central.push(c, name);
    off += 30 + name.length;
  }
  const cd = Buffer.concat(central);
  const z64 = Buffer.alloc(56);
  z64.writeUInt32LE(0x06064b50, 0);
  z64.writeBigUInt64LE(44n, 4);
  z64.writeUInt16LE(45, 12);
  z64.writeUInt16LE(45, 14);
  z64.writeBigUInt64LE(BigInt(n), 24);
  z64.writeBigUInt64LE(BigInt(n), 32);
  z64.writeBigUInt64LE(BigInt(cd.length), 40);
  z64.writeBigUInt64LE(BigInt(off), 48);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  loc.writeBigUInt64LE(BigInt(off + cd.length), 8);
  loc.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([...parts, cd, z64, loc, end]);
}

/** The entry's uncompressed size rewritten to 1,000 in both headers. */
function liar(zip: Buffer): Buffer {
  const b = Buffer.from(zip);
  b.writeUInt32LE(1000, 22);
  const c = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  b.writeUInt32LE(1000, c + 24);
  return b;
}

const cases: [string, () => Promise<Buffer>][] = [
  ['zip bomb: one entry of 512 MiB of zeros (declared)', () => zipOf((z) => z.addBuffer(Buffer.alloc(512 * 1024 * 1024), 'runs/1/evidence.jsonl'))],
  ['zip bomb lying: 512 MiB of zeros declared as 1,000 bytes', async () => liar(await zipOf((z) => z.addBuffer(Buffer.alloc(512 * 1024 * 1024), 'labgrade-handin.json')))],
  ['ratio: 8 MiB of zeros', () => zipOf((z) => z.addBuffer(Buffer.alloc(8 * 1024 * 1024), 'answers.yaml'))],
  ['../ entry', async () => Buffer.from((await zipOf((z) => z.addBuffer(Buffer.from('x'), 'xx/evil'))).toString('latin1').split('xx/evil').join('../evil'), 'latin1')],
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
