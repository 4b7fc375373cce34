// Linux prober: one constant, batched POSIX sh script per phase, `LC_ALL=C`, machine-readable
// output only (`ip -j`, exit codes, files), inputs as positional arguments.
import type {
  AddressOrigin,
  CommandEvidence,
  Connection,
  GuestAddress,
  GuestConfig,
  GuestInterface,
  GuestProber,
  Reachability,
  Resolution,
} from '../types.js';
import { normalizeMac } from '../libvirt/mac.js';
import { runProbe, splitSections, tryJson } from './evidence.js';
import { classifyReach, neighbourState } from './reach.js';
import { assertTarget, assertTargets, isIpv4 } from './targets.js';

// ------------------------------------------------------------------ scripts

/** Everything about the configuration, in one round trip. */
export const LINUX_CONFIG_SCRIPT = String.raw`export LC_ALL=C
sec() { n=$1; shift; printf '@@LG-BEGIN %s\n' "$n"; "$@"; r=$?; printf '\n@@LG-END %s %s\n' "$n" "$r"; }
nm() {
  command -v nmcli >/dev/null 2>&1 || return 127
  nmcli -t -f UUID,DEVICE connection show --active 2>/dev/null | while IFS=: read -r u d; do
    printf '%s:%s\n' "$d" "$(nmcli -t -g ipv4.method connection show "$u" 2>/dev/null)"
  done
}
ifupdown() { cat /etc/network/interfaces /etc/network/interfaces.d/* 2>/dev/null; }
procs() {
  for p in /proc/[0-9]*; do
    read -r c 2>/dev/null < "$p/comm" || continue
    case $c in
      dhclient|udhcpc|dhcpcd|systemd-network|NetworkManager) tr '\0' ' ' < "$p/cmdline" 2>/dev/null; echo ;;
    esac
  done
}
networkd() { ls /run/systemd/netif/leases 2>/dev/null; }
resolved() {
  grep -qs '^[[:space:]]*nameserver[[:space:]]*127\.0\.0\.53' /etc/resolv.conf || return 3
  cat /run/systemd/resolve/resolv.conf 2>/dev/null
}
resolvectl_dns() { command -v resolvectl >/dev/null 2>&1 || return 127; resolvectl dns 2>/dev/null; resolvectl domain 2>/dev/null; }
sec addr ip -j addr show
sec route ip -j -4 route show
sec resolv cat /etc/resolv.conf
sec resolved resolved
sec resolvectl resolvectl_dns
sec nm nm
sec ifupdown ifupdown
sec procs procs
sec networkd networkd
`;

/**
 * $1 = timeout in whole seconds, then the targets. All pings run at once in the background; then
 * names are resolved, routes looked up and the neighbour table read once.
 */
export const LINUX_REACH_SCRIPT = String.raw`export LC_ALL=C
t=$1; shift
to=
if command -v timeout >/dev/null 2>&1; then to="timeout $((t + 2))"; fi
i=0
for h in "$@"; do
  ( $to ping -c 1 -W "$t" "$h" >/dev/null 2>&1; printf '@@LG-PING %s %s\n' "$i" "$?" ) &
  i=$((i + 1))
done
wait
i=0
for h in "$@"; do
  a=$h
  case $h in
    *[!0-9.]*) a=$($to getent ahostsv4 "$h" 2>/dev/null | awk 'NR==1{print $1}') ;;
  esac
  printf '@@LG-ADDR %s %s\n' "$i" "$a"
  if [ -n "$a" ]; then
    printf '@@LG-BEGIN route%s\n' "$i"
    ip -j -4 route get "$a" 2>&1
    printf '\n@@LG-END route%s %s\n' "$i" "$?"
  fi
  i=$((i + 1))
done
printf '@@LG-BEGIN neigh\n'
ip -j -4 neigh show 2>&1
printf '\n@@LG-END neigh %s\n' "$?"
`;

