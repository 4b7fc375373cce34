// labgrade's sandboxed real lab: libvirtd + virtlogd inside network namespace `labgrade`, the
// course's three networks, small Debian-based TCG guests, an upstream namespace as "the Internet".
// Public API (used by `labgrade lab`, test/helpers/lab.ts and bench/lab-up.mjs):
//   labUp(opts)            bring everything up (idempotent; adopts or cleans leftovers) and apply a scenario
//   labDown(opts)          remove everything the lab created (domains, networks, namespaces, processes)
//   labStatus()            what runs, with addresses
//   applyScenario(def)     make the guests/networks match a scenario, restarting only what changed
//   moveGuest(name, network, ip)   one guest to another network (redefine + restart)
//   writeLabFile(path, roles, opts), agentExec(domain, argv), guestSsh(...)
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { LAB_NETNS, NETWORK_NAMES, paths, UPSTREAM_NETNS, DOMAIN_MARK, type NetworkName } from './constants.js';
import { quietLog, type LabLog } from './errors.js';
import { assertRoot, ensureAccounts, ensurePackages } from './host.js';
import { ensureImage, type GuestImage } from './image.js';
import {
  defineAndStart,
  startDomain,
  destroyDomain,
  domainXml,
  expectedAddress,
  labDomains,
  leasesFor,
  removeDomain,
  waitGuestReady,
  agentIpv4,
} from './guests.js';
import { writeKnownHosts, writeLabFile } from './labfile.js';
import { withLabLock } from './lock.js';
import { ensureNetworks, networkStates, removeNetworks } from './networks.js';
import { ensureLan, lanReservations, removeLan } from './lan.js';
import { configureRouter, routerImage } from './router.js';
import { ensureDaemons, ensureNamespaces, ensureUpstreamDns, labLibvirtd, teardownNamespaces } from './namespaces.js';
import { ensureStandingRelay, stopStandingRelay } from './relay.js';
import { netnsInode } from './procs.js';
import { virsh, waitFor } from './run.js';
import { DEFAULT_SCENARIO, macFor, scenarioByName, validateScenario, withFlavours, type GuestDef, type GuestIp, type ScenarioDef } from './scenarios.js';
import { DEFAULT_FLAVOUR, type Flavour } from './flavours.js';
import { agentAddresses } from './agent.js';
import { writeFileAtomic } from '../util/fs.js';

export { SCENARIOS, DEFAULT_SCENARIO, scenarioByName, validateScenario, macFor, withFlavours } from './scenarios.js';
export { FLAVOURS, FLAVOUR_NAMES, DEFAULT_FLAVOUR, parseFlavours, roleOf, type Flavour } from './flavours.js';
export type { ScenarioDef, GuestDef, GuestIp, NetworkOverrides } from './scenarios.js';
export { writeLabFile, labFileYaml, writeKnownHosts, parseUsers, type LabFileOptions } from './labfile.js';
export { agentExec, agentPing, agentAddresses } from './agent.js';
export { sshArgs, sshRun, expectedAddress, sshTarget, leasesFor } from './guests.js';
export { LabError, quietLog, type LabLog } from './errors.js';
export * as labConstants from './constants.js';
export { isRoot, assertRoot } from './host.js';

export interface LabUpOptions {
  /** Scenario name or definition (default `nat`). */
  scenario?: string | ScenarioDef;
  /** Flavour per guest, role (`linux`, `windows`) or `*` (see flavours.ts `parseFlavours`). */
  flavours?: Record<string, Flavour>;
  /** Login user per role in the lab file written (`root`: key; `usuario`: password). Default root. */
  users?: Record<string, 'root' | 'usuario'>;
  log?: LabLog;
  /** Where to write the lab file of the scenario's debian12/win10 (default /var/lib/labgrade/lab.yaml); false: none. */
  labFile?: string | false;
  /** Skip the Debian package check (faster when known to be installed). */
  skipPackages?: boolean;
  /** Rebuild the guest image even if cached. */
  rebuildImage?: boolean;
  /** Per-guest readiness timeout (ms); default 180 s (TCG on a busy 2-core machine). */
  readyTimeoutMs?: number;
}

