// The only module that runs `virsh`. Always: an argument vector (never a shell), `-c URI`,
// LC_ALL=C (libvirt's messages and table headers in English, so errors can be classified),
// TZ=UTC (lease expiry times printed in UTC), stdin closed, a deadline and an output cap.
// A failure becomes a typed LibvirtError (a TransportError, so the CLI reports it as a failed
// connection) whose message says what happened and what to do, in the caller's language.
import { spawn } from 'node:child_process';
import { isStopping, trackChild } from '../util/cleanup.js';
import { TransportError, type Lang, type TransportErrorCode } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/inspect.js';
import en from '../i18n/en/inspect.js';
import { isSshUri, parseUri, uriTarget, withSshDefaults } from './uri.js';

const t = translator(es, en);

export type LibvirtErrorKind =
  | 'virsh-missing'
  | 'bad-uri'
  | 'socket-missing'
  | 'daemon-down'
  | 'permission'
  | 'ssh-auth'
  | 'ssh-hostkey-unknown'
  | 'ssh-hostkey-changed'
  | 'ssh-unreachable'
  | 'ssh-remote-helper'
  | 'ssh-failed'
  | 'network-not-found'
  | 'domain-not-found'
  | 'domain-not-running'
  | 'agent-missing'
  | 'agent-not-connected'
  | 'timeout'
  | 'output-too-big'
  | 'failed';

const CODE: Record<LibvirtErrorKind, TransportErrorCode> = {
  'virsh-missing': 'config',
  'bad-uri': 'config',
  'socket-missing': 'unreachable',
  'daemon-down': 'refused',
  permission: 'auth',
  'ssh-auth': 'auth',
  'ssh-hostkey-unknown': 'hostkey-unknown',
  'ssh-hostkey-changed': 'hostkey-changed',
  'ssh-unreachable': 'unreachable',
  'ssh-remote-helper': 'protocol',
  'ssh-failed': 'unreachable',
  'network-not-found': 'config',
  'domain-not-found': 'config',
  'domain-not-running': 'domain-not-running',
  'agent-missing': 'agent-missing',
  'agent-not-connected': 'agent-not-connected',
  timeout: 'timeout',
  'output-too-big': 'protocol',
  failed: 'protocol',
};

/** Kinds meaning "this libvirt host cannot be talked to at all" (as opposed to one object). */
export const CONNECTION_KINDS: ReadonlySet<LibvirtErrorKind> = new Set<LibvirtErrorKind>([
  'virsh-missing',
  'bad-uri',
  'socket-missing',
  'daemon-down',
  'permission',
  'ssh-auth',
  'ssh-hostkey-unknown',
  'ssh-hostkey-changed',
  'ssh-unreachable',
  'ssh-remote-helper',
  'ssh-failed',
]);

export class LibvirtError extends TransportError {
  readonly kind: LibvirtErrorKind;
  /** The virsh arguments after `-c URI` (no secrets: URIs never carry passwords here). */
  readonly args: string[];
  /** The most telling line of virsh's stderr, for evidence. */
  readonly detail: string;
  /** The socket path (or host) the message quotes, when there is one. */
  readonly socket: string | undefined;
  constructor(kind: LibvirtErrorKind, target: string, message: string, args: string[], detail: string, socket?: string) {
    super(CODE[kind], target, message);
    this.name = 'LibvirtError';
    this.kind = kind;
    this.args = args;
    this.detail = detail;
    this.socket = socket;
  }
  /** The diagnosis and fix apart (doctor prints them on two lines); the message joins them. */
  parts(lang: Lang, uri: string): { diagnosis: string; fix: string | null } {
    return failureParts({ kind: this.kind, detail: this.detail, ...(this.socket ? { what: this.socket } : {}) }, uri, lang);
  }
  get isConnectionError(): boolean {
    return CONNECTION_KINDS.has(this.kind);
  }
}

export interface Classified {
  kind: LibvirtErrorKind;
  /** The stderr line the decision was made on. */
  detail: string;
  /** A socket path, host, ... quoted by the message. */
  what?: string;
}

/**
 * virsh's polkit-agent warning: on a terminal where polkit is not running, virsh (libvirt 8+) says
 * "Authorization not available. Check if polkit service is running ..." and goes on (exit 0 when
 * nothing else fails). It is not a cause: a failure is classified by the lines after it.
 */
