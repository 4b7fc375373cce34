// Running local programs for the lab: argument vectors only (execa), LC_ALL=C, timeouts.
// `virsh` here talks to the lab's libvirtd through its unix socket from the root namespace.
import { execa } from 'execa';
import { LAB_NETNS, LIBVIRT_URI } from './constants.js';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOpts {
  input?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

/** Run a program; a non-zero exit is data (never thrown). Throws only if it cannot be started. */
export async function run(file: string, args: string[], opts: RunOpts = {}): Promise<RunResult> {
  const r = await execa(file, args, {
    reject: false,
    input: opts.input,
    timeout: opts.timeoutMs ?? 60_000,
    env: { LC_ALL: 'C', LANG: 'C', ...opts.env },
    stripFinalNewline: true,
  });
  if (r.failed && r.exitCode === undefined) {
    const e = r as unknown as { shortMessage?: string; message?: string };
    if (r.timedOut) return { exitCode: 124, stdout: String(r.stdout ?? ''), stderr: `timed out: ${file} ${args.join(' ')}` };
    throw new Error(e.shortMessage ?? e.message ?? `cannot run ${file}`);
  }
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

export class CommandFailed extends Error {
  constructor(readonly file: string, readonly args: string[], readonly result: RunResult) {
    super(`${file} ${args.join(' ')} failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(0, 800)}`);
    this.name = 'CommandFailed';
  }
}

/** Run and throw CommandFailed on a non-zero exit. */
export async function runOk(file: string, args: string[], opts: RunOpts = {}): Promise<string> {
  const r = await run(file, args, opts);
  if (r.exitCode !== 0) throw new CommandFailed(file, args, r);
  return r.stdout;
}

export function virsh(args: string[], opts: RunOpts = {}): Promise<RunResult> {
  return run('virsh', ['-c', LIBVIRT_URI, ...args], opts);
}

export function virshOk(args: string[], opts: RunOpts = {}): Promise<string> {
  return runOk('virsh', ['-c', LIBVIRT_URI, ...args], opts);
}

/** Run a program inside a network namespace (default: the lab's). */
export function inNetns(file: string, args: string[], opts: RunOpts & { netns?: string } = {}): Promise<RunResult> {
  return run('ip', ['netns', 'exec', opts.netns ?? LAB_NETNS, file, ...args], opts);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `fn` until it returns a value other than undefined, or throw after timeoutMs. */
export async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>, everyMs = 200): Promise<T> {
  const t0 = Date.now();
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() - t0 > timeoutMs) {
      const why = lastErr instanceof Error ? `: ${lastErr.message}` : '';
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${why}`);
    }
    await sleep(everyMs);
  }
}

/** `virsh define|net-define FILE` with the XML in a temporary root-only file (virsh cannot read a socket stdin). */
export async function virshDefine(command: 'define' | 'net-define', xml: string): Promise<void> {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'labgrade-xml-'));
  try {
    const f = join(dir, 'def.xml');
    await writeFile(f, xml, { mode: 0o600 });
    await virshOk([command, f]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
