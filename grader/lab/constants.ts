// Fixed names, paths and addresses of labgrade's sandboxed lab. Everything the lab creates is
// named here, so `lab down` (and the leftover cleanup of `lab up`) knows exactly what is its own.

/** Network namespace of libvirtd, virtlogd, the libvirt bridges, dnsmasq and the guests' taps. */
export const LAB_NETNS = 'labgrade';
/** Network namespace playing "the Internet" (router + DNS 203.0.113.1, outside host 198.51.100.10). */
export const UPSTREAM_NETNS = 'labgrade-up';

export const LIBVIRT_URI = 'qemu:///system';

/** Root-only state: SSH key, guest password, guest host key, known_hosts, lab files. */
export const STATE_DIR = '/var/lib/labgrade';
/** Guest image cache (rebuilt only when its inputs change) and downloaded .deb files. */
export const CACHE_DIR = '/var/cache/labgrade';
/** Runtime: pid files, lock, applied-scenario record. */
export const RUN_DIR = '/run/labgrade';
/** Guests' serial consoles. */
export const LOG_DIR = '/var/log/labgrade';

export const paths = {
  sshKey: `${STATE_DIR}/id_ed25519`,
  sshPubKey: `${STATE_DIR}/id_ed25519.pub`,
  password: `${STATE_DIR}/guest-password`,
  hostKeyPub: `${STATE_DIR}/dropbear_ed25519_host_key.pub`,
  /** OpenSSH host key of the Debian flavours (one for all of them, pinned in known_hosts). */
  opensshHostKey: `${STATE_DIR}/ssh_host_ed25519_key`,
  opensshHostKeyPub: `${STATE_DIR}/ssh_host_ed25519_key.pub`,
  knownHosts: `${STATE_DIR}/known_hosts`,
  labFile: `${STATE_DIR}/lab.yaml`,
  imageDir: `${CACHE_DIR}/image`,
  debDir: `${CACHE_DIR}/debs`,
  /** .deb cache of the Debian flavours' builds (mmdebstrap). */
  aptArchives: `${CACHE_DIR}/apt-archives`,
  upstreamPid: `${RUN_DIR}/upstream-dnsmasq.pid`,
  upstreamLog: `${LOG_DIR}/upstream-dnsmasq.log`,
  lock: `${RUN_DIR}/lock`,
  scenario: `${RUN_DIR}/scenario.json`,
  libvirtdPid: '/run/libvirtd.pid',
  virtlogdPid: '/run/virtlogd.pid',
} as const;

/** The "Internet" of the lab. */
export const upstream = {
  /** Router and DNS server of the upstream namespace. */
  router: '203.0.113.1',
  /** The lab namespace's side of the link. */
  labSide: '203.0.113.2',
  prefix: 24,
  /** A host "on the Internet" that answers ping (a loopback address of the upstream namespace). */
  outsideHost: '198.51.100.10',
  /** Answered by the upstream DNS with outsideHost (any name under labgrade.test is). */
  testName: 'www.labgrade.test',
  testDomain: 'labgrade.test',
  /** veth pair joining the two namespaces (never the root namespace). */
  labLink: 'lg-up0',
  upLink: 'lg-up1',
} as const;

export type NetworkName = 'red-nat' | 'red-aislada' | 'red-muy-aislada';
export const NETWORK_NAMES: readonly NetworkName[] = ['red-nat', 'red-aislada', 'red-muy-aislada'];

/** The course's networks (course-facts.md), keyed like the exercise (nat, isolated, very_isolated). */
export const courseNetworks = {
  nat: { name: 'red-nat', bridge: 'virbr1', address: '192.168.101.1', prefix: 24, dhcp: { start: '192.168.101.128', end: '192.168.101.254' } },
  isolated: { name: 'red-aislada', bridge: 'virbr2', address: '192.168.102.1', prefix: 24 },
  very_isolated: { name: 'red-muy-aislada', bridge: 'virbr3' },
} as const;

export interface GuestIdentity {
  name: string;
  mac: string;
  /** DHCP reservation in red-nat (deterministic address while still real DHCP), if any. */
  natReservation?: string;
}

/** The lab's known guests: fixed MACs. Other names get a MAC derived from the name. */
export const GUESTS: Record<string, GuestIdentity> = {
  debian12: { name: 'debian12', mac: '52:54:00:4c:47:12', natReservation: '192.168.101.218' },
  win10: { name: 'win10', mac: '52:54:00:4c:47:10', natReservation: '192.168.101.219' },
  'debian12-iso': { name: 'debian12-iso', mac: '52:54:00:4c:48:12' },
  'win10-iso': { name: 'win10-iso', mac: '52:54:00:4c:48:10' },
  'debian12-viso': { name: 'debian12-viso', mac: '52:54:00:4c:49:12' },
  'win10-viso': { name: 'win10-viso', mac: '52:54:00:4c:49:10' },
};

/** Memory per guest of the tiny flavours, MiB (the Debian flavours: see flavours.ts). */
export const GUEST_MEMORY_MIB = 128;

/** The unprivileged user of every lab guest (password: paths.password), as the course names it. */
export const GUEST_USER = 'usuario';

/** Marker in every domain's <description>, so the lab only ever touches its own domains. */
export const DOMAIN_MARK = 'labgrade-lab-guest';
