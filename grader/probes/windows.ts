// Windows prober: PowerShell (Windows PowerShell 5.1 compatible), objects reduced to the needed
// fields with Select-Object and every enum cast to [string] before ConvertTo-Json (enums otherwise
// come out as integers, and nested CIM objects are silently cut at depth 2). Nothing localized is
// parsed: interface aliases are data; errors are classified by FullyQualifiedErrorId / native codes.
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
  MeasureCause,
  MeasurementError,
  Reachability,
  Resolution,
  ResolveStatus,
} from '../types.js';
import { normalizeMac } from '../libvirt/mac.js';
import { asArray, runProbe, tryJson } from './evidence.js';
import { configOf as configFromParts, interpret, reachFailed, reachOk, resolveFailed, resolveOk, runOf, scriptPart, type Measured } from './measurement.js';

type PartErrors = Partial<Record<'interfaces' | 'gateway' | 'dns', MeasurementError>>;
import { classifyReach, neighbourState } from './reach.js';
import { assertTarget, assertTargets, isIpv4 } from './targets.js';

// ------------------------------------------------------------------ scripts

export const WINDOWS_CONFIG_SCRIPT = String.raw`$ErrorActionPreference = 'Stop'
$r = [ordered]@{}
function Get-Part([string]$name, [scriptblock]$sb) {
  try { $r[$name] = @(& $sb) } catch { $r[$name + 'Error'] = [string]$_.FullyQualifiedErrorId }
}
Get-Part 'adapters' { Get-NetAdapter | Select-Object ifIndex, Name, InterfaceDescription, MacAddress, @{n='Status';e={[string]$_.Status}} }
Get-Part 'addresses' { Get-NetIPAddress -AddressFamily IPv4 | Select-Object InterfaceIndex, InterfaceAlias, IPAddress, PrefixLength, @{n='PrefixOrigin';e={[string]$_.PrefixOrigin}}, @{n='SuffixOrigin';e={[string]$_.SuffixOrigin}}, @{n='AddressState';e={[string]$_.AddressState}}, @{n='ValidLifetimeSec';e={ if ($_.ValidLifetime) { [int64][math]::Floor($_.ValidLifetime.TotalSeconds) } else { $null } }} }
Get-Part 'interfaces' { Get-NetIPInterface -AddressFamily IPv4 | Select-Object InterfaceIndex, InterfaceAlias, @{n='Dhcp';e={[string]$_.Dhcp}}, @{n='ConnectionState';e={[string]$_.ConnectionState}} }
Get-Part 'routes' { Get-NetRoute -AddressFamily IPv4 -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue | Select-Object InterfaceIndex, NextHop, RouteMetric, InterfaceMetric }
Get-Part 'dnsServers' { Get-DnsClientServerAddress -AddressFamily IPv4 | Select-Object InterfaceIndex, InterfaceAlias, @{n='ServerAddresses';e={@($_.ServerAddresses)}} }
Get-Part 'dnsClients' { Get-DnsClient | Select-Object InterfaceIndex, InterfaceAlias, ConnectionSpecificSuffix }
Get-Part 'dnsGlobal' { Get-DnsClientGlobalSetting | Select-Object @{n='SuffixSearchList';e={@($_.SuffixSearchList)}} }
Get-Part 'firewall' { Get-NetFirewallProfile | Select-Object Name, @{n='Enabled';e={[string]$_.Enabled}} }
Get-Part 'profiles' { Get-NetConnectionProfile | Select-Object InterfaceIndex, InterfaceAlias, Name, @{n='NetworkCategory';e={[string]$_.NetworkCategory}} }
$r | ConvertTo-Json -Depth 4 -Compress
`;

/**
 * $args[0] = timeout ms, then the targets. .NET's Ping.SendPingAsync runs every echo at once with
 * a real bound (Test-Connection in Windows PowerShell 5.1 has no timeout parameter and waits ~4 s per
 * target); then Find-NetRoute gives the route and next hop, Get-NetNeighbor its state.
 */