export const POLKIT_WARNING = /^(error:\s*)?Authorization not available\b/i;

/** The stderr lines virsh prints, without the `error: ` prefixes, blank lines and the polkit warning. */
function stderrLines(stderr: string): string[] {
  return stderr
    .split(/\r?\n/)
    .filter((l) => !POLKIT_WARNING.test(l.trim()))
    .map((l) => l.replace(/^error:\s*/i, '').trim())
    .filter((l) => l !== '');
}

/**
 * Decides what went wrong from virsh's exit status and (C-locale) stderr. Exported for unit tests;
 * the order matters: SSH problems show up wrapped in libvirt's "Cannot recv data" messages.
 */
export function classifyVirshFailure(stderr: string, uri: string): Classified {
  const lines = stderrLines(stderr);
  const all = lines.join('\n');
  const find = (re: RegExp): string | undefined => lines.find((l) => re.test(l));
  const ssh = isSshUri(uri);
  const pick = (re: RegExp): string => find(re) ?? lines[lines.length - 1] ?? '';

  if (ssh) {
    if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(all)) {
      return { kind: 'ssh-hostkey-changed', detail: find(/Host key for .* has changed/i) ?? pick(/IDENTIFICATION HAS CHANGED/i) };
    }
    if (/Host key verification failed|No \S+ host key is known for/i.test(all)) {
      return { kind: 'ssh-hostkey-unknown', detail: pick(/host key/i) };
    }
    if (/Permission denied \(|Too many authentication failures|no more authentication methods/i.test(all)) {
      return { kind: 'ssh-auth', detail: pick(/Permission denied \(|authentication/i) };
    }
    const net = /Could not resolve hostname|Name or service not known|Temporary failure in name resolution|No route to host|Network is unreachable|Connection timed out|Operation timed out|ssh: connect to host .*Connection refused|kex_exchange_identification|Connection closed by/i;
    if (net.test(all)) return { kind: 'ssh-unreachable', detail: pick(net) };
    const helper = /virt-ssh-helper.*not found|nc: .*not found|command not found|netcat/i;
    if (helper.test(all)) return { kind: 'ssh-remote-helper', detail: pick(helper) };
  }

  const sock = /Failed to connect socket to '([^']+)': (.*)$/i;
  const sl = find(sock);
  if (sl) {
    const m = sock.exec(sl)!;
    const why = m[2] ?? '';
    if (/Permission denied/i.test(why)) return { kind: 'permission', detail: sl, what: m[1]! };
    if (/Connection refused/i.test(why)) return { kind: 'daemon-down', detail: sl, what: m[1]! };
    return { kind: 'socket-missing', detail: sl, what: m[1]! };
  }
  const perm = /authentication unavailable|authentication failed|polkit|access denied|Permission denied/i;
  if (find(perm) && /hypervisor|connect/i.test(all)) return { kind: 'permission', detail: pick(perm) };
  if (/Network not found|no network with matching/i.test(all)) return { kind: 'network-not-found', detail: pick(/network/i) };
  if (/Domain not found|no domain with matching/i.test(all)) return { kind: 'domain-not-found', detail: pick(/domain/i) };
  if (/guest agent is not configured/i.test(all)) return { kind: 'agent-missing', detail: pick(/agent/i) };
  if (/guest agent is not connected|Guest agent is not responding|agent .*timed out|Guest agent disappeared/i.test(all)) {
    return { kind: 'agent-not-connected', detail: pick(/agent/i) };
  }
  if (/domain is not running/i.test(all)) return { kind: 'domain-not-running', detail: pick(/not running/i) };
  if (/invalid (connection|argument).*uri|no connection driver available|Unable to parse URI|unsupported configuration.*transport/i.test(all)) {
    return { kind: 'bad-uri', detail: pick(/uri|driver|transport/i) };
  }
  if (ssh && /Cannot recv data|End of file while reading data|ssh/i.test(all)) {
    return { kind: 'ssh-failed', detail: pick(/Cannot recv data|End of file|ssh/i) };
  }
  return { kind: 'failed', detail: lines[lines.length - 1] ?? '' };
}

/** Kinds whose fix is a catalog entry of its own (`fix.<kind>`), shared by check, inspect and doctor. */
const FIX_KINDS = new Set<LibvirtErrorKind>(['socket-missing', 'daemon-down', 'permission']);

