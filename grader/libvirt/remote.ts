// virsh on a remote libvirt host without an SSH handshake per call: for a qemu+ssh:// URI, virsh
// runs on the host itself, each call an exec channel on the host's one pooled SSH connection
// (grader/transports/host-pool.ts, also used for the jumps to its guests), with the URI's local
// equivalent (qemu+ssh://root@h/system -> qemu:///system on h). What libvirt sees is the same as
// through virsh's own `ssh` + virt-ssh-helper, so the snapshot is the same.
//
// The command line is a constant script; virsh's arguments (domain and network names come from
// lab files) are positional parameters, each single-quoted (transports/quote.ts), never spliced.
//
// URIs whose parameters change how virsh's ssh connects (command=, socket=, netcat=, proxy=,
// mode=, known_hosts_verify=, ...) keep the per-call path (local virsh, its own ssh): they ask for
// something ssh2 would not do the same way. LABGRADE_VIRSH_SSH=external forces that path.
import type { Lang } from '../types.js';
import { hostPool, type HostLab, type HostPool } from '../transports/host-pool.js';
import { parseUri } from './uri.js';
import { Virsh, runLocal, virshEnv, type VirshExec, type VirshOptions } from './virsh.js';
import { VirshShellPool, localShellOpener, type ShellChannel, type ShellOpener } from './virsh-shell.js';
import { shCommand } from '../transports/quote.js';
import { onRunEnd } from '../util/cleanup.js';

/** Parameters the ssh2 path honours (keyfile/known_hosts) or that do not apply to it (no_tty). */
const HONOURED = new Set(['no_tty', 'keyfile', 'known_hosts']);

/** qemu:///system for qemu+ssh://user@host/system; null when the ssh2 path does not apply. */
export function farSideUri(uri: string): string | null {
  const u = parseUri(uri);
  if (!u || u.transport !== 'ssh' || !u.host) return null;
  for (const k of u.params.keys()) if (!HONOURED.has(k)) return null;
  const path = u.path === '' ? '/system' : u.path;
  if (!/^\/(system|session)$/.test(path)) return null;
  return `${u.driver}://${path}`;
}

/** Constant: C locale and UTC like the local path; 127 when there is no virsh on the host. */
export const REMOTE_VIRSH_SCRIPT =
  'LC_ALL=C LANG=C LANGUAGE=C TZ=UTC; export LC_ALL LANG LANGUAGE TZ; command -v virsh >/dev/null 2>&1 || exit 127; exec virsh "$@"';

/** Arguments are validated before they are quoted: strings, no NUL, bounded. */
function checkArgv(argv: string[]): void {
  for (const a of argv) {
    if (typeof a !== 'string' || a.includes('\0') || a.length > 4096) throw new Error(`invalid virsh argument ${JSON.stringify(String(a).slice(0, 80))}`);
  }
}

/** An executor running virsh on the lab's libvirt host over the pooled SSH connection. */
export function sshVirshExec(lab: HostLab, lang: Lang, pool: HostPool = hostPool): VirshExec {
  return async (argv, o) => {
    checkArgv(argv);
    const lease = await pool.acquire(lab, lang);
    try {
      const r = await lease.conn.runScript(REMOTE_VIRSH_SCRIPT, argv, { timeoutMs: o.timeoutMs, maxOutputBytes: o.maxOutputBytes });
      return {
        exitCode: r.exitCode,
        stdout: r.stdout,
        stderr: r.stderr,
        timedOut: r.timedOut,
        tooBig: r.truncated,
        notFound: r.exitCode === 127 && (r.stderr.trim() === '' || /not found/i.test(r.stderr)),
      };
    } finally {
      await lease.release();
    }
  };
}

/** The shell script of a long-lived remote virsh (virsh-shell.ts): stderr merged, order kept. */
export const REMOTE_VIRSH_SHELL_SCRIPT =
  'LC_ALL=C LANG=C LANGUAGE=C TZ=UTC; export LC_ALL LANG LANGUAGE TZ; command -v virsh >/dev/null 2>&1 || exit 127; exec virsh "$@" 2>&1';

