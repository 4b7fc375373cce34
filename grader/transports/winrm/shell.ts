// The Windows Remote Shell lifecycle over WS-Management ([MS-WSMV] 3.1.4.1.x): Create a shell,
// run a Command in it, Receive its output until CommandState Done, Signal terminate when it must
// stop early (deadline, output cap), Delete the shell when done or on any error. Each shell owns
// one WsmanClient, i.e. one HTTP connection and one NTLM context.
import type { CommandResult } from '../../types.js';
import { TransportError } from '../../types.js';
import { BoundedBuffer, makeResult } from '../output.js';
import { type WsmanClient } from './client.js';
import {
  ACTION,
  commandBody,
  createShellBody,
  envelope,
  FAULT_OPERATION_TIMEOUT,
  parseCommandId,
  parseReceive,
  parseShellId,
  receiveBody,
  signalBody,
  WsmanFault,
} from './soap.js';

export interface ShellOptions {
  /** Longest a single Receive may wait on the server (WS-Man OperationTimeout), seconds. */
  operationTimeoutSec?: number;
  /** Budget for housekeeping requests (Create, Signal, Delete), ms. */
  requestTimeoutMs?: number;
  /** Shell code page: 65001 (UTF-8) so non-ASCII output (Spanish names) survives. */
  codepage?: number;
}

export interface ExecLimits {
  timeoutMs: number;
  maxOutputBytes: number;
}

export class WinRmShell {
  shellId: string | null = null;
  /** Set when the shell may be in an unknown state (a stop failed): the owner must discard it. */
  broken = false;
  private readonly opTimeoutSec: number;
  private readonly requestTimeoutMs: number;

  constructor(
    readonly client: WsmanClient,
    private readonly opts: ShellOptions = {},
  ) {
    this.opTimeoutSec = Math.max(1, Math.floor(opts.operationTimeoutSec ?? 20));
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 15_000;
  }

  private env(action: string, body: string, extra: { options?: Record<string, string>; opTimeoutSec?: number } = {}) {
    return envelope({
      action,
      to: this.client.url,
      ...(this.shellId ? { shellId: this.shellId } : {}),
      ...(extra.options ? { options: extra.options } : {}),
      body,
      operationTimeoutSec: extra.opTimeoutSec ?? this.opTimeoutSec,
    }).xml;
  }

  /** Creates the remote shell. Errors: TransportError (auth, refused, unreachable, timeout, protocol). */
  async open(timeoutMs = this.requestTimeoutMs): Promise<void> {
    const xml = this.env(ACTION.create, createShellBody(), {
      options: { WINRS_NOPROFILE: 'TRUE', WINRS_CODEPAGE: String(this.opts.codepage ?? 65001) },
    });
    const res = await this.sendMapped(xml, timeoutMs);
    this.shellId = parseShellIdMapped(this, res);
  }

  /**
   * Runs `command args...` (no cmd.exe in between: WINRS_SKIP_CMD_SHELL) and collects its output
   * within the limits. A deadline or the output cap ends the command (Signal terminate) and is
   * reported in the result's flags; a broken channel throws TransportError.
   */
  async run(command: string, args: readonly string[], limits: ExecLimits): Promise<CommandResult> {
    if (!this.shellId) throw new Error('shell is not open');
    const started = Date.now();
    const deadline = started + limits.timeoutMs;
    const out = new BoundedBuffer(limits.maxOutputBytes);
    const err = new BoundedBuffer(limits.maxOutputBytes);

    let commandId: string;
    try {
      const res = await this.sendMapped(
        this.env(ACTION.command, commandBody(command, args), {
          options: { WINRS_CONSOLEMODE_STDIN: 'TRUE', WINRS_SKIP_CMD_SHELL: 'TRUE' },
        }),
        Math.max(1, deadline - Date.now()),
      );
      commandId = parseCommandIdMapped(this, res);
    } catch (e) {
      if (e instanceof TransportError && e.code === 'timeout' && Date.now() >= deadline - 5) {
        // The command may or may not have started: the shell's state is unknown.
        this.broken = true;
        return makeResult(null, out, err, started, { timedOut: true });
      }
      throw e;
    }

    let done = false;
    let exitCode: number | null = null;
    let timedOut = false;
    let capped = false;
    while (!done) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        timedOut = true;
        break;
      }
      // Let the server's OperationTimeout fault arrive before our own deadline fires.
      const opSec = Math.max(1, Math.min(this.opTimeoutSec, Math.floor((remaining - 250) / 1000)));
      try {
        const res = await this.client.send(
          this.env(ACTION.receive, receiveBody(commandId), { opTimeoutSec: opSec }),
          Math.min(remaining, opSec * 1000 + 10_000),
        );
        const chunk = parseReceiveMapped(this, res);
        for (const b of chunk.stdout) if (!out.push(b)) capped = true;
        for (const b of chunk.stderr) if (!err.push(b)) capped = true;
        if (chunk.done) {
          done = true;
          exitCode = chunk.exitCode;
        }
        if (capped && !done) break;
      } catch (e) {
        if (e instanceof WsmanFault && e.code === FAULT_OPERATION_TIMEOUT) continue;
        if (e instanceof TransportError && e.code === 'timeout' && Date.now() >= deadline - 5) {
          timedOut = true;
          break;
        }
        throw this.client.mapError(e instanceof WsmanFault ? faultError(this, e) : e);
      }
    }
    if (!done) {
      // Stop the process; if that fails the shell is discarded by its owner.
      await this.signalTerminate(commandId).catch(() => {
        this.broken = true;
      });
    } else {
      // Windows keeps finished commands until signalled; release it (best effort, short).
      await this.signalTerminate(commandId).catch(() => undefined);
    }
    return makeResult(done ? exitCode : null, out, err, started, { timedOut, truncated: capped });
  }

  private async signalTerminate(commandId: string): Promise<void> {
    await this.sendMapped(this.env(ACTION.signal, signalBody(commandId)), this.requestTimeoutMs);
  }

  /** Deletes the remote shell (best effort; never throws) and closes the connection. */
  async close(timeoutMs = this.requestTimeoutMs): Promise<void> {
    if (this.shellId) {
      try {
        await this.client.send(this.env(ACTION.delete, ''), timeoutMs);
      } catch {
        // The shell dies with its idle timeout on the server anyway.
      }
      this.shellId = null;
    }
    this.client.close();
  }

  private async sendMapped(xml: string, timeoutMs: number) {
    try {
      return await this.client.send(xml, timeoutMs);
    } catch (e) {
      throw e instanceof WsmanFault ? faultError(this, e) : e;
    }
  }
}

function faultError(shell: WinRmShell, f: WsmanFault): TransportError {
  if (f.code === '5' || /access is denied|acceso denegado/i.test(f.reason)) {
    return shell.client.error('auth', 'accessDenied', { message: f.reason });
  }
  return shell.client.error('protocol', 'fault', { code: f.code ?? f.subcode ?? String(f.httpStatus), message: f.reason });
}

function wrapParse<T>(shell: WinRmShell, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw shell.client.mapError(e);
  }
}
const parseShellIdMapped = (s: WinRmShell, env: Parameters<typeof parseShellId>[0]) => wrapParse(s, () => parseShellId(env));
const parseCommandIdMapped = (s: WinRmShell, env: Parameters<typeof parseCommandId>[0]) =>
  wrapParse(s, () => parseCommandId(env));
const parseReceiveMapped = (s: WinRmShell, env: Parameters<typeof parseReceive>[0]) => wrapParse(s, () => parseReceive(env));
