// Lab files (the format of grader/types.ts `LabFile`, read by grader/inputs/load-lab.ts) for the
// lab's guests, and the known_hosts file that pins the guests' fixed SSH host keys (dropbear for
// the initramfs flavours, OpenSSH for the Debian ones).
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { writeFileAtomic } from '../util/fs.js';
import { LabError } from './errors.js';
import { GUEST_USER, LAB_NETNS, LIBVIRT_URI, courseNetworks, paths, upstream } from './constants.js';

export interface LabFileOptions {
  /** Access methods per VM, in order (default: ssh then agent). */
  access?: ('ssh' | 'agent')[];
  /** Probe overrides (default: the lab's Internet: 198.51.100.10, www.labgrade.test, 1000 ms). */
  probes?: { outside_host?: string; resolve_name?: string; timeout_ms?: number };
  /** Network key -> libvirt name (default: nat/isolated/very_isolated -> the course names). */
  networks?: Record<string, string>;
  /** OS per role (default: `windows` role gets `os: linux`, it is a Linux stand-in). */
  os?: Record<string, 'linux' | 'windows'>;
  /** Use the SSH password instead of the key (default false: key, with the password as fallback). */
  passwordOnly?: boolean;
  /**
   * Login per role (default `root`): `root` by the lab key (password as fallback); `usuario`, the
   * unprivileged user every lab guest has, by password only (no sbin on its PATH), as on a
   * student's machine. `*` sets every role.
   */
  users?: Record<string, 'root' | 'usuario'>;
  /** Another libvirt URI (a qemu+ssh "remote" host in the namespace, grader/lab/remote-host.ts). */
  uri?: string;
  /** The lab file's `host_ssh` (with `uri`). */
  hostSsh?: Record<string, unknown>;
}

/** The SSH access block for one role. */
function sshAccess(user: 'root' | 'usuario', opts: LabFileOptions): Record<string, unknown> {
  if (user === GUEST_USER) return { ssh: { user: GUEST_USER, password: { file: paths.password }, known_hosts: paths.knownHosts } };
  return {
    ssh: {
      user: 'root',
      ...(opts.passwordOnly ? {} : { key: paths.sshKey }),
      password: { file: paths.password },
      known_hosts: paths.knownHosts,
    },
  };
}

/** The YAML document of a lab file for `roles` (role -> domain name). */
export function labFileYaml(roles: Record<string, string>, opts: LabFileOptions = {}): string {
  const access = opts.access ?? ['ssh', 'agent'];
  const vms: Record<string, unknown> = {};
  for (const [role, domain] of Object.entries(roles)) {
    const user = opts.users?.[role] ?? opts.users?.['*'] ?? 'root';
    const methods = access.map((m) => (m === 'ssh' ? sshAccess(user, opts) : { agent: {} }));
    const os = opts.os?.[role] ?? (role === 'windows' ? 'linux' : undefined);
    vms[role] = { domain, ...(os ? { os } : {}), access: methods };
  }
  const doc = {
    uri: opts.uri ?? LIBVIRT_URI,
    netns: LAB_NETNS,
    ...(opts.hostSsh ? { host_ssh: opts.hostSsh } : {}),
    networks: opts.networks ?? {
      nat: courseNetworks.nat.name,
      isolated: courseNetworks.isolated.name,
      very_isolated: courseNetworks.very_isolated.name,
    },
    vms,
    probes: {
      outside_host: opts.probes?.outside_host ?? upstream.outsideHost,
      resolve_name: opts.probes?.resolve_name ?? upstream.testName,
      timeout_ms: opts.probes?.timeout_ms ?? 1000,
    },
  };
  const header =
    '# labgrade lab file for the bundled sandboxed lab (written by `labgrade lab up` / grader/lab).\n' +
    '# Guests are reached from inside the network namespace below; the "windows" role is a Linux stand-in.\n';
  return header + stringify(doc);
}

/** Write a lab file (atomically) and return its path. */
export async function writeLabFile(path: string, roles: Record<string, string>, opts: LabFileOptions = {}): Promise<string> {
  await writeFileAtomic(path, labFileYaml(roles, opts), 0o600);
  return path;
}

/**
 * known_hosts for the guests: every initramfs guest has one fixed dropbear host key, every Debian
 * guest one fixed OpenSSH key (both baked into the images), listed for the lab's subnets and for
 * each address given (any flavour may sit at any address).
 */
export async function writeKnownHosts(addresses: string[] = []): Promise<string> {
  const pubs: string[] = [];
  for (const f of [paths.hostKeyPub, paths.opensshHostKeyPub]) {
    const text = await readFile(f, 'utf8').catch(() => '');
    const [type, key] = text.trim().split(/\s+/);
    if (type && key) pubs.push(`${type} ${key}`);
  }
  const subnets = ['192.168.101.*', '192.168.102.*', '172.22.*'].join(',');
  const lines = [
    '# labgrade lab guests (fixed host keys baked into the guest images: dropbear, OpenSSH)',
    ...pubs.flatMap((pub) => [...[...new Set(addresses)].map((a) => `${a} ${pub}`), `${subnets} ${pub}`]),
  ];
  await writeFileAtomic(paths.knownHosts, `${lines.join('\n')}\n`, 0o644);
  return paths.knownHosts;
}

/** Parse `--user`: `root`/`usuario` (every role) or a comma list of `ROLE=USER` (ROLE: linux, windows). */
export function parseUsers(text: string): Record<string, 'root' | 'usuario'> {
  const out: Record<string, 'root' | 'usuario'> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const role = eq < 0 ? '*' : part.slice(0, eq).trim();
    const user = eq < 0 ? part : part.slice(eq + 1).trim();
    if ((user !== 'root' && user !== GUEST_USER) || !['*', 'linux', 'windows'].includes(role)) throw new LabError('badUser', { value: part });
    out[role] = user;
  }
  if (Object.keys(out).length === 0) throw new LabError('badUser', { value: text });
  return out;
}
