// WinRmConnection: the `Connection` of a Windows guest reached over WinRM. PowerShell scripts run
// through `powershell.exe -EncodedCommand` (see powershell.ts) in Windows Remote Shells (shell.ts).
// Shells are kept open and reused; up to `maxShells` commands run in parallel, each shell on its own
// HTTP connection (NTLM authenticates connections). A shell whose channel broke is deleted (best
// effort) and replaced; close() deletes every shell.
import type { Duplex } from 'node:stream';
import type { CommandResult, Connection, Lang, RunOptions } from '../../types.js';
import { TransportError } from '../../types.js';
import { normalizeRunOptions } from '../output.js';
import { t, WsmanClient } from './client.js';
import { decodeClixml, MAX_COMMAND_LINE, powershellCommand } from './powershell.js';
import { WinRmShell } from './shell.js';

export interface WinRmOptions {
  host: string;
  /** Default 5985 (http) / 5986 (https). */
  port?: number;
  scheme?: 'http' | 'https';
  user: string;
  /** Already resolved (never logged, never part of an error). */
  password: string;
  auth?: 'ntlm' | 'basic';
  /** PEM CA certificate(s) trusted for HTTPS. */
  ca?: string | Buffer;
  insecureSkipVerify?: boolean;
  /** Basic over plain HTTP sends the password in clear: refused unless set. */
  allowBasicOverHttp?: boolean;
  /** TCP/TLS connection establishment, ms (default 10 000). */
  connectTimeoutMs?: number;
  /** Create/Signal/Delete requests, ms (default 15 000). */
  requestTimeoutMs?: number;
  /** Longest single Receive poll on the server, s (default 20). */
  operationTimeoutSec?: number;
  /** Parallel shells (default 3; Windows allows 30 per user by default). */
  maxShells?: number;
  /**
   * Opens the byte stream to host:port for each new HTTP connection (a pipe through a network
   * namespace, an SSH direct-tcpip channel...). Default: a TCP connection.
   */
  createSocket?: () => Duplex | Promise<Duplex>;
  /** Service path (default /wsman). */
  path?: string;
  /** Language of error messages (default en). */
  lang?: Lang;
}

export class WinRmConnection implements Connection {
  readonly kind = 'winrm' as const;
  readonly target: string;
  private readonly idle: WinRmShell[] = [];
  private readonly waiters: ((s: WinRmShell | null) => void)[] = [];
  private total = 0;
  private closed = false;
  private readonly lang: Lang;
  private readonly scheme: 'http' | 'https';
  private readonly port: number;

  constructor(private readonly opts: WinRmOptions) {
    this.lang = opts.lang ?? 'en';
    this.scheme = opts.scheme ?? 'http';
    this.port = opts.port ?? (this.scheme === 'https' ? 5986 : 5985);
    this.target = `winrm ${opts.user}@${opts.host}:${this.port} (${this.scheme}, ${opts.auth ?? 'ntlm'})`;
    const problems: string[] = [];
    if (!opts.host || /[\s/\\@]/.test(opts.host)) problems.push('host');
    if (!Number.isInteger(this.port) || this.port < 1 || this.port > 65535) problems.push('port');
    if (!opts.user) problems.push('user');
    if (typeof opts.password !== 'string') problems.push('password');
    if (opts.scheme && !['http', 'https'].includes(opts.scheme)) problems.push('scheme');
    if (opts.auth && !['ntlm', 'basic'].includes(opts.auth)) problems.push('auth');
    if (problems.length) throw this.error('config', 'badOptions', { detail: problems.join(', ') });
    // Fail early on Basic over HTTP (the client constructor checks it).
    this.newClient().close();
  }

  private error(code: TransportError['code'], key: Parameters<typeof t>[1], params: Record<string, string | number> = {}) {
    return new TransportError(code, this.target, t(this.lang, key, params));
  }

