// Guest images, one per flavour (flavours.ts), built from Debian packages and cached in
// /var/cache/labgrade/image (tiny) and /var/cache/labgrade/image-<flavour>. Rebuilt only when an
// input changes: the build script, the authorised SSH key, the guest password, the guests' host
// key, and for the initramfs flavours the host's iproute2 / getent / iptables binaries (copied in).
import { isSingleExecutable, projectRoot } from '../version.js';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_DIR, paths, STATE_DIR } from './constants.js';
import { FLAVOURS, type Flavour } from './flavours.js';
import type { LabLog } from './errors.js';
import { runOk } from './run.js';

export interface GuestImage {
  flavour: Flavour;
  /** Content id of the inputs (part of each domain's fingerprint: a new image restarts guests). */
  id: string;
  kernel: string;
  initrd: string;
  /** Root disk (raw ext4) of the disk flavours, booted through a <transient/> overlay; else null. */
  disk: string | null;
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

export function buildScriptPath(flavour: Flavour = 'tiny'): string {
  return join(repoRoot(), 'grader', 'lab', 'image', FLAVOURS[flavour].script);
}

/** Where a flavour's image is cached (`tiny` keeps the historical folder). */
export function imageDir(flavour: Flavour): string {
  return flavour === 'tiny' ? paths.imageDir : `${paths.imageDir}-${flavour}`;
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
  if (!existsSync(paths.opensshHostKey) || !existsSync(paths.opensshHostKeyPub)) {
    await rm(paths.opensshHostKey, { force: true });
    await rm(paths.opensshHostKeyPub, { force: true });
    await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'labgrade-lab-guest', '-f', paths.opensshHostKey]);
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

export async function imageInputsId(flavour: Flavour = 'tiny'): Promise<string> {
  const f = FLAVOURS[flavour];
  const parts = [await sha(buildScriptPath(flavour)), await sha(paths.sshPubKey), await sha(paths.password)];
  if (f.script === 'build-iputils.sh') {
    // tiny's build, then iputils' ping from this host
    parts.push(await sha(join(repoRoot(), 'grader', 'lab', 'image', 'build-image.sh')), await sha('/usr/bin/ping'));
  }
  if (f.script !== 'build-debian.sh') {
    parts.push(
      await sha(`${STATE_DIR}/dropbear_ed25519_host_key`),
      await sha('/usr/bin/ip'),
      await sha('/usr/bin/getent'),
      await sha('/usr/sbin/xtables-legacy-multi'),
    );
  } else {
    parts.push(await sha(paths.opensshHostKey));
  }
  // (tiny's id is what it was before flavours existed)
  if (flavour !== 'tiny') parts.push(flavour);
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

const manifestPath = (flavour: Flavour) => join(imageDir(flavour), 'manifest.json');

/** The cached image of a flavour if its inputs are unchanged, else null. */
export async function cachedImage(flavour: Flavour = 'tiny'): Promise<GuestImage | null> {
  try {
    const dir = imageDir(flavour);
    const m = JSON.parse(await readFile(manifestPath(flavour), 'utf8')) as { id: string; kernel: string; versions: string; disk?: string | null };
    const kernel = join(dir, m.kernel);
    const initrd = join(dir, 'initrd.img');
    const disk = m.disk ? join(dir, m.disk) : null;
    if (m.id !== (await imageInputsId(flavour)) || !existsSync(kernel) || !existsSync(initrd) || (disk && !existsSync(disk))) return null;
    return { flavour, id: m.id, kernel, initrd, disk, versions: m.versions, built: false, buildMs: 0 };
  } catch {
    return null;
  }
}

/** Build (or reuse) a flavour's guest image. `force` rebuilds even when cached. */
export async function ensureImage(log: LabLog, opts: { force?: boolean; flavour?: Flavour } = {}): Promise<GuestImage> {
  const flavour = opts.flavour ?? 'tiny';
  const spec = FLAVOURS[flavour];
  await ensureSecrets();
  if (!opts.force) {
    const c = await cachedImage(flavour);
    if (c) return c;
  }
  const dir = imageDir(flavour);
  log('stepImage', { flavour, dir });
  const t0 = Date.now();
  await mkdir(CACHE_DIR, { recursive: true, mode: 0o755 });
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true, mode: 0o755 });
  try {
    const debs = spec.script === 'build-debian.sh' ? paths.aptArchives : paths.debDir;
    await runOk('bash', [buildScriptPath(flavour), tmp, debs, STATE_DIR, spec.variant], { timeoutMs: 900_000 });
    const kernel = existsSync(join(tmp, 'vmlinux')) ? 'vmlinux' : 'vmlinuz';
    const disk = spec.disk ? 'disk.raw' : null;
    const versions = (await readFile(join(tmp, 'versions.txt'), 'utf8')).trim();
    // inputs are read after the build: the first build creates the guests' host key
    const id = await imageInputsId(flavour);
    await writeFile(join(tmp, 'manifest.json'), `${JSON.stringify({ id, flavour, kernel, disk, versions, builtAt: new Date().toISOString(), buildMs: Date.now() - t0 }, null, 2)}\n`);
    await chmod(tmp, 0o755);
    // a running guest keeps its open (deleted) files, <transient/> overlay included
    const old = `${dir}.old-${process.pid}`;
    if (existsSync(dir)) await rename(dir, old);
    await rename(tmp, dir);
    await rm(old, { recursive: true, force: true });
    return {
      flavour,
      id,
      kernel: join(dir, kernel),
      initrd: join(dir, 'initrd.img'),
      disk: disk ? join(dir, disk) : null,
      versions,
      built: true,
      buildMs: Date.now() - t0,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
