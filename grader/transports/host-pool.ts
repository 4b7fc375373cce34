// One SSH connection (ssh2) per libvirt host of a qemu+ssh URI, shared by everything that talks to
// that host in a run: virsh calls (each an exec channel on it, grader/libvirt/remote.ts) and the
// jumps to its guests (direct-tcpip channels, open.ts). Reference-counted; an idle connection is
// kept `idleMs` for the next user (inspection, then the guests, then the next student of a batch)
// and never keeps the process alive (its socket is unreferenced while idle). `closeAll()` at the end.
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TransportError, type LabFile, type Lang, type SshAccess } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/transport.js';
import en from '../i18n/en/transport.js';
import { basename } from 'node:path';
import { parseUri, sshCommandsTo } from '../libvirt/uri.js';
import { onRunEnd } from '../util/cleanup.js';
import { connectSsh, type SshConnection, type SshOptions } from './ssh.js';
import { sshOptions } from './ssh-options.js';
import { withTeacherCredential } from './credentials.js';
import { directOpener, netnsOpener, type StreamOpener } from './stream.js';

const t = translator(es, en);

/** What a HostPool needs of a lab file (a bare URI is enough for `labgrade inspect --uri`). */
export type HostLab = Pick<LabFile, 'uri' | 'file' | 'hostSsh' | 'netns' | 'trust' | 'credentials'>;

/**
 * SshOptions for the libvirt host: the lab file's `host_ssh` when given, else the URI's user, host,
 * port and `keyfile=` / `known_hosts=` parameters, with the ssh-agent and OpenSSH's defaults.
 */
export async function hostSshOptions(lab: HostLab, lang: Lang): Promise<SshOptions> {
  const u = parseUri(lab.uri);
  const h = lab.hostSsh;
  const host = h?.host ?? u?.host ?? '';
  if (!host) throw new TransportError('config', lab.uri, t(lang, 'sshFailed', { detail: `no host in ${lab.uri}` }));
  const plain: SshAccess = { kind: 'ssh', user: u?.user ?? process.env.USER ?? 'root', port: u?.port ?? 22, useAgent: true, acceptNewHostKey: false, jump: 'none' };
  let access: SshAccess;
  if (lab.trust === 'student') {
    // A student's libvirt host is reached as virsh reaches it (the agent and default keys: nothing
    // secret is sent), or with the teacher's credential bound to that host; never with a key, a
    // password file or a known_hosts of the student's choosing (the loader refuses those, and the
    // URI's keyfile=/known_hosts= are not read here).
    access = withTeacherCredential({ ...plain, ...(h?.password ? { password: h.password } : {}), ...(h?.user ? { user: h.user } : {}), ...(h?.port ? { port: h.port } : {}) }, lab as LabFile, host, null);
  } else {
    const keyFile = u?.params.get('keyfile') ?? undefined;
    const knownHostsFile = u?.params.get('known_hosts') ?? undefined;
    access = h ?? { ...plain, ...(keyFile ? { keyFile } : {}), ...(knownHostsFile ? { knownHostsFile } : {}) };
  }
  const base = await sshOptions(access, host, lab as LabFile, lang);
  if (u?.user && !h) base.user = u.user;
  if (u?.port && !h) base.port = u.port;
  if (!h) {
    // Credentials from the URI, the ssh-agent and ~/.ssh (as virsh's own ssh): say so, with the
    // URI's user and port in the fix. inspect/doctor --uri without a lab file name the file "-".
    const { copyId } = sshCommandsTo(base.user, base.host, base.port ?? 22);
    const params = { target: `${base.user}@${base.host}${base.port && base.port !== 22 ? `:${base.port}` : ''}`, uri: lab.uri, copyId };
    base.noCredentials = t(lang, basename(lab.file) === '-' ? 'noCredentialsUri' : 'noCredentialsHost', params);
  } else {
    base.noCredentials = t(lang, 'noCredentialsHostSsh', { target: `${base.user}@${base.host}` });
  }
  return base;
}

interface Entry {
  key: string;
  conn: Promise<SshConnection>;
  stream: Duplex | null;
  refs: number;
  idle: NodeJS.Timeout | undefined;
}

export interface HostLease {
  conn: SshConnection;
  /** user@host:port (the label of jumps and errors). */
  key: string;
  release: () => Promise<void>;
}

export class HostPool {
  private readonly entries = new Map<string, Entry>();
  private readonly idleMs: number;
  /** Connections opened so far (benchmarks and tests count handshakes). */
  opened = 0;

  constructor(opts: { idleMs?: number } = {}) {
    this.idleMs = opts.idleMs ?? 30_000;
  }

  async acquire(lab: HostLab, lang: Lang): Promise<HostLease> {
    if (this === hostPool) onRunEnd(() => hostPool.closeAll());
    const opts = await hostSshOptions(lab, lang);
    const key = `${opts.user}@${opts.host}:${opts.port ?? 22}`;
    const poolKey = `${key}|${lab.netns ?? ''}`;
    let e = this.entries.get(poolKey);
    if (!e) {
      const base: StreamOpener = lab.netns ? netnsOpener(lab.netns, { lang }) : directOpener(undefined, lang);
      const entry: Entry = { key, conn: null as unknown as Promise<SshConnection>, stream: null, refs: 0, idle: undefined };
      const opener: StreamOpener = async (h, p) => {
        const s = await base(h, p);
        entry.stream = s;
        return s;
      };
      this.opened++;
      entry.conn = connectSsh({
        ...opts,
        openStream: opener,
        // No keepalive timer (it would keep the process alive while idle); calls have deadlines.
        keepaliveIntervalMs: 0,
        maxParallel: 8,
        ...(lab.netns ? { via: `netns ${lab.netns}` } : {}),
        onClose: () => {
          if (this.entries.get(poolKey) === entry) this.entries.delete(poolKey);
        },
      });
      entry.conn.catch(() => this.entries.get(poolKey) === entry && this.entries.delete(poolKey));
      this.entries.set(poolKey, entry);
      e = entry;
    }
    const entry = e;
    entry.refs++;
    clearTimeout(entry.idle);
    entry.idle = undefined;
    let conn: SshConnection;
    try {
      conn = await entry.conn;
    } catch (err) {
      entry.refs--;
      throw err;
    }
    (entry.stream as Socket | null)?.ref?.();
    let released = false;
    return {
      conn,
      key,
      release: async () => {
        if (released) return;
        released = true;
        entry.refs--;
        if (entry.refs > 0) return;
        if (this.idleMs <= 0 || !conn.isOpen) {
          if (this.entries.get(poolKey) === entry) this.entries.delete(poolKey);
          await conn.close();
          return;
        }
        (entry.stream as Socket | null)?.unref?.();
        entry.idle = setTimeout(() => {
          if (entry.refs > 0) return;
          if (this.entries.get(poolKey) === entry) this.entries.delete(poolKey);
          void conn.close();
        }, this.idleMs);
        entry.idle.unref();
      },
    };
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const e of all) clearTimeout(e.idle);
    await Promise.all(all.map((e) => e.conn.then((c) => c.close(), () => undefined)));
  }
}

/** The run-wide pool (a cache): the CLI closes it when a command ends. */
export const hostPool = new HostPool();
