// inspectHost: a typed snapshot of a libvirt host (networks, domains, NIC attachments, leases,
// guest agents) from virsh XML. A problem with one object lands in `snapshot.problems` and never
// stops the rest; only "cannot talk to libvirt at all" throws (a LibvirtError).
//
// virsh calls: 5 listings (net-list all/active/autostart/persistent, list --all), then per network
// `net-dumpxml` and per domain `domstate` + `dumpxml` in parallel (small limit), then
// `net-dhcp-leases` per active network with an address and `qemu-agent-command guest-ping` per
// running domain with an agent channel.
import pLimit from 'p-limit';
import type { DomainInfo, DomainInterface, HostSnapshot, Lang, LeaseInfo, NetworkInfo } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/inspect.js';
import en from '../i18n/en/inspect.js';
import { LibvirtError, Virsh } from './virsh.js';
import { parseDomainXml, parseNetworkXml, type ParsedDomain, type ParsedNetwork } from './xml.js';
import { parseLeaseTable } from './leases.js';
import { byAddress, byText } from '../util/compare.js';

export { normalizeMac, sameMac } from './mac.js';
export {
  findNetwork,
  findNetworkMatch,
  findDomain,
  networkOfInterface,
  interfacesOn,
  leasesFor,
  hostAddressOn,
  hasDhcp,
  didYouMean,
  looseName,
} from './lookup.js';
export { LibvirtError } from './virsh.js';

const t = translator(es, en);

export interface InspectOptions {
  /** Language of `problems` and error messages (default en). */
  lang?: Lang;
  /** Inspect only these domains (others are listed in `domainNames` only). Default: all. */
  domains?: string[];
  /** Ping the guest agent of running domains that have a channel (default true). */
  agentPing?: boolean;
  /** Extra environment for virsh and ssh (SSH_AUTH_SOCK, ...). */
  env?: Record<string, string>;
  /** Private key for qemu+ssh URIs (the lab file's host_ssh.key). */
  sshKeyFile?: string;
  /** Deadline of each virsh call, ms. */
  timeoutMs?: number;
  /** Parallel virsh calls (default 4). */
  concurrency?: number;
  /** When the read-write socket is refused, retry read-only (default true). */
  readOnlyFallback?: boolean;
  /** Use this client instead of building one (tests, benchmarks). */
  virsh?: Virsh;
}

