// Scenarios: which guests run, on which network, with which configuration. A scenario is plain
// data; `applyScenario` (guests.ts via index.ts) makes the lab match it, restarting only what changed.
import { GUESTS, NETWORK_NAMES, type NetworkName } from './constants.js';
import { LabError } from './errors.js';
import { isIpv4 } from '../net/ipv4.js';
import { flavourFor, isFlavour, FLAVOUR_NAMES, type Flavour } from './flavours.js';
import type { LanAttach } from './lan.js';
import type { RouterDef } from './router.js';

/** How a guest configures its NIC at boot. */
export type GuestIp =
  | { mode: 'dhcp' }
  | { mode: 'none' }
  /** `address` is A.B.C.D/NN. */
  | { mode: 'static'; address: string; gateway?: string; dns?: string[]; search?: string };

export interface GuestDef {
  network: NetworkName;
  ip: GuestIp;
  /** Drop incoming ICMP echo requests (iptables in the guest); TCP is still answered. Default false. */
  firewall?: boolean;
  /** Run the SSH server (default true). false: reachable through the guest agent only. */
  ssh?: boolean;
  /**
   * Before placing the guest, make sure it holds a DHCP lease on this network (booting it there
   * first if needed), so a stale lease is left behind when it then sits on `network`.
   */
  staleLeaseFrom?: NetworkName;
  /** What runs inside (default `tiny`); see flavours.ts. */
  flavour?: Flavour;
  /** Plug the NIC into the lab's LAN (lan.ts: br0, or macvtap on lg-mvt0) instead of `network`. */
  attach?: LanAttach;
  /** A Linux router/NAT (router.ts): a second NIC on `router.uplink`, NAT modules, set up as given. */
  router?: RouterDef;
}

export interface NetworkOverrides {
  /** red-nat without its DHCP range (default: with). */
  natDhcp?: boolean;
}

export interface ScenarioDef {
  /** Name shown by `lab status` (free text for programmatic scenarios). */
  name: string;
  /** Guests by domain name. Guests of the lab not listed here are stopped and removed. */
  guests: Record<string, GuestDef>;
  networks?: NetworkOverrides;
}

const iso = (last: number) => ({ mode: 'static', address: `192.168.102.${last}/24` }) as const satisfies GuestIp;
const viso = (last: number) => ({ mode: 'static', address: `172.22.0.${last}/16` }) as const satisfies GuestIp;
const dhcp = { mode: 'dhcp' } as const satisfies GuestIp;

const pairNat = { debian12: { network: 'red-nat', ip: dhcp }, win10: { network: 'red-nat', ip: dhcp } } satisfies Record<string, GuestDef>;
const isoPair = { 'debian12-iso': { network: 'red-aislada', ip: iso(2) }, 'win10-iso': { network: 'red-aislada', ip: iso(3) } } satisfies Record<string, GuestDef>;
const visoPair = { 'debian12-viso': { network: 'red-muy-aislada', ip: viso(2) }, 'win10-viso': { network: 'red-muy-aislada', ip: viso(3) } } satisfies Record<string, GuestDef>;
/** All three networks at once: each task can be graded without moving a guest. */
const all = { ...pairNat, ...isoPair, ...visoPair } satisfies Record<string, GuestDef>;

/**
 * Named scenarios. `nat`, `isolated`, `very-isolated`: the course's two VMs (debian12, win10) on one
 * network. `all` and the knob scenarios run six guests, two per network (see test/helpers/lab.ts);
 * each knob changes only one or two guests of `all`, so switching between them restarts little.
 */
export const SCENARIOS: Record<string, ScenarioDef> = {
  nat: { name: 'nat', guests: { ...pairNat } },
  isolated: {
    name: 'isolated',
    guests: { debian12: { network: 'red-aislada', ip: iso(2) }, win10: { network: 'red-aislada', ip: iso(3) } },
  },
  'very-isolated': {
    name: 'very-isolated',
    guests: { debian12: { network: 'red-muy-aislada', ip: viso(2) }, win10: { network: 'red-muy-aislada', ip: viso(3) } },
  },
  all: { name: 'all', guests: { ...all } },
  /** win10 (red-nat) drops ICMP echo; TCP still answered. */
  firewall: { name: 'firewall', guests: { ...all, win10: { network: 'red-nat', ip: dhcp, firewall: true } } },
  /** debian12-iso left on DHCP in red-aislada (no DHCP there): only an IPv6 link-local address. */
  'dhcp-left': { name: 'dhcp-left', guests: { ...all, 'debian12-iso': { network: 'red-aislada', ip: dhcp } } },
  /** red-nat without its DHCP range: debian12 stays on DHCP (gets nothing), win10 is static .3. */
  'nat-no-dhcp': {
    name: 'nat-no-dhcp',
    networks: { natDhcp: false },
    guests: {
      ...all,
      win10: { network: 'red-nat', ip: { mode: 'static', address: '192.168.101.3/24', gateway: '192.168.101.1', dns: ['192.168.101.1'] } },
    },
  },
  /** debian12 (red-nat) without an SSH server: reachable through the guest agent only. */
  'ssh-stopped': { name: 'ssh-stopped', guests: { ...all, debian12: { network: 'red-nat', ip: dhcp, ssh: false } } },
  /** debian12-iso and win10-iso sit on red-aislada (static) but left DHCP leases in red-nat. */
  'stale-lease': {
    name: 'stale-lease',
    guests: {
      ...all,
      'debian12-iso': { ...isoPair['debian12-iso'], staleLeaseFrom: 'red-nat' },
      'win10-iso': { ...isoPair['win10-iso'], staleLeaseFrom: 'red-nat' },
    },
  },
};

