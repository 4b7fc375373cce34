// The teacher's credentials for a student's lab (the roster's `credentials`), bound to the hosts
// the teacher named: a credential is used for a connection only when its target, and the libvirt
// host it goes through when it jumps, are all among the credential's hosts. A lab file handed in
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

const bound = (c: TeacherCredential, host: string) => c.hosts.some((p) => hostMatches(p, host));

/** The first credential of `kind` bound to every host of the path (target, and the jump host if any). */
export function credentialFor(creds: readonly TeacherCredential[] | undefined, kind: 'ssh' | 'winrm', target: string, via: string | null): TeacherCredential | undefined {
  return (creds ?? []).find((c) => c[kind] !== undefined && bound(c, target) && (via === null || bound(c, via)));
}

/**
 * The access method a connection to `target` really uses. Teacher-owned labs: unchanged. A
 * student's lab: the matching teacher credential's fields (user, key, password, known_hosts...)
 * over the student's entry; with none, only what the student wrote (an inline password).
 */
export function withTeacherCredential<M extends SshAccess | WinRmAccess>(m: M, lab: LabFile, target: string, via: string | null): M {
  if (lab.trust !== 'student') return m;
  const c = credentialFor(lab.credentials, m.kind, target, via);
  if (!c) return m;
  const over = (m.kind === 'ssh' ? c.ssh : c.winrm) ?? {};
  const out = { ...m } as M;
  for (const [k, v] of Object.entries(over)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}
