/**
 * Test helpers for the real, sandboxed lab (grader/lab/). Lab tests live in test/lab/<area>/ and run
 * as root under the shared lock: `flock /tmp/labgrade-labtests.lock npx mocha test/lab/<area>/x.test.ts`.
 *
 * ```ts
 * import { ensureLab, useScenario, labFileFor, guestSsh, guestAgent, LAB } from '../../helpers/lab.js';
 *
 * describe('something against the lab', function () {
 *   before(async function () {
 *     await ensureLab(this);            // skips the suite when not root (fails if LABGRADE_REQUIRE_LAB=1)
 *     await useScenario('all');         // idempotent: restarts only guests whose definition changed
 *   });
 *   it('...', async function () {
 *     const lab = await labFileFor({ linux: 'debian12-iso', windows: 'win10-iso' });   // a lab file path
 *     const r = await guestSsh('debian12', 'ip -j -4 addr');                           // { exitCode, stdout, stderr }
 *     const a = await guestAgent('debian12-viso', ['ping', '-c1', '-W1', '172.22.0.3']);
 *   });
 * });
 * ```
 *
 * The lab (see `labgrade lab scenarios`):
 * - libvirtd runs in network namespace `labgrade` (LAB.netns); virsh from the root namespace reaches it
 *   at qemu:///system. "The Internet" is namespace `labgrade-up`: outside host 198.51.100.10 (answers
 *   ping), DNS 203.0.113.1 answering `www.labgrade.test` (any name under labgrade.test) with
 *   198.51.100.10 and NXDOMAIN for every other name. Nothing outside this machine is ever contacted.
 * - Networks exactly as the course: `red-nat` (NAT, virbr1, 192.168.101.1/24, DHCP .128-.254, DNS
 *   forwarder 203.0.113.1, reservations debian12 -> .218 and win10 -> .219, lease 1 h), `red-aislada`
 *   (virbr2, 192.168.102.1/24, no DHCP), `red-muy-aislada` (virbr3, no <ip>). Lab-only: stp off, no-ping.
 * - Guests: small Debian-based Linux VMs (TCG, 128 MiB, interface eth0): dropbear SSH (user root, the lab
 *   key LAB.sshKey or the password in LAB.passwordFile; fixed host key pinned in LAB.knownHosts),
 *   qemu-guest-agent, iproute2 `ip -j`, busybox ping/nslookup/nc/timeout, glibc `getent`, dash /bin/sh,
 *   iptables. A DHCP address shows `dynamic` with a finite lifetime in `ip -j addr`; static ones do not.
 *   The `windows` role is a Linux stand-in (lab files say `os: linux`).
 * - Scenarios (names for useScenario):
 *     nat            debian12, win10 on red-nat, DHCP (.218, .219)
 *     isolated       debian12 192.168.102.2/24, win10 .3/24 on red-aislada, no gateway
 *     very-isolated  debian12 172.22.0.2/16, win10 172.22.0.3/16 on red-muy-aislada
 *     all            six guests, two per network, so every task can be graded without moving a guest:
 *                      debian12, win10            red-nat, DHCP (.218, .219)
 *                      debian12-iso, win10-iso    red-aislada, 192.168.102.2/24, .3/24, no gateway
 *                      debian12-viso, win10-viso  red-muy-aislada, 172.22.0.2/16, .3/16
 *   Knobs: each is `all` with one change (switching between them restarts one or two guests):
 *     firewall       win10 drops ICMP echo (iptables INPUT DROP echo-request; TCP still answered)
 *     dhcp-left      debian12-iso on DHCP in red-aislada: no IPv4, only an IPv6 fe80:: address
 *     nat-no-dhcp    red-nat without DHCP: debian12 left on DHCP (no IPv4), win10 static
 *                    192.168.101.3/24 gw/dns 192.168.101.1
 *     ssh-stopped    debian12 (red-nat, .218) runs no SSH server: guest agent only
 *     stale-lease    debian12-iso and win10-iso (red-aislada, static) hold leftover DHCP leases in red-nat
 *   Programmatic: `useScenario({ name, guests: { NAME: { network, ip, firewall?, ssh?, staleLeaseFrom?, flavour? } },
 *   networks?: { natDhcp? } })` (types in grader/lab/scenarios.ts); guests not listed are removed.
 * - Flavours (grader/lab/flavours.ts, docs/en/lab-flavours.md): what runs in a guest. `tiny` (the
 *   default, described above), `busybox` (busybox only: no getent, no iproute2, ash), `debian-nm`
 *   (Debian 12 with NetworkManager + OpenSSH, NIC ens2), `debian-networkd` (systemd-networkd +
 *   resolved). `useScenario(withFlavours(SCENARIOS.nat, { '*': 'debian-nm' }))`; keys: a guest
 *   name, a role (linux, windows) or '*'. Every flavour has root (lab key) and `usuario` (the lab
 *   password, no sbin on PATH): `labFileFor(roles, { users: { windows: 'usuario' } })`.
 *
 * Rules: never tear the lab down from a test (only test/lab/lab/zz-root-namespace.test.ts does, and
 * restores it); no timing assertions. A test that needs a particular scenario calls useScenario in its
 * own `before` (another file may have changed it).
 */
import { mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { Context } from 'mocha';
import {
  applyScenario,
  agentExec,
  guestSshAddress,
  isRoot,
  labStatus,
  labUp,
  labFileYaml,
  writeLabFile,
  moveGuest,
  sshArgs,
  SCENARIOS,
  labConstants,
  type LabFileOptions,
  type ScenarioDef,
  type GuestIp,
} from '../../grader/lab/index.js';
import { run } from '../../grader/lab/run.js';

const C = labConstants;

/** Names and addresses of the lab (constants; see the comment above). */
export const LAB = {
  uri: C.LIBVIRT_URI,
  netns: C.LAB_NETNS,
  upstreamNetns: C.UPSTREAM_NETNS,
  outsideHost: C.upstream.outsideHost,
  dnsServer: C.upstream.router,
  resolveName: C.upstream.testName,
  networks: { nat: 'red-nat', isolated: 'red-aislada', very_isolated: 'red-muy-aislada' },
  bridges: { 'red-nat': 'virbr1', 'red-aislada': 'virbr2', 'red-muy-aislada': 'virbr3' },
  hostAddress: { 'red-nat': '192.168.101.1', 'red-aislada': '192.168.102.1', 'red-muy-aislada': null },
  natDhcpRange: { start: '192.168.101.128', end: '192.168.101.254' },
  guests: {
    debian12: { mac: C.GUESTS.debian12!.mac, nat: '192.168.101.218', isolated: '192.168.102.2', veryIsolated: '172.22.0.2' },
    win10: { mac: C.GUESTS.win10!.mac, nat: '192.168.101.219', isolated: '192.168.102.3', veryIsolated: '172.22.0.3' },
    'debian12-iso': { mac: C.GUESTS['debian12-iso']!.mac, isolated: '192.168.102.2' },
    'win10-iso': { mac: C.GUESTS['win10-iso']!.mac, isolated: '192.168.102.3' },
    'debian12-viso': { mac: C.GUESTS['debian12-viso']!.mac, veryIsolated: '172.22.0.2' },
    'win10-viso': { mac: C.GUESTS['win10-viso']!.mac, veryIsolated: '172.22.0.3' },
  },
  sshUser: 'root',
  sshKey: C.paths.sshKey,
  passwordFile: C.paths.password,
  knownHosts: C.paths.knownHosts,
  /** Guest network interface name. */
  guestIf: 'eth0',
  scenarios: Object.keys(SCENARIOS),
} as const;

export type { ScenarioDef, GuestIp };

let upPromise: Promise<void> | null = null;

function requireLab(): boolean {
  return process.env.LABGRADE_REQUIRE_LAB === '1';
}

/**
 * Bring the lab up once per process (idempotent: adopts a running lab) and apply `scenario`
 * (default `all`). Call from a `before` hook with `this`: raises the hook's timeout, and skips the
 * suite with a clear reason when not root (unless LABGRADE_REQUIRE_LAB=1: then it fails).
 */
export async function ensureLab(ctx: Context, scenario: string | ScenarioDef = 'all'): Promise<void> {
  ctx.timeout(20 * 60_000);
  if (!isRoot()) {
    const why = 'the real lab needs root (network namespaces, libvirtd); run the lab tests as root';
    if (requireLab()) throw new Error(`LABGRADE_REQUIRE_LAB=1 but ${why}`);
    // eslint-disable-next-line no-console
    console.log(`      (skipped: ${why})`);
    ctx.skip();
  }
  if (!upPromise) {
    upPromise = labUp({ scenario, skipPackages: false, labFile: false }).then(() => undefined);
    upPromise.catch(() => {
      upPromise = null;
    });
    await upPromise;
    return;
  }
  await upPromise;
  await applyScenario(scenario);
}

/** Apply a scenario (name or definition); restarts only what changed. Returns the guests (re)started. */
export async function useScenario(scenario: string | ScenarioDef): Promise<string[]> {
  return applyScenario(scenario);
}

/** Move one guest to another network with another IP configuration (redefine + restart). */
export async function moveLabGuest(name: string, network: 'red-nat' | 'red-aislada' | 'red-muy-aislada', ip: GuestIp): Promise<string[]> {
  return moveGuest(name, network, ip);
}

/**
 * Write a lab file for these roles (role -> domain, e.g. `{ linux: 'debian12', windows: 'win10' }`)
 * and return its path (under /var/lib/labgrade/labfiles/, named by content). The windows role gets
 * `os: linux`; access is ssh (key + password file + known_hosts) then agent; probes point at the
 * lab's Internet (198.51.100.10, www.labgrade.test, 1000 ms).
 */
export async function labFileFor(roles: Record<string, string>, opts: LabFileOptions = {}): Promise<string> {
  const dir = `${C.STATE_DIR}/labfiles`;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const id = createHash('sha256').update(labFileYaml(roles, opts)).digest('hex').slice(0, 12);
  return writeLabFile(`${dir}/lab-${Object.values(roles).join('-')}-${id}.yaml`, roles, opts);
}

export interface GuestResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Run a shell command line in a guest over SSH (OpenSSH client inside the lab namespace, lab key,
 * pinned host key). The address is the guest's expected one in the current scenario (static or its
 * NAT reservation), else the address the agent reports. Throws if the guest has no address.
 */
export async function guestSsh(name: string, command: string, opts: { timeoutMs?: number; address?: string } = {}): Promise<GuestResult> {
  const addr = opts.address ?? (await guestSshAddress(name));
  if (!addr) throw new Error(`guestSsh: ${name} has no IPv4 address reachable from the lab namespace`);
  return run('ip', [...sshArgs(addr), '--', command], { timeoutMs: opts.timeoutMs ?? 30_000 });
}

/** Run argv in a guest through the QEMU guest agent (no network needed). Use ['sh', '-c', '...'] for a shell. */
export async function guestAgent(name: string, argv: string[], opts: { timeoutMs?: number } = {}): Promise<GuestResult> {
  return agentExec(name, argv, opts.timeoutMs ?? 30_000);
}

/** Run a program inside the lab namespace (where the bridges are), e.g. ping a guest "from the host". */
export async function inLabNetns(argv: string[], opts: { timeoutMs?: number } = {}): Promise<GuestResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('inLabNetns: empty argv');
  return run('ip', ['netns', 'exec', C.LAB_NETNS, file, ...args], { timeoutMs: opts.timeoutMs ?? 30_000 });
}

export { labStatus };