const REACH_START = String.raw`$jobs = @()
foreach ($h in $targets) {
  $job = [ordered]@{ target = $h; address = $null; task = $null; error = $null }
  try {
    if ($h -match '^\d+\.\d+\.\d+\.\d+$') { $job.address = $h }
    else { $job.address = [string](@([System.Net.Dns]::GetHostAddresses($h) | Where-Object { $_.AddressFamily -eq 'InterNetwork' })[0]) }
    if ($job.address) { $job.task = (New-Object System.Net.NetworkInformation.Ping).SendPingAsync($job.address, $t) }
  } catch { $job.error = [string]$_.FullyQualifiedErrorId }
  $jobs += $job
}
`;

/** Waits for the pings started by REACH_START, then reads each target's route and neighbour; prints the JSON. */
const REACH_END = String.raw`$tasks = @($jobs | Where-Object { $_.task } | ForEach-Object { $_.task })
if ($tasks.Count -gt 0) { try { [void][System.Threading.Tasks.Task]::WaitAll([System.Threading.Tasks.Task[]]$tasks, $t + 2000) } catch { } }
$out = foreach ($j in $jobs) {
  $o = [ordered]@{ target = $j.target; address = $j.address; status = $null; error = $j.error; code = $null; routeError = $null; nextHop = $null; ifIndex = $null; neighbor = $null; neighborState = $null }
  if ($j.task) {
    if ($j.task.IsCompleted -and -not $j.task.IsFaulted) { $o.status = [string]$j.task.Result.Status }
    elseif ($j.task.IsFaulted) {
      $o.status = 'Faulted'; $o.error = [string]$j.task.Exception.InnerException.GetType().Name
      $base = $j.task.Exception.GetBaseException()
      if ($base -is [System.ComponentModel.Win32Exception]) { $o.code = [int]$base.NativeErrorCode }
    }
    else { $o.status = 'NotFinished' }
  }
  if ($j.address) {
    try {
      $route = @(Find-NetRoute -RemoteIPAddress $j.address -ErrorAction Stop | Where-Object { $_.CimClass.CimClassName -eq 'MSFT_NetRoute' })[0]
      if ($route) { $o.nextHop = [string]$route.NextHop; $o.ifIndex = [int]$route.InterfaceIndex }
    } catch { $o.routeError = [string]$_.FullyQualifiedErrorId }
    $n = $j.address
    if ($o.nextHop -and $o.nextHop -ne '0.0.0.0') { $n = $o.nextHop }
    $o.neighbor = $n
    $nb = @(Get-NetNeighbor -AddressFamily IPv4 -IPAddress $n -ErrorAction SilentlyContinue)[0]
    if ($nb) { $o.neighborState = [string]$nb.State }
  }
  [pscustomobject]$o
}
ConvertTo-Json -InputObject @($out) -Depth 3 -Compress
`;

export const WINDOWS_REACH_SCRIPT = String.raw`$t = [int]$args[0]
$targets = @($args | Select-Object -Skip 1)
` + REACH_START + REACH_END;

/**
 * $args[0] = name, $args[1] = timeout ms. Resolve-DnsName runs in a separate runspace so the wait
 * is bounded even when -QuickTimeout is not quick; errors are reported by FullyQualifiedErrorId and
 * native error code (locale independent).
 */
const RESOLVE_START = String.raw`$sw = [System.Diagnostics.Stopwatch]::StartNew()
$res = [ordered]@{ servers = @(); serversError = $null; done = $false; addresses = @(); errorId = $null; nativeCode = $null }
try {
  $up = @(Get-NetAdapter -ErrorAction Stop | Where-Object { [string]$_.Status -eq 'Up' } | ForEach-Object { $_.ifIndex })
  $res.servers = @(Get-DnsClientServerAddress -AddressFamily IPv4 -ErrorAction Stop | Where-Object { $up -contains $_.InterfaceIndex } | ForEach-Object { $_.ServerAddresses } | Where-Object { $_ })
} catch { $res.serversError = [string]$_.FullyQualifiedErrorId }
$lookupPs = [PowerShell]::Create()
[void]$lookupPs.AddCommand('Resolve-DnsName').AddParameter('Name', $n).AddParameter('Type', 'A').AddParameter('DnsOnly').AddParameter('QuickTimeout').AddParameter('ErrorAction', 'SilentlyContinue')
$lookup = $lookupPs.BeginInvoke()
`;