export interface LabUpResult {
  scenario: string;
  labFile: string | null;
  knownHosts: string;
  /** The first image used (the tiny one in the default scenarios); all of them in `images`. */
  image: { id: string; built: boolean; buildMs: number };
  images: { flavour: Flavour; id: string; built: boolean; buildMs: number }[];
  /** Guests (re)started by this call. */
  started: string[];
  timings: { totalMs: number; prepareMs: number; imageMs: number; guestsMs: number };
}

const resolveScenario = (s: string | ScenarioDef | undefined, flavours?: Record<string, Flavour>): ScenarioDef => {
  const def = typeof s === 'string' || s === undefined ? scenarioByName(s ?? DEFAULT_SCENARIO) : s;
  return validateScenario(flavours ? withFlavours(def, flavours) : def);
};

type Images = Map<Flavour, GuestImage>;

/** The images of every flavour the scenario runs (built one after the other: they share caches). */
async function ensureImages(def: ScenarioDef, log: LabLog, force = false): Promise<Images> {
  const wanted = new Set<Flavour>(Object.values(def.guests).map((g) => g.flavour ?? DEFAULT_FLAVOUR));
  if (wanted.size === 0) wanted.add(DEFAULT_FLAVOUR);
  const out: Images = new Map();
  for (const f of wanted) out.set(f, await ensureImage(log, { force, flavour: f }));
  return out;
}

const imageOf = (images: Images, g: GuestDef): GuestImage => images.get(g.flavour ?? DEFAULT_FLAVOUR)!;

async function anyLeftovers(): Promise<boolean> {
  if ((await netnsInode(LAB_NETNS)) !== null || (await netnsInode(UPSTREAM_NETNS)) !== null) return true;
  return (await leftoverDefinitions()).length > 0;
}

/** Persistent libvirt definitions of the lab left in /etc/libvirt (e.g. after a killed session). */
async function leftoverDefinitions(): Promise<string[]> {
  const out: string[] = [];
  for (const n of NETWORK_NAMES) if (existsSync(`/etc/libvirt/qemu/networks/${n}.xml`)) out.push(`network ${n}`);
  try {
    for (const f of await readdir('/etc/libvirt/qemu')) {
      if (!f.endsWith('.xml')) continue;
      const text = await readFile(`/etc/libvirt/qemu/${f}`, 'utf8').catch(() => '');
      if (text.includes(DOMAIN_MARK)) out.push(`domain ${f.slice(0, -4)}`);
    }
  } catch {
    /* no /etc/libvirt/qemu */
  }
  return out;
}

/** Namespaces + daemons, adopting a running lab or cleaning what a killed session left. */
async function prepare(log: LabLog, skipPackages: boolean): Promise<void> {
  if (!skipPackages) await ensurePackages(log);
  await ensureAccounts();
  if ((await labLibvirtd()) === null && ((await netnsInode(LAB_NETNS)) !== null || (await netnsInode(UPSTREAM_NETNS)) !== null)) {
    log('stepCleanup');
    await teardownNamespaces();
  }
  log('stepNamespaces', { netns: LAB_NETNS, upstream: UPSTREAM_NETNS });
  await ensureNamespaces();
  await ensureUpstreamDns();
  log('stepDaemons', { netns: LAB_NETNS });
  await ensureDaemons();
  await ensureStandingRelay();
}

