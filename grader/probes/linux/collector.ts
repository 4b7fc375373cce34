// Linux prober: one constant, batched POSIX sh script per phase, `LC_ALL=C`, machine-readable
// output where the tool has it (`ip -j`; busybox `ip` text otherwise), exit codes, files; inputs as
// positional arguments. Every section goes through probes/measurement.ts: a failed command is
// recorded as "could not measure", never as an empty fact.
import type {
  AddressOrigin,
  CommandEvidence,
  CommandResult,
  PlannedScript,
  SurveyFacts,
  SurveyPart,
  SurveyRequest,
  Connection,
  GuestAddress,
  GuestConfig,
  GuestInterface,
  GuestProber,
  MeasurementError,
  Reachability,
  Resolution,
  ResolveStatus,
} from '../../types.js';
import { normalizeMac } from '../../libvirt/mac.js';
import { inSubnet } from '../../net/ipv4.js';
import { runProbe, tryJson } from '../evidence.js';
import { configOf, interpret, KILLED_CODES, reachFailed, reachOk, resolveFailed, resolveOk, scriptPart, sectionRun, splitSections, withoutParts, type Section, type ToolRun } from '../measurement.js';
import { classifyReach, neighbourState } from '../reach.js';
import { assertTarget, assertTargets, isIpv4 } from '../targets.js';
import { linuxRouterFacts } from './router.js';

// ------------------------------------------------------------------ scripts

/**
 * Shared prelude: C locale; the sbin directories on PATH (an unprivileged user's PATH lacks them,
 * and `ip` lives there); `has`/`bb` find a program or a busybox applet; `pick` prints how to run
 * the tool it chose: the absolute path `command -v` found (the tool chosen is the tool run: under
 * a busybox `timeout` with preferred applets, a bare `ping` would be busybox's own applet, not the
 * iputils ping found on PATH), else `/path/to/busybox APPLET`; `sec` runs one section, streaming
 * its stdout and keeping its stderr apart, so a failed command is told from its output.
 */
export const LINUX_PRELUDE = String.raw`export LC_ALL=C
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin; export PATH
has() { command -v "$1" >/dev/null 2>&1; }
bb() { has busybox && busybox --list 2>/dev/null | grep -qx "$1"; }
pick() { command -v "$1" 2>/dev/null && return; bb "$1" || return; _w=$(command -v busybox); case $_w in /*) ;; *) _w=busybox ;; esac; printf '%s %s' "$_w" "$1"; }
sec() { _n=$1; shift; printf '@@LG-BEGIN %s\n' "$_n"; { _e=$( { "$@"; } 2>&1 1>&3 3>&- ); _r=$?; } 3>&1; printf '\n@@LG-ERR %s\n%s\n@@LG-END %s %s\n' "$_n" "$_e" "$_n" "$_r"; }
missing() { printf '%s: not found\n' "$1" >&2; return 127; }
stub() { [ -r /etc/resolv.conf ] || return 1; while read -r _k _v _x || [ -n "$_k" ]; do [ "$_k" = nameserver ] && [ "$_v" = 127.0.0.53 ] && return 0; done < /etc/resolv.conf; return 1; }
IP=$(pick ip)
ipaddr() { [ -n "$IP" ] || missing ip || return; $IP -j addr show 2>/dev/null || $IP addr show; }
`;

/** The configuration sections, as the function `config_all` (run alone, or beside the probes). */
const CONFIG_FUNCS = String.raw`iproute() { [ -n "$IP" ] || missing ip || return; $IP -j -4 route show 2>/dev/null || $IP -4 route show; }
nm() {
  has nmcli || return 127
  nmcli -t -f UUID,DEVICE connection show --active | while IFS=: read -r u d; do
    [ "$d" = lo ] && continue
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
resolved() { stub || return 3; cat /run/systemd/resolve/resolv.conf; }
resolvectl_dns() { stub || return 3; has resolvectl || missing resolvectl || return; resolvectl dns && resolvectl domain; }
# Addresses and routes from ONE ip process (each ip start is ~50 ms on an emulated guest): two
# JSON lines, or nothing (busybox ip, an ip without -batch or -j) and then one ip call each.
ipboth() {
  [ -n "$IP" ] || return 1
  _ar=$($IP -j -batch - 2>/dev/null <<'LGEOF'
addr show
route show
LGEOF
) || return 1
  { read -r _ia; read -r _ir; } <<LGEOF
$_ar
LGEOF
  case $_ia in '['*']') ;; *) return 1 ;; esac
  case $_ir in '['*']') ;; *) return 1 ;; esac
}
config_all() {
  if ipboth; then sec addr printf '%s\n' "$_ia"; sec route printf '%s\n' "$_ir"
  else sec addr ipaddr; sec route iproute; fi
  sec proute cat /proc/net/route
  sec resolv cat /etc/resolv.conf
  sec resolved resolved
  sec resolvectl resolvectl_dns
  sec nm nm
  sec ifupdown ifupdown
  sec procs procs
  sec networkd networkd
}
`;

/**
 * `bounded SECONDS cmd...`: cmd under coreutils or busybox timeout (old busybox wants -t), run by
 * the path `pick` found; plain when there is none (ping -W and the script's deadline still bound it).
 */
const BOUNDED = String.raw`to=
_T=$(pick timeout)
if [ -n "$_T" ]; then
  if $_T 1 true 2>/dev/null; then to=$_T; elif $_T -t 1 true 2>/dev/null; then to="$_T -t"; fi
fi
bounded() { _s=$1; shift; if [ -n "$to" ]; then $to "$_s" "$@"; else "$@"; fi; }
`;

