// Which libvirt host a student's grading talks to, so that students sharing one server are
// limited together (its sshd's MaxStartups), whatever the global concurrency.
import { readInputText } from '../util/read-input.js';
import { parse } from 'yaml';
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

/** The host key of a lab; a lab file that cannot be read groups by its path (its grading will fail anyway). */
export async function hostKeyOf(lab: LabSource): Promise<string> {
  if (lab.kind === 'inline') return hostKeyOfUri(lab.data.uri);
  try {
    const text = await readInputText(lab.path, 'yaml');
    const data = parse(text, { maxAliasCount: 50 }) as Record<string, unknown> | null;
    return hostKeyOfUri(data && typeof data === 'object' ? data.uri : undefined);
  } catch {
    return `file:${lab.path}`;
  }
}