export const DEFAULT_SCENARIO = 'nat';

export function scenarioByName(name: string): ScenarioDef {
  const s = SCENARIOS[name];
  if (!s) throw new LabError('unknownScenario', { name, names: Object.keys(SCENARIOS).join(', ') });
  return s;
}

const NAME = /^[a-z][a-z0-9-]{0,30}$/;
const DOMAIN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Validate a (programmatic) scenario: names, addresses (they end up on a kernel command line). */
export function validateScenario(def: ScenarioDef): ScenarioDef {
  const bad = (message: string): never => {
    throw new LabError('badScenario', { message });
  };
  if (!def || typeof def !== 'object' || !def.guests) bad('no guests');
  for (const [name, g] of Object.entries(def.guests)) {
    if (!NAME.test(name)) bad(`guest name "${name}" (use a-z, 0-9, -)`);
    if (!NETWORK_NAMES.includes(g.network)) bad(`${name}: network "${g.network}" (one of ${NETWORK_NAMES.join(', ')})`);
    if (g.staleLeaseFrom !== undefined && g.staleLeaseFrom !== 'red-nat') bad(`${name}: staleLeaseFrom must be red-nat`);
    if (g.flavour !== undefined && !isFlavour(g.flavour)) bad(`${name}: flavour "${String(g.flavour)}" (one of ${FLAVOUR_NAMES.join(', ')})`);
    if (g.router !== undefined && (g.flavour ?? 'tiny') !== 'tiny') bad(`${name}: a router guest runs the tiny flavour`);
    if (g.router !== undefined) {
      const r = g.router;
      if (!NETWORK_NAMES.includes(r.uplink) || r.uplink === g.network) bad(`${name}: router.uplink must be another lab network`);
      if (!['persistent', 'live', 'off'].includes(r.forward) || !['uplink', 'inner', 'none'].includes(r.nat) || typeof r.save !== 'boolean') bad(`${name}: router { forward, nat, save }`);
      if (r.source !== undefined && !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(r.source)) bad(`${name}: router.source "${r.source}"`);
    }
    if (g.attach !== undefined && !((g.attach.type === 'bridge' && g.attach.source === 'br0') || (g.attach.type === 'direct' && g.attach.source === 'lg-mvt0'))) {
      bad(`${name}: attach must be { type: bridge, source: br0 } or { type: direct, source: lg-mvt0 } (the lab's LAN)`);
    }
    const ip = g.ip;
    if (ip.mode === 'static') {
      const [a, p, ...rest] = ip.address.split('/');
      if (rest.length || !a || !isIpv4(a) || !p || !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 32) bad(`${name}: address "${ip.address}" (A.B.C.D/NN)`);
      if (ip.gateway !== undefined && !isIpv4(ip.gateway)) bad(`${name}: gateway "${ip.gateway}"`);
      for (const d of ip.dns ?? []) if (!isIpv4(d)) bad(`${name}: dns "${d}"`);
      if (ip.search !== undefined && !DOMAIN.test(ip.search)) bad(`${name}: search "${ip.search}"`);
    } else if (ip.mode !== 'dhcp' && ip.mode !== 'none') {
      bad(`${name}: ip.mode`);
    }
  }
  return def;
}

export function macFor(name: string): string {
  const known = GUESTS[name];
  if (known) return known.mac;
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const b = [(h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff].map((x) => x.toString(16).padStart(2, '0'));
  return `52:54:00:${b.join(':')}`;
}

/**
 * The scenario with flavours chosen per guest (`parseFlavours`: guest name, role or `*`). A key that
 * is neither a role nor one of the scenario's guests is an error (a typo would silently do nothing).
 */
export function withFlavours(def: ScenarioDef, choice: Record<string, Flavour>): ScenarioDef {
  for (const k of Object.keys(choice)) {
    if (k !== '*' && k !== 'linux' && k !== 'windows' && !(k in def.guests)) {
      throw new LabError('badFlavourTarget', { key: k, guests: Object.keys(def.guests).join(', ') });
    }
  }
  const guests: Record<string, GuestDef> = {};
  for (const [name, g] of Object.entries(def.guests)) {
    const f = flavourFor(choice, name);
    const { flavour: _old, ...rest } = g;
    // tiny is the default: left out, so the definition (and its fingerprint) is today's
    guests[name] = f === undefined ? g : f === 'tiny' ? rest : { ...rest, flavour: f };
  }
  const tag = Object.entries(choice).map(([k, v]) => (k === '*' ? v : `${k}=${v}`)).join(',');
  return { ...def, name: `${def.name}[${tag}]`, guests };
}
