// Hostile zips for the hand-in reader, built in memory: shared by test/unit/handin/hostile.test.ts
// and bench/handin-hostile.ts (what is refused is tested there; how fast, measured here).
import yazl from 'yazl';

/** A zip built with yazl, in memory. */
export function zipOf(add: (z: yazl.ZipFile) => void): Promise<Buffer> {
  const z = new yazl.ZipFile();
  add(z);
  z.end();
  return new Promise((resolve, reject) => {
    const c: Buffer[] = [];
    z.outputStream.on('data', (d: Buffer) => c.push(d)).on('end', () => resolve(Buffer.concat(c))).on('error', reject);
  });
}

/** A zip whose entry path climbs out: written as `xx/evil`, then renamed to `../evil` in place. */
export async function dotDotZip(): Promise<Buffer> {
  const b = await zipOf((z) => z.addBuffer(Buffer.from('x'), 'xx/evil.txt'));
  return Buffer.from(b.toString('latin1').split('xx/evil.txt').join('../evil.txt'), 'latin1');
}

/** A zip (zip64, as more than 65,535 entries need) of `n` empty stored files, written by hand. */
export function manyEntries(n: number): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
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
    c.writeUInt32LE(offset, 42);
    locals.push(l, name);
    centrals.push(c, name);
    offset += 30 + name.length;
  }
  const cd = Buffer.concat(centrals);
  const z64 = Buffer.alloc(56);
  z64.writeUInt32LE(0x06064b50, 0);
  z64.writeBigUInt64LE(44n, 4);
  z64.writeUInt16LE(45, 12);
  z64.writeUInt16LE(45, 14);
  z64.writeBigUInt64LE(BigInt(n), 24);
  z64.writeBigUInt64LE(BigInt(n), 32);
  z64.writeBigUInt64LE(BigInt(cd.length), 40);
  z64.writeBigUInt64LE(BigInt(offset), 48);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  loc.writeBigUInt64LE(BigInt(offset + cd.length), 8);
  loc.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([...locals, cd, z64, loc, end]);
}

/** The entry's uncompressed size rewritten to 1,000 in both headers. */
export function liar(zip: Buffer): Buffer {
  const b = Buffer.from(zip);
  b.writeUInt32LE(1000, 22);
  const c = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  b.writeUInt32LE(1000, c + 24);
  return b;
}
