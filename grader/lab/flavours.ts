// Guest flavours: what runs inside a lab guest. `tiny` (the default) is labgrade's own initramfs
// guest; the others are the systems students really have, so the grader meets them in tests:
//   busybox          busybox-only (ash, busybox ip/ping/nslookup, udhcpc; no getent, no iproute2)
//   debian-nm        Debian 12 as the course installs it: systemd, NetworkManager, OpenSSH
//   debian-networkd  server-style Debian 12: systemd-networkd + systemd-resolved (127.0.0.53 stub)
//   iputils-ping     tiny, but busybox-static's `timeout` (preferred applets, busybox not setuid)
//                    beside iputils' `ping` (ping_group_range open): a user can ping only with the
//                    ping `command -v` finds, never with `timeout ping` run by name
// Every flavour has root (lab key) and `usuario` (the lab password, no sbin on PATH).
import { LabError } from './errors.js';

export type Flavour = 'tiny' | 'busybox' | 'debian-nm' | 'debian-networkd' | 'iputils-ping';
export const FLAVOUR_NAMES: readonly Flavour[] = ['tiny', 'busybox', 'debian-nm', 'debian-networkd', 'iputils-ping'];
export const DEFAULT_FLAVOUR: Flavour = 'tiny';

export interface FlavourSpec {
  /** Build script in grader/lab/image/ and its last argument. */
  script: 'build-image.sh' | 'build-debian.sh' | 'build-iputils.sh';
  variant: string;
  /** Boots a disk image (root=/dev/vda, systemd) rather than an initramfs. */
  disk: boolean;
  memoryMiB: number;
  vcpus: number;
  /** TCG translation-block cache, MiB (null: QEMU's default). systemd boots ~40 % slower with 32. */
  tbCacheMiB: number | null;
  /** The guest's OpenSSH (true) or dropbear (false) host key is the one pinned. */
  openssh: boolean;
}

export const FLAVOURS: Record<Flavour, FlavourSpec> = {
  tiny: { script: 'build-image.sh', variant: 'tiny', disk: false, memoryMiB: 128, vcpus: 1, tbCacheMiB: null, openssh: false },
  busybox: { script: 'build-image.sh', variant: 'busybox', disk: false, memoryMiB: 128, vcpus: 1, tbCacheMiB: null, openssh: false },
  // 160 MiB is the least that survives two SSH logins at once; 2 vCPU and a 256 MiB TB cache
  // halve the boot under TCG (measured in the lab recipe)
  'debian-nm': { script: 'build-debian.sh', variant: 'nm', disk: true, memoryMiB: 256, vcpus: 2, tbCacheMiB: 256, openssh: true },
  'debian-networkd': { script: 'build-debian.sh', variant: 'networkd', disk: true, memoryMiB: 256, vcpus: 2, tbCacheMiB: 256, openssh: true },
  'iputils-ping': { script: 'build-iputils.sh', variant: 'iputils', disk: false, memoryMiB: 128, vcpus: 1, tbCacheMiB: null, openssh: false },
};

export function isFlavour(s: string): s is Flavour {
  return (FLAVOUR_NAMES as readonly string[]).includes(s);
}

/** The role a lab guest plays: `win10*` guests stand in for Windows, the others are Linux. */
export function roleOf(guest: string): 'linux' | 'windows' {
  return guest.startsWith('win10') ? 'windows' : 'linux';
}

/**
 * Parse `--flavour`: `FLAVOUR` (every guest) or a comma list of `KEY=FLAVOUR` where KEY is a role
 * (`linux`, `windows`) or a guest name; a guest name wins over its role, a role over a bare flavour.
 */
export function parseFlavours(text: string): Record<string, Flavour> {
  const out: Record<string, Flavour> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? '*' : part.slice(0, eq).trim();
    const value = eq < 0 ? part : part.slice(eq + 1).trim();
    if (!isFlavour(value)) throw new LabError('badFlavour', { value, names: FLAVOUR_NAMES.join(', ') });
    if (key !== '*' && !/^[a-z][a-z0-9-]{0,30}$/.test(key)) throw new LabError('badFlavour', { value: part, names: FLAVOUR_NAMES.join(', ') });
    out[key] = value;
  }
  if (Object.keys(out).length === 0) throw new LabError('badFlavour', { value: text, names: FLAVOUR_NAMES.join(', ') });
  return out;
}

/** The flavour a choice map gives a guest (guest name, then role, then `*`), or undefined. */
export function flavourFor(choice: Record<string, Flavour>, guest: string): Flavour | undefined {
  return choice[guest] ?? choice[roleOf(guest)] ?? choice['*'];
}