/** $1 = name, $2 = timeout in whole seconds. getent (glibc/musl), else busybox nslookup. */
export const LINUX_RESOLVE_SCRIPT = String.raw`export LC_ALL=C
n=$1; t=$2
to=
if command -v timeout >/dev/null 2>&1; then to="timeout $t"; fi
ns() { sed -n 's/^[[:space:]]*nameserver[[:space:]][[:space:]]*\([^[:space:]]*\).*/\1/p' "$1" 2>/dev/null; }
printf '@@LG-BEGIN ns\n'; ns /etc/resolv.conf; printf '\n@@LG-END ns 0\n'
if grep -qs '^[[:space:]]*nameserver[[:space:]]*127\.0\.0\.53' /etc/resolv.conf; then
  printf '@@LG-BEGIN nsresolved\n'; ns /run/systemd/resolve/resolv.conf; printf '\n@@LG-END nsresolved 0\n'
fi
if command -v getent >/dev/null 2>&1; then
  printf '@@LG-BEGIN getent\n'; $to getent ahostsv4 "$n"; r=$?; printf '\n@@LG-END getent %s\n' "$r"
else
  printf '@@LG-BEGIN nslookup\n'; $to nslookup "$n" 2>&1; r=$?; printf '\n@@LG-END nslookup %s\n' "$r"
fi
`;

// ------------------------------------------------------------------ parsing (pure, fixture-tested)

interface IpAddrInfo {
  family?: string;
  local?: string;
  prefixlen?: number;
  dynamic?: boolean;
  valid_life_time?: number;
  scope?: string;
}
interface IpLink {
  ifindex?: number;
  ifname?: string;
  flags?: string[];
  operstate?: string;
  link_type?: string;
  address?: string;
  addr_info?: IpAddrInfo[];
}

const FOREVER = 4294967295;

export function addressOrigin(a: IpAddrInfo): AddressOrigin {
  const addr = a.local ?? '';
  if (addr.startsWith('169.254.')) return 'link-local';
  if (a.dynamic) return 'dhcp';
  if (typeof a.valid_life_time === 'number' && a.valid_life_time < FOREVER) return 'dhcp';
  if (a.valid_life_time === FOREVER || a.valid_life_time === undefined) return 'static';
  return 'unknown';
}

export interface DhcpHints {
  /** device -> NetworkManager ipv4.method */
  nm: Map<string, string>;
  /** device -> ifupdown method (dhcp, static, manual, loopback) */
  ifupdown: Map<string, string>;
  /** devices with a DHCP client process naming them; '*' = a client with no interface argument */
  clients: Set<string>;
  /** ifindexes with a systemd-networkd DHCP lease */
  networkdLeases: Set<number>;
}

export function parseNm(body: string | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of (body ?? '').split('\n')) {
    const i = line.lastIndexOf(':');
    if (i <= 0) continue;
    const dev = line.slice(0, i).replace(/\\:/g, ':');
    const method = line.slice(i + 1).trim();
    if (dev && method) m.set(dev, method);
  }
  return m;
}

export function parseIfupdown(body: string | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of (body ?? '').split('\n')) {
    const r = /^\s*iface\s+(\S+)\s+inet\s+(\S+)/.exec(line);
    if (r && !m.has(r[1]!)) m.set(r[1]!, r[2]!);
  }
  return m;
}

export function parseDhcpClients(body: string | undefined): Set<string> {
  const s = new Set<string>();
  for (const line of (body ?? '').split('\n')) {
    const words = line.trim().split(/\s+/);
    const prog = (words[0] ?? '').split('/').pop() ?? '';
    if (!/^(dhclient|udhcpc|dhcpcd)$/.test(prog)) continue;
    let dev: string | null = null;
    for (let i = 1; i < words.length; i++) {
      const w = words[i]!;
      if (prog === 'udhcpc' && (w === '-i' || w === '--interface')) dev = words[i + 1] ?? null;
      else if (prog === 'udhcpc' && w.startsWith('--interface=')) dev = w.slice(12);
      else if (prog !== 'udhcpc' && !w.startsWith('-') && /^[A-Za-z0-9_.@-]+$/.test(w) && !/^\d+$/.test(w)) {
        const prev = words[i - 1] ?? '';
        // dhclient/dhcpcd options that take a value
        if (/^-(pf|lf|cf|sf|e|s|g|p|h|I|V|c|l|t|m|q)$/.test(prev)) continue;
        dev = w;
      }
    }
    s.add(dev ?? '*');
  }
  return s;
}