/** Remote shells: an exec channel of the host's pooled connection each, held while it lives. */
export function sshShellOpener(lab: HostLab, lang: Lang, pool: HostPool = hostPool): ShellOpener {
  return async (prefix) => {
    checkArgv(prefix);
    const lease = await pool.acquire(lab, lang);
    return new Promise<ShellChannel>((resolve, reject) => {
      try {
        lease.conn.sshClient.exec(shCommand(REMOTE_VIRSH_SHELL_SCRIPT, prefix), (err, stream) => {
          if (err) {
            void lease.release();
            reject(err);
            return;
          }
          stream.setEncoding('utf8');
          stream.on('error', () => undefined);
          stream.on('close', () => void lease.release());
          resolve({
            write: (text) => void stream.write(text),
            onData: (cb) => void stream.on('data', cb),
            onClose: (cb) => void stream.on('close', cb),
            close: () => {
              try {
                stream.end();
                stream.close();
              } catch {
                /* closed */
              }
            },
          });
        });
      } catch (e) {
        void lease.release();
        reject(e as Error);
      }
    });
  };
}

/**
 * How long a virsh call waits behind a busy shell before it gets one of its own. Locally a shell
 * costs ~20 ms of this machine's CPU to start and a call a few ms; on a remote host a new shell
 * is an exec channel plus virsh's start there, about what a short wait in line costs
 * (bench/remote-host.mjs: 25 ms gave 1.49x / 1.12x of local for inspect / check, 0 gave 1.56x / 1.26x).
 */
const LOCAL_SPILL_MS = 50;
const REMOTE_SPILL_MS = 25;

/** Shell pools of this run (closed with it). */
function shellPool(open: ShellOpener, oneShot: VirshExec, spillMs = 0): VirshShellPool {
  const p = new VirshShellPool(open, oneShot, 3, spillMs);
  onRunEnd(async () => p.closeAll());
  return p;
}

/**
 * The Virsh for a lab: over the libvirt host's pooled SSH connection when the URI allows it, else
 * the local program (local URIs, and qemu+ssh URIs the ssh2 path does not cover).
 */
export function virshFor(lab: HostLab, lang: Lang, o: Omit<VirshOptions, 'uri' | 'lang' | 'exec' | 'execUri'> & { pool?: HostPool } = {}): Virsh {
  const { pool, ...rest } = o;
  const far = process.env.LABGRADE_VIRSH_SSH === 'external' ? null : farSideUri(lab.uri);
  const keyFile = lab.hostSsh?.keyFile;
  const shells = process.env.LABGRADE_VIRSH_SHELL !== '0';
  if (!far) {
    const o: VirshOptions = { ...rest, uri: lab.uri, lang, ...(keyFile && !rest.sshKeyFile ? { sshKeyFile: keyFile } : {}) };
    // Local URIs: long-lived local shells. A qemu+ssh URI on this path keeps one virsh per call
    // (its own ssh per call, as asked by its parameters).
    if (!shells || farSideUri(lab.uri) !== null || /\+ssh:/i.test(lab.uri)) return new Virsh(o);
    const probe = new Virsh(o);
    const path = rest.virshPath ?? 'virsh';
    const env = virshEnv(rest.env);
    // Local calls queue briefly on a busy shell rather than start another (CPU, not network, is scarce).
    const p = shellPool(localShellOpener(path, env), (argv, x) => runLocal(path, argv, env, x), LOCAL_SPILL_MS);
    return new Virsh({ ...o, uri: probe.uri, exec: p.exec, execUri: probe.uri, local: true });
  }
  const oneShot = sshVirshExec(lab, lang, pool);
  const exec = shells ? shellPool(sshShellOpener(lab, lang, pool), oneShot, REMOTE_SPILL_MS).exec : oneShot;
  return new Virsh({ ...rest, uri: lab.uri, lang, exec, execUri: far });
}
