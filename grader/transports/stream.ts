// Byte streams to a guest's TCP port, the one seam every network transport (SSH, WinRM) uses:
//  - direct: a TCP connection from this process;
//  - netns: from inside a Linux network namespace, through one relay per run and namespace
//    (`ip netns exec NS node netns-relay.mjs SOCKET`, argv only) that opens each TCP connection in
//    the namespace and hands it back over a unix socket (the bundled lab, whose `lab up` also keeps
//    a standing relay that runs use instead of starting their own);
//  - jump: through the libvirt host of a qemu+ssh URI, as an SSH `direct-tcpip` channel (forwardOut).
// Every failure is a TransportError: refused / unreachable / timeout, naming host:port.
import net from 'node:net';
import { isStopping, trackChild } from '../util/cleanup.js';
import { Duplex } from 'node:stream';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** How to start the relay with process.execPath: the script, or the single executable's hidden command. */
export function relayArgs(): string[] {
  return isSingleExecutable() ? ['__netns-relay'] : [relayScriptPath()];
}

/** Where netns-relay.mjs lives: next to this module in the source tree, or in grader/ from dist/. */
export function relayScriptPath(): string {
  const here = fileURLToPath(new URL('./netns-relay.mjs', import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL('../../../grader/transports/netns-relay.mjs', import.meta.url));
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
  /** Arguments placed before `node netns-relay.mjs SOCKET` (default `netns exec NS`). */
  prefixArgs?: string[];
  lang?: Lang;
}

interface Relay {
  socketPath: string;
}

/**
 * Where the bundled lab keeps a standing relay per namespace (`lab up` starts it): a root-only
 * folder. A run that finds a live one there uses it instead of starting its own.
 */
export const STANDING_RELAY_DIR = '/run/labgrade/netns-relay';

export function standingRelayPath(netns: string): string {
  return join(STANDING_RELAY_DIR, `${netns}.sock`);
}

/** The standing relay's socket, if it is root's, in a root-only folder, and answers; else null. */
function standingRelay(netns: string): Promise<string | null> {
  if (process.getuid?.() !== 0) return Promise.resolve(null);
  const path = standingRelayPath(netns);
  try {
    const dir = lstatSync(STANDING_RELAY_DIR);
    const sock = lstatSync(path);
    if (!dir.isDirectory() || dir.uid !== 0 || (dir.mode & 0o077) !== 0 || !sock.isSocket() || sock.uid !== 0) return Promise.resolve(null);
  } catch {
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    const s = net.connect(path);
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok ? path : null);
    };
    const timer = setTimeout(() => done(false), 1000);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** One relay per namespace (and entry command) for the whole run: a cache, started on first use. */
const relays = new Map<string, Promise<Relay>>();

function relayKey(command: string, prefix: string[]): string {
  return JSON.stringify([command, ...prefix]);
}

/**
 * The relay that opens TCP connections from inside the namespace, once per run: the lab's standing
 * one when it runs, else one of our own that lives until this process exits (its stdin is our
 * pipe; it is unreferenced so it never keeps us alive).
 */
function startRelay(command: string, prefix: string[], lang: Lang, timeoutMs: number): Promise<Relay> {
  const key = relayKey(command, prefix);
  const known = relays.get(key);
  if (known) return known;
  const netns = prefix.length === 3 && prefix[0] === 'netns' && prefix[1] === 'exec' && command === 'ip' ? prefix[2]! : null;
  const p = (netns ? standingRelay(netns) : Promise.resolve(null)).then((standing) =>
    standing ? { socketPath: standing } : spawnRelay(command, prefix, lang, timeoutMs, key),
  );
  relays.set(key, p);
  p.catch(() => relays.get(key) === p && relays.delete(key));
  return p;
}

/** Why a relay did not come up: `spawn` (could not be started), `timeout`, or its exit code; `detail`: its last words. */
export class RelayStartError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(`relay did not start (${code})${detail ? `: ${detail}` : ''}`);
  }
}

/**
 * Resolves once a relay process prints READY; rejects with a RelayStartError if it cannot be
 * started, exits first, or stays silent past `timeoutMs` (then it is killed). Shared by a run's own
 * relay and the lab's standing one.
 */
export function relayReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    let settled = false;
    const settle = (e?: RelayStartError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!e) return resolve();
      child.kill('SIGTERM');
      reject(e);
    };
    const timer = setTimeout(() => settle(new RelayStartError('timeout', '')), timeoutMs);
    child.once('error', (e) => settle(new RelayStartError('spawn', e.message)));
    child.stderr!.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4096);
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY')) settle();
    });
    child.once('exit', (code) => settle(new RelayStartError(String(code), err.trim().split('\n').slice(-3).join(' / '))));
  });
}

