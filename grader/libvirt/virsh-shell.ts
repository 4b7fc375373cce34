// Long-lived virsh shells: instead of a new virsh process (and, for a remote host, a new SSH
// session) per call, a few `virsh -q -c URI` processes read commands on stdin for the whole run.
// A call is written as one command line (each argument single-quoted for virsh's own parser)
// followed by `echo MARK`; the answer is what virsh prints between its prompt and that mark, with
// stderr merged into the same stream (`2>&1`, so order is kept) and `error: ` lines as the failure.
// Anything unexpected (an argument that cannot be written on one line, output without the prompt,
// the shell dying, a deadline) discards the shell and runs the call the one-shot way, so the
// result is always the one-shot result. See docs/en/benchmarks.md for why (profile, figures).
import { randomBytes } from 'node:crypto';
import { POLKIT_WARNING, type VirshExec, type VirshExecResult } from './virsh.js';
import { isStopping, trackChild } from '../util/cleanup.js';
import { shQuote } from '../transports/quote.js';

/** A running `virsh -q -c URI` with stdout and stderr merged. */
export interface ShellChannel {
  write(text: string): void;
  onData(cb: (chunk: string) => void): void;
  onClose(cb: () => void): void;
  close(): void;
}

/** Starts a shell for the global options (`-q [-r] -c URI`). */
export type ShellOpener = (prefix: string[]) => Promise<ShellChannel>;

/** Printable and on one line: anything else goes the one-shot way. */
const SAFE_ARG = /^[^\x00-\x1f\x7f]{0,2000}$/;

/** virsh's parser takes single quotes like sh: 'it'\''s'. */
export const virshQuote = shQuote;

const PROMPT = 'virsh # ';

/** A queued call handed back unrun: it waited too long behind a busy shell (see VirshShellPool). */
const SPILL = Symbol('spill');
/** A call whose shell was closed by the pool (the run ended, or a signal): never run again elsewhere. */
const CLOSED = Symbol('closed');

interface Pending {
  line: string;
  mark: string;
  maxBytes: number;
  resolve: (r: VirshExecResult | null | typeof SPILL | typeof CLOSED) => void;
  timer: NodeJS.Timeout;
}

/** The answer to a call made after the pool closed: failed, nothing started. */
const CLOSED_RESULT: VirshExecResult = { exitCode: null, stdout: '', stderr: 'virsh shells closed', timedOut: false, tooBig: false, notFound: false };

class Shell {
  private buf = '';
  private current: Pending | null = null;
  private readonly queue: Pending[] = [];
  dead = false;

  constructor(private readonly ch: ShellChannel) {
    ch.onData((d) => {
      this.buf += d;
      this.pump();
    });
    ch.onClose(() => this.kill());
  }

  get load(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  /** null: the shell could not answer (the caller runs the call the one-shot way). */
  run(args: string[], timeoutMs: number, maxBytes: number, spillAfterMs?: number): Promise<VirshExecResult | null | typeof SPILL | typeof CLOSED> {
    if (this.dead) return Promise.resolve(null);
    return new Promise((resolve) => {
      const mark = `@@labgrade-${randomBytes(6).toString('hex')}@@`;
      const p: Pending = {
        line: `${args.map(virshQuote).join(' ')}\necho ${mark}\n`,
        mark,
        maxBytes,
        resolve,
        timer: setTimeout(() => {
          // A command that hangs takes the shell with it; the one-shot run has its own deadline.
          this.kill();
        }, timeoutMs),
      };
      this.queue.push(p);
      this.next();
      if (spillAfterMs !== undefined && this.current !== p) {
        setTimeout(() => {
          const i = this.queue.indexOf(p);
          if (i < 0) return; // already running or answered
          this.queue.splice(i, 1);
          clearTimeout(p.timer);
          resolve(SPILL);
        }, spillAfterMs).unref();
      }
    });
  }

  private next(): void {
    if (this.current || this.dead) return;
    const p = this.queue.shift();
    if (!p) return;
    this.current = p;
    this.ch.write(p.line);
  }

  private pump(): void {
    const p = this.current;
    if (!p) return;
    if (this.buf.length > p.maxBytes + 4096) return this.kill();
    const echo = `${PROMPT}echo ${p.mark}`;
    const at = this.buf.indexOf(echo);
    if (at < 0) return;
    const out = this.buf.indexOf(p.mark, at + echo.length);
    if (out < 0) return;
    // virsh's polkit warning (virsh.ts POLKIT_WARNING) may come before a prompt or among the
    // output: it is neither output nor an error.
    const section = this.buf
      .slice(0, at)
      .split('\n')
      .filter((l) => !POLKIT_WARNING.test(l.trim()))
      .join('\n');
    this.buf = this.buf.slice(out + p.mark.length);
    // The section is the prompt, virsh's echo of the command line, then the command's output.
    if (!section.startsWith(PROMPT)) return this.kill();
    const nl = section.indexOf('\n');
    const body = nl < 0 ? '' : section.slice(nl + 1);
    const lines = body.split('\n');
    const errors = lines.filter((l) => l.startsWith('error: '));
    const stdout = lines.filter((l) => !l.startsWith('error: ')).join('\n');
    clearTimeout(p.timer);
    this.current = null;
    p.resolve({ exitCode: errors.length ? 1 : 0, stdout, stderr: errors.join('\n'), timedOut: false, tooBig: false, notFound: false });
    this.next();
  }

  /** `closing`: the pool is closing: pending calls end (CLOSED) instead of running the one-shot way. */
  kill(closing = false): void {
    if (this.dead) return;
    this.dead = true;
    for (const p of [...(this.current ? [this.current] : []), ...this.queue.splice(0)]) {
      clearTimeout(p.timer);
      p.resolve(closing || isStopping() ? CLOSED : null);
    }
    this.current = null;
    try {
      this.ch.close();
    } catch {
      /* already gone */
    }
  }
}

/**
 * A VirshExec over up to `size` shells per set of global options; every call that a shell cannot
 * answer cleanly runs through `oneShot` instead. `closeAll` ends the shells.
 * `spillMs`: when every shell is busy, a call first waits in the least busy one's queue and gets a
 * shell of its own only after waiting that long (a local virsh costs ~20 ms of CPU to start and
 * answers in a few ms, so a short queue is cheaper than a new one; a slow guest-agent call still
 * never holds the others up for long). 0: a new shell at once. Values in grader/libvirt/remote.ts.
 */
export class VirshShellPool {
  private readonly shells = new Map<string, Promise<Shell | null>[]>();

