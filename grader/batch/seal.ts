// Seals a student's status sidecar (grader/batch/run.ts) with an HMAC key only the teacher's
// account holds, so `--resume` can tell a status it wrote from one edited by whoever can write to
// `--out` (an edited result plus recomputed hashes). The key lives in the user's config folder
// ($LABGRADE_CONFIG_DIR, else $XDG_CONFIG_HOME/labgrade, else ~/.config/labgrade), created 0600
// in a 0700 folder, never inside --out.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readInput } from '../inputs/read.js';
import type { StudentRecord } from './types.js';

/** The folder of labgrade's per-user state (the seal key). */
export function configDir(): string {
  if (process.env.LABGRADE_CONFIG_DIR) return process.env.LABGRADE_CONFIG_DIR;
  const xdg = process.env.XDG_CONFIG_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.config'), 'labgrade');
}

const KEY_FILE = 'seal.key';
let cached: { dir: string; key: Buffer | null } | null = null;

/**
 * The seal key (32 random bytes), created on first use. `null` when it cannot be had safely (the
 * file is not a regular file of this user's, or the folder cannot be written): then nothing is
 * sealed and `--resume` trusts nothing (every student is graded again).
 */
export async function sealKey(): Promise<Buffer | null> {
  const dir = configDir();
  if (cached?.dir === dir) return cached.key;
  let key: Buffer | null = null;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, KEY_FILE);
    try {
      const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      try {
        await fh.writeFile(randomBytes(32).toString('hex'));
        await fh.chmod(0o600);
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const st = await lstat(path);
    const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
    if (!st.isFile() || st.uid !== uid) throw new Error('not ours');
    if ((st.mode & 0o077) !== 0) await chmod(path, 0o600);
    const text = (await readInput(path, 'secret', { noFollow: true })).toString('utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(text)) throw new Error('malformed');
    key = Buffer.from(text, 'hex');
  } catch {
    key = null;
  }
  cached = { dir, key };
  return key;
}

/** For tests: forget the cached key (after changing LABGRADE_CONFIG_DIR). */
export function forgetSealKeyForTests(): void {
  cached = null;
}

/** What the seal covers: who, the outcome, the inputs and the exact files (their hashes). */
function sealed(r: StudentRecord): string {
  return JSON.stringify(['labgrade-status-v1', r.id, r.status, r.inputHash, r.resultHash ?? null, r.reportHash ?? null]);
}

/** The record's seal under `key`. */
export function sealOf(r: StudentRecord, key: Buffer): string {
  return createHmac('sha256', key).update(sealed(r)).digest('hex');
}

/** Whether the record carries a valid seal under `key`. */
export function sealHolds(r: StudentRecord, key: Buffer | null): boolean {
  if (!key || typeof r.seal !== 'string' || !/^[0-9a-f]{64}$/.test(r.seal)) return false;
  return timingSafeEqual(Buffer.from(r.seal, 'hex'), Buffer.from(sealOf(r, key), 'hex'));
}
