// SSH transport (ssh2): one authenticated connection per guest, reused for every probe; each
// runScript is one exec channel, with a client-side deadline and output cap. Host keys are checked
// against known_hosts (see known-hosts.ts) before any credential is sent.
import { describeReadInputError, readInput, ReadInputError } from '../inputs/read.js';
import { fingerprint, recordTrustedHostKey } from './host-key-log.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import ssh2 from 'ssh2';
import type { Client as ClientT, ClientChannel, ConnectConfig, AnyAuthMethod, AuthenticationType } from 'ssh2';
import pLimit from 'p-limit';
import { TransportError, type CommandResult, type Connection, type Lang, type OsFamily, type RunOptions, type TransportErrorCode } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/transport.js';
import en from '../i18n/en/transport.js';
import { BoundedBuffer, makeResult, normalizeRunOptions } from './output.js';
import { shCommand } from './quote.js';
import { directOpener, type StreamOpener } from './stream.js';
import {
  checkHostKey,
  entriesFor,
  loadKnownHosts,
  pinHostKey,
  preferredHostKeyAlgorithms,
  type KnownHostEntry,
} from './known-hosts.js';
import { powershellCommandLine, readableStderr } from './powershell-command.js';

const { Client, utils } = ssh2;
const t = translator(es, en);

/** Host key algorithms ssh2 implements (others in known_hosts cannot be negotiated). */
const SUPPORTED_HOST_KEY_ALGS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

export interface SshOptions {
  /** Address or name to connect to (known_hosts is looked up under this name). */
  host: string;
  port?: number;
  user: string;
  /** Private key files, tried in order (OpenSSH PEM/new format, unencrypted). */
  keyFiles?: string[];
  /** Already resolved secret; used for `password` and `keyboard-interactive`. */
  password?: string;
  /** ssh-agent socket (SSH_AUTH_SOCK). */
  agentSocket?: string;
  /** known_hosts files; the first is where new keys are pinned. Default ~/.ssh/known_hosts + /etc/ssh/ssh_known_hosts. */
  knownHostsFiles?: string[];
  acceptNewHostKey?: boolean;
  /** How the TCP stream is opened (direct, netns pipe, jump). Default: direct. */
  openStream?: StreamOpener;
  /** Dialect of runScript: POSIX sh (linux) or PowerShell (windows, OpenSSH for Windows). */
  os?: OsFamily;
  /** Handshake + authentication deadline, ms (default 15 000). */
  readyTimeoutMs?: number;
  /** SSH keepalive interval, ms (default 10 000; 3 unanswered = connection lost). */
  keepaliveIntervalMs?: number;
  /** Channels run at once on this connection (default 4; dropbear allows few). */
  maxParallel?: number;
  /** Appended to the target label (e.g. `via root@host` or `netns labgrade`). */
  via?: string;
  /** Called once when the connection is closed (by close() or because it broke). */
  onClose?: () => void;
  lang?: Lang;
  /** The "no credentials" message fitting where the login came from (default: a VM's ssh access in the lab file). */
  noCredentials?: string;
}