/** The diagnosis and, for the kinds that have one apart, the fix: the same words in every command. */
export function failureParts(c: Classified, uri: string, lang: Lang, subject?: string): { diagnosis: string; fix: string | null } {
  const diagnosis = diagnose(c, uri, lang, subject);
  return { diagnosis, fix: FIX_KINDS.has(c.kind) ? t(lang, `fix.${c.kind}` as 'fix.socket-missing') : null };
}

/** The localized explanation of a classified failure, saying what to do. */
export function describeFailure(c: Classified, uri: string, lang: Lang, subject?: string): string {
  const { diagnosis, fix } = failureParts(c, uri, lang, subject);
  return fix ? `${diagnosis} ${fix}` : diagnosis;
}

function diagnose(c: Classified, uri: string, lang: Lang, subject?: string): string {
  const u = parseUri(uri);
  const params = {
    uri: uriTarget(uri),
    detail: c.detail,
    socket: c.what ?? '',
    host: u?.host ?? '',
    user: u?.user ?? '',
    subject: subject ?? '',
  };
  const key = `err.${c.kind}` as const;
  return t(lang, key, params);
}

export interface VirshOptions {
  /** qemu+ssh URIs get `no_tty=1` (and `keyfile=` from sshKeyFile) unless they set them. */
  uri: string;
  /** Private key for qemu+ssh (the lab file's host_ssh.key). */
  sshKeyFile?: string | undefined;
  lang?: Lang;
  /** Extra environment for virsh and the ssh it starts (e.g. SSH_AUTH_SOCK). */
  env?: Record<string, string>;
  /** Deadline of each virsh call, ms (default 20 000; remote hosts can be slow to answer). */
  timeoutMs?: number;
  /** Cap on each of stdout and stderr, bytes (default 8 MiB). */
  maxOutputBytes?: number;
  /** Use a read-only connection (`virsh -r`: libvirt's read-only socket, no agent commands). */
  readOnly?: boolean;
  /** The virsh program (default `virsh` from PATH). */
  virshPath?: string;
  /** Run virsh through this instead of a local process (argv after the program name). */
  exec?: VirshExec;
  /** With `exec`: the URI virsh is given there (e.g. qemu:///system on the far side of qemu+ssh). */
  execUri?: string;
  /** With `exec`: it still runs here (long-lived local shells, virsh-shell.ts), not on a remote host. */
  local?: boolean;
  /** Told of every call as it ends (the hand-in's evidence, grader/handin/recorder.ts). */
  record?: VirshRecordFn;
}

/** One virsh call as it ended: its arguments after `-c URI`, and what came back or what broke. */
export interface VirshCall {
  args: string[];
  startedAt: number;
  durationMs: number;
  result?: VirshExecResult;
  /** The executor itself failed (the SSH connection to the host). */
  error?: { code: TransportErrorCode; message: string };
}
export type VirshRecordFn = (call: VirshCall) => void;

/** What ran: exit code and output (a remote executor fills it from an SSH channel). */
export interface VirshExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Output went over the cap. */
  tooBig: boolean;
  /** The program was not found (locally: ENOENT; remotely: exit 127). */
  notFound: boolean;
}

/**
 * Runs virsh with an argument vector somewhere else than here (grader/libvirt/remote.ts: on the
 * libvirt host, over its SSH connection). Throws TransportError when the connection itself fails.
 */
export type VirshExec = (argv: string[], o: { timeoutMs: number; maxOutputBytes: number }) => Promise<VirshExecResult>;

export interface VirshCallStats {
  calls: number;
  totalMs: number;
}

export class Virsh {
  readonly uri: string;
  readonly lang: Lang;
  readonly readOnly: boolean;
  readonly stats: VirshCallStats = { calls: 0, totalMs: 0 };
  private readonly env: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly maxOutputBytes: number;
  private readonly virshPath: string;
  private readonly exec: VirshExec | undefined;
  private readonly execUri: string | undefined;
  private readonly local: boolean;
  private readonly record: VirshRecordFn | undefined;

