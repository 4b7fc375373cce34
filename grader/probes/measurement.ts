// The one place where a command's result becomes either something measured or a MeasurementError.
// Every prober (Linux sh sections, Windows PowerShell scripts, whichever transport ran them) hands
// its raw runs here; nothing else decides what a failed command means. The rules:
//   1. The tool is missing (exit 127, "not found", an absent busybox applet) or not executable
//      (126): not measured, cause `tool-missing`.
//   2. Permission denied / operation not permitted: not measured, cause `permission-denied`.
//   3. Output already produced wins: whatever the parser can read from it (an address printed
//      before a bound killed the tool) is the fact, whatever the exit code.
//   4. Cut off by a bound: for a configuration probe, not measured (`cut-off`); for a probe that
//      exists to detect silence (ping, a name lookup) and only when its tool was present and ran,
//      the silence is the fact.
//   5. Anything the parser cannot read: not measured (`unparseable`, or `failed` with the exit code).
import type { CommandResult, GuestConfig, GuestInterface, Measured, MeasureCause, MeasurementError, ReachObservation, Reachability, ReachStatus, Resolution, ResolveObservation } from '../types.js';

export type { Measured, MeasureCause, MeasurementError };

/** A command as it ran inside a batched script (one section) or as a whole script. */
export interface ToolRun {
  /** What ran, as cited to the user: `ip -j addr show`, `getent ahostsv4 www.example.com`. */
  command: string;
  /** The program that had to exist (`ip`, `getent`, `powershell`). */
  tool: string;
  /** null: no exit code (the run was cut off before it ended). */
  rc: number | null;
  stdout: string;
  stderr: string;
  /** Cut off by a bound (timeout(1) exit codes, the script's own deadline, the transport's). */
  killed: boolean;
}

export interface Interpretation<T> {
  /** Reads the output; undefined when it says nothing readable. May read partial output. */
  parse: (run: ToolRun) => T | undefined;
  /**
   * Only for probes that exist to detect silence (ping, lookups): the fact "no answer within the
   * bound". Never given for configuration probes.
   */
  silence?: (run: ToolRun) => T;
}

/** "Could not measure", as every collector reports it: the one constructor of a failed Measured<T>. */
export function couldNotMeasure<T>(error: MeasurementError): Measured<T> {
  return { ok: false, error };
}

/** A measured value: the one constructor of a successful Measured<T>. */
export function measuredValue<T>(value: T): Measured<T> {
  return { ok: true, value };
}

/** The configuration as a collector reads it: each part's value, and the parts that failed. */
export interface ConfigParts {
  interfaces: GuestInterface[];
  defaultGateway: string | null;
  dnsServers: string[];
  dnsSearch: string[];
  firewallEnabled: boolean | null;
}

/**
 * The one place a collector's configuration becomes a GuestConfig: a part named in `errors` is
 * "could not measure" and its (empty) value is dropped, so it can never be read as a fact.
 */
export function configOf(parts: ConfigParts, errors: Partial<Record<'interfaces' | 'gateway' | 'dns', MeasurementError>> = {}): GuestConfig {
  const part = <T>(error: MeasurementError | undefined, value: T): Measured<T> => (error ? couldNotMeasure(error) : measuredValue(value));
  return {
    interfaces: part(errors.interfaces, parts.interfaces),
    gateway: part(errors.gateway, parts.defaultGateway),
    dns: part(errors.dns, { servers: parts.dnsServers, search: parts.dnsSearch }),
    firewallEnabled: parts.firewallEnabled,
  };
}

/** A ping that ran and showed something (`status`), for `target`. */
export function reachOk(target: string, status: ReachStatus, detail?: string, extra: { command?: string; evidence?: string } = {}): Reachability {
  const value: ReachObservation = detail !== undefined ? { status, detail } : { status };
  return { ok: true, value, target, ...extra };
}

