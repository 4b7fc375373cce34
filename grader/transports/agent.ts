// QEMU guest agent transport: `virsh -c URI qemu-agent-command DOMAIN JSON` (argv, JSON built with
// JSON.stringify), so it works wherever virsh does, remote URIs included, and needs no network path
// to the guest (the only way into a guest on a very isolated network).
//   guest-exec (path + arg array, capture-output) -> pid
//   guest-exec-status {pid}, polled with backoff until `exited` -> exitcode, out-data/err-data
//   (base64), out-truncated/err-truncated (qemu-ga keeps at most 16 MiB per stream).
// The deadline is enforced here (stop polling, flag timedOut); on Linux a watchdog in the guest also
// kills the script when the deadline passes, so nothing keeps running there.
import { TransportError, type CommandResult, type Connection, type Lang, type OsFamily, type RunOptions } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/transport.js';
import en from '../i18n/en/transport.js';
import { BoundedBuffer, makeResult, normalizeRunOptions } from './output.js';
import { powershellArgs, readableStderr } from './powershell-command.js';

const t = translator(es, en);

/** What agent.ts needs of grader/libvirt/virsh.ts's Virsh (tests pass a fake guest). */
export interface VirshRunner {
  run(args: string[], opts?: { timeoutMs?: number; subject?: string }): Promise<string>;
}

export const WINDOWS_POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

/**
 * Runs `$2` as an sh script with the remaining arguments, killing it and its descendants (found
 * through /proc/PID/task/TID/children) after `$1` seconds. The watchdog's output goes to /dev/null
 * so it never holds the captured pipes open (qemu-ga reports `exited` only when they close).
 */
export const LINUX_EXEC_WRAPPER = [
  't=$1; s=$2; shift 2',
  'export LC_ALL=C',
  'kt() { for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do kt "$c"; done; kill -9 "$1" 2>/dev/null; }',
  'sh -c "$s" sh "$@" &',
  'p=$!',
  '( sleep "$t"; kt "$p" ) >/dev/null 2>&1 </dev/null &',
  'w=$!',
  'wait "$p"; r=$?',
  'kt "$w"',
  'exit "$r"',
].join('\n');

export interface AgentOptions {
  domain: string;
  virsh: VirshRunner;
  os: OsFamily;
  lang?: Lang;
  /** How long to wait for the agent to answer guest-ping after boot, ms (default 30 000; 0 = one try). */
  waitForAgentMs?: number;
  /** First poll delay and the cap of the backoff, ms. */
  pollInitialMs?: number;
  pollMaxMs?: number;
}

export interface AgentInterface {
  name: string;
  mac: string | null;
  addresses: { family: 'ipv4' | 'ipv6'; address: string; prefix: number }[];
}