  constructor(opts: VirshOptions) {
    this.uri = withSshDefaults(opts.uri, { keyFile: opts.sshKeyFile });
    this.lang = opts.lang ?? 'en';
    this.readOnly = opts.readOnly ?? false;
    this.env = virshEnv(opts.env);
    this.timeoutMs = opts.timeoutMs ?? 20_000;
    this.maxOutputBytes = opts.maxOutputBytes ?? 8 * 1024 * 1024;
    this.virshPath = opts.virshPath ?? 'virsh';
    this.exec = opts.exec;
    this.execUri = opts.execUri;
    this.local = opts.local ?? false;
    this.record = opts.record;
  }

  /** Runs remotely (through an executor) rather than as a local process. */
  get remote(): boolean {
    return this.exec !== undefined && !this.local;
  }

  /** A copy talking through the read-only socket. */
  readOnlyCopy(): Virsh {
    return new Virsh({
      uri: this.uri,
      lang: this.lang,
      env: this.env,
      timeoutMs: this.timeoutMs,
      maxOutputBytes: this.maxOutputBytes,
      readOnly: true,
      virshPath: this.virshPath,
      ...(this.exec ? { exec: this.exec } : {}),
      ...(this.execUri ? { execUri: this.execUri } : {}),
      local: this.local,
      ...(this.record ? { record: this.record } : {}),
    });
  }

  /** Runs `virsh -q -c URI ...args`; returns stdout, throws LibvirtError on any failure. */
  run(args: string[], opts: { timeoutMs?: number; subject?: string } = {}): Promise<string> {
    return this.runWith(this.exec ?? ((argv, o) => runLocal(this.virshPath, argv, this.env, o)), args, opts);
  }

  /** Runs through an executor: the local program, or the remote host's virsh (remote.ts). */
  private async runWith(exec: VirshExec, args: string[], opts: { timeoutMs?: number; subject?: string }): Promise<string> {
    // Remotely virsh gets the host's own URI (qemu:///system); locally the one given.
    const uri = this.remote ? (this.execUri ?? 'qemu:///system') : this.uri;
    const argv = ['-q', ...(this.readOnly ? ['-r'] : []), '-c', uri, ...args];
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const target = uriTarget(this.uri);
    const started = Date.now();
    let r: VirshExecResult;
    try {
      r = await exec(argv, { timeoutMs, maxOutputBytes: this.maxOutputBytes });
      this.record?.({ args, startedAt: started, durationMs: Date.now() - started, result: r });
    } catch (e) {
      this.record?.({ args, startedAt: started, durationMs: Date.now() - started, error: { code: e instanceof TransportError ? e.code : 'unreachable', message: String((e as Error)?.message ?? e) } });
      if (e instanceof LibvirtError) throw e;
      // The SSH connection to the host failed: the same kinds as OpenSSH's failures under virsh,
      // with ssh2's own (already precise and localized) message.
      const code = e instanceof TransportError ? e.code : 'unreachable';
      const kind: LibvirtErrorKind =
        code === 'auth' ? 'ssh-auth' : code === 'hostkey-unknown' ? 'ssh-hostkey-unknown' : code === 'hostkey-changed' ? 'ssh-hostkey-changed' : code === 'config' ? 'ssh-failed' : code === 'protocol' ? 'ssh-failed' : 'ssh-unreachable';
      const msg = (e as Error).message ?? String(e);
      throw new LibvirtError(kind, target, msg, args, msg);
    } finally {
      this.stats.calls++;
      this.stats.totalMs += Date.now() - started;
    }
    if (r.notFound) {
      const c: Classified = { kind: 'virsh-missing', detail: this.remote ? `virsh: not found on ${target}` : `${this.virshPath}: not found` };
      throw new LibvirtError(c.kind, target, describeFailure(c, this.uri, this.lang, opts.subject), args, c.detail, c.what);
    }
    if (r.timedOut) {
      const c: Classified = { kind: 'timeout', detail: `virsh ${args.join(' ')}: ${timeoutMs} ms` };
      throw new LibvirtError(c.kind, target, describeFailure(c, this.uri, this.lang, opts.subject), args, c.detail, c.what);
    }
    if (r.tooBig) {
      const c: Classified = { kind: 'output-too-big', detail: `virsh ${args.join(' ')}: > ${this.maxOutputBytes} bytes` };
      throw new LibvirtError(c.kind, target, describeFailure(c, this.uri, this.lang, opts.subject), args, c.detail, c.what);
    }
    if (r.exitCode !== 0) {
      const c = classifyVirshFailure(r.stderr || `exit ${r.exitCode}`, uri);
      throw new LibvirtError(c.kind, target, describeFailure(c, this.uri, this.lang, opts.subject), args, c.detail, c.what);
    }
    return r.stdout;
  }

