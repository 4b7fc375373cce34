// The one way labgrade reads a file it was pointed at (specs, lab files, answers, secrets, keys, CA
// files, known_hosts, ssh config, earlier results): opened non-blocking (a FIFO or a device never
// blocks the open), checked with fstat on the open descriptor (regular files only: no FIFO,
// device, socket or folder, and no swap between check and read), and read up to a limit per kind
// (a file that grows while being read is cut off at limit + 1 byte and refused).
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

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

export type ReadInputCode = 'missing' | 'directory' | 'not-regular' | 'too-big' | 'unreadable';

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
}

export async function readInput(path: string, kind: InputKind, opts: ReadInputOptions = {}): Promise<Buffer> {
  const max = opts.maxBytes ?? INPUT_LIMITS[kind];
  opts.signal?.throwIfAborted();
  let fh;
  try {
    fh = await open(path, opts.noFollow ? FLAGS | constants.O_NOFOLLOW : FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ELOOP' && opts.noFollow) throw new ReadInputError('not-regular', path, 'symlink');
    throw new ReadInputError(code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : code === 'EISDIR' ? 'directory' : 'unreadable', path, code);
  }
  try {
    const st = await fh.stat();
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
  const { t } = await import('../inputs/yaml-source.js');
  const p = { path: err.path, type: err.reason, size: err.size ?? 0, max: err.max ?? 0, reason: err.reason };
  const key = ({ missing: 'readMissing', directory: 'readDirectory', 'not-regular': 'readNotRegular', 'too-big': 'readTooBig', unreadable: 'readUnreadable' } as const)[err.code];
  return t(lang, key, p);
}
