// Running a probe script with its evidence kept: every command a prober runs leaves a
// CommandEvidence (what ran, exit code, capped and redacted excerpts, duration), success or not.
import { TransportError, type CommandEvidence, type CommandResult, type Connection, type RunOptions } from '../types.js';
import { redact } from '../inputs/secrets.js';

export const EXCERPT_BYTES = 4096;

export function excerpt(s: string, max = EXCERPT_BYTES): string {
  const r = redact(s);
  if (r.length <= max) return r;
  return `${r.slice(0, max)}\n… (${r.length - max} more characters)`;
}

/**
 * Runs the script; records evidence; returns the result. A broken channel is recorded too and
 * then rethrown (the caller decides what a missing fact means).
 */
export async function runProbe(
  conn: Connection,
  label: string,
  script: string,
  args: string[],
  opts: RunOptions,
  ev: CommandEvidence[],
): Promise<CommandResult & { evidence: string }> {
  const started = Date.now();
  try {
    const r = await conn.runScript(script, args, opts);
    return { ...r, evidence: recordRun(conn, label, r, opts.timeoutMs ?? 10000, ev) };
  } catch (err) {
    const id = nextId(ev);
    ev.push({
      id,
      guest: conn.target,
      transport: conn.kind,
      command: label,
      exitCode: null,
      stdout: '',
      stderr: '',
      durationMs: Date.now() - started,
      error: redact(err instanceof TransportError ? `${err.code}: ${err.message}` : String((err as Error)?.message ?? err)),
    });
    // The entry that says the channel broke: the caller's "could not measure" cites it.
    if (err && typeof err === 'object') Object.defineProperty(err, 'evidence', { value: id, configurable: true });
    throw err;
  }
}

/** The next evidence id of a guest's evidence list (`e1`, `e2`, ...). */
export function nextId(ev: CommandEvidence[]): string {
  return `e${ev.length + 1}`;
}

/** The evidence id a probe's thrown error carries (runProbe recorded the broken run). */
export function evidenceOfError(err: unknown): string | undefined {
  const id = (err as { evidence?: unknown } | null)?.evidence;
  return typeof id === 'string' ? id : undefined;
}

/** The evidence of a script that already ran (runProbe's, or one run by openGuest as its identity check); returns its id. */
export function recordRun(conn: Connection, label: string, r: CommandResult, timeoutMs: number, ev: CommandEvidence[], broken?: string): string {
  const id = nextId(ev);
  const e: CommandEvidence = {
    id,
    guest: conn.target,
    transport: conn.kind,
    command: label,
    exitCode: r.exitCode,
    stdout: excerpt(r.stdout),
    stderr: excerpt(r.stderr),
    durationMs: r.durationMs,
  };
  if (broken !== undefined) e.error = redact(broken);
  else if (r.timedOut) e.error = `timed out after ${timeoutMs} ms`;
  else if (r.truncated) e.error = 'output truncated';
  ev.push(e);
  return id;
}

/**
 * A survey's run as one evidence entry per part (configuration, lookup, pings), each with its own
 * label, output and id; returns the ids by part. The whole run's stderr goes with the first part.
 */
export function recordParts(conn: Connection, r: CommandResult, timeoutMs: number, parts: { key: string; label: string; stdout: string }[], ev: CommandEvidence[]): Record<string, string> {
  const ids: Record<string, string> = {};
  parts.forEach((p, i) => {
    ids[p.key] = recordRun(conn, p.label, { ...r, stdout: p.stdout, stderr: i === 0 ? r.stderr : '' }, timeoutMs, ev);
  });
  return ids;
}

/** JSON.parse that returns undefined instead of throwing (guest output is untrusted). */
export function tryJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const s = text.replace(/^\uFEFF/, '').trim();
  if (!s) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** PowerShell 5.1 quirks: a single object instead of an array, `{value:[...],Count:n}` wrappers. */
export function asArray<T = Record<string, unknown>>(v: unknown): T[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v as T[];
  if (typeof v === 'object' && v !== null && Array.isArray((v as { value?: unknown }).value) && 'Count' in v) {
    return (v as unknown as { value: T[] }).value;
  }
  return [v as T];
}