/**
 * `lookup NAME SECONDS`: the configured servers, then IPv4 only, with the first tool present:
 * getent ahostsv4, nslookup -type=a (busybox or bind), host -t A, resolvectl query -4, dig +short A.
 */
const LOOKUP_FUNCS = String.raw`ns() { [ -r "$1" ] || { printf '%s: No such file or directory\n' "$1" >&2; return 2; }; while read -r _k _v _x || [ -n "$_k" ]; do [ "$_k" = nameserver ] && [ -n "$_v" ] && printf '%s\n' "$_v"; done < "$1"; return 0; }
lookup() {
  sec ns ns /etc/resolv.conf
  if stub; then
    sec nsresolved ns /run/systemd/resolve/resolv.conf
    if has resolvectl; then sec nsresolvectl resolvectl dns; fi
  fi
  if T=$(pick getent) && [ -n "$T" ]; then sec getent bounded "$2" $T ahostsv4 "$1"
  elif T=$(pick nslookup) && [ -n "$T" ]; then sec nslookup bounded "$2" $T -type=a "$1"
  elif has host; then sec host bounded "$2" host -t A "$1"
  elif has resolvectl; then sec resolvectl bounded "$2" resolvectl query -4 --legend=no "$1"
  elif has dig; then sec dig bounded "$2" dig +short A "$1"
  else printf '@@LG-TOOL lookup none\n'
  fi
}
`;

/**
 * `pings TARGET...` ($t = seconds): every ping at once, each printing its whole block with one
 * write (a reply printed before a bound counts; an error is not a silence). Only a ping without a
 * reply looks its name and route up (`ip route get`, else /proc), and only then is the neighbour
 * table read once: a lab whose pings all reply pays for no `ip` call. A ping to an address is
 * bounded by its own -W (no `timeout` process: every exec costs tens of ms on an emulated guest);
 * a name goes under `bounded`, since its lookup has no bound of its own. The block is flattened
 * to one line by the shell's own word splitting (no `tr` process).
 */
const PING_FUNCS = String.raw`ping_one() {
  _i=$1; _h=$2
  case $_h in
    *[!0-9.]*) _o=$(bounded $((t + 2)) $P -c 1 -W "$t" "$_h" 2>&1); _r=$? ;;
    *) _o=$($P -c 1 -W "$t" "$_h" 2>&1); _r=$? ;;
  esac
  set -f; IFS=' 	
'; set -- $_o; IFS=' '; _o="$*"; unset IFS
  _b=$(printf '@@LG-PING %s %s %.400s' "$_i" "$_r" "$_o")
  if [ "$_r" != 0 ]; then
    _a=$_h
    case $_h in
      *[!0-9.]*) _a=; if [ -n "$G" ]; then _a=$($G ahostsv4 "$_h" 2>/dev/null | awk 'NR==1{print $1}'); fi ;;
    esac
    _b="$_b
@@LG-ADDR $_i $_a"
    if [ -n "$_a" ] && [ -n "$IP" ]; then _b="$_b
$(sec "route$_i" $IP -4 route get "$_a")"; fi
  fi
  printf '%s\n' "$_b"
  return "$_r"
}
pings() {
  printf '@@LG-TOOL ping %s\n@@LG-TOOL ip %s\n' "$P" "$IP"
  [ -n "$P" ] || return 0
  _p=; _i=0
  for _h in "$@"; do ping_one "$_i" "$_h" & _p="$_p $!"; _i=$((_i + 1)); done
  _f=0
  for _x in $_p; do wait "$_x" || _f=1; done
  [ "$_f" = 0 ] && return 0
  # Whether an unprivileged ICMP socket is allowed to this user's groups: a denied ping's fix depends on it.
  printf '@@LG-PGR %s | %s\n' "$(cat /proc/sys/net/ipv4/ping_group_range 2>/dev/null)" "$(id -G 2>/dev/null)"
  _b=$(if [ -n "$IP" ]; then sec neigh $IP -4 neigh show; else sec proute cat /proc/net/route; fi; sec arp cat /proc/net/arp)
  printf '%s\n' "$_b"
}
P=$(pick ping)
G=$(pick getent)
`;

/** Everything about the configuration, in one round trip. */
export const LINUX_CONFIG_SCRIPT = LINUX_PRELUDE + CONFIG_FUNCS + 'config_all\n';

/** Reads the addresses only: the identity check (is this address really this VM?). */
export const LINUX_IDENTITY_SCRIPT = LINUX_PRELUDE + 'sec addr ipaddr\n';

/** $1 = timeout in whole seconds, then the targets (see `pings`). */
export const LINUX_REACH_SCRIPT = LINUX_PRELUDE + BOUNDED + PING_FUNCS + 't=$1; shift\npings "$@"\n';

/** $1 = name, $2 = timeout in whole seconds (see `lookup`). */
export const LINUX_RESOLVE_SCRIPT = LINUX_PRELUDE + BOUNDED + LOOKUP_FUNCS + 'lookup "$1" "$2"\n';

/**
 * $1 = name, $2 = timeout in whole seconds, then the targets known in advance: the configuration,
 * the lookup and the pings in ONE round trip, side by side. The configuration streams as it is read
 * (what was printed before a cut still counts); the lookup and the pings are gathered meanwhile and
 * printed after it, so no two writers share stdout. Parts are fenced with @@LG-PART markers.
 */
