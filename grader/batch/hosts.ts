// Which libvirt host a student's grading talks to, so that students sharing one server are
// limited together (its sshd's MaxStartups), whatever the global concurrency.
import { resolve } from 'node:path';
import { readInput } from '../inputs/read.js';
import { own, parseYamlText } from '../inputs/yaml-source.js';
import type { LabSource } from './roster.js';

/** `local` for qemu:///system (or no URI); `host:port` for remote URIs (qemu+ssh://user@host:port/...). */
export function hostKeyOfUri(uri: unknown): string {
  if (typeof uri !== 'string' || uri.trim() === '') return 'local';
  try {
    const u = new URL(uri);
    if (!u.hostname) return 'local';
    const port = u.port || (u.protocol.includes('ssh') ? '22' : u.protocol.includes('tls') ? '16514' : u.protocol.includes('tcp') ? '16509' : '');
    return `${u.hostname.toLowerCase()}${port ? `:${port}` : ''}`;
  } catch {
    return `uri:${uri}`;
  }
}

/**
 * The host key of a lab; a lab file that cannot be read groups by its path (its grading will fail
 * anyway). A student's lab file goes through the hardened reader (bounded, no-follow, inside its
 * folder, item limit: a file of 93,000 keys is refused in milliseconds); `bytes` are the file as
 * batch already read it once, under the student's deadline.
 */
export async function hostKeyOf(lab: LabSource, bytes?: Uint8Array, signal?: AbortSignal): Promise<string> {
  if (lab.kind === 'inline') return hostKeyOfUri(lab.data.uri);
  try {
    const buf =
      bytes ??
      (await readInput(lab.path, 'yaml', { trust: 'student', ...(lab.within !== undefined ? { within: lab.within } : {}), ...(signal ? { signal } : {}) }));
    return hostKeyOfUri(own(parseYamlText(buf, lab.path, resolve(lab.path), 'en', 'student').data, 'uri'));
  } catch {
    return `file:${lab.path}`;
  }
}