/** Waits what is left of the bound for the lookup started by RESOLVE_START; prints the JSON. */
const RESOLVE_END = String.raw`$left = [int][Math]::Max(0, $t - $sw.ElapsedMilliseconds)
if ($lookup.AsyncWaitHandle.WaitOne($left)) {
  $res.done = $true
  try {
    $recs = $lookupPs.EndInvoke($lookup)
    $res.addresses = @($recs | Where-Object { [string]$_.Type -eq 'A' -or [string]$_.QueryType -eq 'A' } | ForEach-Object { [string]$_.IPAddress } | Where-Object { $_ })
  } catch { $res.errorId = [string]$_.FullyQualifiedErrorId }
  if ($lookupPs.Streams.Error.Count -gt 0) {
    $e = $lookupPs.Streams.Error[0]
    $res.errorId = [string]$e.FullyQualifiedErrorId
    if ($e.Exception.PSObject.Properties['NativeErrorCode']) { $res.nativeCode = [int]$e.Exception.NativeErrorCode }
  }
} else { try { $lookupPs.Stop() } catch { } }
$res | ConvertTo-Json -Depth 3 -Compress
`;

export const WINDOWS_RESOLVE_SCRIPT = String.raw`$n = $args[0]; $t = [int]$args[1]
` + RESOLVE_START + RESOLVE_END;

/**
 * $args[0] = name, $args[1] = timeout ms, then the targets known in advance: the configuration,
 * the lookup and the pings in ONE PowerShell (one powershell.exe per guest, like the Linux survey).
 * The lookup (its own runspace) and the pings (async) start first and run while the configuration
 * is read; each part is printed between @@LG-PART markers as soon as it is complete, so a part cut
 * off by the bound is told from one that ended.
 */
export const WINDOWS_SURVEY_SCRIPT = [
  String.raw`$n = $args[0]; $t = [int]$args[1]
$targets = @($args | Select-Object -Skip 2)
`,
  RESOLVE_START,
  REACH_START,
  "'@@LG-PART-BEGIN config'\n& {\n",
  WINDOWS_CONFIG_SCRIPT,
  "}\n'@@LG-PART-END config'\n'@@LG-PART-BEGIN reach'\n& {\n",
  REACH_END,
  "}\n'@@LG-PART-END reach'\n'@@LG-PART-BEGIN lookup'\n",
  RESOLVE_END,
  "'@@LG-PART-END lookup'\n",
].join('');

// ------------------------------------------------------------------ parsing (pure, fixture-tested)

interface WinAdapter {
  ifIndex?: number;
  Name?: string;
  MacAddress?: string;
  Status?: string;
}
interface WinAddress {
  InterfaceIndex?: number;
  IPAddress?: string;
  PrefixLength?: number;
  PrefixOrigin?: string;
  SuffixOrigin?: string;
  AddressState?: string;
  ValidLifetimeSec?: number | null;
}

/** More than ten years left: Windows' "infinite" ([TimeSpan]::MaxValue). */
const INFINITE_SEC = 10 * 365 * 24 * 3600;

export function windowsOrigin(a: WinAddress): AddressOrigin {
  if ((a.IPAddress ?? '').startsWith('169.254.') || a.SuffixOrigin === 'Link') return 'link-local';
  switch (a.PrefixOrigin) {
    case 'Dhcp':
      return 'dhcp';
    case 'Manual':
      return 'static';
    case 'WellKnown':
      return a.SuffixOrigin === 'Link' ? 'link-local' : 'static';
    default:
      return a.SuffixOrigin === 'Dhcp' ? 'dhcp' : a.SuffixOrigin === 'Manual' ? 'static' : 'unknown';
  }
}

