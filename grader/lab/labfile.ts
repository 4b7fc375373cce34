// Lab files (the format of grader/types.ts `LabFile`, read by grader/spec/load-lab.ts) for the
// lab's guests, and the known_hosts file that pins the guests' fixed SSH host key.
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { writeFileAtomic } from '../util/fs.js';
import { LAB_NETNS, LIBVIRT_URI, courseNetworks, paths, upstream } from './constants.js';

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
  /** Another libvirt URI (a qemu+ssh "remote" host in the namespace, grader/lab/remote-host.ts). */
  uri?: string;
  /** The lab file's `host_ssh` (with `uri`). */
  hostSsh?: Record<string, unknown>;
}

/** The YAML document of a lab file for `roles` (role -> domain name). */
export function labFileYaml(roles: Record<string, string>, opts: LabFileOptions = {}): string {
  const access = opts.access ?? ['ssh', 'agent'];
  const vms: Record<string, unknown> = {};
  for (const [role, domain] of Object.entries(roles)) {
    const methods = access.map((m) =>
      m === 'ssh'
        ? {
            ssh: {
              user: 'root',
              ...(opts.passwordOnly ? {} : { key: paths.sshKey }),
              password: { file: paths.password },
              known_hosts: paths.knownHosts,
            },
          }
        : { agent: {} },
    );
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
 * known_hosts for the guests: they all share one fixed host key (baked into the image), listed for
 * the lab's subnets and for each address given.
 */
export async function writeKnownHosts(addresses: string[] = []): Promise<string> {
  const pub = (await readFile(paths.hostKeyPub, 'utf8')).trim();
  const patterns = ['192.168.101.*', '192.168.102.*', '172.22.*', ...new Set(addresses)];
  const lines = [
    '# labgrade lab guests (one fixed dropbear host key, baked into the guest image)',
    ...[...new Set(addresses)].map((a) => `${a} ${pub}`),
    `${patterns.slice(0, 3).join(',')} ${pub}`,
  ];
  await writeFileAtomic(paths.knownHosts, `${lines.join('\n')}\n`, 0o644);
  return paths.knownHosts;
}