export async function labUp(opts: LabUpOptions = {}): Promise<LabUpResult> {
  assertRoot();
  const log = opts.log ?? quietLog;
  const def = resolveScenario(opts.scenario, opts.flavours);
  return withLabLock(async () => {
    const t0 = Date.now();
    await prepare(log, opts.skipPackages ?? false);
    const t1 = Date.now();
    const images = await ensureImages(def, log, opts.rebuildImage);
    const t2 = Date.now();
    const started = await applyInner(def, images, log, opts.readyTimeoutMs ?? 180_000);
    const t3 = Date.now();
    let labFile: string | null = null;
    if (opts.labFile !== false) {
      const roles = defaultRoles(def);
      if (roles) labFile = await writeLabFile(opts.labFile ?? paths.labFile, roles, { users: opts.users });
    }
    const image = [...images.values()][0]!;
    return {
      scenario: def.name,
      labFile,
      knownHosts: paths.knownHosts,
      image: { id: image.id, built: image.built, buildMs: image.buildMs },
      images: [...images.values()].map((i) => ({ flavour: i.flavour, id: i.id, built: i.built, buildMs: i.buildMs })),
      started,
      timings: { totalMs: Date.now() - t0, prepareMs: t1 - t0, imageMs: t2 - t1, guestsMs: t3 - t2 },
    };
  });
}

/** linux -> debian12, windows -> win10 when the scenario runs them, else its first two guests. */
function defaultRoles(def: ScenarioDef): Record<string, string> | null {
  const names = Object.keys(def.guests);
  if (names.includes('debian12') && names.includes('win10')) return { linux: 'debian12', windows: 'win10' };
  if (names.includes('debian12-iso') && names.includes('win10-iso') && names.length === 2) return { linux: 'debian12-iso', windows: 'win10-iso' };
  if (names.length >= 2) return { linux: names[0]!, windows: names[1]! };
  if (names.length === 1) return { linux: names[0]! };
  return null;
}

export interface AppliedScenario {
  name: string;
  def: ScenarioDef;
  appliedAt: string;
}

export async function currentScenario(): Promise<AppliedScenario | null> {
  try {
    return JSON.parse(await readFile(paths.scenario, 'utf8')) as AppliedScenario;
  } catch {
    return null;
  }
}

async function applyInner(def: ScenarioDef, images: Images, log: LabLog, readyTimeoutMs: number): Promise<string[]> {
  const nets = def.networks ?? {};
  log('stepNetworks', { names: NETWORK_NAMES.join(', ') });
  const changedNets = await ensureNetworks(nets);
  if (Object.values(def.guests).some((g) => g.attach)) await ensureLan(lanReservations(def.guests, macFor));
  // router guests boot the image with the NAT overlay (router.ts)
  // (router guests run the tiny flavour: validateScenario)
  const routerImg = Object.values(def.guests).some((g) => g.router) ? await routerImage(images.get(DEFAULT_FLAVOUR)!) : null;
  const imgFor = (g: GuestDef): GuestImage => (g.router && routerImg ? routerImg : imageOf(images, g));
  // known_hosts before any SSH readiness check (the host key exists once the image is built)
  const addrs = Object.entries(def.guests).map(([n, g]) => expectedAddress(n, g, nets)).filter((a): a is string => !!a);
  await writeKnownHosts(addrs);
  const existing = await labDomains();
  await Promise.all([...existing.keys()].filter((n) => !(n in def.guests)).map((n) => removeDomain(n)));

  // stale leases first: boot the guest on red-nat with DHCP until it holds a lease
  const needLease: [string, GuestDef][] = [];
  for (const [name, g] of Object.entries(def.guests)) {
    if (g.staleLeaseFrom && (await leasesFor(g.staleLeaseFrom, macFor(name))).length === 0) needLease.push([name, g]);
  }
  if (needLease.length) {
    if (nets.natDhcp === false) throw new Error('staleLeaseFrom needs red-nat with DHCP in the same scenario');
    await Promise.all(
      needLease.map(async ([name, g]) => {
        const pre: GuestDef = { network: g.staleLeaseFrom!, ip: { mode: 'dhcp' }, ssh: false, ...(g.flavour ? { flavour: g.flavour } : {}) };
        await removeDomain(name);
        await defineAndStart(domainXml(name, pre, imageOf(images, g), nets).xml, name);
        await waitFor(`a DHCP lease of ${name} on ${g.staleLeaseFrom}`, readyTimeoutMs, async () =>
          (await leasesFor(g.staleLeaseFrom!, macFor(name))).length ? true : undefined, 250);
        existing.set(name, { name, state: 'running', fp: 'stale-lease-boot' });
      }),
    );
  }

  const toStart: [string, GuestDef][] = [];
  for (const [name, g] of Object.entries(def.guests)) {
    const { fp } = domainXml(name, g, imgFor(g), nets);
    const ex = existing.get(name);
    if (ex && ex.fp === fp && ex.state === 'running' && !changedNets.includes(g.network)) continue;
    toStart.push([name, g]);
  }
  if (toStart.length) log('stepGuests', { names: toStart.map(([n]) => n).join(', ') });
  // stop first, then define + start, then wait (each step in parallel)
  await Promise.all(toStart.filter(([n]) => existing.get(n)?.state === 'running').map(([n]) => destroyDomain(n)));
  await Promise.all(
    toStart.map(async ([name, g]) => {
      const ex = existing.get(name);
      const { xml, fp } = domainXml(name, g, imgFor(g), nets);
      if (ex && ex.fp === fp) {
        await startDomain(name); // same definition, just not running (or its network was recreated)
        return;
      }
      if (ex) await virsh(['undefine', name]);
      await defineAndStart(xml, name);
    }),
  );
  await Promise.all(toStart.map(([name, g]) => waitGuestReady(name, g, nets, readyTimeoutMs)));
  await Promise.all(Object.entries(def.guests).filter(([, g]) => g.router).map(([name, g]) => configureRouter(name, g.router!)));
  await writeFileAtomic(paths.scenario, `${JSON.stringify({ name: def.name, def, appliedAt: new Date().toISOString() }, null, 2)}\n`);
  return toStart.map(([n]) => n);
}

