// Is this address really this VM? The per-OS script that lists a guest's IPv4 addresses with their
// interfaces' MACs, and how its output is read. The engine hands the check to openGuest
// (grader/transports/open.ts, `ctx.identity`), which runs it on each candidate address: transports
// know no OS's commands. When the guest's first probe script (a survey) already lists the addresses,
// it IS the identity check, and its result is handed back so it costs no extra round trip.
import type { CommandResult, IdentityCheck, MeasuredFact, OsFamily, PlannedScript } from '../types.js';
import { normalizeMac } from '../libvirt/mac.js';
import { asArray, tryJson } from './evidence.js';
import { interpret, runOf, scriptPart, sectionRun, splitSections } from './measurement.js';
import { LINUX_IDENTITY_SCRIPT, NO_HINTS, parseInterfaces, parseIpAddr } from './linux/collector.js';

/** The PowerShell that lists a Windows guest's IPv4 addresses with their adapters' MACs (identity check). */
export const WINDOWS_IDENTITY =
  "Get-NetIPAddress -AddressFamily IPv4 | ForEach-Object { [pscustomobject]@{ a = [string]$_.IPAddress; m = [string](Get-NetAdapter -InterfaceIndex $_.InterfaceIndex -ErrorAction SilentlyContinue).MacAddress } } | ConvertTo-Json -Compress";

type Pairs = { address: string; mac: string }[];

function readLinux(r: CommandResult, guest: string): MeasuredFact<Pairs> {
  const run = sectionRun(splitSections(r.stdout), 'addr', 'ip -j addr show', 'ip', r.timedOut) ?? runOf(r, 'ip -j addr show', 'ip');
  const m = interpret(run, guest, { parse: (x) => parseIpAddr(x.stdout) });
  if (!m.ok) return m;
  return { ok: true, value: parseInterfaces(m.value, NO_HINTS).flatMap((i) => i.ipv4.map((a) => ({ address: a.address, mac: i.mac }))) };
}

function readWindows(r: CommandResult, guest: string): MeasuredFact<Pairs> {
  // A Windows survey: its configuration part holds the adapters and the addresses.
  const part = scriptPart(r.stdout.replace(/\r\n/g, '\n'), 'config');
  if (part.ended) {
    const j = (tryJson(part.text) ?? {}) as { adapters?: unknown; addresses?: unknown };
    const adapters = asArray<{ ifIndex?: number; MacAddress?: string }>(j.adapters);
    const addresses = asArray<{ InterfaceIndex?: number; IPAddress?: string }>(j.addresses);
    if (adapters.length > 0 || addresses.length > 0) {
      return {
        ok: true,
        value: addresses.flatMap((a) => {
          const mac = normalizeMac(adapters.find((x) => x.ifIndex === a.InterfaceIndex)?.MacAddress);
          return typeof a.IPAddress === 'string' && mac ? [{ address: a.IPAddress, mac }] : [];
        }),
      };
    }
  }
  const m = interpret(runOf(r, 'Get-NetIPAddress; Get-NetAdapter', 'powershell'), guest, { parse: (x) => tryJson(x.stdout) ?? undefined });
  if (!m.ok) return m;
  return { ok: true, value: asArray<{ a?: string; m?: string }>(m.value).flatMap((x) => (typeof x.a === 'string' && normalizeMac(x.m) ? [{ address: x.a, mac: normalizeMac(x.m)! }] : [])) };
}

/**
 * The identity check of a guest of `os`. With `first` (the guest's survey), the survey runs as the
 * check and its result is handed back; otherwise a short script of its own.
 */
export function identityCheck(os: OsFamily, first?: PlannedScript): IdentityCheck {
  const read = os === 'windows' ? readWindows : readLinux;
  if (first) return { plan: first, handsBack: true, read };
  const plan: PlannedScript =
    os === 'windows'
      ? { label: 'Get-NetIPAddress; Get-NetAdapter', script: WINDOWS_IDENTITY, args: [], timeoutMs: 30_000 }
      : { label: 'ip -j addr show', script: LINUX_IDENTITY_SCRIPT, args: [], timeoutMs: 15_000 };
  return { plan, handsBack: false, read };
}
