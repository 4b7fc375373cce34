// The guest image (kernel + initramfs), built by grader/lab/image/build-image.sh from Debian
// packages and cached in /var/cache/labgrade/image. Rebuilt only when an input changes: the build
// script, the authorised SSH key, the guest password, the guest host key, the host's iproute2 /
// getent / iptables binaries (copied into the guest).
import { isSingleExecutable, projectRoot } from '../version.js';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_DIR, paths, STATE_DIR } from './constants.js';
import type { LabLog } from './errors.js';
import { runOk } from './run.js';

export interface GuestImage {
  /** Content id of the inputs (part of each domain's fingerprint: a new image restarts guests). */
  id: string;
  kernel: string;
  initrd: string;
  /** Debian packages used, `name version` per line. */
  versions: string;
  /** Whether this call built it. */
  built: boolean;
  buildMs: number;
}

/** The repository root (works from grader/lab/*.ts under tsx and from dist/grader/lab/*.js). */
export function repoRoot(): string {
  // The single executable carries build-image.sh among its unpacked files (scripts/build-sea.sh).
  if (isSingleExecutable()) return projectRoot();
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'grader', 'lab', 'image', 'build-image.sh'))) return d;
    d = dirname(d);
  }
  throw new Error('cannot find grader/lab/image/build-image.sh above ' + fileURLToPath(import.meta.url));
}

export function buildScriptPath(): string {
  return join(repoRoot(), 'grader', 'lab', 'image', 'build-image.sh');
}

/** The lab's SSH key pair and guest password (created once, root only). */
export async function ensureSecrets(): Promise<void> {
  await mkdir(STATE_DIR, { recursive: true, mode: 0o700 });
  if (!existsSync(paths.sshKey) || !existsSync(paths.sshPubKey)) {
    await rm(paths.sshKey, { force: true });
    await rm(paths.sshPubKey, { force: true });
    await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'labgrade-lab', '-f', paths.sshKey]);
  }
  if (!existsSync(paths.password)) {
    await writeFile(paths.password, `${randomBytes(12).toString('base64url')}\n`, { mode: 0o600 });
  }
  await chmod(paths.password, 0o600);
  await chmod(paths.sshKey, 0o600);
}

async function sha(path: string): Promise<string> {
  try {
    return createHash('sha256').update(await readFile(path)).digest('hex');
  } catch {
    return 'none';
  }
}

export async function imageInputsId(): Promise<string> {
  const parts = [
    await sha(buildScriptPath()),
    await sha(paths.sshPubKey),
    await sha(paths.password),
    await sha(`${STATE_DIR}/dropbear_ed25519_host_key`),
    await sha('/usr/bin/ip'),
    await sha('/usr/bin/getent'),
    await sha('/usr/sbin/xtables-legacy-multi'),
  ];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

const manifestPath = () => join(paths.imageDir, 'manifest.json');

/** The cached image if its inputs are unchanged, else null. */
export async function cachedImage(): Promise<GuestImage | null> {
  try {
    const m = JSON.parse(await readFile(manifestPath(), 'utf8')) as { id: string; kernel: string; versions: string };
    const kernel = join(paths.imageDir, m.kernel);
    const initrd = join(paths.imageDir, 'initrd.img');
    if (m.id !== (await imageInputsId()) || !existsSync(kernel) || !existsSync(initrd)) return null;
    return { id: m.id, kernel, initrd, versions: m.versions, built: false, buildMs: 0 };
  } catch {
    return null;
  }
}

/** Build (or reuse) the guest image. `force` rebuilds even when cached. */
export async function ensureImage(log: LabLog, opts: { force?: boolean } = {}): Promise<GuestImage> {
  await ensureSecrets();
  if (!opts.force) {
    const c = await cachedImage();
    if (c) return c;
  }
  log('stepImage', { dir: paths.imageDir });
  const t0 = Date.now();
  await mkdir(CACHE_DIR, { recursive: true, mode: 0o755 });
  const tmp = `${paths.imageDir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true, mode: 0o755 });
  try {
    await runOk('bash', [buildScriptPath(), tmp, paths.debDir, STATE_DIR], { timeoutMs: 900_000 });
    const kernel = existsSync(join(tmp, 'vmlinux')) ? 'vmlinux' : 'vmlinuz';
    const versions = (await readFile(join(tmp, 'versions.txt'), 'utf8')).trim();
    // inputs are read after the build: the first build creates the guests' host key
    const id = await imageInputsId();
    await writeFile(join(tmp, 'manifest.json'), `${JSON.stringify({ id, kernel, versions, builtAt: new Date().toISOString() }, null, 2)}\n`);
    await chmod(tmp, 0o755);
    const old = `${paths.imageDir}.old-${process.pid}`;
    if (existsSync(paths.imageDir)) await rename(paths.imageDir, old);
    await rename(tmp, paths.imageDir);
    await rm(old, { recursive: true, force: true });
    return {
      id,
      kernel: join(paths.imageDir, kernel),
      initrd: join(paths.imageDir, 'initrd.img'),
      versions,
      built: true,
      buildMs: Date.now() - t0,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