/** A ping that could not be made or did not finish (cause `cut-off`): never a status. */
export function reachFailed(target: string, error: MeasurementError, extra: { command?: string; evidence?: string } = {}): Reachability {
  return { ok: false, error, target, ...extra };
}

/** A lookup that ran and showed something. */
export function resolveOk(name: string, value: ResolveObservation, extra: { tool?: string; command?: string; evidence?: string } = {}): Resolution {
  return { ok: true, value, name, ...extra };
}

/** A lookup that could not be measured. */
export function resolveFailed(name: string, error: MeasurementError, extra: { tool?: string; command?: string; evidence?: string } = {}): Resolution {
  return { ok: false, error, name, ...extra };
}

/** timeout(1) (124), and SIGKILL/SIGTERM as sh reports them (busybox timeout, watchdogs). */
export const KILLED_CODES = new Set([124, 137, 143]);

const DENIED_RE = /permission denied|operation not permitted|are you root|access is denied|access denied|unauthorizedaccess|PermissionDenied|requires elevation|not have permission/i;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The shell (dash, bash, busybox ash) or PowerShell saying the program itself does not exist:
 * `sh: 1: ip: not found`, `bash: ip: command not found`, `ip: applet not found`,
 * `... is not recognized as the name of a cmdlet`. A file argument that is missing is not this.
 */
function toolMissingText(run: ToolRun): boolean {
  const tool = escapeRe(run.tool.split(/\s+/).pop() ?? run.tool);
  const sh = new RegExp(`(?:^|: )(?:\\S*/)?${tool}: (?:command |applet )?not found\\s*$`);
  return run.stderr.split('\n').some((l) => sh.test(l.trim()) || /is not recognized as (?:the name of )?a cmdlet|CommandNotFoundException/i.test(l));
}

function firstLine(s: string, max = 240): string {
  const l = s.split('\n').map((x) => x.trim()).find(Boolean) ?? '';
  return l.length > max ? `${l.slice(0, max)}…` : l;
}

export function measurementError(run: ToolRun, guest: string, cause: MeasureCause, detail?: string): MeasurementError {
  const d = detail ?? (firstLine(run.stderr) || firstLine(run.stdout) || (run.rc === null ? '' : `exit ${run.rc}`));
  return { command: run.command, guest, tool: run.tool, cause, detail: d, exitCode: run.rc };
}

/** Rules 1-2: the tool could not do its job at all (checked before reading any output). */
export function toolFailure(run: ToolRun, guest: string): MeasurementError | null {
  if (run.rc === 127 || toolMissingText(run)) return measurementError(run, guest, 'tool-missing');
  if (run.rc === 126) return measurementError(run, guest, 'permission-denied');
  if (DENIED_RE.test(run.stderr)) return measurementError(run, guest, 'permission-denied');
  return null;
}

/** The single decision: a run becomes a measured value or a MeasurementError. */
export function interpret<T>(run: ToolRun, guest: string, how: Interpretation<T>): Measured<T> {
  const failed = toolFailure(run, guest);
  // Rule 3 comes first for output that proves something (printed before the failure or the bound).
  const value = how.parse(run);
  if (value !== undefined && (!failed || failed.cause !== 'tool-missing')) return { ok: true, value };
  if (failed) return { ok: false, error: failed };
  if (run.killed) {
    if (how.silence) return { ok: true, value: how.silence(run) };
    return { ok: false, error: measurementError(run, guest, 'cut-off') };
  }
  const unreadable = run.rc === 0 || run.rc === null;
  return { ok: false, error: measurementError(run, guest, unreadable ? 'unparseable' : 'failed') };
}

/** A whole script's CommandResult as one run (Windows, and the identity check). */
export function runOf(r: CommandResult, command: string, tool: string): ToolRun {
  return {
    command,
    tool,
    rc: r.timedOut ? null : r.exitCode,
    stdout: r.stdout,
    stderr: r.stderr,
    killed: r.timedOut || (r.exitCode !== null && KILLED_CODES.has(r.exitCode)),
  };
}