  constructor(
    private readonly open: ShellOpener,
    private readonly oneShot: VirshExec,
    private readonly size = 3,
    private readonly spillMs = 0,
  ) {}

  readonly exec: VirshExec = async (argv, o) => {
    if (isStopping()) return CLOSED_RESULT;
    if (this.closed) return this.oneShot(argv, o);
    const c = argv.indexOf('-c');
    const prefix = c >= 0 ? argv.slice(0, c + 2) : [];
    const args = argv.slice(prefix.length);
    if (c < 0 || args.length === 0 || !args.every((a) => SAFE_ARG.test(a))) return this.oneShot(argv, o);
    const { shell, mayGrow } = await this.pick(prefix, false);
    let r = shell ? await shell.run(args, o.timeoutMs, o.maxOutputBytes, mayGrow ? this.spillMs : undefined) : null;
    if (r === SPILL) {
      const fresh = (await this.pick(prefix, true)).shell;
      r = fresh ? await fresh.run(args, o.timeoutMs, o.maxOutputBytes) : null;
    }
    if (r === CLOSED) return CLOSED_RESULT;
    return (r === SPILL ? null : r) ?? this.oneShot(argv, o);
  };

  /** An idle shell; else a new one (none yet, `grow`, or spillMs 0); else the least busy, which `mayGrow` later. */
  private async pick(prefix: string[], grow: boolean): Promise<{ shell: Shell | null; mayGrow: boolean }> {
    const key = JSON.stringify(prefix);
    const list = (this.shells.get(key) ?? []).filter(Boolean);
    this.shells.set(key, list);
    const live: Shell[] = [];
    for (const p of list) {
      const s = await p;
      if (s && !s.dead) live.push(s);
    }
    const idle = live.find((s) => s.load === 0);
    if (idle) return { shell: idle, mayGrow: false };
    const room = live.length < this.size;
    if (room && (live.length === 0 || grow || this.spillMs === 0)) {
      const started = this.open(prefix).then(
        (ch) => new Shell(ch),
        () => null,
      );
      // Keep only live shells (and the one starting).
      this.shells.set(key, [...live.map((s) => Promise.resolve(s)), started]);
      return { shell: await started, mayGrow: false };
    }
    return { shell: live.reduce((a, b) => (b.load < a.load ? b : a)), mayGrow: room };
  }

  private closed = false;

  closeAll(): void {
    this.closed = true;
    for (const list of this.shells.values()) for (const p of list) void p.then((s) => s?.kill(true));
    this.shells.clear();
  }
}

/** Local shells: `sh -c 'exec "$@" 2>&1' sh virsh -q -c URI` (argv only; the merge keeps order). */
export function localShellOpener(virshPath: string, env: Record<string, string>): ShellOpener {
  return async (prefix) => {
    const { spawn } = await import('node:child_process');
    if (isStopping()) throw new Error('labgrade is stopping');
    // Its own process group, killed with labgrade (grader/util/cleanup.ts).
    const child = spawn('sh', ['-c', 'exec "$@" 2>&1', 'sh', virshPath, ...prefix], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'ignore'], detached: true });
    trackChild(child);
    child.stdout!.setEncoding('utf8');
    child.stdin!.on('error', () => undefined);
    // Idle shells never keep the process alive (a pending call's deadline timer does).
    child.unref();
    for (const s of [child.stdin, child.stdout] as unknown as { unref?: () => void }[]) s?.unref?.();
    return {
      write: (text) => void child.stdin!.write(text),
      onData: (cb) => void child.stdout!.on('data', cb),
      onClose: (cb) => {
        child.on('close', cb);
        child.on('error', cb);
      },
      close: () => {
        child.stdin!.end();
        child.kill('SIGTERM');
      },
    };
  };
}