interface ExecStatus {
  exited: boolean;
  exitcode?: number;
  signal?: number;
  'out-data'?: string;
  'err-data'?: string;
  'out-truncated'?: boolean;
  'err-truncated'?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class AgentConnection implements Connection {
  readonly kind = 'agent' as const;
  readonly target: string;
  private readonly lang: Lang;

  private constructor(private readonly o: AgentOptions) {
    this.target = `agent ${o.domain}`;
    this.lang = o.lang ?? 'en';
  }

  /** The connection without waiting for the agent (a caller that knows it answers: the lab). */
  static attach(o: AgentOptions): AgentConnection {
    return new AgentConnection(o);
  }

  /** Waits (bounded) for the agent to answer, then returns the connection. */
  static async open(o: AgentOptions): Promise<AgentConnection> {
    const c = new AgentConnection(o);
    await c.waitForAgent(o.waitForAgentMs ?? 30_000);
    return c;
  }

  /** One agent command; returns its `return` value. Errors of virsh/libvirt keep their codes. */
  async command(execute: string, args?: Record<string, unknown>, timeoutSec = 5): Promise<unknown> {
    const json = JSON.stringify(args === undefined ? { execute } : { execute, arguments: args });
    const out = await this.o.virsh.run(
      ['qemu-agent-command', '--domain', this.o.domain, '--timeout', String(timeoutSec), '--cmd', json],
      { subject: this.o.domain, timeoutMs: (timeoutSec + 10) * 1000 },
    );
    let parsed: unknown;
    try {
      parsed = JSON.parse(out);
    } catch {
      throw new TransportError('protocol', this.target, t(this.lang, 'agentBadReply', { domain: this.o.domain, command: execute, detail: out.slice(0, 200) }));
    }
    if (!parsed || typeof parsed !== 'object' || !('return' in parsed)) {
      throw new TransportError('protocol', this.target, t(this.lang, 'agentBadReply', { domain: this.o.domain, command: execute, detail: out.slice(0, 200) }));
    }
    return (parsed as { return: unknown }).return;
  }

  private async waitForAgent(waitMs: number): Promise<void> {
    const until = Date.now() + waitMs;
    let delay = 250;
    for (;;) {
      try {
        await this.command('guest-ping', undefined, 2);
        return;
      } catch (e) {
        const code = e instanceof TransportError ? e.code : null;
        if (code !== 'agent-not-connected' && code !== 'timeout') throw e;
        if (Date.now() + delay > until) {
          throw new TransportError(
            'agent-not-connected',
            this.target,
            t(this.lang, 'agentNotConnected', { domain: this.o.domain, seconds: Math.round(waitMs / 1000) }),
          );
        }
        await sleep(delay);
        delay = Math.min(delay * 2, 2000);
      }
    }
  }

  /** guest-network-get-interfaces: the guest's own view of its NICs (no network needed). */
  async networkInterfaces(): Promise<AgentInterface[]> {
    const r = await this.command('guest-network-get-interfaces');
    if (!Array.isArray(r)) return [];
    return r.map((i: Record<string, unknown>) => ({
      name: String(i.name ?? ''),
      mac: typeof i['hardware-address'] === 'string' ? (i['hardware-address'] as string).toLowerCase() : null,
      addresses: (Array.isArray(i['ip-addresses']) ? (i['ip-addresses'] as Record<string, unknown>[]) : [])
        .filter((a) => a['ip-address-type'] === 'ipv4' || a['ip-address-type'] === 'ipv6')
        .map((a) => ({
          family: a['ip-address-type'] as 'ipv4' | 'ipv6',
          address: String(a['ip-address'] ?? ''),
          prefix: Number(a.prefix ?? 0),
        })),
    }));
  }

  private execRequest(script: string, args: string[], timeoutMs: number): { path: string; arg: string[] } {
    if (this.o.os === 'windows') return { path: WINDOWS_POWERSHELL, arg: powershellArgs(script, args) };
    const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
    return { path: '/bin/sh', arg: ['-c', LINUX_EXEC_WRAPPER, 'sh', seconds, script, ...args] };
  }

  async runScript(script: string, args: string[], opts?: RunOptions): Promise<CommandResult> {
    const req = this.execRequest(script, args, normalizeRunOptions(opts).timeoutMs);
    return this.exec(req.path, req.arg, opts);
  }

  /**
   * guest-exec of one program with its argument vector, polled (with backoff) until it exits or the
   * deadline passes: the one guest-agent poll loop (scripts above, and the lab's own commands).
   */
  async exec(path: string, arg: string[], opts?: RunOptions): Promise<CommandResult> {
    const o = normalizeRunOptions(opts);
    const started = Date.now();
    const deadline = started + o.timeoutMs;
    const req = { path, arg };
    const r = await this.command('guest-exec', { path: req.path, arg: req.arg, 'capture-output': true });
    const pid = (r as { pid?: unknown } | null)?.pid;
    if (typeof pid !== 'number') {
      throw new TransportError('protocol', this.target, t(this.lang, 'agentExecFailed', { domain: this.o.domain, path: req.path, detail: JSON.stringify(r) }));
    }
    let delay = this.o.pollInitialMs ?? 30;
    const maxDelay = this.o.pollMaxMs ?? 500;
    const out = new BoundedBuffer(o.maxOutputBytes);
    const err = new BoundedBuffer(o.maxOutputBytes);
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return makeResult(null, out, err, started, { timedOut: true });
      await sleep(Math.min(delay, left));
      delay = Math.min(Math.ceil(delay * 1.5), maxDelay);
      let st: ExecStatus;
      try {
        st = (await this.command('guest-exec-status', { pid })) as ExecStatus;
      } catch (e) {
        if (e instanceof TransportError && /output/i.test((e as { kind?: string }).kind ?? '')) {
          // virsh's own read cap: the output was larger than anything we would keep.
          err.push(t(this.lang, 'agentOutputTooBig'));
          return makeResult(null, out, err, started, { timedOut: false, truncated: true });
        }
        throw e;
      }
      if (!st || typeof st !== 'object') {
        throw new TransportError('protocol', this.target, t(this.lang, 'agentBadReply', { domain: this.o.domain, command: 'guest-exec-status', detail: JSON.stringify(st) }));
      }
      if (!st.exited) continue;
      if (st['out-data']) out.push(Buffer.from(st['out-data'], 'base64'));
      if (st['err-data']) err.push(Buffer.from(st['err-data'], 'base64'));
      const exitCode = typeof st.exitcode === 'number' ? st.exitcode : typeof st.signal === 'number' ? 128 + st.signal : null;
      const res = makeResult(exitCode, out, err, started, {
        timedOut: false,
        truncated: Boolean(st['out-truncated'] || st['err-truncated']),
      });
      if (this.o.os === 'windows') res.stderr = readableStderr(res.stderr);
      return res;
    }
  }

  async close(): Promise<void> {
    // Nothing to release: every call is a separate virsh invocation.
  }
}