export function parseWindowsConfig(stdout: string, guest = 'guest'): GuestConfig {
  const j = (tryJson(stdout) ?? {}) as Record<string, unknown>;
  const adapters = asArray<WinAdapter>(j.adapters);
  const addresses = asArray<WinAddress>(j.addresses);
  const ifaces = asArray<{ InterfaceIndex?: number; Dhcp?: string }>(j.interfaces);
  const routes = asArray<{ InterfaceIndex?: number; NextHop?: string; RouteMetric?: number; InterfaceMetric?: number }>(j.routes);
  const dnsServers = asArray<{ InterfaceIndex?: number; ServerAddresses?: unknown }>(j.dnsServers);
  const dnsClients = asArray<{ InterfaceIndex?: number; ConnectionSpecificSuffix?: string | null }>(j.dnsClients);
  const dnsGlobal = asArray<{ SuffixSearchList?: unknown }>(j.dnsGlobal);
  const firewall = asArray<{ Name?: string; Enabled?: string }>(j.firewall);
  const profiles = asArray<{ InterfaceIndex?: number; NetworkCategory?: string }>(j.profiles);

  const upIdx = new Set(adapters.filter((a) => a.Status === 'Up').map((a) => a.ifIndex));
  const interfaces: GuestInterface[] = adapters.map((a) => {
    const ipv4: GuestAddress[] = addresses
      .filter((x) => x.InterfaceIndex === a.ifIndex && typeof x.IPAddress === 'string')
      .filter((x) => x.AddressState !== 'Duplicate' && x.AddressState !== 'Invalid')
      .map((x) => ({
        address: x.IPAddress!,
        prefix: Number(x.PrefixLength ?? 32),
        origin: windowsOrigin(x),
        validLifetimeSec:
          typeof x.ValidLifetimeSec === 'number' && x.ValidLifetimeSec < INFINITE_SEC ? x.ValidLifetimeSec : null,
      }));
    const dhcp = ifaces.find((i) => i.InterfaceIndex === a.ifIndex)?.Dhcp;
    return {
      name: a.Name ?? `if${a.ifIndex ?? '?'}`,
      mac: normalizeMac(a.MacAddress) ?? (a.MacAddress ?? '').toLowerCase(),
      up: a.Status === 'Up',
      ipv4,
      ipv6LinkLocalOnly: false,
      dhcpEnabled: dhcp === 'Enabled' ? true : dhcp === 'Disabled' ? false : null,
    };
  });

  const defaults = routes
    .filter((r) => typeof r.NextHop === 'string' && r.NextHop !== '0.0.0.0' && (upIdx.size === 0 || upIdx.has(r.InterfaceIndex)))
    .sort((a, b) => (a.RouteMetric ?? 0) + (a.InterfaceMetric ?? 0) - ((b.RouteMetric ?? 0) + (b.InterfaceMetric ?? 0)));
  const defaultGateway = defaults[0]?.NextHop ?? null;

  // DNS servers of the adapters that are up, the one with the default route first.
  const order = [...upIdx].sort((a, b) => (a === defaults[0]?.InterfaceIndex ? -1 : b === defaults[0]?.InterfaceIndex ? 1 : 0));
  const servers: string[] = [];
  for (const idx of order) {
    for (const d of dnsServers.filter((x) => x.InterfaceIndex === idx)) {
      for (const s of asArray<string>(d.ServerAddresses)) if (typeof s === 'string' && s && !servers.includes(s)) servers.push(s);
    }
  }
  const search: string[] = [];
  for (const idx of order) {
    const suf = dnsClients.find((c) => c.InterfaceIndex === idx)?.ConnectionSpecificSuffix;
    if (suf && !search.includes(suf)) search.push(suf);
  }
  for (const g of dnsGlobal) for (const s of asArray<string>(g.SuffixSearchList)) if (typeof s === 'string' && s && !search.includes(s)) search.push(s);

  let firewallEnabled: boolean | null = null;
  if (firewall.length > 0) {
    const cat: Record<string, string> = { Public: 'Public', Private: 'Private', DomainAuthenticated: 'Domain' };
    const active = new Set(profiles.filter((p) => upIdx.size === 0 || upIdx.has(p.InterfaceIndex)).map((p) => cat[p.NetworkCategory ?? ''] ?? ''));
    const relevant = active.size > 0 ? firewall.filter((f) => active.has(f.Name ?? '')) : firewall;
    firewallEnabled = (relevant.length > 0 ? relevant : firewall).some((f) => f.Enabled === 'True');
  }
  return configFromParts({ interfaces, defaultGateway, dnsServers: servers, dnsSearch: search, firewallEnabled }, windowsPartErrors(j, guest));
}

