// Host prerequisites of the lab: root, Debian packages (installed only when missing), the users,
// groups and directories libvirtd expects (libvirt-daemon-system would create them, but it wants
// systemd), and /dev/kvm permissions (else libvirt re-probes QEMU on every start, +4 s).
import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { CACHE_DIR, LOG_DIR, RUN_DIR, STATE_DIR } from './constants.js';
import { LabError, type LabLog } from './errors.js';
import { run } from './run.js';

/** Debian packages the lab needs on the host (the guest image is built from others, see image.ts). */
export const HOST_PACKAGES = [
  'libvirt-daemon',
  'libvirt-clients',
  'libvirt-daemon-driver-qemu',
  'qemu-system-x86',
  'dnsmasq-base',
  'iptables',
  'iproute2',
  'openssh-client',
  'openssl',
  'cpio',
  'xz-utils',
  'gzip',
  'libc-bin',
  // tests ping guests "from the host" (inside the lab namespace)
  'iputils-ping',
  // the Debian guest flavours (flavours.ts): mmdebstrap builds the root, mkfs.ext4 -d packs it
  'mmdebstrap',
  'e2fsprogs',
] as const;

export function assertRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new LabError('notRoot');
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export async function missingPackages(pkgs: readonly string[] = HOST_PACKAGES): Promise<string[]> {
  const r = await run('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...pkgs]);
  const installed = new Set(
    r.stdout.split('\n').map((l) => l.trim().split(' ')).filter((p) => p[1] === 'installed').map((p) => p[0]),
  );
  return pkgs.filter((p) => !installed.has(p));
}

/** apt-get install only what is missing (apt-get update once if the first try fails). */
export async function ensurePackages(log: LabLog, pkgs: readonly string[] = HOST_PACKAGES): Promise<void> {
  const missing = await missingPackages(pkgs);
  if (missing.length === 0) return;
  log('stepPackages', { packages: missing.join(' ') });
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    run('apt-get', ['install', '-y', '--no-install-recommends', '--no-upgrade', ...missing], { env, timeoutMs: 900_000 });
  let r = await install();
  if (r.exitCode !== 0) {
    await run('apt-get', ['update'], { env, timeoutMs: 300_000 });
    r = await install();
  }
  if (r.exitCode !== 0) {
    throw new LabError('installFailed', { packages: missing.join(' '), message: (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' / ') });
  }
}

async function ok(file: string, args: string[]): Promise<boolean> {
  return (await run(file, args)).exitCode === 0;
}

/** Users, groups and directories libvirtd needs; idempotent. */
export async function ensureAccounts(): Promise<void> {
  for (const g of ['kvm', 'libvirt', 'libvirt-qemu']) {
    if (!(await ok('getent', ['group', g]))) await run('groupadd', ['-r', g]);
  }
  if (!(await ok('id', ['libvirt-qemu']))) {
    await run('useradd', ['-r', '-g', 'libvirt-qemu', '-G', 'kvm', '-d', '/var/lib/libvirt', '-s', '/usr/sbin/nologin', 'libvirt-qemu']);
  }
  for (const d of ['/var/log/libvirt', '/run/libvirt', '/var/lib/libvirt', '/var/lib/libvirt/qemu', '/var/lib/libvirt/dnsmasq', '/var/cache/libvirt']) {
    await mkdir(d, { recursive: true });
  }
  await mkdir(STATE_DIR, { recursive: true, mode: 0o700 });
  await chmod(STATE_DIR, 0o700);
  for (const d of [CACHE_DIR, RUN_DIR, LOG_DIR]) await mkdir(d, { recursive: true, mode: 0o755 });
  // QEMU (as libvirt-qemu) writes the serial console files here.
  await chmod(LOG_DIR, 0o755);
  try {
    const st = await stat('/dev/kvm');
    const kvmGid = Number((await run('getent', ['group', 'kvm'])).stdout.split(':')[2]);
    if (st.isCharacterDevice() && Number.isFinite(kvmGid) && (st.gid !== kvmGid || (st.mode & 0o777) !== 0o660)) {
      await chown('/dev/kvm', 0, kvmGid);
      await chmod('/dev/kvm', 0o660);
    }
  } catch {
    // no /dev/kvm: fine, guests run under TCG anyway
  }
}
