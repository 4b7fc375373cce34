// A Connection to this machine itself (kind 'local'): runs POSIX sh scripts as `sh -c SCRIPT sh
// ARGS...` with the same deadline and output cap as the remote transports. Used by tests and
// benchmarks, and to probe the host's own view where that is wanted.
import { spawn } from 'node:child_process';
import { isStopping, trackChild } from '../util/cleanup.js';
import type { CommandResult, Connection, RunOptions } from '../types.js';
import { BoundedBuffer, makeResult, normalizeRunOptions } from './output.js';

export class LocalConnection implements Connection {
  readonly kind = 'local' as const;
  readonly target: string;
  constructor(
    target = 'local',
    /** Program and leading arguments, e.g. ['ip', 'netns', 'exec', 'ns1', 'sh'] (default ['sh']). */
    private readonly shell: string[] = ['sh'],
  ) {
    this.target = target;
  }

  runScript(script: string, args: string[], opts?: RunOptions): Promise<CommandResult> {
    const o = normalizeRunOptions(opts);
    return new Promise((resolve) => {
      const started = Date.now();
      const out = new BoundedBuffer(o.maxOutputBytes);
      const err = new BoundedBuffer(o.maxOutputBytes);
      let timedOut = false;
      let done = false;
      const [cmd, ...pre] = this.shell;
      if (isStopping()) return resolve(makeResult(null, out, err, started, { timedOut: false }));
      const child = spawn(cmd!, [...pre, '-c', script, 'sh', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      trackChild(child);
      const killAll = (): void => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      };
      const finish = (code: number | null): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(makeResult(code, out, err, started, { timedOut }));
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killAll();
        setTimeout(() => finish(null), 200);
      }, o.timeoutMs);
      child.stdout.on('data', (d: Buffer) => {
        if (!out.push(d)) killAll();
      });
      child.stderr.on('data', (d: Buffer) => {
        if (!err.push(d)) killAll();
      });
      child.on('error', (e) => {
        err.push(String(e.message));
        finish(null);
      });
      child.on('close', (code) => finish(timedOut || out.overflowed || err.overflowed ? (timedOut ? null : code) : code));
    });
  }

  async close(): Promise<void> {}
}