/** A cmdlet of the config script that failed (its `<part>Error` id): that part is not measured. */
function windowsPartErrors(j: Record<string, unknown>, guest: string): PartErrors {
  const part = (keys: string[], command: string): MeasurementError | undefined => {
    const k = keys.find((x) => typeof j[`${x}Error`] === 'string');
    if (!k) return undefined;
    const id = String(j[`${k}Error`]);
    const denied = /Access|Denied|Unauthorized|Permission/i.test(id);
    const missing = /CommandNotFound/i.test(id);
    return { command, guest, tool: command.split(' ')[0]!, cause: missing ? 'tool-missing' : denied ? 'permission-denied' : 'failed', detail: id, exitCode: null };
  };
  const errors: PartErrors = {};
  const ifs = part(['adapters', 'addresses', 'interfaces'], 'Get-NetAdapter; Get-NetIPAddress; Get-NetIPInterface');
  const gw = part(['routes'], 'Get-NetRoute -DestinationPrefix 0.0.0.0/0');
  const dns = part(['dnsServers'], 'Get-DnsClientServerAddress');
  if (ifs) errors.interfaces = ifs;
  if (gw) errors.gateway = gw;
  if (dns) errors.dns = dns;
  return errors;
}

/** The whole script's output as one measurement: a JSON document, or why there is none. */
function scriptJson(r: Parameters<typeof runOf>[0], command: string, guest: string): Measured<unknown> {
  return interpret(runOf(r, command, 'powershell'), guest, { parse: (x) => tryJson(x.stdout) ?? undefined });
}

interface WinReach {
  target?: string;
  address?: string | null;
  /** IPStatus as text; a value the enum has no name for prints as its number ("11050"). */
  status?: string | null;
  error?: string | null;
  /** Win32 code of a faulted ping (the innermost Win32Exception). */
  code?: number | null;
  routeError?: string | null;
  nextHop?: string | null;
  neighbor?: string | null;
  neighborState?: string | null;
}

/**
 * IP_GENERAL_FAILURE (ipexport.h): IcmpSendEcho could not even send the echo. IPStatus has no name
 * for it, so .NET reports the bare number (dotnet/runtime#101999). Windows gives it at once, with
 * no timeout, for an off-link target when there is no default gateway (ping.exe prints "General
 * failure." / "Error general.").
 */
const IP_GENERAL_FAILURE = 11050;

function isGeneralFailure(r: WinReach): boolean {
  return r.status === String(IP_GENERAL_FAILURE) || r.status === 'GeneralFailure' || r.code === IP_GENERAL_FAILURE;
}

/**
 * Find-NetRoute's error ids that mean "no route to this address" (Win32 codes from GetBestRoute2):
 * 1168 ERROR_NOT_FOUND, 1231 ERROR_NETWORK_UNREACHABLE, 1232 ERROR_HOST_UNREACHABLE. Any other
 * route error (a missing cmdlet, access denied) says nothing about the route.
 */
const NO_ROUTE_ERROR = /^Windows System Error (1168|1231|1232)\b/i;

export function parseWindowsReach(stdout: string, targets: string[], scriptTimedOut: boolean, guest = 'guest', exitCode: number | null = null): Reachability[] {
  const rows = asArray<WinReach>(tryJson(stdout));
  // A ping that could not be made or did not finish: "could not measure", never a status.
  const failed = (target: string, cause: MeasureCause, detail: string): Reachability =>
    reachFailed(target, { command: `Ping.SendPingAsync(${target})`, guest, tool: 'powershell', cause, detail, exitCode });
  return targets.map((target, i): Reachability => {
    const r = rows.find((x) => x.target === target) ?? rows[i];
    if (!r || r.target !== target) return failed(target, scriptTimedOut ? 'cut-off' : 'unparseable', 'no result for this target');
    if (r.status === 'Success') return reachOk(target, 'replied');
    if (!r.address) return failed(target, 'failed', 'name-not-resolved');
    const noRouteFound = typeof r.routeError === 'string' && NO_ROUTE_ERROR.test(r.routeError);
    if (isGeneralFailure(r)) {
      // The echo could not even leave: with no route to the target that is "no route" (Windows'
      // answer when there is no default gateway). With a route, the local stack failed for some
      // other reason, and nothing was measured.
      if (noRouteFound || (!r.routeError && !r.nextHop)) return reachOk(target, 'no-route', 'IP_GENERAL_FAILURE 11050');
      return failed(target, 'unparseable', `IP_GENERAL_FAILURE 11050, ${r.nextHop ? `route via ${r.nextHop}` : r.routeError}`);
    }
    const unreachable = r.status === 'DestinationNetworkUnreachable' || r.status === 'BadRoute';
    if (r.routeError && !noRouteFound && !unreachable) {
      // The route lookup failed: neither "no route" nor a neighbour state can be told.
      return failed(target, 'unparseable', `route lookup failed: ${r.routeError}`);
    }
    if (r.status === 'Faulted' && !noRouteFound) {
      // The ping threw (not an ICMP answer): could not measure.
      return failed(target, 'unparseable', `ping failed: ${r.error ?? 'exception'}${typeof r.code === 'number' ? ` ${r.code}` : ''}`);
    }
    const c = classifyReach({
      replied: false,
      timedOut: r.status === 'NotFinished',
      noRoute: noRouteFound || unreachable,
      gateway: r.nextHop && r.nextHop !== '0.0.0.0' ? r.nextHop : null,
      neighbour: neighbourState(r.neighborState),
      rawNeighbour: r.neighborState ?? null,
    });
    if (c.status === 'probe-timeout') return failed(target, 'cut-off', c.detail ?? 'the ping did not finish');
    if (c.status === 'error') return failed(target, 'failed', c.detail ?? 'name-not-resolved');
    return reachOk(target, c.status, c.detail);
  });
}

