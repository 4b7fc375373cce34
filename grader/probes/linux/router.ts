// Linux facts for router exercises: kernel parameters (live in /proc/sys and as persisted in the
// sysctl files read at boot) and source-NAT rules (live from iptables-save / nft, saved in the files
// restored at boot). Read-only, one constant sh script, inputs as positional arguments.
// A failed measurement is never a fact: a missing tool, a permission denied (the NAT table needs
// root), a script cut off before it got there or unreadable output becomes { ok: false, error } with
// a MeasurementError (grader/probes/measurement.ts): the command, the guest, the cause and the
// guest's own words. The checks put it in words in the report's language (grader/facts/describe.ts).
import type { CommandEvidence, Connection, ExtraRequest, GuestFacts, MeasureCause, MeasuredFact, MeasurementError, NatFacts, NatRule, NatSaved, SysctlFact, SysctlSetting } from '../../types.js';
import { runProbe } from '../evidence.js';
import { couldNotMeasure, splitSections } from '../measurement.js';
import { SAVED_FILE, SYSCTL_KEY } from '../../facts/needs.js';

export { SAVED_FILE, SYSCTL_KEY };

/** Directories of sysctl.d(5) in priority order; /etc/sysctl.conf is read last (procps `sysctl --system`). */
const SYSCTL_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'];

/** $1 = number of sysctl keys, then the keys, then "1"/"0" (NAT wanted), then the saved-rules files. */
export const LINUX_ROUTER_SCRIPT = String.raw`export LC_ALL=C
PATH="$PATH:/usr/sbin:/sbin"
sec() { n=$1; shift; printf '@@LG-BEGIN %s\n' "$n"; "$@"; r=$?; printf '\n@@LG-END %s %s\n' "$n" "$r"; }
root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else "$@"; fi
}
who() { id -u; if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then echo sudo; fi; }
live() { f="/proc/sys/$(printf '%s' "$1" | tr . /)"; [ -e "$f" ] || return 2; cat "$f" 2>&1; }
conf() {
  for f in /etc/sysctl.d/*.conf /run/sysctl.d/*.conf /usr/local/lib/sysctl.d/*.conf /usr/lib/sysctl.d/*.conf /lib/sysctl.d/*.conf /etc/sysctl.conf; do
    [ -e "$f" ] || continue
    if [ -r "$f" ]; then printf '@@FILE %s\n' "$f"; cat "$f"; echo; else printf '@@UNREADABLE %s\n' "$f"; fi
  done
}
# systemd-sysctl reads only sysctl.d: /etc/sysctl.conf counts when a sysctl.d entry links to it
sysd() {
  for f in /etc/sysctl.d/* /run/sysctl.d/* /usr/local/lib/sysctl.d/* /usr/lib/sysctl.d/* /lib/sysctl.d/*; do
    [ -L "$f" ] && printf 'LINK %s %s\n' "$f" "$(readlink -f "$f")"
  done
  if [ -x /lib/systemd/systemd-sysctl ] || [ -x /usr/lib/systemd/systemd-sysctl ]; then echo SYSTEMD; fi
  return 0
}
ipt() { command -v iptables-save >/dev/null 2>&1 || return 127; root iptables-save -t nat 2>&1; }
nftr() { command -v nft >/dev/null 2>&1 || return 127; root nft list ruleset 2>&1; }
saved() {
  for f in "$@"; do
    if [ ! -e "$f" ]; then printf '@@MISSING %s\n' "$f"
    elif [ -r "$f" ]; then printf '@@FILE %s\n' "$f"; cat "$f"; echo
    elif root cat "$f" >/dev/null 2>&1; then printf '@@FILE %s\n' "$f"; root cat "$f"; echo
    else printf '@@UNREADABLE %s\n' "$f"; fi
  done
}
sec who who
# sec() sets $n: the loop keeps its own names.
keys=$1; shift
k=0
while [ "$k" -lt "$keys" ]; do sec "live$k" live "$1"; shift; k=$((k+1)); done
if [ "$keys" -gt 0 ]; then sec conf conf; sec sysd sysd; fi
nat=$1; shift
if [ "$nat" = 1 ]; then sec ipt ipt; sec nft nftr; sec saved saved "$@"; fi
`;

// ------------------------------------------------------------------ sysctl

