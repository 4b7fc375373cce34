// A stand-in for `virsh qemu-agent-command` in unit tests: it answers like qemu-ga, running
// guest-exec requests as local processes (constant test scripts only) and keeping their output
// base64-encoded, with qemu-ga's per-stream cap and truncation flags.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { TransportError } from '../../../grader/types.js';
import type { VirshRunner } from '../../../grader/transports/agent.js';

interface Proc {
  child: ChildProcess;
  out: Buffer[];
  err: Buffer[];
  outLen: number;
  errLen: number;
  outTrunc: boolean;
  errTrunc: boolean;
  exited: boolean;
  code: number | null;
  signal: number | null;
}

export class FakeAgent implements VirshRunner {
  calls: string[][] = [];
  /** guest-ping answers "not connected" this many times first. */
  notConnectedPings = 0;
  /** qemu-ga's cap per stream (16 MiB in qemu; small here to test the flag). */
  streamCap = 16 * 1024 * 1024;
  state: 'running' | 'shut off' = 'running';
  channel = true;
  interfaces: unknown[] = [];
  /** guest-exec-status never reports `exited` (a wedged guest). */
  neverExit = false;
  private procs = new Map<number, Proc>();
  private nextPid = 1000;

  async run(args: string[]): Promise<string> {
    this.calls.push(args);
    const i = args.indexOf('--cmd');
    const cmd = JSON.parse(args[i + 1] ?? '{}') as { execute: string; arguments?: Record<string, unknown> };
    if (this.state !== 'running') throw new TransportError('domain-not-running', 'virsh', 'domain is not running');
    if (!this.channel) throw new TransportError('agent-missing', 'virsh', 'QEMU guest agent is not configured');
    switch (cmd.execute) {
      case 'guest-ping':
        if (this.notConnectedPings > 0) {
          this.notConnectedPings--;
          throw new TransportError('agent-not-connected', 'virsh', 'Guest agent is not responding: QEMU guest agent is not connected');
        }
        return '{"return":{}}';
      case 'guest-network-get-interfaces':
        return JSON.stringify({ return: this.interfaces });
      case 'guest-exec':
        return JSON.stringify({ return: { pid: this.exec(cmd.arguments ?? {}) } });
      case 'guest-exec-status': {
        const pid = Number(cmd.arguments?.pid);
        const p = this.procs.get(pid);
        if (!p) throw new TransportError('protocol', 'virsh', `Invalid parameter 'pid'`);
        if (!p.exited || this.neverExit) return '{"return":{"exited":false}}';
        this.procs.delete(pid);
        const r: Record<string, unknown> = { exited: true };
        if (p.code !== null) r.exitcode = p.code;
        if (p.signal !== null) r.signal = p.signal;
        if (p.outLen) r['out-data'] = Buffer.concat(p.out).toString('base64');
        if (p.errLen) r['err-data'] = Buffer.concat(p.err).toString('base64');
        if (p.outTrunc) r['out-truncated'] = true;
        if (p.errTrunc) r['err-truncated'] = true;
        return JSON.stringify({ return: r });
      }
      default:
        throw new TransportError('protocol', 'virsh', `The command ${cmd.execute} has not been found`);
    }
  }

  private exec(a: Record<string, unknown>): number {
    const path = String(a.path);
    const argv = (a.arg as string[]) ?? [];
    if (!existsSync(path)) {
      throw new TransportError('protocol', 'virsh', `internal error: unable to execute QEMU agent command 'guest-exec': Failed to execute child process "${path}" (No such file or directory)`);
    }
    const child = spawn(path, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const p: Proc = { child, out: [], err: [], outLen: 0, errLen: 0, outTrunc: false, errTrunc: false, exited: false, code: null, signal: null };
    const take = (which: 'out' | 'err') => (d: Buffer) => {
      const len = which === 'out' ? p.outLen : p.errLen;
      const room = this.streamCap - len;
      if (d.length > room) {
        if (which === 'out') p.outTrunc = true;
        else p.errTrunc = true;
      }
      const keep = d.subarray(0, Math.max(0, room));
      p[which].push(keep);
      if (which === 'out') p.outLen += keep.length;
      else p.errLen += keep.length;
    };
    child.stdout!.on('data', take('out'));
    child.stderr!.on('data', take('err'));
    child.on('close', (code, signal) => {
      p.exited = true;
      p.code = code;
      p.signal = signal ? 9 : null;
    });
    const pid = this.nextPid++;
    this.procs.set(pid, p);
    return pid;
  }
}