function problemText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function inspectHost(uri: string, opts: InspectOptions = {}): Promise<HostSnapshot> {
  const lang = opts.lang ?? 'en';
  let virsh =
    opts.virsh ??
    new Virsh({
      uri,
      lang,
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.sshKeyFile ? { sshKeyFile: opts.sshKeyFile } : {}),
    });
  const problems: string[] = [];
  const limit = pLimit(Math.max(1, opts.concurrency ?? 4));

  // The first call tells whether libvirt can be reached at all.
  let allNets: string[];
  try {
    allNets = await virsh.listNetworks('all');
  } catch (e) {
    if (e instanceof LibvirtError && e.kind === 'permission' && opts.readOnlyFallback !== false && !virsh.readOnly) {
      const ro = virsh.readOnlyCopy();
      try {
        allNets = await ro.listNetworks('all');
      } catch {
        throw e;
      }
      virsh = ro;
      problems.push(t(lang, 'problem.readOnly', { detail: e.detail }));
    } else {
      throw e;
    }
  }

  const listOr = async (what: string, p: Promise<string[]>): Promise<string[] | null> => {
    try {
      return await p;
    } catch (e) {
      if (e instanceof LibvirtError && e.isConnectionError) throw e;
      problems.push(t(lang, 'problem.list', { what, message: problemText(e) }));
      return null;
    }
  };
  const [activeL, autostartL, persistentL, domainNames] = await Promise.all([
    listOr('net-list --active', virsh.listNetworks('active')),
    listOr('net-list --autostart', virsh.listNetworks('autostart')),
    listOr('net-list --persistent', virsh.listNetworks('persistent')),
    listOr('list --all', virsh.listDomains('all')),
  ]);
  const active = new Set(activeL ?? []);
  const autostart = new Set(autostartL ?? []);
  const persistent = new Set(persistentL ?? []);

  // ---- networks
  const parsedNets = new Map<string, ParsedNetwork>();
  const networks: NetworkInfo[] = [];
  await Promise.all(
    allNets.map((name) =>
      limit(async () => {
        try {
          const p = parseNetworkXml(await virsh.netDumpXml(name));
          parsedNets.set(name, p);
          const n: NetworkInfo = {
            name: p.name,
            active: active.has(name),
            autostart: autostart.has(name),
            persistent: persistent.has(name),
            forwardMode: p.forwardMode,
            type: p.type,
            bridge: p.bridge,
            ips: p.ips,
            dns: p.dns,
          };
          if (p.uuid) n.uuid = p.uuid;
          networks.push(n);
        } catch (e) {
          if (e instanceof LibvirtError && e.isConnectionError) throw e;
          problems.push(t(lang, 'problem.network', { name, message: problemText(e) }));
        }
      }),
    ),
  );
  networks.sort((a, b) => byText(a.name, b.name));

  // ---- domains
  const names = domainNames ?? [];
  const wanted = opts.domains ? names.filter((n) => opts.domains!.includes(n)) : names;
  const domains: DomainInfo[] = [];
  const parsedDoms = new Map<string, ParsedDomain>();
  await Promise.all(
    wanted.map((name) =>
      limit(async () => {
        try {
          const [state, xml] = await Promise.all([virsh.domState(name), virsh.domDumpXml(name)]);
          const p = parseDomainXml(xml);
          parsedDoms.set(name, p);
          const d: DomainInfo = {
            name: p.name,
            state,
            interfaces: p.interfaces.map((i) => mapInterface(i, allNets, parsedNets)),
            agentChannel: p.agentChannel,
            agentConnected: null,
          };
          if (p.uuid) d.uuid = p.uuid;
          if (p.osinfo) d.osinfo = p.osinfo;
          domains.push(d);
        } catch (e) {
          if (e instanceof LibvirtError && e.isConnectionError) throw e;
          problems.push(t(lang, 'problem.domain', { name, message: problemText(e) }));
        }
      }),
    ),
  );
  domains.sort((a, b) => byText(a.name, b.name));

  // ---- leases and agents, in parallel
  const leases: LeaseInfo[] = [];
  const leaseJobs = networks
    .filter((n) => n.active && n.ips.length > 0)
    .map((n) =>
      limit(async () => {
        try {
          const parsed = parseLeaseTable(n.name, await virsh.netDhcpLeases(n.name));
          leases.push(...parsed.leases);
          for (const line of parsed.rejected) problems.push(t(lang, 'problem.leaseLine', { name: n.name, line }));
        } catch (e) {
          if (e instanceof LibvirtError && e.isConnectionError) throw e;
          problems.push(t(lang, 'problem.leases', { name: n.name, message: problemText(e) }));
        }
      }),
    );
  const pingJobs =
    opts.agentPing === false || virsh.readOnly
      ? []
      : domains
          .filter((d) => d.agentChannel && d.state === 'running')
          .map((d) =>
            limit(async () => {
              // libvirt already knows a disconnected channel: no need to wait for a ping.
              if (parsedDoms.get(d.name)?.agentChannelState === 'disconnected') {
                d.agentConnected = false;
                return;
              }
              try {
                d.agentConnected = await virsh.agentPing(d.name);
              } catch (e) {
                if (e instanceof LibvirtError && e.isConnectionError) throw e;
                problems.push(t(lang, 'problem.agent', { name: d.name, message: problemText(e) }));
              }
            }),
          );
  await Promise.all([...leaseJobs, ...pingJobs]);

  const complete = !opts.domains && domainNames !== null && domains.length === names.length;
  markStale(leases, domains, complete);
  leases.sort((a, b) => byText(a.network, b.network) || byAddress(a.address, b.address));

  const snap: HostSnapshot = {
    uri,
    takenAt: new Date().toISOString(),
    networks,
    domains,
    leases,
    problems,
    domainNames: [...names].sort(byText),
  };
  if (virsh.readOnly) snap.readOnly = true;
  return snap;
}

/** Maps a NIC to the network that owns it (by name, by bridge, or by macvtap device). Exported for tests. */
export function mapInterface(
  i: ReturnType<typeof parseDomainXml>['interfaces'][number],
  netNames: readonly string[],
  nets: ReadonlyMap<string, ParsedNetwork>,
): DomainInterface {
  let network: string | null = null;
  if (i.type === 'network') {
    network = netNames.includes(i.source) ? i.source : null;
  } else if (i.type === 'bridge') {
    for (const n of nets.values()) if (n.bridge && n.bridge === i.source) network = n.name;
  } else if (i.type === 'direct') {
    for (const n of nets.values()) if (n.forwardDevs.includes(i.source)) network = n.name;
  }
  const out: DomainInterface = { type: i.type, source: i.source, network, mac: i.mac };
  if (i.model) out.model = i.model;
  if (i.target) out.target = i.target;
  if (i.linkState) out.linkState = i.linkState;
  return out;
}

/**
 * A lease is stale when its MAC is not attached to the lease's network now: the VM's NIC moved to
 * another network (the course's trap: virt-manager still shows the NAT lease), or no domain has
 * that MAC any more (only decidable when every domain was inspected).
 */
export function markStale(leases: LeaseInfo[], domains: readonly DomainInfo[], complete: boolean): void {
  const byMac = new Map<string, { domain: string; network: string | null }[]>();
  for (const d of domains) {
    for (const i of d.interfaces) {
      const l = byMac.get(i.mac) ?? [];
      l.push({ domain: d.name, network: i.network });
      byMac.set(i.mac, l);
    }
  }
  for (const lease of leases) {
    const owners = byMac.get(lease.mac);
    if (owners && owners.length > 0) {
      lease.domain = owners[0]!.domain;
      lease.stale = !owners.some((o) => o.network === lease.network);
    } else {
      lease.stale = complete;
    }
  }
}