export interface ApplyOptions {
  log?: LabLog;
  readyTimeoutMs?: number;
  /** Flavours to apply on top of the scenario (see LabUpOptions.flavours). */
  flavours?: Record<string, Flavour>;
}

/**
 * Make the running lab match `scenario` (name or definition): idempotent, restarts only guests whose
 * definition changed (or whose network was recreated). Brings the lab up first if it is down.
 */
export async function applyScenario(scenario: string | ScenarioDef, opts: ApplyOptions = {}): Promise<string[]> {
  assertRoot();
  const def = resolveScenario(scenario, opts.flavours);
  return withLabLock(async () => {
    const log = opts.log ?? quietLog;
    if ((await labLibvirtd()) === null) await prepare(log, true);
    const images = await ensureImages(def, log);
    return applyInner(def, images, log, opts.readyTimeoutMs ?? 180_000);
  });
}

/** Move one guest to another network with a new IP configuration (redefine + restart). */
export async function moveGuest(name: string, network: NetworkName, ip: GuestIp, extra: Partial<GuestDef> = {}, opts: ApplyOptions = {}): Promise<string[]> {
  const cur = (await currentScenario())?.def ?? resolveScenario(undefined);
  const def: ScenarioDef = {
    ...cur,
    name: `${cur.name}+moved`,
    guests: { ...cur.guests, [name]: { ...(cur.guests[name] ?? {}), ...extra, network, ip } },
  };
  return applyScenario(def, opts);
}

export interface LabDownOptions {
  log?: LabLog;
}