export function defaultKnownHostsFiles(): string[] {
  return [join(homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

/** OpenSSH's default identities, when nothing else is configured. */
export function defaultIdentityFiles(): string[] {
  const d = join(homedir(), '.ssh');
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(d, f)).filter((f) => existsSync(f));
}

interface PreparedKey {
  file: string;
  key: Buffer;
}

async function prepareKeys(files: string[], target: string, lang: Lang): Promise<PreparedKey[]> {
  const keys: PreparedKey[] = [];
  for (const file of files) {
    let data: Buffer;
    try {
      data = await readInput(file, 'key');
    } catch (e) {
      const detail = e instanceof ReadInputError ? await describeReadInputError(e, lang) : (e as Error).message;
      throw new TransportError('config', target, t(lang, 'keyUnreadable', { file, detail }));
    }
    const parsed = utils.parseKey(data);
    if (parsed instanceof Error) {
      const enc = /encrypted|passphrase/i.test(parsed.message);
      throw new TransportError(
        'config',
        target,
        enc ? t(lang, 'keyEncrypted', { file }) : t(lang, 'keyInvalid', { file, detail: parsed.message }),
      );
    }
    keys.push({ file, key: data });
  }
  return keys;
}

/** An open SSH connection to one guest. */
export class SshConnection implements Connection {
  readonly kind = 'ssh' as const;
  readonly target: string;
  /** The known_hosts entry that vouched for the host key (or the pinned one). */
  hostKeyEntry: KnownHostEntry | null = null;
  /** True when the key was unknown and has just been pinned. */
  pinnedNewKey = false;
  private closed = false;
  private broken: string | null = null;
  private readonly limit: ReturnType<typeof pLimit>;
  private closeWaiters: (() => void)[] = [];

  constructor(
    private readonly client: ClientT,
    target: string,
    private readonly os: OsFamily,
    maxParallel: number,
    private readonly onClose?: () => void,
    private readonly lang: Lang = 'en',
  ) {
    this.target = target;
    this.limit = pLimit(Math.max(1, maxParallel));
    client.on('error', (e: Error) => {
      this.broken ??= e.message;
    });
    client.on('close', () => {
      if (!this.closed) this.broken ??= t(this.lang, 'closedByPeer');
      this.closed = true;
      for (const w of this.closeWaiters.splice(0)) w();
      this.onClose?.();
    });
  }

  /** The underlying ssh2 client (for a jump host: forwardOut). */
  get sshClient(): ClientT {
    return this.client;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  runScript(script: string, args: string[], opts?: RunOptions): Promise<CommandResult> {
    const o = normalizeRunOptions(opts);
    const command = this.os === 'windows' ? powershellCommandLine(script, args) : shCommand(script, args);
    const run = this.limit(() => this.exec(command, o.timeoutMs, o.maxOutputBytes));
    if (this.os !== 'windows') return run;
    return run.then((r) => ({ ...r, stderr: readableStderr(r.stderr) }));
  }

  /** Runs an exact command line (already quoted by the caller). */
  exec(command: string, timeoutMs: number, maxOutputBytes: number): Promise<CommandResult> {
    if (this.closed) {
      return Promise.reject(new TransportError('unreachable', this.target, t(this.lang, 'connectionLost', { detail: this.broken ?? 'closed' })));
    }
    return new Promise<CommandResult>((resolve, reject) => {
      const started = Date.now();
      const out = new BoundedBuffer(maxOutputBytes);
      const err = new BoundedBuffer(maxOutputBytes);
      let exitCode: number | null = null;
      let gotExit = false;
      let timedOut = false;
      let truncated = false;
      let done = false;
      let channel: ClientChannel | null = null;
      let grace: NodeJS.Timeout | undefined;
      // A connection dying while we wait for the channel to open.
      const onConnClosed = (): void => {
        if (!channel) finish(new TransportError('unreachable', this.target, t(this.lang, 'connectionLost', { detail: this.broken ?? 'closed' })));
      };
      this.closeWaiters.push(onConnClosed);

      const finish = (e?: TransportError): void => {
        if (done) return;
        done = true;
        clearTimeout(deadline);
        clearTimeout(grace);
        const i = this.closeWaiters.indexOf(onConnClosed);
        if (i >= 0) this.closeWaiters.splice(i, 1);
        if (e) reject(e);
        else resolve(makeResult(exitCode, out, err, started, { timedOut, truncated }));
      };
      /** Stop the command: close the channel, and do not wait long for the other side to agree. */
      const stop = (): void => {
        if (channel) {
          try {
            channel.signal('KILL');
          } catch {
            /* not all servers take signals */
          }
          try {
            channel.close();
          } catch {
            /* already closed */
          }
        }
        grace ??= setTimeout(() => finish(), 1500);
      };
      const deadline = setTimeout(() => {
        timedOut = true;
        stop();
      }, timeoutMs);

      try {
        this.client.exec(command, (e, ch) => {
          if (e) {
            finish(new TransportError('protocol', this.target, t(this.lang, 'execRefused', { detail: e.message })));
            return;
          }
          channel = ch;
          if (done || timedOut) {
            stop();
            return;
          }
          ch.on('data', (d: Buffer) => {
            if (!out.push(d) && !truncated) {
              truncated = true;
              stop();
            }
          });
          ch.stderr.on('data', (d: Buffer) => {
            if (!err.push(d) && !truncated) {
              truncated = true;
              stop();
            }
          });
          ch.on('exit', (code: number | null) => {
            gotExit = true;
            exitCode = typeof code === 'number' ? code : null;
          });
          ch.on('error', () => undefined);
          ch.on('close', () => {
            if (!gotExit && !timedOut && !truncated && this.closed) {
              finish(new TransportError('unreachable', this.target, t(this.lang, 'connectionLostDuring', { detail: this.broken ?? 'closed' })));
              return;
            }
            finish();
          });
        });
      } catch (e) {
        finish(new TransportError('unreachable', this.target, t(this.lang, 'connectionLost', { detail: (e as Error).message })));
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.client.destroy();
        resolve();
      }, 2000);
      this.closeWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
      this.closed = true; // our own close is not "broken"
      this.client.end();
    });
  }
}

function mapConnectError(e: Error & { level?: string }, target: string, lang: Lang): TransportError {
  if (e instanceof TransportError) return e;
  const msg = e.message || String(e);
  let code: TransportErrorCode = 'protocol';
  if (e.level === 'client-timeout' || /timed out/i.test(msg)) code = 'timeout';
  else if (e.level === 'client-authentication' || /authentication methods failed/i.test(msg)) code = 'auth';
  else if (e.level === 'client-socket') code = /ECONNREFUSED/.test(msg) ? 'refused' : 'unreachable';
  const key = code === 'auth' ? 'authFailed' : code === 'timeout' ? 'handshakeTimeout' : 'sshFailed';
  const text = t(lang, key, { detail: msg });
  return new TransportError(code, target, text);
}

/** Connects, verifies the host key, authenticates. Throws TransportError with a precise code. */
export async function connectSsh(o: SshOptions): Promise<SshConnection> {
  const port = o.port ?? 22;
  const target = `ssh ${o.user}@${o.host}:${port}${o.via ? ` ${o.via}` : ''}`;
  const lang = o.lang ?? 'en';
  const knownFiles = o.knownHostsFiles ?? defaultKnownHostsFiles();
  const pinFile = knownFiles[0];
  const known = await loadKnownHosts(knownFiles).catch(async (e: Error) => {
    const detail = e instanceof ReadInputError ? await describeReadInputError(e, lang) : e.message;
    throw new TransportError('config', target, t(lang, 'knownHostsUnreadable', { detail }));
  });
  const keys = await prepareKeys(o.keyFiles ?? [], target, lang);

  const methods: AnyAuthMethod[] = [];
  for (const k of keys) methods.push({ type: 'publickey', username: o.user, key: k.key });
  if (o.agentSocket) methods.push({ type: 'agent', username: o.user, agent: o.agentSocket });
  if (o.password !== undefined) {
    methods.push({ type: 'password', username: o.user, password: o.password });
    const pw = o.password;
    methods.push({
      type: 'keyboard-interactive',
      username: o.user,
      prompt: (_n, _i, _l, prompts, finish) => finish(prompts.map(() => pw)),
    });
  }
  if (methods.length === 0) {
    throw new TransportError('config', target, o.noCredentials ?? t(lang, 'noCredentials'));
  }

  const stream = await (o.openStream ?? directOpener(undefined, lang))(o.host, port);

  // Offer the key types known for this host first, so a host with several keys presents one we know.
  const mine = entriesFor(known, o.host, port);
  const prefer = preferredHostKeyAlgorithms(mine).filter((a) => SUPPORTED_HOST_KEY_ALGS.includes(a));
  const hostKeyAlgs = prefer.length > 0 ? prefer : undefined;

  let hostKeyError: TransportError | null = null;
  let hostKeyEntry: KnownHostEntry | null = null;
  let pinned = false;
  const client = new Client();
  const queue = [...methods];
  const cfg: ConnectConfig = {
    sock: stream,
    username: o.user,
    readyTimeout: o.readyTimeoutMs ?? 15_000,
    keepaliveInterval: o.keepaliveIntervalMs ?? 10_000,
    keepaliveCountMax: 3,
    ...(hostKeyAlgs ? { algorithms: { serverHostKey: hostKeyAlgs as never } } : {}),
    hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
      const r = checkHostKey(known, o.host, port, key);
      if (r.status === 'match') {
        hostKeyEntry = r.entry;
        verify(true);
      } else if (r.status === 'revoked') {
        hostKeyError = new TransportError(
          'hostkey-changed',
          target,
          t(lang, 'hostkeyRevoked', { host: o.host, where: `${r.entry.file}:${r.entry.line}` }),
        );
        verify(false);
      } else if (r.status === 'changed') {
        const where = r.entries.map((e) => `${e.file}:${e.line}`).join(', ');
        const fix = `ssh-keygen -R ${port === 22 ? o.host : `'[${o.host}]:${port}'`} -f ${r.entries[0]?.file}`;
        hostKeyError = new TransportError('hostkey-changed', target, t(lang, 'hostkeyChanged', { host: o.host, port, where, fix }));
        verify(false);
      } else if (o.acceptNewHostKey && pinFile) {
        pinHostKey(pinFile, o.host, port, key).then(
          (entry) => {
            hostKeyEntry = entry;
            pinned = true;
            recordTrustedHostKey({ host: o.host, port, keyType: entry.keyType, fingerprint: fingerprint(key), file: pinFile });
            verify(true);
          },
          (e: Error) => {
            hostKeyError = new TransportError('config', target, t(lang, 'hostkeyPinFailed', { file: pinFile, detail: e.message }));
            verify(false);
          },
        );
      } else {
        hostKeyError = new TransportError(
          'hostkey-unknown',
          target,
          t(lang, 'hostkeyUnknown', { host: o.host, port, files: knownFiles.join(', ') }),
        );
        verify(false);
      }
    },
    authHandler: (_left: AuthenticationType[], _partial: boolean, next: (m: AnyAuthMethod | false) => void) => {
      const m = queue.shift();
      next(m ?? false);
    },
  } as ConnectConfig;

  return new Promise<SshConnection>((resolve, reject) => {
    let settled = false;
    const onError = (e: Error & { level?: string }): void => {
      if (settled) return;
      settled = true;
      client.destroy();
      stream.destroy();
      if (hostKeyError) return reject(hostKeyError);
      if (hostKeyAlgs && /no matching host key/i.test(e.message)) {
        const where = mine.map((k) => `${k.file}:${k.line}`).join(', ');
        return reject(
          new TransportError('hostkey-changed', target, t(lang, 'hostkeyTypeGone', { host: o.host, types: prefer.join(', '), where })),
        );
      }
      reject(mapConnectError(e, target, lang));
    };
    client.on('error', onError); // not once: ssh2 can emit a second error ("Connection lost before handshake") after the first
    client.once('close', () => onError(Object.assign(new Error(t(lang, 'handshakeClosed')), { level: 'client-socket' })));
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      client.removeListener('error', onError);
      client.removeAllListeners('close');
      const conn = new SshConnection(client, target, o.os ?? 'linux', o.maxParallel ?? 4, o.onClose, lang);
      conn.hostKeyEntry = hostKeyEntry;
      conn.pinnedNewKey = pinned;
      resolve(conn);
    });
    try {
      client.connect(cfg);
    } catch (e) {
      onError(e as Error);
    }
  });
}
