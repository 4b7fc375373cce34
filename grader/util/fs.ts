import { chmod, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Private by default: reports and class outputs hold names, emails and grades. */
export const PRIVATE_MODES = { file: 0o600, dir: 0o700 } as const;
/** For outputs served by a web server (`--public-outputs`). */
export const PUBLIC_MODES = { file: 0o644, dir: 0o755 } as const;
export type OutputModes = { file: number; dir: number };

const TMP_RE = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

/**
 * Write via a temp file in the same folder, fsync it, rename it over the target and fsync the
 * folder, so readers never see half a file and a crash right after leaves either file whole.
 * The file gets `mode` (default 0600); folders created on the way get `dirMode` (default 0700).
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, mode: number = PRIVATE_MODES.file, dirMode: number = PRIVATE_MODES.dir): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: dirMode });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(content);
    // The umask may have narrowed or the caller widened: the mode asked for is the mode written.
    await fh.chmod(mode);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    /* some file systems cannot fsync a folder: the rename is still atomic */
  }
}

/**
 * Creates `dir` (and parents) with `mode`. An existing folder gets `mode` too when it is empty or
 * already holds labgrade outputs (`class.json`, `students/`); any other existing folder (`--out .`,
 * `--out /tmp`) keeps its mode: the files written in it are private anyway.
 */
export async function ensureDir(dir: string, mode: number = PRIVATE_MODES.dir): Promise<void> {
  let names: string[] | null = null;
  try {
    names = await readdir(dir);
  } catch {
    names = null;
  }
  await mkdir(dir, { recursive: true, mode });
  if (names === null || names.length === 0 || names.includes('class.json') || names.includes('students')) await chmod(dir, mode);
}

/** Removes temp files a killed writeFileAtomic left in `dir` (`.<name>.<pid>.<hex>.tmp`); returns how many. */
export async function cleanStaleTemps(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let n = 0;
  for (const name of names) {
    if (!TMP_RE.test(name)) continue;
    await rm(join(dir, name), { force: true });
    n++;
  }
  return n;
}