/** Files of a `@@FILE path` / `@@UNREADABLE path` / `@@MISSING path` listing. */
export function splitFiles(body: string): { file: string; state: 'ok' | 'unreadable' | 'missing'; text: string }[] {
  const out: { file: string; state: 'ok' | 'unreadable' | 'missing'; text: string }[] = [];
  for (const line of body.split('\n')) {
    const m = /^@@(FILE|UNREADABLE|MISSING) (.+)$/.exec(line);
    if (m) out.push({ file: m[2]!, state: m[1] === 'FILE' ? 'ok' : m[1] === 'UNREADABLE' ? 'unreadable' : 'missing', text: '' });
    else if (out.length > 0) out[out.length - 1]!.text += `${line}\n`;
  }
  return out;
}

function base(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The sysctl files in the order they apply: sysctl.d by file name (earlier dirs mask later ones),
 * then /etc/sysctl.conf unless `systemd` (systemd-sysctl reads sysctl.d only; Debian 12 links
 * /etc/sysctl.d/99-sysctl.conf to it, Debian 13 does not).
 */
export function sysctlOrder(files: string[], systemd = false): string[] {
  const byName = new Map<string, string>();
  for (const dir of SYSCTL_DIRS) {
    for (const f of files.filter((x) => x.startsWith(`${dir}/`))) if (!byName.has(base(f))) byName.set(base(f), f);
  }
  const ordered = [...byName.keys()].sort().map((k) => byName.get(k)!);
  if (files.includes('/etc/sysctl.conf') && !systemd) ordered.push('/etc/sysctl.conf');
  return ordered;
}

/** Assignments of `key` in one file (`key = value`, `key=value`, `-key = value`, `/` or `.` separators). */
export function sysctlAssignments(file: string, text: string, key: string): SysctlSetting[] {
  const out: SysctlSetting[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const eq = line.indexOf('=');
    if (eq < 0) return;
    const k = line.slice(0, eq).trim().replace(/^-/, '').replace(/\//g, '.');
    if (k === key) out.push({ file, line: i + 1, value: line.slice(eq + 1).trim() });
  });
  return out;
}

/** The guest's first non-empty line (its own words for what went wrong), capped. */
function firstLine(s: string, max = 200): string {
  const l = s.split('\n').map((x) => x.trim()).find(Boolean) ?? '';
  return l.length > max ? `${l.slice(0, max)}…` : l;
}

function permissionText(body: string): boolean {
  return /permission denied|must be root|operation not permitted/i.test(body);
}

/** A measurement that could not be made, as every prober reports it. */
function notMeasured<T>(command: string, tool: string, guest: string, cause: MeasureCause, detail: string, exitCode: number | null): MeasuredFact<T> {
  return couldNotMeasure({ command, guest, tool, cause, detail, exitCode });
}

/**
 * A section that ran and failed: `cut-off` when it never ended, `permission-denied` when the guest
 * says so, else `failed` with the exit code and the guest's first line.
 */
function sectionFailure<T>(command: string, tool: string, guest: string, sec: { body: string; rc: number | null }): MeasuredFact<T> {
  if (sec.rc === null) return notMeasured(command, tool, guest, 'cut-off', firstLine(sec.body), null);
  const detail = firstLine(sec.body) || `exit ${sec.rc}`;
  return notMeasured(command, tool, guest, permissionText(sec.body) ? 'permission-denied' : 'failed', detail, sec.rc);
}

/** The files `conf` reads, as one command (what a student would type to see them). */
const SYSCTL_FILES_COMMAND = `cat ${[...SYSCTL_DIRS.map((d) => `${d}/*.conf`), '/etc/sysctl.conf'].join(' ')}`;

export function parseSysctl(
  key: string,
  live: { body: string; rc: number | null } | undefined,
  conf: { body: string; rc: number | null } | undefined,
  sysd?: { body: string; rc: number | null },
  guest = 'guest',
): SysctlFact {
  const path = `/proc/sys/${key.replace(/\./g, '/')}`;
  const liveCmd = `cat ${path}`;
  let liveM: MeasuredFact<string>;
  // The script never got that far (cut off before or inside this section).
  if (!live) liveM = notMeasured(liveCmd, 'cat', guest, 'cut-off', '', null);
  // live() returns 2 when the file is absent: the kernel has no such parameter (cat's own words).
  else if (live.rc === 2) liveM = notMeasured(liveCmd, 'cat', guest, 'failed', `${path}: No such file or directory`, 2);
  else if (live.rc !== 0) liveM = sectionFailure(liveCmd, 'cat', guest, live);
  else {
    const v = live.body.trim().replace(/\s+/g, ' ');
    liveM = v ? { ok: true, value: v } : notMeasured(liveCmd, 'cat', guest, 'unparseable', '', 0);
  }
  let persisted: MeasuredFact<SysctlSetting[]>;
  if (!conf) persisted = notMeasured(SYSCTL_FILES_COMMAND, 'cat', guest, 'cut-off', '', null);
  else if (conf.rc !== 0) persisted = sectionFailure(SYSCTL_FILES_COMMAND, 'cat', guest, conf);
  else {
    const files = splitFiles(conf.body);
    const unreadable = files.filter((f) => f.state === 'unreadable').map((f) => f.file);
    const readable = new Map(files.filter((f) => f.state === 'ok').map((f) => [f.file, f.text]));
    const systemd = /^SYSTEMD$/m.test(sysd?.body ?? '');
    const links = new Map([...(sysd?.body ?? '').matchAll(/^LINK (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const order = sysctlOrder([...readable.keys()], systemd);
    const shown = (f: string): string => (links.has(f) ? `${f} -> ${links.get(f)}` : f);
    const settings = order.flatMap((f) => sysctlAssignments(shown(f), readable.get(f)!, key));
    // A file left out of the boot order still counts when an entry that is read links to it.
    const linked = new Set(order.map((f) => links.get(f)).filter((x): x is string => !!x));
    const ignored = [...readable.keys()].filter((f) => !order.includes(f) && !linked.has(f)).flatMap((f) => sysctlAssignments(f, readable.get(f)!, key));
    // An unreadable file could hold the last word on the key: then persistence cannot be told.
    persisted = unreadable.length > 0 ? notMeasured(`cat ${unreadable.join(' ')}`, 'cat', guest, 'permission-denied', unreadable.join(', '), null) : { ok: true, value: settings };
    if (ignored.length > 0) return { key, live: liveM, persisted, ignored };
  }
  return { key, live: liveM, persisted };
}

// ------------------------------------------------------------------ NAT rules

/** Splits a rule line into words, keeping "quoted strings" whole. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** iptables-save format (`*nat` ... `COMMIT`): the POSTROUTING MASQUERADE/SNAT rules. */
export function parseIptablesNat(text: string): NatRule[] {
  const out: NatRule[] = [];
  let table = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) table = line.slice(1);
    if (table !== 'nat' || !line.startsWith('-A POSTROUTING ')) continue;
    const w = words(line);
    const j = w[w.indexOf('-j') + 1];
    if (w.indexOf('-j') < 0 || (j !== 'MASQUERADE' && j !== 'SNAT')) continue;
    const arg = (...flags: string[]): string | null => {
      const i = w.findIndex((x) => flags.includes(x));
      if (i < 0) return null;
      const neg = w[i - 1] === '!';
      return `${neg ? '!' : ''}${w[i + 1] ?? ''}`;
    };
    out.push({ outInterface: arg('-o', '--out-interface'), source: arg('-s', '--source'), action: j === 'SNAT' ? 'snat' : 'masquerade', text: line });
  }
  return out;
}

