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
): Promise<CommandResult> {
  const started = Date.now();
  try {
    const r = await conn.runScript(script, args, opts);
    recordRun(conn, label, r, opts.timeoutMs ?? 10000, ev);
    return r;
  } catch (err) {
    ev.push({
      guest: conn.target,
      transport: conn.kind,
      command: label,
      exitCode: null,
      stdout: '',
      stderr: '',
      durationMs: Date.now() - started,
      error: redact(err instanceof TransportError ? `${err.code}: ${err.message}` : String((err as Error)?.message ?? err)),
    });
    throw err;
  }
}

/** The evidence of a script that already ran (runProbe's, or one run by openGuest as its identity check). */
export function recordRun(conn: Connection, label: string, r: CommandResult, timeoutMs: number, ev: CommandEvidence[]): void {
  const e: CommandEvidence = {
    guest: conn.target,
    transport: conn.kind,
    command: label,
    exitCode: r.exitCode,
    stdout: excerpt(r.stdout),
    stderr: excerpt(r.stderr),
    durationMs: r.durationMs,
  };
  if (r.timedOut) e.error = `timed out after ${timeoutMs} ms`;
  else if (r.truncated) e.error = 'output truncated';
  ev.push(e);
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