export function parseNetworkdLeases(body: string | undefined): Set<number> {
  const s = new Set<number>();
  for (const w of (body ?? '').split(/\s+/)) if (/^\d+$/.test(w)) s.add(Number(w));
  return s;
}

function dhcpEnabled(link: IpLink, addrs: GuestAddress[], h: DhcpHints): boolean | null {
  const dev = link.ifname ?? '';
  const nm = h.nm.get(dev);
  if (nm) return nm === 'auto';
  const ifu = h.ifupdown.get(dev);
  if (ifu) return ifu === 'dhcp';
  if (h.clients.has(dev) || (typeof link.ifindex === 'number' && h.networkdLeases.has(link.ifindex))) return true;
  if (addrs.some((a) => a.origin === 'dhcp')) return true;
  return null;
}

export function parseInterfaces(addrJson: unknown, hints: DhcpHints): GuestInterface[] {
  if (!Array.isArray(addrJson)) return [];
  const out: GuestInterface[] = [];
  for (const link of addrJson as IpLink[]) {
    if (!link || typeof link !== 'object') continue;
    if (link.link_type === 'loopback' || link.ifname === 'lo') continue;
    const infos = Array.isArray(link.addr_info) ? link.addr_info : [];
    const ipv4: GuestAddress[] = infos
      .filter((a) => a.family === 'inet' && typeof a.local === 'string')
      .map((a) => ({
        address: a.local!,
        prefix: Number(a.prefixlen ?? 32),
        origin: addressOrigin(a),
        validLifetimeSec: typeof a.valid_life_time === 'number' && a.valid_life_time < FOREVER ? a.valid_life_time : null,
      }));
    const v6 = infos.filter((a) => a.family === 'inet6' && typeof a.local === 'string');
    const flags = Array.isArray(link.flags) ? link.flags : [];
    const up = flags.includes('UP') && (link.operstate === 'UP' || (link.operstate === 'UNKNOWN' && flags.includes('LOWER_UP')));
    out.push({
      name: link.ifname ?? `if${link.ifindex ?? '?'}`,
      mac: normalizeMac(link.address) ?? (link.address ?? '').toLowerCase(),
      up,
      ipv4,
      ipv6LinkLocalOnly: ipv4.length === 0 && v6.length > 0 && v6.every((a) => /^fe[89ab]/i.test(a.local!)),
      dhcpEnabled: dhcpEnabled(link, ipv4, hints),
    });
  }
  return out;
}

export function parseDefaultGateway(routeJson: unknown): string | null {
  if (!Array.isArray(routeJson)) return null;
  const defaults = (routeJson as { dst?: string; gateway?: string; metric?: number }[])
    .filter((r) => r && r.dst === 'default' && typeof r.gateway === 'string')
    .sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0));
  return defaults[0]?.gateway ?? null;
}

export function parseResolvConf(text: string | undefined): { servers: string[]; search: string[] } {
  const servers: string[] = [];
  let search: string[] = [];
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [k, ...rest] = line.split(/\s+/);
    if (k === 'nameserver' && rest[0] && !servers.includes(rest[0])) servers.push(rest[0]);
    // The last search/domain line wins (resolv.conf(5)).
    else if (k === 'search' || k === 'domain') search = rest.filter((d) => d !== '.');
  }
  return { servers, search };
}

/** `resolvectl dns` / `resolvectl domain` (C locale): `Global: a b` and `Link 2 (enp1s0): a b`. */
export function parseResolvectl(text: string | undefined): { servers: string[]; search: string[] } {
  const servers: string[] = [];
  const search: string[] = [];
  for (const line of (text ?? '').split('\n')) {
    const m = /^(?:Global|Link \d+ \([^)]*\)):\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    for (const w of (m[1] ?? '').split(/\s+/).filter(Boolean)) {
      const v = w.replace(/#.*$/, '').replace(/^~/, '');
      if (/^[0-9a-fA-F:.]+(%\S+)?$/.test(v) && /[.:]/.test(v) && /\d/.test(v)) {
        if (!servers.includes(v)) servers.push(v);
      } else if (v && v !== '.' && !search.includes(v)) search.push(v);
    }
  }
  return { servers, search };
}

