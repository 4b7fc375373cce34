// The teacher's credentials for a student's lab (the roster's `credentials`), bound to the hosts,
// ports and schemes the teacher named: a credential is used for a connection only when its target
// (host, port, WinRM scheme), and the libvirt host it goes through when it jumps, all match it. A lab file handed in
// by a student carries no credential of the teacher's (grader/inputs/load-lab.ts, trust 'student').
import type { LabFile, SshAccess, TeacherCredential, WinRmAccess } from '../types.js';
import { inSubnet, isIpv4 } from '../net/ipv4.js';

/** `pattern` is a host name (case-insensitive, exact), an IPv4 address, or an IPv4 CIDR block. */
export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.trim().toLowerCase();
  const h = host.trim().toLowerCase();
  const slash = p.indexOf('/');
  if (slash > 0) {
    const net = p.slice(0, slash);
    const bits = Number(p.slice(slash + 1));
    if (!/^\d+$/.test(p.slice(slash + 1)) || !isIpv4(net) || !isIpv4(h)) return false;
    return inSubnet(h, net, bits);
  }
  return p === h;
}

/** Where a connection goes: host, port and (WinRM) scheme. A bare host name means the default port. */
export interface CredentialTarget {
  host: string;
  port?: number;
  scheme?: 'http' | 'https';
}

/** The port a credential is bound to: its own `port`, else 22 (ssh), 5986 (WinRM https) or 5985 (WinRM http). */
export function boundPort(c: TeacherCredential, kind: 'ssh' | 'winrm'): number {
  if (kind === 'ssh') return c.ssh?.port ?? 22;
  return c.winrm?.port ?? ((c.winrm?.scheme ?? 'https') === 'https' ? 5986 : 5985);
}

const asTarget = (t: string | CredentialTarget): CredentialTarget => (typeof t === 'string' ? { host: t } : t);

function bound(c: TeacherCredential, kind: 'ssh' | 'winrm', t: CredentialTarget, jump: boolean): boolean {
  if (!c.hosts.some((p) => hostMatches(p, t.host))) return false;
  // The jump host is the libvirt host, reached over ssh: its port is bound like an ssh target's.
  const k = jump ? 'ssh' : kind;
  const port = t.port ?? (k === 'ssh' ? 22 : (t.scheme ?? 'https') === 'https' ? 5986 : 5985);
  if (jump) return port === (c.ssh?.port ?? 22);
  if (port !== boundPort(c, kind)) return false;
  return kind === 'ssh' || (t.scheme ?? 'https') === (c.winrm?.scheme ?? 'https');
}

/**
 * The first credential of `kind` bound to every hop of the path: the target's host, port and
 * (WinRM) scheme, and the jump host's host and port if any. A port or scheme the student's lab file
 * names that the teacher did not is never given the teacher's credential.
 */
export function credentialFor(creds: readonly TeacherCredential[] | undefined, kind: 'ssh' | 'winrm', target: string | CredentialTarget, via: string | CredentialTarget | null): TeacherCredential | undefined {
  const t = asTarget(target);
  const v = via === null ? null : asTarget(via);
  return (creds ?? []).find((c) => c[kind] !== undefined && bound(c, kind, t, false) && (v === null || bound(c, kind, v, true)));
}

/**
 * The access method a connection to `target` really uses. Teacher-owned labs: unchanged. A
 * student's lab: the matching teacher credential's fields (user, key, password, known_hosts...)
 * over the student's entry; with none, only what the student wrote (an inline password).
 */
export function withTeacherCredential<M extends SshAccess | WinRmAccess>(m: M, lab: LabFile, target: string, via: string | CredentialTarget | null): M {
  if (lab.trust !== 'student') return m;
  const c = credentialFor(lab.credentials, m.kind, { host: target, port: m.port, ...(m.kind === 'winrm' ? { scheme: m.scheme } : {}) }, via);
  if (!c) return m;
  const over = (m.kind === 'ssh' ? c.ssh : c.winrm) ?? {};
  const out = { ...m } as M;
  // port and scheme bind the credential; they are equal to the connection's already.
  for (const [k, v] of Object.entries(over)) if (v !== undefined && k !== 'port' && k !== 'scheme') (out as unknown as Record<string, unknown>)[k] = v;
  // A reusable password of the teacher's goes only to a host whose key is already pinned in the
  // teacher's known_hosts: trust on first use is for keys, never for passwords.
  if (out.kind === 'ssh' && (over as { password?: unknown }).password !== undefined) (out as SshAccess).acceptNewHostKey = false;
  return out;
}