  /** Names from a `--name` listing (one per line). */
  private async names(args: string[]): Promise<string[]> {
    const out = await this.run(args);
    return out
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
  }

  /**
   * Network names. `net-info` prints localized "yes/no" words, so the activity flags come from
   * `net-list` filters instead. virsh lists only active networks unless --all/--inactive is given
   * (and has no --active option): active = no state filter; autostart/persistent = --all plus the
   * filter, so inactive ones count too.
   */
  listNetworks(filter: 'all' | 'active' | 'inactive' | 'autostart' | 'persistent' = 'all'): Promise<string[]> {
    const args =
      filter === 'active' ? [] : filter === 'all' || filter === 'inactive' ? [`--${filter}`] : ['--all', `--${filter}`];
    return this.names(['net-list', ...args, '--name']);
  }

  netDumpXml(name: string): Promise<string> {
    return this.run(['net-dumpxml', '--network', name], { subject: name });
  }

  /** The raw lease table (see leases.ts for why a table and how it is read). */
  netDhcpLeases(name: string): Promise<string> {
    return this.run(['net-dhcp-leases', '--network', name], { subject: name });
  }

  listDomains(filter: 'all' | 'state-running' | 'state-paused' | 'state-shutoff' | 'state-other' = 'all'): Promise<string[]> {
    return this.names(['list', `--${filter}`, '--name']);
  }

  /** libvirt's state word (running, paused, shut off, ...), C locale. */
  async domState(name: string): Promise<string> {
    return (await this.run(['domstate', '--domain', name], { subject: name })).trim();
  }

  domDumpXml(name: string): Promise<string> {
    return this.run(['dumpxml', '--domain', name], { subject: name });
  }

  /**
   * Pings the QEMU guest agent. true: it answered; false: not connected / not configured /
   * domain not running. Connection failures still throw.
   */
  async agentPing(name: string, timeoutSec = 2): Promise<boolean> {
    try {
      const out = await this.run(
        ['qemu-agent-command', '--domain', name, '--timeout', String(timeoutSec), '--cmd', '{"execute":"guest-ping"}'],
        { subject: name, timeoutMs: (timeoutSec + 8) * 1000 },
      );
      return /"return"/.test(out);
    } catch (e) {
      if (e instanceof LibvirtError && !e.isConnectionError) return false;
      throw e;
    }
  }
}

/**
 * The local program with an argument vector (no shell), stdin closed, environment added to ours,
 * a deadline (SIGKILL; what was printed before counts) and a cap on each output. node's own
 * spawn: the profile showed execa's per-call overhead (~2 ms of CPU per call, ~17 calls a check).
 */
/** virsh's environment: the caller's additions, then C locale and UTC (never overridden). */
export function virshEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, LC_ALL: 'C', LANG: 'C', LANGUAGE: 'C', TZ: 'UTC' };
}

export function runLocal(file: string, argv: string[], env: Record<string, string>, o: { timeoutMs: number; maxOutputBytes: number }): Promise<VirshExecResult> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let timedOut = false;
    let tooBig = false;
    let notFound = false;
    let done = false;
    // After a signal nothing new starts (the call fails as a transport problem would).
    if (isStopping()) return resolve({ exitCode: null, stdout: '', stderr: 'labgrade is stopping', timedOut: false, tooBig: false, notFound: false });
    // Its own process group, killed with labgrade (grader/util/cleanup.ts).
    const child = spawn(file, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    trackChild(child);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    const take = (list: Buffer[], d: Buffer, len: number): number => {
      if (len + d.length > o.maxOutputBytes) {
        tooBig = true;
        child.kill('SIGKILL');
        return len;
      }
      list.push(d);
      return len + d.length;
    };
    child.stdout!.on('data', (d: Buffer) => (outLen = take(out, d, outLen)));
    child.stderr!.on('data', (d: Buffer) => (errLen = take(err, d, errLen)));
    const finish = (exitCode: number | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut, tooBig, notFound });
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') notFound = true;
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}