async function spawnRelay(command: string, prefix: string[], lang: Lang, timeoutMs: number, key: string): Promise<Relay> {
  const dir = mkdtempSync(join(tmpdir(), 'labgrade-relay-'));
  chmodSync(dir, 0o700);
  const socketPath = join(dir, 'relay.sock');
  if (isStopping()) throw new TransportError('config', `netns relay (${command})`, 'labgrade is stopping');
  // Its own process group, killed with labgrade (grader/util/cleanup.ts).
  const child = spawn(command, [...prefix, process.execPath, ...relayArgs(), socketPath], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  trackChild(child);
  const cleanup = (): void => {
    relays.delete(key);
    rmSync(dir, { recursive: true, force: true });
  };
  child.once('error', cleanup);
  child.once('exit', cleanup);
  process.once('exit', () => {
    try {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* exiting anyway */
    }
  });
  const where = `${command} ${prefix.join(' ')}`;
  try {
    await relayReady(child, timeoutMs + 5000);
  } catch (e) {
    const x = e as RelayStartError;
    const msg = x.code === 'spawn' ? t(lang, 'netnsSpawn', { command, detail: x.detail }) : t(lang, 'netnsExit', { command: where, code: x.code, detail: x.detail ? `: ${x.detail}` : '' });
    throw new TransportError('config', `netns relay (${where})`, msg);
  }
  // Never keep the grader alive for the relay's sake; it exits when our end of stdin closes.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr] as unknown as { unref?: () => void }[]) s?.unref?.();
  return { socketPath };
}

/** Starts a namespace's relay ahead of the first connection (e.g. while the host is inspected). */
export function prewarmNetns(netns: string, opts: NetnsOpenerOptions = {}): void {
  if (!NETNS_NAME.test(netns) || netns.startsWith('-')) return;
  startRelay(opts.command ?? 'ip', opts.prefixArgs ?? ['netns', 'exec', netns], opts.lang ?? 'en', opts.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS).catch(
    () => undefined, // the first real connection reports it
  );
}

const NETNS_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function netnsOpener(netns: string, opts: NetnsOpenerOptions = {}): StreamOpener {
  if (!NETNS_NAME.test(netns) || netns.startsWith('-')) {
    throw new TransportError('config', `netns ${JSON.stringify(netns)}`, t(opts.lang ?? 'en', 'netnsBad', { name: JSON.stringify(netns) }));
  }
  const lang = opts.lang ?? 'en';
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const command = opts.command ?? 'ip';
  const prefix = opts.prefixArgs ?? ['netns', 'exec', netns];
  return async (host, port) => {
    const target = `${host}:${port} (netns ${netns})`;
    // The header is one line of three words: refuse anything that could break it.
    if (!/^[A-Za-z0-9_.:-]{1,253}$/.test(host) || !Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new TransportError('config', target, t(lang, 'tcpFailed', { target, detail: 'invalid host or port' }));
    }
    const relay = await startRelay(command, prefix, lang, timeoutMs);
    return new Promise<Duplex>((resolve, reject) => {
      const sock = net.connect(relay.socketPath);
      let buf = Buffer.alloc(0);
      let settled = false;
      const fail = (code: TransportErrorCode, msg: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sock.destroy();
        reject(new TransportError(code, target, msg));
      };
      const timer = setTimeout(() => fail('timeout', t(lang, 'tcpTimeout', { target, ms: timeoutMs })), timeoutMs + 2000);
      sock.on('error', (e) => fail('config', t(lang, 'netnsSpawn', { command: 'netns relay', detail: e.message })));
      sock.on('close', () => fail('unreachable', t(lang, 'tcpFailed', { target, detail: buf.toString('utf8').trim() || 'relay closed the connection' })));
      const onData = (d: Buffer): void => {
        buf = Buffer.concat([buf, d]);
        const nl = buf.indexOf(10);
        if (nl < 0) {
          if (buf.length > 4096) fail('protocol', t(lang, 'tcpFailed', { target, detail: 'relay answered nonsense' }));
          return;
        }
        const line = buf.subarray(0, nl).toString('utf8');
        const rest = buf.subarray(nl + 1);
        sock.off('data', onData);
        if (line.startsWith('CONNECTED')) {
          settled = true;
          clearTimeout(timer);
          sock.removeAllListeners('close');
          sock.removeAllListeners('error');
          sock.on('error', () => undefined); // reported by the user of the stream through 'close'
          // Hold what came with the answer (an SSH banner) until the user of the stream listens:
          // paused here, flowing again as soon as a 'data' listener is added (ssh2 resumes by
          // itself, node's http does not).
          sock.pause();
          if (rest.length) sock.unshift(rest);
          const onListener = (event: string | symbol): void => {
            if (event !== 'data') return;
            sock.off('newListener', onListener);
            process.nextTick(() => sock.resume());
          };
          sock.on('newListener', onListener);
          resolve(sock);
          return;
        }
        const [, errno, ...words] = line.split(' ');
        fail(errnoToCode(errno), t(lang, 'tcpFailed', { target, detail: words.join(' ') || errno || line }));
      };
      sock.on('data', onData);
      sock.once('connect', () => sock.write(`${host} ${port} ${timeoutMs}\n`));
    });
  };
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
