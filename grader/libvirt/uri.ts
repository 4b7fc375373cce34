// libvirt connection URIs: `qemu:///system` (local unix socket) or `qemu+ssh://user@host/system`
// (virsh starts the `ssh` program, which runs virt-ssh-helper or nc on the host). Only parsing and
// safe, additive tweaks live here.
import { shWord } from '../transports/quote.js';

export interface UriInfo {
  /** driver[+transport] */
  scheme: string;
  driver: string;
  transport: string | null;
  host: string | null;
  user: string | null;
  port: number | null;
  path: string;
  params: URLSearchParams;
}

/**
 * The parts of a libvirt URI, or null when it is not one. A port that is given must be a number
 * 1-65535: `qemu+ssh://-oProxyCommand=...:/system` (empty or non-numeric port) is no URI at all,
 * and callers that check the host of a student's URI refuse a null (grader/inputs/load-lab.ts).
 */
export function parseUri(uri: string): UriInfo | null {
  const m = /^([a-z][a-z0-9]*)(?:\+([a-z0-9]+))?:\/\/(?:([^@/?#]*)@)?([^/?#:]*|\[[^\]]*\])(?::([^/?#]*))?(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(uri.trim());
  if (!m) return null;
  if (m[5] !== undefined && (!/^\d{1,5}$/.test(m[5]) || Number(m[5]) < 1 || Number(m[5]) > 65535)) return null;
  return {
    scheme: m[2] ? `${m[1]}+${m[2]}` : m[1]!,
    driver: m[1]!.toLowerCase(),
    transport: m[2]?.toLowerCase() ?? null,
    user: m[3] ? decodeURIComponent(m[3]) : null,
    host: m[4] ? m[4] : null,
    port: m[5] ? Number(m[5]) : null,
    path: m[6] ?? '',
    params: new URLSearchParams(m[7] ?? ''),
  };
}

/** The URI goes through the external `ssh` program (qemu+ssh://). */
export function isSshUri(uri: string): boolean {
  const u = parseUri(uri);
  return u?.transport === 'ssh';
}

/** Any URI that reaches another machine (has a host part or a network transport). */
export function isRemoteUri(uri: string): boolean {
  const u = parseUri(uri);
  if (!u) return false;
  return (u.host !== null && u.host !== '') || (u.transport !== null && u.transport !== 'unix');
}

/** Where an error happened, for messages: `qemu+ssh://root@host/system` without the query. */
export function uriTarget(uri: string): string {
  return uri.replace(/\?.*$/, '');
}

/**
 * For qemu+ssh URIs: add `no_tty=1` (ssh BatchMode: fail instead of waiting for a password typed
 * on a terminal nobody watches) and `keyfile=` when given, unless the URI already sets them.
 */
export function withSshDefaults(uri: string, opts: { keyFile?: string | undefined } = {}): string {
  const u = parseUri(uri);
  if (!u || u.transport !== 'ssh') return uri;
  const add: string[] = [];
  if (!u.params.has('no_tty')) add.push('no_tty=1');
  if (opts.keyFile && !u.params.has('keyfile')) add.push(`keyfile=${encodeURIComponent(opts.keyFile).replace(/%2F/gi, '/')}`);
  if (add.length === 0) return uri;
  return uri + (uri.includes('?') ? (uri.endsWith('?') || uri.endsWith('&') ? '' : '&') : '?') + add.join('&');
}

/**
 * The ssh and ssh-copy-id command lines that reach the host of a qemu+ssh URI as virsh does: its
 * user and port kept (`ssh -p 1 nobody@127.0.0.1`, `ssh-copy-id -p 1 nobody@127.0.0.1`), each word
 * quoted for pasting into a shell. null when the URI names no host.
 */
export function sshCommandsFor(uri: string): { ssh: string; copyId: string } | null {
  const u = parseUri(uri);
  if (!u?.host) return null;
  return sshCommandsTo(u.user, u.host.replace(/^\[(.*)\]$/, '$1'), u.port);
}

export function sshCommandsTo(user: string | null | undefined, host: string, port: number | null | undefined): { ssh: string; copyId: string } {
  const target = shWord(`${user ? `${user}@` : ''}${host}`);
  const p = port && port !== 22 ? `-p ${port} ` : '';
  return { ssh: `ssh ${p}${target}`, copyId: `ssh-copy-id ${p}${target}` };
}