/**
 * Win32 / DNS error codes Resolve-DnsName reports (winerror.h), each an answer from the resolver:
 * 9003 DNS_ERROR_RCODE_NAME_ERROR (NXDOMAIN), 9501 DNS_INFO_NO_RECORDS, 9005 DNS_ERROR_RCODE_REFUSED,
 * 11001 WSAHOST_NOT_FOUND; 9002 DNS_ERROR_RCODE_SERVER_FAILURE (SERVFAIL); 1460 ERROR_TIMEOUT and
 * 10060 WSAETIMEDOUT (no answer in time); 9852 DNS_ERROR_NO_DNS_SERVERS.
 */
const DNS_NOT_FOUND = new Set([9003, 9501, 9005, 11001]);
const DNS_SERVER_FAILURE = 9002;
const DNS_TIMEOUT = new Set([1460, 10060]);
const DNS_NO_SERVERS = 9852;

/**
 * A failed measurement is never a fact: only a lookup that ran and got an answer (or none in time)
 * is a "no"; any other PowerShell error (a missing cmdlet, a binding error, output that is not the
 * script's JSON) is "could not measure" (status error).
 */
export function parseWindowsResolve(stdout: string, name: string, timedOut: boolean, guest = 'guest'): Resolution {
  const parsed = tryJson(stdout);
  const j = (parsed && typeof parsed === 'object' ? parsed : {}) as {
    servers?: unknown;
    serversError?: string | null;
    done?: boolean;
    addresses?: unknown;
    errorId?: string | null;
    nativeCode?: number | null;
  };
  const servers = asArray<string>(j.servers).filter((s) => typeof s === 'string' && isIpv4(s));
  const server = servers[0] ?? null;
  const addresses = asArray<string>(j.addresses).filter((a) => typeof a === 'string' && isIpv4(a));
  const res = (status: ResolveStatus, srv: string | null = server): Resolution => resolveOk(name, { status, addresses: [], server: srv });
  const failed = (cause: MeasureCause, detail: string): Resolution =>
    resolveFailed(name, { command: `Resolve-DnsName ${name} -Type A`, guest, tool: 'Resolve-DnsName', cause, detail, exitCode: null });
  if (addresses.length > 0) return resolveOk(name, { status: 'resolved', addresses, server });
  // "No DNS server" is a fact only when the server list was read (its query did not fail).
  const noServers = servers.length === 0 && !j.serversError;
  // The lookup ran in its own runspace and was still waiting for an answer at the bound.
  if (j.done === false) return res(noServers ? 'no-server' : 'timeout');
  // No JSON from the script (cut by its bound: `timedOut`, or it failed before printing): nothing
  // was measured either way.
  if (j.done !== true) return failed(timedOut ? 'cut-off' : 'unparseable', 'no result from the lookup');
  const id = typeof j.errorId === 'string' ? j.errorId : '';
  const code = typeof j.nativeCode === 'number' ? j.nativeCode : null;
  if (/NO_DNS_SERVERS/i.test(id) || code === DNS_NO_SERVERS) return res('no-server', null);
  if (/RCODE_SERVER_FAILURE/i.test(id) || code === DNS_SERVER_FAILURE) return res('server-failure');
  if (/TIMEOUT/i.test(id) || (code !== null && DNS_TIMEOUT.has(code))) return res(noServers ? 'no-server' : 'timeout');
  // Finished without any error and without an A record: the server answered with no address.
  const answered = !id || /NAME_ERROR|NO_RECORDS|RCODE_REFUSED|NAME_DOES_NOT_EXIST/i.test(id) || (code !== null && DNS_NOT_FOUND.has(code));
  if (answered) return res(noServers ? 'no-server' : 'not-found', noServers ? null : server);
  return failed('failed', [id, code !== null ? String(code) : ''].filter(Boolean).join(' ') || 'the lookup failed');
}