/** nft ruleset text: masquerade/snat rules of chains hooked at postrouting. */
export function parseNftNat(text: string): NatRule[] {
  const out: NatRule[] = [];
  let postrouting = false;
  const chainLines: string[] = [];
  const flush = (): void => {
    if (postrouting) {
      for (const line of chainLines) {
        const w = words(line);
        const act = w.includes('masquerade') ? 'masquerade' : w.includes('snat') ? 'snat' : null;
        if (!act) continue;
        const after = (k: string): string | null => {
          const i = w.indexOf(k);
          if (i < 0) return null;
          return w[i + 1] === '!=' ? `!${w[i + 2] ?? ''}` : (w[i + 1] ?? null);
        };
        const saddr = w.findIndex((x, i) => x === 'saddr' && w[i - 1] === 'ip');
        const src = saddr < 0 ? null : w[saddr + 1] === '!=' ? `!${w[saddr + 2] ?? ''}` : (w[saddr + 1] ?? null);
        out.push({ outInterface: after('oifname') ?? after('oif'), source: src, action: act, text: line.trim() });
      }
    }
    chainLines.length = 0;
    postrouting = false;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (/^chain\s/.test(line)) {
      flush();
      continue;
    }
    if (/\bhook\s+postrouting\b/.test(line)) postrouting = true;
    else if (line === '}') flush();
    else chainLines.push(line);
  }
  flush();
  return out;
}