export const LINUX_SURVEY_SCRIPT = LINUX_PRELUDE + CONFIG_FUNCS + BOUNDED + LOOKUP_FUNCS + PING_FUNCS + String.raw`n=$1; t=$2; shift 2
{ printf '@@LG-PART-BEGIN config\n'; config_all; printf '@@LG-PART-END config\n'; } &
_c=$!
_probes=$(
  { _l=$(lookup "$n" "$t"); printf '@@LG-PART-BEGIN lookup\n%s\n@@LG-PART-END lookup\n' "$_l"; } &
  pings "$@"
  wait
)
wait "$_c"
printf '%s\n' "$_probes"
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
export interface IpLink {
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

/**
 * `ip addr show` text (busybox `ip` has no `-j`; iproute2 prints the same shape) as the JSON
 * objects `ip -j` gives. Returns undefined when the text is not `ip addr` output.
 */
export function parseIpAddrText(text: string): IpLink[] | undefined {
  const links: IpLink[] = [];
  let cur: IpLink | null = null;
  let last: IpAddrInfo | null = null;
  for (const raw of text.split('\n')) {
    const head = /^(\d+):\s+([^:\s@]+)(?:@[^:\s]+)?:\s+<([^>]*)>(.*)$/.exec(raw);
    if (head) {
      const state = /\bstate\s+(\S+)/.exec(head[4] ?? '');
      cur = { ifindex: Number(head[1]), ifname: head[2]!, flags: (head[3] ?? '').split(',').filter(Boolean), operstate: state ? state[1]! : 'UNKNOWN', addr_info: [] };
      links.push(cur);
      last = null;
      continue;
    }
    if (!cur) continue;
    const line = raw.trim();
    const link = /^link\/(\S+)(?:\s+(\S+))?/.exec(line);
    if (link) {
      cur.link_type = link[1]!;
      if (link[2]) cur.address = link[2];
      continue;
    }
    const inet = /^(inet6?)\s+([0-9a-fA-F.:]+)(?:\/(\d+))?(.*)$/.exec(line);
    if (inet) {
      const words = (inet[4] ?? '').split(/\s+/);
      const si = words.indexOf('scope');
      last = {
        family: inet[1]!,
        local: inet[2]!,
        prefixlen: Number(inet[3] ?? (inet[1] === 'inet' ? 32 : 128)),
        ...(words.includes('dynamic') ? { dynamic: true } : {}),
        ...(si >= 0 && words[si + 1] ? { scope: words[si + 1]! } : {}),
      };
      cur.addr_info!.push(last);
      continue;
    }
    const lft = /^valid_lft\s+(forever|(\d+)sec)/.exec(line);
    if (lft && last) last.valid_life_time = lft[1] === 'forever' ? FOREVER : Number(lft[2]);
  }
  return links.length > 0 ? links : undefined;
}

/** `ip -j addr` JSON, else `ip addr` text; undefined when neither. */
export function parseIpAddr(body: string): IpLink[] | undefined {
  const j = tryJson(body);
  if (Array.isArray(j)) return j as IpLink[];
  return parseIpAddrText(body);
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

export const NO_HINTS: DhcpHints = { nm: new Map(), ifupdown: new Map(), clients: new Set(), networkdLeases: new Set() };

export function parseNm(body: string | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of (body ?? '').split('\n')) {
    const i = line.lastIndexOf(':');
    if (i <= 0) continue;
    const dev = line.slice(0, i).replace(/\\:/g, ':');
    const method = line.slice(i + 1).trim();
    // NetworkManager lists the loopback connection as `manual`: it says nothing about the NICs.
    if (dev && dev !== 'lo' && method) m.set(dev, method);
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

/** What the configuration sources say about DHCP on a device (null: none of them knows it). */
function configuredDhcp(link: IpLink, h: DhcpHints): boolean | null {
  const dev = link.ifname ?? '';
  const nm = h.nm.get(dev);
  if (nm) return nm === 'auto';
  const ifu = h.ifupdown.get(dev);
  if (ifu) return ifu === 'dhcp';
  if (h.clients.has(dev) || (typeof link.ifindex === 'number' && h.networkdLeases.has(link.ifindex))) return true;
  return null;
}

export function parseInterfaces(addrJson: unknown, hints: DhcpHints): GuestInterface[] {
  if (!Array.isArray(addrJson)) return [];
  const out: GuestInterface[] = [];
  for (const link of addrJson as IpLink[]) {
    if (!link || typeof link !== 'object') continue;
    if (link.link_type === 'loopback' || link.ifname === 'lo') continue;
    const infos = Array.isArray(link.addr_info) ? link.addr_info : [];
    const configured = configuredDhcp(link, hints);
    const ipv4: GuestAddress[] = infos
      .filter((a) => a.family === 'inet' && typeof a.local === 'string')
      .map((a) => {
        let origin = addressOrigin(a);
        // udhcpc's and some dhclient scripts add the leased address without a lifetime: the
        // configured method, when a source states it, says where a "forever" address came from.
        if (origin === 'static' && configured === true) origin = 'dhcp';
        return {
          address: a.local!,
          prefix: Number(a.prefixlen ?? 32),
          origin,
          validLifetimeSec: typeof a.valid_life_time === 'number' && a.valid_life_time < FOREVER ? a.valid_life_time : null,
        };
      });
    const v6 = infos.filter((a) => a.family === 'inet6' && typeof a.local === 'string');
    const flags = Array.isArray(link.flags) ? link.flags : [];
    const up = flags.includes('UP') && (link.operstate === 'UP' || (link.operstate === 'UNKNOWN' && flags.includes('LOWER_UP')));
    out.push({
      name: link.ifname ?? `if${link.ifindex ?? '?'}`,
      mac: normalizeMac(link.address) ?? (link.address ?? '').toLowerCase(),
      up,
      ipv4,
      ipv6LinkLocalOnly: ipv4.length === 0 && v6.length > 0 && v6.every((a) => /^fe[89ab]/i.test(a.local!)),
      dhcpEnabled: configured ?? (ipv4.some((a) => a.origin === 'dhcp') ? true : null),
    });
  }
  return out;
}

interface RouteRow {
  dst?: string;
  gateway?: string;
  metric?: number;
}

/** `ip -j -4 route` JSON or `ip -4 route` text (busybox) as rows; undefined when neither. */
export function parseRoutes(body: string): RouteRow[] | undefined {
  const j = tryJson(body);
  if (Array.isArray(j)) return j as RouteRow[];
  const rows: RouteRow[] = [];
  for (const line of body.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (!w[0]) continue;
    if (!/^(default|\d+\.\d+\.\d+\.\d+(\/\d+)?|unreachable|blackhole|prohibit|local|broadcast)$/.test(w[0])) return undefined;
    const row: RouteRow = { dst: w[0] };
    const via = w.indexOf('via');
    if (via >= 0 && w[via + 1]) row.gateway = w[via + 1]!;
    const m = w.indexOf('metric');
    if (m >= 0 && w[m + 1]) row.metric = Number(w[m + 1]);
    rows.push(row);
  }
  // Nothing at all proves nothing (an empty table is only a fact with a clean exit: see the caller).
  return rows.length > 0 ? rows : undefined;
}

function hexIp(h: string): string | null {
  if (!/^[0-9A-Fa-f]{8}$/.test(h)) return null;
  const n = Number.parseInt(h, 16);
  // /proc/net/route stores addresses in host (little-endian) byte order.
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join('.');
}

/** /proc/net/route (readable by anyone, no tool needed) as route rows. */
export function parseProcRoute(body: string): RouteRow[] | undefined {
  const lines = body.split('\n').filter((l) => l.trim());
  if (!/^Iface\s+Destination\s+Gateway/.test(lines[0] ?? '')) return undefined;
  const rows: RouteRow[] = [];
  for (const l of lines.slice(1)) {
    const c = l.trim().split(/\s+/);
    const dst = hexIp(c[1] ?? '');
    const gw = hexIp(c[2] ?? '');
    const mask = hexIp(c[7] ?? '');
    if (!dst || !gw || !mask) continue;
    const prefix = mask.split('.').reduce((n, o) => n + (Number(o).toString(2).match(/1/g)?.length ?? 0), 0);
    rows.push({
      dst: dst === '0.0.0.0' && prefix === 0 ? 'default' : `${dst}/${prefix}`,
      ...(gw !== '0.0.0.0' ? { gateway: gw } : {}),
      metric: Number(c[6] ?? 0),
    });
  }
  return rows;
}

export function parseDefaultGateway(routeJson: unknown): string | null {
  if (!Array.isArray(routeJson)) return null;
  const defaults = (routeJson as RouteRow[])
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

const ok = <T>(v: T) => ({ ok: true as const, value: v });

/**
 * The configuration from the config script's sections. A part whose command failed is "could not
 * measure" (with the command, the cause and the guest's own words), never an empty value.
 */
export function parseLinuxConfig(stdout: string, guest = 'guest', scriptCut = false): GuestConfig {
  const s = splitSections(stdout);
  const run = (name: string, command: string, tool: string) => sectionRun(s, name, command, tool, scriptCut);
  const errors: Partial<Record<'interfaces' | 'gateway' | 'dns', MeasurementError>> = {};
  const hints: DhcpHints = {
    nm: s.get('nm')?.rc === 0 ? parseNm(s.get('nm')?.body) : new Map(),
    ifupdown: parseIfupdown(s.get('ifupdown')?.body),
    clients: parseDhcpClients(s.get('procs')?.body),
    networkdLeases: parseNetworkdLeases(s.get('networkd')?.body),
  };

  // Addresses and interfaces.
  let interfaces: GuestInterface[] = [];
  const addrRun = run('addr', 'ip -j addr show', 'ip');
  const addr = addrRun ? interpret(addrRun, guest, { parse: (r) => parseIpAddr(r.stdout) }) : { ok: false as const, error: notRun('ip -j addr show', 'ip', guest) };
  if (addr.ok) interfaces = parseInterfaces(addr.value, hints);
  else errors.interfaces = addr.error;

  // Default gateway: `ip route`, else /proc/net/route (no tool needed).
  let defaultGateway: string | null = null;
  const routeRun = run('route', 'ip -j -4 route show', 'ip');
  const routeParse = (r: ToolRun) => (r.rc === 0 && !r.stdout.trim() ? [] : parseRoutes(r.stdout));
  let route = routeRun ? interpret(routeRun, guest, { parse: routeParse }) : { ok: false as const, error: notRun('ip -j -4 route show', 'ip', guest) };
  if (!route.ok) {
    const p = run('proute', 'cat /proc/net/route', 'cat');
    const alt = p ? interpret(p, guest, { parse: (r) => parseProcRoute(r.stdout) }) : null;
    if (alt?.ok) route = alt;
  }
  if (route.ok) defaultGateway = parseDefaultGateway(route.value);
  else errors.gateway = route.error;

  // DNS: /etc/resolv.conf; behind systemd-resolved's stub, its upstream list or `resolvectl dns`.
  let dnsServers: string[] = [];
  let dnsSearch: string[] = [];
  const resolvRun = run('resolv', 'cat /etc/resolv.conf', 'cat');
  const resolv = resolvRun
    ? interpret(resolvRun, guest, {
        // No resolv.conf at all is a fact: no DNS server configured.
        parse: (r) => (r.rc === 0 || (r.rc === 1 && /No such file/i.test(r.stderr)) ? parseResolvConf(r.stdout) : undefined),
      })
    : { ok: false as const, error: notRun('cat /etc/resolv.conf', 'cat', guest) };
  if (!resolv.ok) errors.dns = resolv.error;
  else {
    dnsServers = resolv.value.servers;
    dnsSearch = resolv.value.search;
    const stub = dnsServers.length > 0 && dnsServers.every((x) => x === '127.0.0.53');
    if (stub) {
      const fileRun = run('resolved', 'cat /run/systemd/resolve/resolv.conf', 'cat');
      const file = fileRun ? interpret(fileRun, guest, { parse: (r) => (r.rc === 0 ? parseResolvConf(r.stdout) : undefined) }) : null;
      const ctlRun = run('resolvectl', 'resolvectl dns; resolvectl domain', 'resolvectl');
      const ctl = ctlRun ? interpret(ctlRun, guest, { parse: (r) => (r.rc === 0 ? parseResolvectl(r.stdout) : undefined) }) : null;
      const real = file?.ok && file.value.servers.length > 0 ? file.value : ctl?.ok ? ctl.value : file?.ok ? file.value : null;
      if (real) {
        dnsServers = real.servers;
        if (dnsSearch.length === 0) dnsSearch = real.search.length > 0 ? real.search : ctl?.ok ? ctl.value.search : [];
      } else {
        dnsServers = [];
        const e = (ctl && !ctl.ok ? ctl.error : null) ?? (file && !file.ok ? file.error : null) ?? notRun('resolvectl dns', 'resolvectl', guest);
        errors.dns = e;
      }
    }
  }
  return configOf({ interfaces, defaultGateway, dnsServers, dnsSearch, firewallEnabled: null }, errors);
}

function notRun(command: string, tool: string, guest: string): MeasurementError {
  return { command, guest, tool, cause: 'unparseable', detail: 'no output for this command', exitCode: null };
}

/** `ip route get` JSON or text: next hop, or that there is no route. */
export function parseRouteGet(sec: Section | undefined): { noRoute: boolean | null; gateway: string | null } {
  if (!sec || sec.rc === null) return { noRoute: null, gateway: null };
  const all = `${sec.body}\n${sec.stderr}`;
  if (/unreachable|no route/i.test(all)) return { noRoute: true, gateway: null };
  if (sec.rc !== 0) return { noRoute: null, gateway: null };
  const j = tryJson(sec.body);
  if (Array.isArray(j)) {
    const r0 = j[0] as { gateway?: string; type?: string } | undefined;
    return { noRoute: r0?.type === 'unreachable' ? true : false, gateway: r0?.gateway ?? null };
  }
  const w = sec.body.trim().split(/\s+/);
  if (w[0] === 'unreachable') return { noRoute: true, gateway: null };
  const via = w.indexOf('via');
  return { noRoute: false, gateway: via >= 0 ? (w[via + 1] ?? null) : null };
}

/** Neighbour states by address from `ip neigh` (JSON or text), else /proc/net/arp. */
export function parseNeighbours(neigh: Section | undefined, arp: Section | undefined): Map<string, string> {
  const m = new Map<string, string>();
  if (neigh && neigh.rc === 0) {
    const j = tryJson(neigh.body);
    if (Array.isArray(j)) {
      for (const e of j as { dst?: string; state?: string[] | string }[]) {
        const st = Array.isArray(e?.state) ? e.state[0] : e?.state;
        if (e?.dst && st) m.set(e.dst, st);
      }
    } else {
      for (const line of neigh.body.split('\n')) {
        const w = line.trim().split(/\s+/);
        const st = [...w].reverse().find((x) => /^[A-Z]+$/.test(x));
        if (w[0] && /^\d+\.\d+\.\d+\.\d+$/.test(w[0]) && st) m.set(w[0], st);
      }
    }
  }
  if (arp && arp.rc === 0) {
    for (const line of arp.body.split('\n').slice(1)) {
      const c = line.trim().split(/\s+/);
      if (!c[0] || !/^\d+\.\d+\.\d+\.\d+$/.test(c[0]) || m.has(c[0])) continue;
      // ATF_COM (0x2): the entry is complete (the neighbour answered ARP).
      m.set(c[0], (Number.parseInt(c[2] ?? '0', 16) & 2) !== 0 ? 'REACHABLE' : 'INCOMPLETE');
    }
  }
  return m;
}

/** Longest-prefix match in route rows (when `ip route get` is not available). */
function routeFor(rows: RouteRow[], ip: string): { noRoute: boolean; gateway: string | null } {
  let best: { len: number; gw: string | null } | null = null;
  for (const r of rows) {
    const [net, len] = r.dst === 'default' ? ['0.0.0.0', 0] : [r.dst?.split('/')[0] ?? '', Number(r.dst?.split('/')[1] ?? 32)];
    if (!isIpv4(net)) continue;
    if (inSubnet(ip, net, len) && (!best || len > best.len)) best = { len, gw: r.gateway ?? null };
  }
  return best ? { noRoute: false, gateway: best.gw } : { noRoute: true, gateway: null };
}

interface PingFacts {
  replied: boolean;
  /** `connect: Network is unreachable`. */
  unreachable: boolean;
  /** Killed at the bound while running. */
  timedOut: boolean;
  /** The address ping printed for a name (`PING www.x (1.2.3.4)`). */
  address: string | null;
}

/** What a ping's own output proves (a reply printed before a bound counts); undefined = nothing. */
export function parsePing(run: ToolRun): PingFacts | undefined {
  const out = `${run.stdout}\n${run.stderr}`;
  const am = /PING\s+\S+\s+\((\d+\.\d+\.\d+\.\d+)\)/.exec(out);
  const base = { timedOut: false, address: am ? am[1]! : null };
  if (/bytes from/i.test(out) || run.rc === 0) return { ...base, replied: true, unreachable: false };
  if (/Network is unreachable|No route to host/i.test(out)) return { ...base, replied: false, unreachable: true };
  // The statistics line: ping ran to the end and got no reply (iputils exit 1; busybox exit 1).
  if (/packets transmitted/i.test(out) && run.rc === 1) return { ...base, replied: false, unreachable: false };
  return undefined;
}

/**
 * `@@LG-PGR LOW HIGH | GID...` (printed when a ping failed): is an unprivileged ICMP socket allowed
 * to one of the user's groups? undefined when the file or the groups could not be read.
 */
export function parsePingGroupRange(stdout: string): { range: string; userInRange: boolean } | undefined {
  const m = /^@@LG-PGR[ \t]+(\d+)[ \t]+(\d+)[ \t]*\|[ \t]*([\d \t]+)$/m.exec(stdout);
  if (!m) return undefined;
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  const groups = m[3]!.trim().split(/\s+/).map(Number);
  return { range: `${lo} ${hi}`, userInRange: groups.some((g) => g >= lo && g <= hi) };
}

export function parseLinuxReach(stdout: string, targets: string[], scriptTimedOut: boolean, guest = 'guest', seconds = 1): Reachability[] {
  const pgr = parsePingGroupRange(stdout);
  const pings = new Map<number, { rc: number; out: string }>();
  const addrs = new Map<number, string>();
  const tools = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    let m = /^@@LG-PING (\d+) (\d+)(?: (.*))?$/.exec(line);
    if (m) pings.set(Number(m[1]), { rc: Number(m[2]), out: m[3] ?? '' });
    m = /^@@LG-ADDR (\d+) ?(\S*)$/.exec(line);
    if (m) addrs.set(Number(m[1]), m[2] ?? '');
    m = /^@@LG-TOOL (\S+) ?(.*)$/.exec(line);
    if (m) tools.set(m[1]!, (m[2] ?? '').trim());
  }
  const sections = splitSections(stdout);
  const neigh = parseNeighbours(sections.get('neigh'), sections.get('arp'));
  const procRoutes = sections.get('proute')?.rc === 0 ? parseProcRoute(sections.get('proute')!.body) : undefined;
  const pingTool = tools.get('ping') || 'ping';
  return targets.map((target, i): Reachability => {
    const command = `${pingTool} -c 1 -W ${seconds} ${target}`;
    const p = pings.get(i);
    let run: ToolRun;
    if (tools.has('ping') && tools.get('ping') === '') {
      run = { command: `ping -c 1 -W ${seconds} ${target}`, tool: 'ping', rc: 127, stdout: '', stderr: 'ping: not found', killed: false };
    } else if (!p) {
      // Never reported: the script was cut off before this ping ended (not a silence we saw).
      const error: MeasurementError = { command, guest, tool: 'ping', cause: scriptTimedOut ? 'cut-off' : 'unparseable', detail: 'the probe script did not report this ping', exitCode: null };
      return reachFailed(target, error);
    } else {
      run = { command, tool: 'ping', rc: p.rc, stdout: p.out, stderr: p.out, killed: KILLED_CODES.has(p.rc) };
    }
    const m = interpret(run, guest, {
      parse: parsePing,
      silence: (): PingFacts => ({ replied: false, unreachable: false, timedOut: true, address: null }),
    });
    if (!m.ok) {
      const error = m.error.cause === 'permission-denied' && pgr ? { ...m.error, pingGroupRange: pgr } : m.error;
      return reachFailed(target, error);
    }
    const f = m.value;
    if (f.replied) return reachOk(target, 'replied');
    const addr = addrs.get(i) || f.address || (isIpv4(target) ? target : '');
    const rg = parseRouteGet(sections.get(`route${i}`));
    const viaProc = addr && !sections.has(`route${i}`) && procRoutes ? routeFor(procRoutes, addr) : null;
    const gateway = rg.gateway ?? viaProc?.gateway ?? null;
    const noRoute = f.unreachable ? true : (rg.noRoute ?? viaProc?.noRoute ?? null);
    const hop = gateway ?? addr;
    const raw = hop ? (neigh.get(hop) ?? null) : null;
    const c = classifyReach({
      replied: false,
      // A ping killed at its bound is the silence it exists to detect: "no reply", not a failure.
      timedOut: false,
      noRoute,
      gateway,
      neighbour: neighbourState(raw),
      rawNeighbour: raw,
      unresolvedName: !addr,
    });
    if (c.status === 'error' || c.status === 'probe-timeout') {
      const error: MeasurementError = { command, guest, tool: 'ping', cause: c.status === 'error' ? 'failed' : 'cut-off', detail: c.detail ?? 'name-not-resolved', exitCode: p?.rc ?? null };
      return reachFailed(target, error);
    }
    return reachOk(target, c.status, c.detail);
  });
}

export function parseNslookup(text: string): { addresses: string[]; server: string | null; nxdomain: boolean; timeout: boolean; noAnswer: boolean } {
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
    nxdomain: /NXDOMAIN|can't find|can't resolve/i.test(text),
    timeout: /timed out|no servers could be reached|connection refused/i.test(text),
    noAnswer: /No answer|Non-authoritative answer:\s*$/i.test(text.trim()),
  };
}

type Lookup = { status: Exclude<ResolveStatus, 'error'>; addresses: string[]; server?: string | null };

const IPV4_TOKEN = /(?<![\d.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?![\d.])/g;

/** Per lookup tool: what its output proves (addresses, or a "no" it stated). undefined = nothing. */
export const LOOKUP_PARSERS: Record<string, (r: ToolRun, name: string) => Lookup | undefined> = {
  getent(r) {
    const addresses: string[] = [];
    for (const line of r.stdout.split('\n')) {
      const a = line.trim().split(/\s+/)[0] ?? '';
      if (isIpv4(a) && !addresses.includes(a)) addresses.push(a);
    }
    if (addresses.length > 0) return { status: 'resolved', addresses };
    // getent: 2 = the key was not found (the resolver answered no, or gave up).
    if (r.rc === 2) return { status: 'not-found', addresses: [] };
    return undefined;
  },
  nslookup(r) {
    const p = parseNslookup(`${r.stdout}\n${r.stderr}`);
    if (p.addresses.length > 0) return { status: 'resolved', addresses: p.addresses, server: p.server };
    if (p.nxdomain) return { status: 'not-found', addresses: [], server: p.server };
    if (p.timeout) return { status: 'timeout', addresses: [], server: p.server };
    if (p.noAnswer && r.rc !== null) return { status: 'not-found', addresses: [], server: p.server };
    return undefined;
  },
  host(r) {
    const addresses = [...r.stdout.matchAll(/has address (\d+\.\d+\.\d+\.\d+)/g)].map((m) => m[1]!);
    if (addresses.length > 0) return { status: 'resolved', addresses: [...new Set(addresses)] };
    const all = `${r.stdout}\n${r.stderr}`;
    if (/timed out|no servers could be reached/i.test(all)) return { status: 'timeout', addresses: [] };
    if (/not found: \d|NXDOMAIN|has no A record/i.test(all)) return { status: 'not-found', addresses: [] };
    return undefined;
  },
  resolvectl(r, name) {
    const addresses: string[] = [];
    for (const line of r.stdout.split('\n')) {
      if (/^\s*--/.test(line)) continue;
      for (const m of line.replace(name, '').matchAll(IPV4_TOKEN)) if (isIpv4(m[1]!) && !addresses.includes(m[1]!)) addresses.push(m[1]!);
    }
    if (addresses.length > 0) return { status: 'resolved', addresses };
    const all = `${r.stdout}\n${r.stderr}`;
    if (/All attempts to contact name servers|timed out|Timeout/i.test(all)) return { status: 'timeout', addresses: [] };
    if (/No appropriate name servers/i.test(all)) return { status: 'no-server', addresses: [] };
    if (/'[^']*' not found|does not have any RR|NXDOMAIN|No such/i.test(all) && /resolve call failed/i.test(all)) return { status: 'not-found', addresses: [] };
    return undefined;
  },
  dig(r) {
    const lines = r.stdout.split('\n').map((x) => x.trim()).filter(Boolean);
    const addresses = lines.filter((x) => isIpv4(x));
    if (addresses.length > 0) return { status: 'resolved', addresses: [...new Set(addresses)] };
    if (/timed out|no servers could be reached/i.test(`${r.stdout}\n${r.stderr}`)) return { status: 'timeout', addresses: [] };
    // +short prints nothing for NXDOMAIN or no A record; only a clean exit says so.
    if (r.rc === 0 && lines.every((x) => /\.$/.test(x))) return { status: 'not-found', addresses: [] };
    return undefined;
  },
};

export const LOOKUP_COMMANDS: Record<string, (name: string) => string> = {
  getent: (n) => `getent ahostsv4 ${n}`,
  nslookup: (n) => `nslookup -type=a ${n}`,
  host: (n) => `host -t A ${n}`,
  resolvectl: (n) => `resolvectl query -4 ${n}`,
  dig: (n) => `dig +short A ${n}`,
};

export function parseLinuxResolve(stdout: string, name: string, timedOut: boolean, guest = 'guest'): Resolution {
  const s = splitSections(stdout);
  const lines = (x: Section | undefined) => (x?.body ?? '').split('\n').map((v) => v.trim()).filter(Boolean);
  const ns = lines(s.get('ns'));
  const stub = ns.length > 0 && ns.every((x) => x === '127.0.0.53');
  const upstream = lines(s.get('nsresolved'));
  const ctl = s.get('nsresolvectl')?.rc === 0 ? parseResolvectl(s.get('nsresolvectl')?.body).servers.filter(isIpv4) : [];
  const servers = stub ? (upstream.length > 0 ? upstream : ctl.length > 0 ? ctl : ns) : ns;
  const server = servers[0] ?? null;
  const tool = Object.keys(LOOKUP_PARSERS).find((k) => s.has(k));
  if (!tool) {
    const none = /^@@LG-TOOL lookup none$/m.test(stdout);
    const error: MeasurementError = none
      ? { command: 'getent | nslookup | host | resolvectl | dig', guest, tool: 'getent', cause: 'tool-missing', detail: 'none of getent, nslookup, host, resolvectl, dig is installed', exitCode: 127 }
      : { command: `getent ahostsv4 ${name}`, guest, tool: 'getent', cause: timedOut ? 'cut-off' : 'unparseable', detail: 'the lookup did not start', exitCode: null };
    return resolveFailed(name, error);
  }
  const run = sectionRun(s, tool, LOOKUP_COMMANDS[tool]!(name), tool, timedOut)!;
  const m = interpret(run, guest, {
    parse: (r) => LOOKUP_PARSERS[tool]!(r, name),
    // The lookup ran and nothing came back within the bound: the server did not answer in time.
    silence: (): Lookup => ({ status: servers.length === 0 ? 'no-server' : 'timeout', addresses: [] }),
  });
  if (!m.ok) return resolveFailed(name, m.error, { tool });
  const v = m.value;
  if (v.status === 'resolved') return resolveOk(name, { status: 'resolved', addresses: v.addresses, server: server ?? v.server ?? null }, { tool });
  if (servers.length === 0) return resolveOk(name, { status: 'no-server', addresses: [], server: null }, { tool });
  return resolveOk(name, { status: v.status, addresses: [], server: server ?? v.server ?? null }, { tool });
}

// ------------------------------------------------------------------ the prober

/** How each probe is cited as evidence (the separate scripts and the survey's parts alike). */
const CONFIG_LABEL = 'ip -j addr; ip -j -4 route; cat /etc/resolv.conf; resolvectl dns; nmcli; /etc/network/interfaces; DHCP clients';
const reachLabel = (seconds: number, targets: string[]): string => `ping -c1 -W${seconds} ${targets.join(' ')} (in parallel); ip route get; ip neigh`;
const resolveLabel = (name: string, seconds: number): string =>
  `getent ahostsv4 ${name} (or nslookup -type=a, host -t A, resolvectl query -4, dig +short A), bounded ${seconds}s`;

/** Each ping result with the command that measured it, as cited to a student, and its evidence id. */
function cited(rs: Reachability[], seconds: number, evidence?: string): Reachability[] {
  return rs.map((x) => ({ ...x, command: `ping -c1 -W${seconds} ${x.target}`, ...(evidence ? { evidence } : {}) }));
}

/** The lookup with the command of the tool that ran, as a person would type it, for citing. */
function lookupCited(r: Resolution): Resolution {
  const cmd = r.tool ? LOOKUP_COMMANDS[r.tool] : undefined;
  return cmd ? { ...r, command: cmd(r.name) } : r;
}

/** Slack added to a probe script's deadline over the probes' own bound (transport overhead). */
const SCRIPT_SLACK_MS = 8000;

export const linuxProber: GuestProber = {
  os: 'linux',

  // The router facts (kernel parameters, source NAT) are this collector's too.
  extra: linuxRouterFacts,

  async config(conn: Connection, ev: CommandEvidence[]): Promise<GuestConfig> {
    const r = await runProbe(
      conn,
      CONFIG_LABEL,
      LINUX_CONFIG_SCRIPT,
      [],
      { timeoutMs: 15_000 },
      ev,
    );
    return { ...parseLinuxConfig(r.stdout, conn.target, r.timedOut), evidence: r.evidence };
  },

  async reach(conn, targets, timeoutMs, ev): Promise<Reachability[]> {
    const valid = assertTargets(targets, 'probe targets');
    if (valid.length === 0) return [];
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    const r = await runProbe(
      conn,
      reachLabel(seconds, valid),
      LINUX_REACH_SCRIPT,
      [String(seconds), ...valid],
      { timeoutMs: seconds * 1000 * 2 + SCRIPT_SLACK_MS },
      ev,
    );
    return cited(parseLinuxReach(r.stdout, valid, r.timedOut, conn.target, seconds), seconds, r.evidence);
  },

  survey: {
    plan(req: SurveyRequest): PlannedScript {
      const name = assertTarget(req.name, 'resolve name');
      const targets = assertTargets(req.targets, 'probe targets');
      const seconds = Math.max(1, Math.ceil(req.timeoutMs / 1000));
      return {
        label: `ip -j addr; ip -j -4 route; cat /etc/resolv.conf; nmcli; DHCP clients; getent ahostsv4 ${name}${targets.length > 0 ? `; ping -c1 -W${seconds} ${targets.join(' ')}` : ''} (side by side)`,
        script: LINUX_SURVEY_SCRIPT,
        args: [name, String(seconds), ...targets],
        timeoutMs: Math.max(15_000, seconds * 1000 * 2 + SCRIPT_SLACK_MS),
      };
    },
    parts(r: CommandResult, req: SurveyRequest): SurveyPart[] {
      const seconds = Math.max(1, Math.ceil(req.timeoutMs / 1000));
      const out: SurveyPart[] = [
        { key: 'config', label: CONFIG_LABEL, stdout: scriptPart(r.stdout, 'config').text },
        { key: 'lookup', label: resolveLabel(req.name, seconds), stdout: scriptPart(r.stdout, 'lookup').text },
      ];
      if (req.targets.length > 0) out.push({ key: 'reach', label: reachLabel(seconds, req.targets), stdout: withoutParts(r.stdout, ['config', 'lookup']) });
      return out;
    },
    read(r: CommandResult, req: SurveyRequest, guest: string): SurveyFacts {
      const seconds = Math.max(1, Math.ceil(req.timeoutMs / 1000));
      const config = scriptPart(r.stdout, 'config');
      const lookup = scriptPart(r.stdout, 'lookup');
      // A part that never ended was cut by the script's deadline (or the channel): not a silence.
      const cut = r.timedOut || r.truncated || r.exitCode === null;
      return {
        config: parseLinuxConfig(config.text, guest, !config.ended && cut),
        resolve: lookupCited(parseLinuxResolve(lookup.text, req.name, !lookup.ended && cut, guest)),
        reach: req.targets.length > 0 ? cited(parseLinuxReach(r.stdout, req.targets, cut, guest, seconds), seconds) : [],
      };
    },
  },

  async resolve(conn, name, timeoutMs, ev): Promise<Resolution> {
    const valid = assertTarget(name, 'resolve name');
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    const r = await runProbe(
      conn,
      resolveLabel(valid, seconds),
      LINUX_RESOLVE_SCRIPT,
      [valid, String(seconds)],
      { timeoutMs: seconds * 1000 + SCRIPT_SLACK_MS },
      ev,
    );
    return { ...lookupCited(parseLinuxResolve(r.stdout, valid, r.timedOut, conn.target)), evidence: r.evidence };
  },
};