// ------------------------------------------------------------------ the survey (one PowerShell)

const SCRIPT_SLACK_MS = 15_000; // powershell.exe start-up is slow
const CONFIG_TIMEOUT_MS = 30_000;

const CONFIG_LABEL = 'Get-NetAdapter; Get-NetIPAddress; Get-NetIPInterface; Get-NetRoute 0.0.0.0/0; Get-DnsClientServerAddress; Get-DnsClient; Get-NetFirewallProfile; Get-NetConnectionProfile';
const reachLabel = (targets: string[], ms: number): string => `Ping.SendPingAsync(${targets.join(', ')}, ${ms} ms); Find-NetRoute; Get-NetNeighbor`;
const resolveLabel = (name: string, ms: number): string => `Resolve-DnsName ${name} -Type A -DnsOnly -QuickTimeout (bounded ${ms} ms)`;
const boundMs = (timeoutMs: number): number => Math.max(200, Math.round(timeoutMs));

/** Output as Windows prints it (CRLF) with Unix line ends, for the part markers. */
function lf(s: string): string {
  return s.replace(/\r\n/g, '\n');
}

/**
 * One part of a survey as a measurement: its JSON when the part ended and reads as JSON; else why
 * not, from the whole run (PowerShell missing or denied, cut off by the bound, unreadable output).
 */
function surveyPart(r: CommandResult, name: string, command: string, guest: string): Measured<unknown> & { cut: boolean } {
  const part = scriptPart(lf(r.stdout), name);
  const cut = !part.ended && (r.timedOut || r.truncated || r.exitCode === null);
  if (part.ended) {
    const j = tryJson(part.text);
    if (j !== undefined) return { ok: true, value: j, cut };
  }
  const run = runOf(r, command, 'powershell');
  const m = interpret({ ...run, stdout: part.text, killed: run.killed || cut }, guest, { parse: () => undefined });
  if (m.ok) return { ok: false, error: { command, guest, tool: 'powershell', cause: 'unparseable', detail: 'no result', exitCode: r.exitCode }, cut };
  return { ...m, cut };
}

/** The configuration of a config document, or every part "not measured" for the same reason. */
function configOf(m: Measured<unknown>, guest: string): GuestConfig {
  if (!m.ok) {
    const e = m.error;
    return configFromParts({ interfaces: [], defaultGateway: null, dnsServers: [], dnsSearch: [], firewallEnabled: null }, { interfaces: e, gateway: e, dns: e });
  }
  return parseWindowsConfig(JSON.stringify(m.value), guest);
}

function reachOf(m: Measured<unknown>, targets: string[], cut: boolean, guest: string, exitCode: number | null, ms: number): Reachability[] {
  const command = (target: string): string => `Ping.SendPingAsync(${target}, ${ms} ms)`;
  if (!m.ok) {
    return targets.map((target) => reachFailed(target, { ...m.error, command: `Ping.SendPingAsync(${target})` }, { command: command(target) }));
  }
  return parseWindowsReach(JSON.stringify(m.value), targets, cut, guest, exitCode).map((x) => ({ ...x, command: command(x.target) }));
}