export function parseLinuxConfig(stdout: string): GuestConfig {
  const s = splitSections(stdout);
  const hints: DhcpHints = {
    nm: s.get('nm')?.rc === 0 ? parseNm(s.get('nm')?.body) : new Map(),
    ifupdown: parseIfupdown(s.get('ifupdown')?.body),
    clients: parseDhcpClients(s.get('procs')?.body),
    networkdLeases: parseNetworkdLeases(s.get('networkd')?.body),
  };
  const interfaces = parseInterfaces(tryJson(s.get('addr')?.body), hints);
  const defaultGateway = parseDefaultGateway(tryJson(s.get('route')?.body));
  const rc = parseResolvConf(s.get('resolv')?.body);
  let dnsServers = rc.servers;
  let dnsSearch = rc.search;
  const stub = dnsServers.length > 0 && dnsServers.every((x) => x === '127.0.0.53');
  if (stub) {
    const real = s.get('resolved')?.rc === 0 ? parseResolvConf(s.get('resolved')?.body) : { servers: [], search: [] };
    const rctl = parseResolvectl(s.get('resolvectl')?.body);
    dnsServers = real.servers.length > 0 ? real.servers : rctl.servers;
    if (dnsSearch.length === 0) dnsSearch = real.search.length > 0 ? real.search : rctl.search;
  }
  return { interfaces, defaultGateway, dnsServers, dnsSearch, firewallEnabled: null };
}

export function parseLinuxReach(stdout: string, targets: string[], scriptTimedOut: boolean): Reachability[] {
  const pings = new Map<number, number>();
  const addrs = new Map<number, string>();
  for (const line of stdout.split('\n')) {
    let m = /^@@LG-PING (\d+) (\d+)$/.exec(line);
    if (m) pings.set(Number(m[1]), Number(m[2]));
    m = /^@@LG-ADDR (\d+) ?(\S*)$/.exec(line);
    if (m) addrs.set(Number(m[1]), m[2] ?? '');
  }
  const sections = splitSections(stdout);
  const neigh = tryJson(sections.get('neigh')?.body);
  const neighOf = (ip: string): string | null => {
    if (!Array.isArray(neigh)) return null;
    const n = (neigh as { dst?: string; state?: string[] | string }[]).find((e) => e?.dst === ip);
    if (!n) return null;
    return Array.isArray(n.state) ? (n.state[0] ?? null) : (n.state ?? null);
  };
  return targets.map((target, i) => {
    const rc = pings.get(i);
    const addr = addrs.get(i) ?? (isIpv4(target) ? target : '');
    if (rc === 0) return { target, status: 'replied' as const };
    if (rc === 127) return { target, status: 'error' as const, detail: 'ping is not installed in the guest' };
    if (rc === undefined && (scriptTimedOut || !addrs.has(i))) {
      return { target, status: 'probe-timeout' as const, detail: 'the probe script did not finish' };
    }
    const route = sections.get(`route${i}`);
    const routeJson = tryJson(route?.body);
    const r0 = Array.isArray(routeJson) ? (routeJson[0] as { gateway?: string; type?: string } | undefined) : undefined;
    const noRoute = route ? route.rc !== 0 || /unreachable/i.test(route.body) : null;
    const gateway = r0?.gateway ?? null;
    const hop = gateway ?? addr;
    const raw = hop ? neighOf(hop) : null;
    const c = classifyReach({
      replied: false,
      timedOut: rc === 124 || rc === 143 || rc === 137,
      noRoute,
      gateway,
      neighbour: neighbourState(raw),
      rawNeighbour: raw,
      unresolvedName: !addr,
    });
    return c.detail ? { target, status: c.status, detail: c.detail } : { target, status: c.status };
  });
}

