// Where a local libvirt host's network bridges live. On a normal host they are in this (root)
// namespace and nothing is needed; the bundled lab runs libvirtd inside a namespace of its own, and
// the guests are reached from there. This is a fact of the machine that grades (read here, by
// `init` and, when a lab file names no `netns`, by the connection code), never something a
// student's lab file has to say (a student's file may not name a namespace).
import { existsSync } from 'node:fs';
import type { HostSnapshot } from '../types.js';
import { isRemoteUri } from '../libvirt/uri.js';

const BRIDGE_RE = /^[A-Za-z0-9_.:-]{1,15}$/;
const NETNS_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/**
 * None of the networks' bridges in this namespace but in a named one -> that namespace; otherwise
 * undefined. Active networks first; all of them when activity is unknown.
 */
export async function detectNetns(snap: HostSnapshot): Promise<string | undefined> {
  const withBridge = snap.networks.filter((n) => n.bridge && BRIDGE_RE.test(n.bridge));
  const bridges = [...withBridge.filter((n) => n.active), ...withBridge.filter((n) => !n.active)].map((n) => n.bridge!);
  if (bridges.length === 0) return undefined;
  if (bridges.some((b) => existsSync(`/sys/class/net/${b}`))) return undefined;
  // execa only here, when the bridges are not in this namespace (most runs never load it).
  const { execa } = await import('execa');
  const list = await execa('ip', ['-j', 'netns', 'list'], { reject: false, timeout: 5000, stdin: 'ignore' });
  if (list.exitCode !== 0 || typeof list.stdout !== 'string' || !list.stdout.trim()) return undefined;
  let names: string[];
  try {
    names = (JSON.parse(list.stdout) as { name?: unknown }[]).map((x) => String(x.name ?? '')).filter((n) => NETNS_RE.test(n));
  } catch {
    return undefined;
  }
  for (const ns of names) {
    for (const br of bridges.slice(0, 4)) {
      const r = await execa('ip', ['-n', ns, '-j', 'link', 'show', 'dev', br], { reject: false, timeout: 5000, stdin: 'ignore' });
      if (r.exitCode === 0) return ns;
    }
  }
  return undefined;
}

const cache = new WeakMap<HostSnapshot, Promise<string | undefined>>();

/**
 * The namespace to open guest connections from: the lab file's `netns` when it names one; for a
 * local libvirt URI whose bridges are not here, the detected one (once per snapshot); else none.
 */
export function netnsFor(lab: { uri: string; netns?: string | undefined }, snap: HostSnapshot | undefined): Promise<string | undefined> {
  if (lab.netns) return Promise.resolve(lab.netns);
  if (!snap || isRemoteUri(lab.uri)) return Promise.resolve(undefined);
  let p = cache.get(snap);
  if (!p) {
    p = detectNetns(snap).catch(() => undefined);
    cache.set(snap, p);
  }
  return p;
}