function resolveOf(m: Measured<unknown>, name: string, cut: boolean, guest: string): Resolution {
  const command = `Resolve-DnsName ${name} -Type A`;
  if (!m.ok) return resolveFailed(name, m.error, { tool: 'Resolve-DnsName', command });
  return { ...parseWindowsResolve(JSON.stringify(m.value), name, cut, guest), tool: 'Resolve-DnsName', command };
}

// ------------------------------------------------------------------ the prober

export const windowsProber: GuestProber = {
  os: 'windows',

  async config(conn: Connection, ev: CommandEvidence[]): Promise<GuestConfig> {
    const r = await runProbe(conn, CONFIG_LABEL, WINDOWS_CONFIG_SCRIPT, [], { timeoutMs: CONFIG_TIMEOUT_MS }, ev);
    return { ...configOf(scriptJson(r, 'Get-NetAdapter; Get-NetIPAddress; Get-NetRoute; Get-DnsClientServerAddress', conn.target), conn.target), evidence: r.evidence };
  },

  async reach(conn, targets, timeoutMs, ev): Promise<Reachability[]> {
    const valid = assertTargets(targets, 'probe targets');
    if (valid.length === 0) return [];
    const ms = boundMs(timeoutMs);
    const r = await runProbe(conn, reachLabel(valid, ms), WINDOWS_REACH_SCRIPT, [String(ms), ...valid], { timeoutMs: ms + 2000 + SCRIPT_SLACK_MS }, ev);
    return reachOf(scriptJson(r, `Ping.SendPingAsync(${valid.join(', ')})`, conn.target), valid, r.timedOut, conn.target, r.exitCode, ms).map((x) => ({ ...x, evidence: r.evidence }));
  },

  survey: {
    plan(req: SurveyRequest): PlannedScript {
      const name = assertTarget(req.name, 'resolve name');
      const targets = assertTargets(req.targets, 'probe targets');
      const ms = boundMs(req.timeoutMs);
      return {
        label: `${CONFIG_LABEL}; ${resolveLabel(name, ms)}${targets.length > 0 ? `; ${reachLabel(targets, ms)}` : ''} (one PowerShell)`,
        script: WINDOWS_SURVEY_SCRIPT,
        args: [name, String(ms), ...targets],
        timeoutMs: CONFIG_TIMEOUT_MS + ms + 2000 + SCRIPT_SLACK_MS,
      };
    },
    parts(r: CommandResult, req: SurveyRequest) {
      const ms = boundMs(req.timeoutMs);
      const out = lf(r.stdout);
      const parts: SurveyPart[] = [
        { key: 'config' as const, label: CONFIG_LABEL, stdout: scriptPart(out, 'config').text },
        { key: 'lookup' as const, label: resolveLabel(req.name, ms), stdout: scriptPart(out, 'lookup').text },
      ];
      if (req.targets.length > 0) parts.push({ key: 'reach' as const, label: reachLabel(req.targets, ms), stdout: scriptPart(out, 'reach').text });
      return parts;
    },
    read(r: CommandResult, req: SurveyRequest, guest: string): SurveyFacts {
      const config = surveyPart(r, 'config', 'Get-NetAdapter; Get-NetIPAddress; Get-NetRoute; Get-DnsClientServerAddress', guest);
      const reach = surveyPart(r, 'reach', `Ping.SendPingAsync(${req.targets.join(', ')})`, guest);
      const lookup = surveyPart(r, 'lookup', `Resolve-DnsName ${req.name} -Type A`, guest);
      return {
        config: configOf(config, guest),
        resolve: resolveOf(lookup, req.name, lookup.cut, guest),
        reach: req.targets.length > 0 ? reachOf(reach, req.targets, reach.cut, guest, r.exitCode, boundMs(req.timeoutMs)) : [],
      };
    },
  },

  async resolve(conn, name, timeoutMs, ev): Promise<Resolution> {
    const valid = assertTarget(name, 'resolve name');
    const ms = boundMs(timeoutMs);
    const r = await runProbe(conn, resolveLabel(valid, ms), WINDOWS_RESOLVE_SCRIPT, [valid, String(ms)], { timeoutMs: ms + SCRIPT_SLACK_MS }, ev);
    // A script that gave no result document did not look anything up: not a silence.
    return { ...resolveOf(scriptJson(r, `Resolve-DnsName ${valid} -Type A`, conn.target), valid, r.timedOut, conn.target), evidence: r.evidence };
  },
};