/** Remove everything the lab created: its domains, networks, namespaces and processes (by PID). */
export async function labDown(opts: LabDownOptions = {}): Promise<{ totalMs: number; domainsMs: number; networksMs: number; teardownMs: number }> {
  assertRoot();
  const log = opts.log ?? quietLog;
  return withLabLock(async () => {
    const t0 = Date.now();
    if ((await labLibvirtd()) === null && (await leftoverDefinitions()).length > 0) {
      // a killed session left persistent definitions: start libvirtd in the namespace to remove them
      log('stepCleanup');
      await prepare(log, true);
    }
    let t1 = Date.now();
    let t2 = t1;
    if ((await labLibvirtd()) !== null) {
      const doms = await labDomains();
      await Promise.all([...doms.keys()].map((n) => removeDomain(n)));
      t1 = Date.now();
      await removeNetworks();
      t2 = Date.now();
    }
    await removeLan();
    await stopStandingRelay();
    await teardownNamespaces();
    await rm(paths.scenario, { force: true });
    const t3 = Date.now();
    return { totalMs: t3 - t0, domainsMs: t1 - t0, networksMs: t2 - t1, teardownMs: t3 - t2 };
  });
}

export interface GuestStatus {
  name: string;
  state: string;
  network: string | null;
  mac: string | null;
  /** IPv4 addresses as seen by the guest agent (CIDR), or from a lease if the agent does not answer. */
  ipv4: string[];
  source: 'agent' | 'lease' | 'none';
  /** What runs inside, as the applied scenario says (null: not part of it). */
  flavour: Flavour | null;
}

export interface NetworkStatus {
  name: string;
  active: boolean;
}

export interface LabStatus {
  up: boolean;
  libvirtd: number | null;
  netns: string;
  scenario: string | null;
  networks: NetworkStatus[];
  guests: GuestStatus[];
  labFile: string | null;
  /** Leftovers of a killed session, when the lab is down. */
  leftovers: boolean;
}

export async function labStatus(): Promise<LabStatus> {
  const pid = await labLibvirtd();
  const labFile = existsSync(paths.labFile) ? paths.labFile : null;
  if (pid === null) {
    return { up: false, libvirtd: null, netns: LAB_NETNS, scenario: null, networks: [], guests: [], labFile: null, leftovers: await anyLeftovers() };
  }
  const states = await networkStates();
  const networks = NETWORK_NAMES.map((n) => ({ name: n, active: states.get(n)?.active ?? false }));
  const doms = await labDomains();
  const applied = (await currentScenario())?.def.guests ?? {};
  const guests = await Promise.all(
    [...doms.values()].sort((a, b) => a.name.localeCompare(b.name)).map(async (d): Promise<GuestStatus> => {
      const xml = (await virsh(['dumpxml', d.name])).stdout;
      const network = /<source network='([^']+)'/.exec(xml)?.[1] ?? null;
      const mac = /<mac address='([^']+)'/.exec(xml)?.[1] ?? null;
      let ipv4: string[] = [];
      let source: GuestStatus['source'] = 'none';
      if (d.state === 'running') {
        try {
          const ifs = await agentAddresses(d.name);
          ipv4 = ifs.flatMap((i) => i.ips.filter((a) => a.family === 'ipv4').map((a) => `${a.address}/${a.prefix}`));
          source = 'agent';
        } catch {
          if (network && mac) {
            ipv4 = await leasesFor(network, mac);
            source = ipv4.length ? 'lease' : 'none';
          }
        }
      }
      const flavour = d.name in applied ? (applied[d.name]!.flavour ?? DEFAULT_FLAVOUR) : null;
      return { name: d.name, state: d.state, network, mac, ipv4, source, flavour };
    }),
  );
  return { up: true, libvirtd: pid, netns: LAB_NETNS, scenario: (await currentScenario())?.name ?? null, networks, guests, labFile, leftovers: false };
}

/** Run a command line in a guest over SSH (from the lab namespace, with the lab key). */
export async function guestSshAddress(name: string): Promise<string | null> {
  const cur = await currentScenario();
  const g = cur?.def.guests[name];
  if (!g) return null;
  const a = expectedAddress(name, g, cur.def.networks ?? {});
  if (a) return a;
  if (g.ip.mode === 'dhcp') return (await agentIpv4(name).catch(() => []))[0] ?? null;
  return null;
}