export function parseNslookup(text: string): { addresses: string[]; server: string | null; nxdomain: boolean; timeout: boolean } {
  const addresses: string[] = [];
  let server: string | null = null;
  let afterName = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const sm = /^Server:\s*(\S+)/.exec(line);
    if (sm && server === null) server = sm[1]!.replace(/#\d+$/, '');
    if (/^Name:/.test(line)) afterName = true;
    const am = /^Address(?:\s+\d+)?:\s*(\d+\.\d+\.\d+\.\d+)(?:[\s#:]|$)/.exec(line);
    if (am && afterName && !addresses.includes(am[1]!)) addresses.push(am[1]!);
  }
  return {
    addresses,
    server,
    nxdomain: /NXDOMAIN|can't find|can't resolve|not found/i.test(text),
    timeout: /timed out|no servers could be reached/i.test(text),
  };
}

export function parseLinuxResolve(stdout: string, name: string, timedOut: boolean): Resolution {
  const s = splitSections(stdout);
  const ns = (s.get('ns')?.body ?? '').split('\n').map((x) => x.trim()).filter(Boolean);
  const nsResolved = (s.get('nsresolved')?.body ?? '').split('\n').map((x) => x.trim()).filter(Boolean);
  const servers = ns.length > 0 && ns.every((x) => x === '127.0.0.53') && nsResolved.length > 0 ? nsResolved : ns;
  const server = servers[0] ?? null;
  const getent = s.get('getent');
  const nsl = s.get('nslookup');
  if (getent) {
    const addresses: string[] = [];
    for (const line of getent.body.split('\n')) {
      const a = line.trim().split(/\s+/)[0] ?? '';
      if (isIpv4(a) && !addresses.includes(a)) addresses.push(a);
    }
    if (getent.rc === 0 && addresses.length > 0) return { name, status: 'resolved', addresses, server };
    if (servers.length === 0) return { name, status: 'no-server', addresses: [], server: null };
    if (getent.rc === 124 || getent.rc === 143 || getent.rc === 137) return { name, status: 'timeout', addresses: [], server };
    if (getent.rc === 2) return { name, status: 'not-found', addresses: [], server };
    return { name, status: 'error', addresses: [], server };
  }
  if (nsl) {
    const p = parseNslookup(nsl.body);
    const srv = server ?? p.server;
    if (p.addresses.length > 0 && nsl.rc === 0) return { name, status: 'resolved', addresses: p.addresses, server: srv };
    if (servers.length === 0) return { name, status: 'no-server', addresses: [], server: null };
    if (nsl.rc === 124 || nsl.rc === 143 || nsl.rc === 137 || p.timeout) return { name, status: 'timeout', addresses: [], server: srv };
    if (p.nxdomain || nsl.rc === 1) return { name, status: 'not-found', addresses: [], server: srv };
    return { name, status: 'error', addresses: [], server: srv };
  }
  if (timedOut) return { name, status: 'timeout', addresses: [], server };
  return { name, status: 'error', addresses: [], server };
}

// ------------------------------------------------------------------ the prober

/** Slack added to a probe script's deadline over the probes' own bound (transport overhead). */
const SCRIPT_SLACK_MS = 8000;

export const linuxProber: GuestProber = {
  os: 'linux',

  async config(conn: Connection, ev: CommandEvidence[]): Promise<GuestConfig> {
    const r = await runProbe(
      conn,
      'ip -j addr; ip -j -4 route; cat /etc/resolv.conf; resolvectl dns; nmcli; /etc/network/interfaces; DHCP clients',
      LINUX_CONFIG_SCRIPT,
      [],
      { timeoutMs: 15_000 },
      ev,
    );
    return parseLinuxConfig(r.stdout);
  },

  async reach(conn, targets, timeoutMs, ev): Promise<Reachability[]> {
    const valid = assertTargets(targets, 'probe targets');
    if (valid.length === 0) return [];
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    const r = await runProbe(
      conn,
      `ping -c1 -W${seconds} ${valid.join(' ')} (in parallel); ip -j route get; ip -j neigh`,
      LINUX_REACH_SCRIPT,
      [String(seconds), ...valid],
      { timeoutMs: seconds * 1000 * 2 + SCRIPT_SLACK_MS },
      ev,
    );
    return parseLinuxReach(r.stdout, valid, r.timedOut);
  },

  async resolve(conn, name, timeoutMs, ev): Promise<Resolution> {
    const valid = assertTarget(name, 'resolve name');
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    const r = await runProbe(
      conn,
      `getent ahostsv4 ${valid} (or nslookup), bounded ${seconds}s`,
      LINUX_RESOLVE_SCRIPT,
      [valid, String(seconds)],
      { timeoutMs: seconds * 1000 + SCRIPT_SLACK_MS },
      ev,
    );
    return parseLinuxResolve(r.stdout, valid, r.timedOut);
  },
};
