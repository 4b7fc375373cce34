import { chmod, lstat, mkdir, open, readdir, readFile, realpath, rename, rm, unlink } from 'node:fs/promises';
import { constants, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Private by default: reports and class outputs hold names, emails and grades. */
export const PRIVATE_MODES = { file: 0o600, dir: 0o700 } as const;
/** For outputs served by a web server (`--public-outputs`). */
export const PUBLIC_MODES = { file: 0o644, dir: 0o755 } as const;
export type OutputModes = { file: number; dir: number };

// `.<name>.<pid>.<hex>.tmp`: 8 hex digits (older runs) or 32 (128 random bits, unpredictable).
const TMP_RE = /^\..+\.\d+\.(?:[0-9a-f]{8}|[0-9a-f]{32})\.tmp$/;

/**
 * Write via a temp file in the same folder, fsync it, rename it over the target and fsync the
 * folder, so readers never see half a file and a crash right after leaves either file whole.
 * The file gets `mode` (default 0600); folders created on the way get `dirMode` (default 0700).
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, mode: number = PRIVATE_MODES.file, dirMode: number = PRIVATE_MODES.dir): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: dirMode });
  // 128 random bits: nobody can plant the name beforehand; O_EXCL|O_NOFOLLOW: never an existing file or link.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(16).toString('hex')}.tmp`);
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
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

/**
 * Removes temp files a killed writeFileAtomic left in `dir` (`.<name>.<pid>.<hex>.tmp`); returns how
 * many. Only regular files are removed: anything else named like one (a planted folder) is left
 * alone and never stops the run.
 */
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
    try {
      if (!(await lstat(join(dir, name))).isFile()) continue;
      await unlink(join(dir, name));
      n++;
    } catch {
      /* gone meanwhile, or not ours to remove: not a reason to stop */
    }
  }
  return n;
}

/** Why an output folder is refused (grader/batch/run.ts turns it into a message). */
export class OutDirError extends Error {
  constructor(
    readonly code: 'not-dir' | 'not-owner' | 'link-inside' | 'open-to-others' | 'locked',
    readonly path: string,
    readonly detail: string = '',
  ) {
    super(`${code}: ${path}${detail ? ` (${detail})` : ''}`);
  }
}

/** Names labgrade writes directly inside an output folder (and its `students/`). */
const OUR_NAMES = new Set(['class.json', 'grades.csv', 'index.html', 'students', 'shard.json']);

/**
 * Makes `outDir` safe to write into, before anything is written: it is created here (then it is
 * ours), or it already exists as a folder owned by the running user, holding no symbolic link (at
 * its top level nor in `students/`), and not writable by others. A folder of labgrade's (new,
 * empty, or holding its outputs) and its `students/` get `modes.dir`. `students/` is created or
 * checked the same way. Throws OutDirError.
 */
export async function prepareOutDir(outDir: string, modes: OutputModes = PRIVATE_MODES): Promise<void> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  await mkdir(outDir, { recursive: true, mode: modes.dir });
  // The teacher may name the folder through a link of theirs (a CLI argument); what it points at is checked.
  const real = await realpath(outDir);
  const checkDir = async (dir: string, ours: boolean): Promise<void> => {
    const st = await lstat(dir);
    if (st.isSymbolicLink()) throw new OutDirError('link-inside', dir);
    if (!st.isDirectory()) throw new OutDirError('not-dir', dir);
    if (uid !== null && st.uid !== uid) throw new OutDirError('not-owner', dir, `uid ${st.uid}`);
    const names = await readdir(dir);
    for (const name of names) {
      const e = await lstat(join(dir, name)).catch(() => null);
      if (e?.isSymbolicLink()) throw new OutDirError('link-inside', join(dir, name));
    }
    if (ours || names.length === 0 || names.some((n) => OUR_NAMES.has(n))) await chmod(dir, modes.dir);
    else if (((await lstat(dir)).mode & 0o022) !== 0) throw new OutDirError('open-to-others', dir, ((await lstat(dir)).mode & 0o777).toString(8));
  };
  await checkDir(real, false);
  const students = join(real, 'students');
  try {
    await mkdir(students, { mode: modes.dir });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // `students/` is labgrade's own: always narrowed to the mode asked for (0700 on a private rerun).
  await checkDir(students, true);
}

/** A run's hold on an output folder (`.labgrade.lock`, with its pid): released by `release()` or at exit. */
export interface OutLock {
  path: string;
  release(): Promise<void>;
}

const LOCK_NAME = '.labgrade.lock';

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `outDir/.labgrade.lock` (O_EXCL, no link followed) holding this process's pid and host. A
 * lock whose process is gone (same host) is stale and taken over; a live one makes this run refuse
 * (OutDirError 'locked'), so two runs never interleave their writes.
 */
export async function lockOutDir(outDir: string): Promise<OutLock> {
  const path = join(outDir, LOCK_NAME);
  const host = hostname();
  const body = `${JSON.stringify({ pid: process.pid, host, startedAt: new Date().toISOString() })}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      try {
        await fh.writeFile(body);
      } finally {
        await fh.close();
      }
      let released = false;
      const onExit = () => {
        if (released) return;
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', onExit);
      return {
        path,
        async release() {
          if (released) return;
          released = true;
          process.off('exit', onExit);
          await unlink(path).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const st = await lstat(path).catch(() => null);
    if (!st) continue;
    if (!st.isFile()) throw new OutDirError('link-inside', path);
    let holder: { pid?: unknown; host?: unknown } = {};
    try {
      holder = JSON.parse(await readFile(path, { encoding: 'utf8', flag: constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK })) as typeof holder;
    } catch {
      holder = {};
    }
    const pid = Number(holder.pid);
    if (holder.host !== undefined && holder.host !== host) throw new OutDirError('locked', path, `pid ${pid} on ${String(holder.host)}`);
    if (alive(pid)) throw new OutDirError('locked', path, `pid ${pid}`);
    // Stale (its process is gone, or the file is unreadable garbage): taken over.
    await unlink(path).catch(() => undefined);
  }
  throw new OutDirError('locked', path);
}
