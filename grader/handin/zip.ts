// Zip files in and out of labgrade: hand-ins, Moodle's "Download all submissions" zip and the
// feedback-files zip. Reading is bounded because a hand-in is student-supplied input: the entry
// count is checked from the central directory before any entry is read; each entry's declared and
// actual size, the total, and the compression ratio are bounded while it is inflated (yauzl checks
// declared against actual sizes); an entry whose path is absolute or climbs out (`..`), or that is a
// symbolic link, refuses the whole zip. Nothing is ever extracted to disk or executed.
import yauzl from 'yauzl';
import yazl from 'yazl';
import type { Readable } from 'node:stream';

export interface ZipLimits {
  maxEntries: number;
  /** Largest entry, bytes (uncompressed). */
  maxEntryBytes: number;
  /** All entries together, bytes (uncompressed). */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of an entry over 64 KiB. */
  maxRatio: number;
}

/** A hand-in: a few files of a few KiB to a few MiB. */
export const HANDIN_LIMITS: ZipLimits = { maxEntries: 64, maxEntryBytes: 16 * 1024 * 1024, maxTotalBytes: 48 * 1024 * 1024, maxRatio: 200 };

export type ZipProblem = 'not-zip' | 'too-many-entries' | 'entry-too-big' | 'total-too-big' | 'ratio' | 'bad-path' | 'symlink' | 'duplicate' | 'encrypted';

export class ZipRefused extends Error {
  constructor(
    readonly problem: ZipProblem,
    readonly entry: string | null,
    detail: string,
  ) {
    super(detail);
    this.name = 'ZipRefused';
  }
}

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** The entry's path is relative, inside its folder, and plain (no `..`, no drive, no NUL). */
export function safeEntryPath(name: string): boolean {
  if (name === '' || name.includes('\0') || name.includes('\\') || name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return false;
  return !name.split('/').some((p) => p === '..' || p === '.');
}

function refuseOf(e: unknown): ZipRefused {
  if (e instanceof ZipRefused) return e;
  const msg = String((e as Error)?.message ?? e);
  if (/invalid relative path|absolute path|invalid characters/i.test(msg)) return new ZipRefused('bad-path', null, msg);
  if (/encrypted/i.test(msg)) return new ZipRefused('encrypted', null, msg);
  if (/too many|expected .* bytes|exceeded|too large/i.test(msg)) return new ZipRefused('entry-too-big', null, msg);
  return new ZipRefused('not-zip', null, msg);
}

function openZip(src: Buffer | string): Promise<yauzl.ZipFile> {
  const o: yauzl.Options = { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: true, decodeStrings: true };
  return new Promise((resolve, reject) => {
    const cb = (err: Error | null, zf?: yauzl.ZipFile): void => (err || !zf ? reject(refuseOf(err)) : resolve(zf));
    if (typeof src === 'string') yauzl.open(src, o, cb);
    else yauzl.fromBuffer(src, o, cb);
  });
}

/**
 * Walks a zip's entries, calling `want(entry)` for each file: a truthy answer reads it (bounded) and
 * hands the bytes to `got`. Folders are skipped; symlinks and escaping paths refuse the zip.
 */
export async function walkZip(
  src: Buffer | string,
  limits: ZipLimits,
  want: (e: ZipEntryInfo) => boolean,
  got: (e: ZipEntryInfo, data: Buffer) => void,
): Promise<ZipEntryInfo[]> {
  const zf = await openZip(src);
  if (zf.entryCount > limits.maxEntries) {
    zf.close();
    throw new ZipRefused('too-many-entries', null, `${zf.entryCount} > ${limits.maxEntries}`);
  }
  const seen: ZipEntryInfo[] = [];
  const names = new Set<string>();
  let total = 0;
  return new Promise((resolve, reject) => {
    let done = false;
    const fail = (e: unknown): void => {
      if (done) return;
      done = true;
      zf.close();
      reject(refuseOf(e));
    };
    zf.on('error', fail);
    zf.on('end', () => {
      if (done) return;
      done = true;
      resolve(seen);
    });
    zf.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName;
      const info: ZipEntryInfo = { name, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize };
      if (!safeEntryPath(name.replace(/\/$/, ''))) return fail(new ZipRefused('bad-path', name, name));
      const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (mode === S_IFLNK) return fail(new ZipRefused('symlink', name, name));
      if (name.endsWith('/')) return zf.readEntry();
      if (names.has(name)) return fail(new ZipRefused('duplicate', name, name));
      names.add(name);
      if (entry.isEncrypted()) return fail(new ZipRefused('encrypted', name, name));
      seen.push(info);
      if (!want(info)) return zf.readEntry();
      if (entry.uncompressedSize > limits.maxEntryBytes) return fail(new ZipRefused('entry-too-big', name, `${entry.uncompressedSize} > ${limits.maxEntryBytes}`));
      if (total + entry.uncompressedSize > limits.maxTotalBytes) return fail(new ZipRefused('total-too-big', name, `> ${limits.maxTotalBytes}`));
      if (entry.uncompressedSize > 65536 && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio) {
        return fail(new ZipRefused('ratio', name, `${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))} > ${limits.maxRatio}`));
      }
      zf.openReadStream(entry, (err, stream?: Readable) => {
        if (err || !stream) return fail(err ?? new Error('no stream'));
        const chunks: Buffer[] = [];
        let n = 0;
        stream.on('data', (d: Buffer) => {
          n += d.length;
          // Never more than declared (yauzl checks too), never past the bounds, whatever the header says.
          if (n > limits.maxEntryBytes || total + n > limits.maxTotalBytes) {
            stream.destroy();
            fail(new ZipRefused(n > limits.maxEntryBytes ? 'entry-too-big' : 'total-too-big', name, `> ${n}`));
            return;
          }
          chunks.push(d);
        });
        stream.on('error', fail);
        stream.on('end', () => {
          if (done) return;
          total += n;
          try {
            got(info, Buffer.concat(chunks, n));
          } catch (e) {
            return fail(e);
          }
          zf.readEntry();
        });
      });
    });
    zf.readEntry();
  });
}

/** Reads every file of a small zip into memory (bounded). */
export async function readZip(src: Buffer | string, limits: ZipLimits): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  await walkZip(src, limits, () => true, (e, d) => out.set(e.name, d));
  return out;
}

/** Writes a zip of `files` (in the order given), every entry dated `mtime`, private modes. */
export function writeZip(files: { name: string; data: Buffer | string }[], mtime: Date): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const f of files) z.addBuffer(Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data, 'utf8'), f.name, { mtime, mode: 0o100600 });
  z.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (d: Buffer) => chunks.push(d));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
  });
}
