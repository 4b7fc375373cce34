// Byte streams to a guest's TCP port, the one seam every network transport (SSH, WinRM) uses:
//  - direct: a TCP connection from this process;
//  - netns: from inside a Linux network namespace, by running `ip netns exec NS node netns-pipe.mjs
//    HOST PORT` (argv only) and using the child's stdin/stdout as the socket (the bundled lab);
//  - jump: through the libvirt host of a qemu+ssh URI, as an SSH `direct-tcpip` channel (forwardOut).
// Every failure is a TransportError: refused / unreachable / timeout, naming host:port.
import net from 'node:net';
import { Duplex } from 'node:stream';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Client } from 'ssh2';
import { isSingleExecutable } from '../version.js';
import { TransportError, type Lang, type TransportErrorCode } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/transport.js';
import en from '../i18n/en/transport.js';

const t = translator(es, en);

/** Opens a connected byte stream to host:port (the WinRM client's socket hook uses the same). */
export type StreamOpener = (host: string, port: number) => Promise<Duplex>;

export const DEFAULT_CONNECT_TIMEOUT_MS = 8000;

export function errnoToCode(errno: string | undefined): TransportErrorCode {
  switch (errno) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTDOWN':
      return 'unreachable';
    default:
      return 'unreachable';
  }
}

export function directOpener(timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS, lang: Lang = 'en'): StreamOpener {
  return (host, port) =>
    new Promise((resolve, reject) => {
      const target = `${host}:${port}`;
      const sock = net.connect({ host, port });
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new TransportError('timeout', target, t(lang, 'tcpTimeout', { target, ms: timeoutMs })));
      }, timeoutMs);
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.setNoDelay(true);
        sock.removeAllListeners('error');
        sock.on('error', () => undefined); // reported by the user of the stream through 'close'
        resolve(sock);
      });
      sock.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new TransportError(errnoToCode(err.code), target, t(lang, 'tcpFailed', { target, detail: err.message })));
      });
    });
}

/** How to start the pipe with process.execPath: the script, or the single executable's hidden command. */
function pipeArgs(): string[] {
  return isSingleExecutable() ? ['__netns-pipe'] : [pipeScriptPath()];
}

/** Where netns-pipe.mjs lives: next to this module in the source tree, or in grader/ from dist/. */
export function pipeScriptPath(): string {
  const here = fileURLToPath(new URL('./netns-pipe.mjs', import.meta.url));
  if (existsSync(here)) return here;
  const fromDist = fileURLToPath(new URL('../../../grader/transports/netns-pipe.mjs', import.meta.url));
  return fromDist;
}

/** A Duplex over a child's stdout (readable side) and stdin (writable side); destroying it kills the child. */
export class ChildStream extends Duplex {
  constructor(private readonly child: ChildProcess) {
    super({ allowHalfOpen: true });
    const out = child.stdout!;
    out.on('data', (d: Buffer) => {
      if (!this.push(d)) out.pause();
    });
    out.on('end', () => this.push(null));
    out.on('error', (e) => this.destroy(e));
    child.stdin!.on('error', () => undefined);
    // 'close' (not 'exit'): every stdio stream has ended, so no data can still be pending.
    child.on('close', () => {
      if (!this.readableEnded) this.push(null);
    });
  }
  override _read(): void {
    this.child.stdout?.resume();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    const stdin = this.child.stdin;
    if (!stdin || stdin.destroyed) return cb(new Error('stream closed'));
    stdin.write(chunk, (e) => cb(e ?? null));
  }
  override _final(cb: (e?: Error | null) => void): void {
    this.child.stdin?.end();
    cb();
  }
  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    cb(err);
  }
}

export interface NetnsOpenerOptions {
  timeoutMs?: number;
  /** Program that enters the namespace (default `ip`; tests may use a stand-in). */
  command?: string;
  /** Arguments placed before `node pipe.mjs HOST PORT TIMEOUT` (default `netns exec NS`). */
  prefixArgs?: string[];
  lang?: Lang;
}

export function netnsOpener(netns: string, opts: NetnsOpenerOptions = {}): StreamOpener {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(netns) || netns.startsWith('-')) {
    throw new TransportError('config', `netns ${JSON.stringify(netns)}`, t(opts.lang ?? 'en', 'netnsBad', { name: JSON.stringify(netns) }));
  }
  const lang = opts.lang ?? 'en';
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const command = opts.command ?? 'ip';
  const prefix = opts.prefixArgs ?? ['netns', 'exec', netns];
  return (host, port) =>
    new Promise((resolve, reject) => {
      const target = `${host}:${port} (netns ${netns})`;
      const child = spawn(command, [...prefix, process.execPath, ...pipeArgs(), host, String(port), String(timeoutMs)], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let status = '';
      let settled = false;
      const fail = (code: TransportErrorCode, msg: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.kill('SIGTERM');
        reject(new TransportError(code, target, msg));
      };
      const timer = setTimeout(
        () => fail('timeout', t(lang, 'tcpTimeout', { target, ms: timeoutMs })),
        timeoutMs + 2000,
      );
      child.on('error', (e) => fail('config', t(lang, 'netnsSpawn', { command, detail: e.message })));
      child.stderr!.on('data', (d: Buffer) => {
        if (settled) return;
        status += d.toString();
        if (status.length > 4096) status = status.slice(-4096);
        const line = status.split('\n').find((l) => l.startsWith('CONNECTED') || l.startsWith('ERROR '));
        if (line?.startsWith('CONNECTED')) {
          settled = true;
          clearTimeout(timer);
          resolve(new ChildStream(child));
        } else if (line) {
          const [, errno, ...rest] = line.split(' ');
          fail(errnoToCode(errno), t(lang, 'tcpFailed', { target, detail: rest.join(' ') || errno }));
        }
      });
      child.on('exit', (code) => {
        if (!settled) {
          const why = status.trim().split('\n').slice(-3).join(' / ');
          fail('config', t(lang, 'netnsExit', { command: `${command} ${prefix.join(' ')}`, code: String(code), detail: why ? `: ${why}` : '' }));
        }
      });
    });
}

/** Streams as SSH direct-tcpip channels of an established client (the libvirt host). */
export function jumpOpener(client: Client, via: string, timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS, lang: Lang = 'en'): StreamOpener {
  return (host, port) =>
    new Promise((resolve, reject) => {
      const target = `${host}:${port} via ${via}`;
      const timer = setTimeout(
        () => reject(new TransportError('timeout', target, t(lang, 'jumpTimeout', { target: `${host}:${port}`, via }))),
        timeoutMs,
      );
      try {
        client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
          clearTimeout(timer);
          if (err) {
            const msg = err.message || String(err);
            const code: TransportErrorCode = /refused/i.test(msg)
              ? 'refused'
              : /prohibited|administratively/i.test(msg)
                ? 'config'
                : 'unreachable';
            reject(new TransportError(code, target, t(lang, 'jumpFailed', { target: `${host}:${port}`, via, detail: msg })));
            return;
          }
          resolve(stream);
        });
      } catch (e) {
        clearTimeout(timer);
        reject(new TransportError('unreachable', target, t(lang, 'jumpNotConnected', { via, detail: (e as Error).message })));
      }
    });
}