/** Sections of a batched sh script, with each section's own stderr and whether it ended. */
export interface Section {
  body: string;
  stderr: string;
  /** null: the section began but never ended (the script was cut off inside it). */
  rc: number | null;
}

/**
 * Splits `@@LG-BEGIN name` / body / [`@@LG-ERR name` / stderr] / `@@LG-END name rc` sections. A
 * section that began but did not end (the script was killed inside it) is kept with rc null and
 * the output it had produced.
 */
export function splitSections(stdout: string): Map<string, Section> {
  const out = new Map<string, Section>();
  const lines = stdout.split('\n');
  let cur: { name: string; body: string[]; err: string[]; inErr: boolean } | null = null;
  const flush = (rc: number | null): void => {
    if (!cur) return;
    const trim = (xs: string[]) => xs.join('\n').replace(/\n$/, '');
    out.set(cur.name, { body: trim(cur.body), stderr: trim(cur.err), rc });
    cur = null;
  };
  for (const line of lines) {
    const b = /^@@LG-BEGIN (\S+)$/.exec(line);
    if (b) {
      flush(null);
      cur = { name: b[1]!, body: [], err: [], inErr: false };
      continue;
    }
    if (!cur) continue;
    const c = cur as { name: string; body: string[]; err: string[]; inErr: boolean };
    if (line === `@@LG-ERR ${c.name}`) {
      c.inErr = true;
      continue;
    }
    const e = /^@@LG-END (\S+) (\d+)$/.exec(line);
    if (e && e[1] === c.name) {
      flush(Number(e[2]));
      continue;
    }
    (c.inErr ? c.err : c.body).push(line);
  }
  flush(null);
  return out;
}

/** A section as a ToolRun; a missing section is a run that never started (cut off or not run). */
export function sectionRun(sections: Map<string, Section>, name: string, command: string, tool: string, scriptCut: boolean): ToolRun | null {
  const s = sections.get(name);
  if (!s) return scriptCut ? { command, tool, rc: null, stdout: '', stderr: '', killed: true } : null;
  return { command, tool, rc: s.rc, stdout: s.body, stderr: s.stderr, killed: s.rc === null || KILLED_CODES.has(s.rc) };
}

/** A part of a script that ran several probes side by side (`@@LG-PART-BEGIN name` ... `-END`). */
export interface Part {
  text: string;
  /** False: the part began but never ended, or never began (the script was cut off). */
  ended: boolean;
}

/** Where the fenced part `name` lies: its begin line, its text, and the end of its end line (or of stdout). */
function partSpan(stdout: string, name: string): { begin: number; from: number; to: number; end: number; ended: boolean } | null {
  const begin = stdout.indexOf(`@@LG-PART-BEGIN ${name}\n`);
  if (begin < 0) return null;
  const from = begin + `@@LG-PART-BEGIN ${name}\n`.length;
  const endMark = `@@LG-PART-END ${name}\n`;
  // The end line starts a line (searching from the begin line's own newline finds an empty part too).
  const to = stdout.indexOf(`\n${endMark}`, from - 1) + 1;
  return to > 0 ? { begin, from, to, end: to + endMark.length, ended: true } : { begin, from, to: stdout.length, end: stdout.length, ended: false };
}

/** The fenced part `name` of a script's stdout; a part never begun is empty and not ended. */
export function scriptPart(stdout: string, name: string): Part {
  const sp = partSpan(stdout, name);
  return sp ? { text: stdout.slice(sp.from, sp.to), ended: sp.ended } : { text: '', ended: false };
}

/** stdout without the fenced parts `names` (what the survey's pings printed around them). */
export function withoutParts(stdout: string, names: string[]): string {
  let out = stdout;
  for (const name of names) {
    const sp = partSpan(out, name);
    if (sp) out = out.slice(0, sp.begin) + out.slice(sp.end);
  }
  return out;
}
