// The one way labgrade reads a file it was pointed at (specs, lab files, answers, secrets, keys, CA
// files, known_hosts, ssh config, earlier results): opened non-blocking (a FIFO or a device never
// blocks the open), checked with fstat on the open descriptor (regular files only: no FIFO,
// device, socket or folder, and no swap between check and read), and read up to a limit per kind
// (a file that grows while being read is cut off at limit + 1 byte and refused).
//
// Trust: a teacher-owned input (exercise, roster, the teacher's lab file, secrets) is read where it
// points. A student-supplied one (answers, lab files and hand-ins named by the roster) is read with
// `trust: 'student'`: no symbolic link as its last component (O_NOFOLLOW), and, with `within`, it
// must lie inside that folder with no symbolic link anywhere below it (each component lstat'ed,
// then the open descriptor's dev/ino compared with the last lstat: nothing swapped in between).
// A refused file is never opened for reading, so it is never hashed nor quoted.
// The YAML files go on through grader/inputs/yaml-source.ts (readYaml), the one YAML parser.
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Who supplied a file: the teacher (read where it points) or a student (no link, inside its folder). */
export type Trust = 'teacher' | 'student';

/** What a file is for: each kind has its own size limit. */
export type InputKind = 'yaml' | 'secret' | 'key' | 'ca' | 'known-hosts' | 'ssh-config' | 'result';

/** Largest file accepted per kind, bytes (the real files are a few KiB). */
export const INPUT_LIMITS: Readonly<Record<InputKind, number>> = {
  yaml: 1024 * 1024,
  secret: 64 * 1024,
  key: 64 * 1024,
  ca: 1024 * 1024,
  'known-hosts': 4 * 1024 * 1024,
  'ssh-config': 1024 * 1024,
  result: 32 * 1024 * 1024,
};

export type ReadInputCode = 'missing' | 'directory' | 'not-regular' | 'too-big' | 'unreadable' | 'outside';

/** Why a file could not be read; `reason` is the system's code (ENOENT...) where there is one. */
export class ReadInputError extends Error {
  constructor(
    readonly code: ReadInputCode,
    readonly path: string,
    readonly reason: string,
    readonly size?: number,
    readonly max?: number,
  ) {
    super(`${path}: ${code} (${reason})`);
    this.name = 'ReadInputError';
  }
}

// O_NOCTTY: a terminal device must never become our controlling terminal on open.
const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/** Reads a regular file of at most `INPUT_LIMITS[kind]` (or `maxBytes`) bytes. */
export interface ReadInputOptions {
  maxBytes?: number;
  signal?: AbortSignal;
  /** Refuse a symbolic link (a file handed in by a student must be the file itself, not a pointer to one of ours). */
  noFollow?: boolean;
  /** 'student': noFollow, and `within` enforced when given. */
  trust?: Trust;
  /** The folder the file must lie in, with no symbolic link on the way down from it (student files). */
  within?: string;
}

/**
 * A student path must lie inside `within`, every component below it a real folder (lstat: no
 * symbolic link anywhere along it). Returns the last component's identity, to compare with the
 * descriptor once opened.
 */
async function checkWithin(path: string, within: string): Promise<{ dev: number; ino: number }> {
  const root = resolve(within);
  const rel = relative(root, resolve(path));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new ReadInputError('outside', path, 'outside');
  const parts = rel.split(sep);
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    cur = join(cur, parts[i]!);
    let st;
    try {
      st = await lstat(cur);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new ReadInputError(code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable', path, code);
    }
    if (st.isSymbolicLink()) throw new ReadInputError('not-regular', path, 'symlink');
    if (i < parts.length - 1 && !st.isDirectory()) throw new ReadInputError('missing', path, 'ENOTDIR');
    if (i === parts.length - 1) return { dev: st.dev, ino: st.ino };
  }
  throw new ReadInputError('outside', path, 'outside');
}

export async function readInput(path: string, kind: InputKind, opts: ReadInputOptions = {}): Promise<Buffer> {
  const max = opts.maxBytes ?? INPUT_LIMITS[kind];
  opts.signal?.throwIfAborted();
  const noFollow = opts.noFollow || opts.trust === 'student';
  const expected = opts.within !== undefined ? await checkWithin(path, opts.within) : undefined;
  let fh;
  try {
    fh = await open(path, noFollow ? FLAGS | constants.O_NOFOLLOW : FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ELOOP' && noFollow) throw new ReadInputError('not-regular', path, 'symlink');
    throw new ReadInputError(code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : code === 'EISDIR' ? 'directory' : 'unreadable', path, code);
  }
  try {
    const st = await fh.stat();
    // The file opened is the one checked (no folder swapped for a link in between).
    if (expected && (st.dev !== expected.dev || st.ino !== expected.ino)) throw new ReadInputError('not-regular', path, 'symlink');
    if (st.isDirectory()) throw new ReadInputError('directory', path, 'EISDIR');
    if (!st.isFile()) throw new ReadInputError('not-regular', path, fileType(st));
    if (st.size > max) throw new ReadInputError('too-big', path, 'EFBIG', st.size, max);
    // Read in chunks until EOF or past the limit (a file grown since fstat is still caught).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      opts.signal?.throwIfAborted();
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, max + 1 - total));
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, total);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > max) throw new ReadInputError('too-big', path, 'EFBIG', total, max);
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof ReadInputError || (err as Error)?.name === 'AbortError') throw err;
    throw new ReadInputError('unreadable', path, (err as NodeJS.ErrnoException).code ?? 'error');
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Like readInput, as UTF-8 text. */
export async function readInputText(path: string, kind: InputKind, opts: ReadInputOptions = {}): Promise<string> {
  return (await readInput(path, kind, opts)).toString('utf8');
}

function fileType(st: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (st.isFIFO()) return 'fifo';
  if (st.isCharacterDevice()) return 'character-device';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isSocket()) return 'socket';
  return 'special';
}

/** A localized one-line description of a refused read (for messages that embed a detail). */
export async function describeReadInputError(err: ReadInputError, lang: 'es' | 'en'): Promise<string> {
  const { t } = await import('./yaml-source.js');
  const p = { path: err.path, type: err.reason, size: err.size ?? 0, max: err.max ?? 0, reason: err.reason };
  const key = ({ missing: 'readMissing', directory: 'readDirectory', 'not-regular': 'readNotRegular', 'too-big': 'readTooBig', unreadable: 'readUnreadable', outside: 'readOutside' } as const)[err.code];
  return t(lang, key, p);
}