export function parseNat(sections: Map<string, { body: string; rc: number | null }>, savedFiles: string[], guest = 'guest'): NatFacts {
  const who = sections.get('who')?.body.trim().split('\n') ?? [];
  const root = who[0] === '0' || who.includes('sudo');
  const ipt = sections.get('ipt');
  const nft = sections.get('nft');
  const rules: NatRule[] = [];
  const problems: MeasuredFact<NatRule[]>[] = [];
  let measured = false;
  const tools = [
    { s: ipt, parse: parseIptablesNat, cmd: 'iptables-save -t nat', tool: 'iptables-save' },
    { s: nft, parse: parseNftNat, cmd: 'nft list ruleset', tool: 'nft' },
  ] as const;
  for (const { s, parse, cmd, tool } of tools) {
    if (!s || s.rc === 127) continue;
    if (s.rc === 0 && !(root === false && permissionText(s.body))) {
      measured = true;
      rules.push(...parse(s.body));
    } else if (s.rc !== null && !root) {
      // The NAT table needs root: a connection that is not root (and has no sudo -n) is denied.
      problems.push(notMeasured(cmd, tool, guest, 'permission-denied', firstLine(s.body) || `exit ${s.rc}`, s.rc));
    } else problems.push(sectionFailure(cmd, tool, guest, s));
  }
  let live: MeasuredFact<NatRule[]>;
  if (measured) live = { ok: true, value: rules };
  else if (problems.length > 0) live = problems.find((p) => !p.ok && p.error.cause === 'permission-denied') ?? problems[0]!;
  else if (ipt?.rc === 127 && nft?.rc === 127) {
    live = notMeasured('iptables-save -t nat; nft list ruleset', 'iptables-save', guest, 'tool-missing', 'iptables-save: not found; nft: not found', 127);
  } else {
    // The script never got that far: the first of the two it did not reach.
    const { cmd, tool } = !ipt ? tools[0] : tools[1];
    live = notMeasured(cmd, tool, guest, 'cut-off', '', null);
  }
  const body = sections.get('saved');
  const savedCmd = `cat ${savedFiles.join(' ')}`;
  let saved: MeasuredFact<NatSaved[]>;
  if (!body) saved = notMeasured(savedCmd, 'cat', guest, 'cut-off', '', null);
  else if (body.rc !== 0) saved = sectionFailure(savedCmd, 'cat', guest, body);
  else {
    const files = splitFiles(body.body);
    const unreadable = files.filter((f) => f.state === 'unreadable').map((f) => f.file);
    saved = unreadable.length > 0
      ? notMeasured(`cat ${unreadable.join(' ')}`, 'cat', guest, 'permission-denied', unreadable.join(', '), null)
      : {
          ok: true,
          value: files.map((f) => ({ file: f.file, rules: f.state === 'missing' ? null : /^\*nat\b/m.test(f.text) || /^-A /m.test(f.text) ? parseIptablesNat(f.text) : parseNftNat(f.text) })),
        };
  }
  return { live, saved };
}

// ------------------------------------------------------------------ run

export async function linuxRouterFacts(conn: Connection, requests: ExtraRequest[], ev: CommandEvidence[]): Promise<Pick<GuestFacts, 'sysctl' | 'nat'>> {
  const keys = [...new Set(requests.flatMap((r) => (r.kind === 'sysctl' && SYSCTL_KEY.test(r.key) ? [r.key] : [])))];
  const natReq = requests.filter((r): r is Extract<ExtraRequest, { kind: 'nat' }> => r.kind === 'nat');
  const files = [...new Set(natReq.flatMap((r) => r.savedFiles.filter((f) => SAVED_FILE.test(f))))];
  const args = [String(keys.length), ...keys, natReq.length > 0 ? '1' : '0', ...files];
  const label = [keys.length > 0 ? `cat /proc/sys/{${keys.join(',')}}; sysctl.d files` : '', natReq.length > 0 ? `iptables-save -t nat; nft list ruleset; cat ${files.join(' ')}` : ''].filter(Boolean).join('; ');
  const r = await runProbe(conn, label, LINUX_ROUTER_SCRIPT, args, { timeoutMs: 15000 }, ev);
  const sections = splitSections(r.stdout);
  const out: Pick<GuestFacts, 'sysctl' | 'nat'> = {};
  if (keys.length > 0) {
    out.sysctl = Object.fromEntries(keys.map((k, i) => [k, { ...parseSysctl(k, sections.get(`live${i}`), sections.get('conf'), sections.get('sysd'), conn.target), evidence: r.evidence }]));
  }
  if (natReq.length > 0) out.nat = { ...parseNat(sections, files, conn.target), evidence: r.evidence };
  return out;
}