  private newClient(): WsmanClient {
    const o = this.opts;
    return new WsmanClient({
      host: o.host,
      port: this.port,
      scheme: this.scheme,
      ...(o.ca !== undefined ? { ca: o.ca } : {}),
      insecureSkipVerify: Boolean(o.insecureSkipVerify),
      ...(o.createSocket ? { createSocket: o.createSocket } : {}),
      connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
      user: o.user,
      password: o.password,
      auth: o.auth ?? 'ntlm',
      allowBasicOverHttp: Boolean(o.allowBasicOverHttp),
      ...(o.path ? { path: o.path } : {}),
      lang: this.lang,
      target: this.target,
    });
  }

  private async openShell(): Promise<WinRmShell> {
    const shell = new WinRmShell(this.newClient(), {
      ...(this.opts.operationTimeoutSec ? { operationTimeoutSec: this.opts.operationTimeoutSec } : {}),
      requestTimeoutMs: this.opts.requestTimeoutMs ?? 15_000,
    });
    try {
      await shell.open(this.opts.requestTimeoutMs ?? 15_000);
    } catch (e) {
      shell.client.close();
      throw e;
    }
    return shell;
  }

  private async acquire(): Promise<WinRmShell> {
    if (this.closed) throw this.error('config', 'protocol', { detail: 'connection closed' });
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.total < Math.max(1, this.opts.maxShells ?? 3)) {
      this.total++;
      try {
        return await this.openShell();
      } catch (e) {
        this.total--;
        this.wakeOne();
        throw e;
      }
    }
    const s = await new Promise<WinRmShell | null>((resolve) => this.waiters.push(resolve));
    return s ?? this.acquire();
  }

  /** A waiter gets a shell slot back (null = try to open a new shell). */
  private wakeOne(): void {
    const w = this.waiters.shift();
    if (w) w(null);
  }

  private async release(shell: WinRmShell, discard: boolean): Promise<void> {
    if (discard || shell.broken || this.closed) {
      this.total--;
      // After a broken channel the Delete is a courtesy: keep it short so errors surface quickly.
      await shell.close(discard || shell.broken ? 3000 : undefined);
      this.wakeOne();
      return;
    }
    const w = this.waiters.shift();
    if (w) w(shell);
    else this.idle.push(shell);
  }

  /** Opens the first shell: proves the endpoint answers and accepts the credentials. */
  async open(): Promise<void> {
    const shell = await this.acquire();
    await this.release(shell, false);
  }

  /** Runs a program in a Windows Remote Shell without cmd.exe (argument vector as given). */
  async runCommand(command: string, args: readonly string[], opts?: RunOptions): Promise<CommandResult> {
    const limits = normalizeRunOptions(opts);
    const shell = await this.acquire();
    let discard = false;
    try {
      return await shell.run(command, args, limits);
    } catch (e) {
      discard = true;
      throw e;
    } finally {
      await this.release(shell, discard);
    }
  }

  async runScript(script: string, args: string[], opts?: RunOptions): Promise<CommandResult> {
    const bad = args.findIndex((a) => a.includes('\0'));
    if (bad >= 0) throw this.error('config', 'badArgument', { index: bad + 1 });
    const cmd = powershellCommand(script, args);
    if (cmd.length >= MAX_COMMAND_LINE) {
      throw this.error('config', 'scriptTooLong', { length: cmd.length, max: MAX_COMMAND_LINE - 1 });
    }
    const r = await this.runCommand(cmd.command, cmd.args, opts);
    return { ...r, stderr: decodeClixml(r.stderr) };
  }

  async close(): Promise<void> {
    this.closed = true;
    const shells = this.idle.splice(0);
    this.total -= shells.length;
    for (const w of this.waiters.splice(0)) w(null);
    await Promise.all(shells.map((s) => s.close()));
  }
}

/** Connects (creates the first shell, which authenticates) and returns the Connection. */
export async function connectWinRm(opts: WinRmOptions): Promise<WinRmConnection> {
  const conn = new WinRmConnection(opts);
  try {
    await conn.open();
  } catch (e) {
    await conn.close();
    throw e;
  }
  return conn;
}
