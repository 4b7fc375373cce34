// OpenSSH known_hosts: lookup and pinning of host keys (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT").
// Supported: plain host patterns (`*`, `?`, `!negation`, comma lists), `[host]:port` for
// non-default ports, hashed entries (`|1|salt|hmac-sha1`), `@revoked` (a revoked key is refused);
// `@cert-authority` lines are skipped (labgrade does not do host certificates). Keys are compared
// as the raw public-key blob the server sent, so the key type is part of the comparison.
import { createHmac } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { readInputText, ReadInputError } from '../inputs/read.js';
import { dirname } from 'node:path';

export interface KnownHostEntry {
  file: string;
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  /** The host field as written (patterns or a hashed name). */
  hosts: string;
  keyType: string;
  /** base64 of the public key blob. */
  key: string;
}

export type HostKeyCheck =
  | { status: 'match'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry }
  /** Keys of the same type are known for this host, and none is the one offered. */
  | { status: 'changed'; entries: KnownHostEntry[] }
  /** No key of this type is known for this host (other types may be: `others`). */
  | { status: 'unknown'; others: KnownHostEntry[] };

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return; // unknown marker: ignored, as OpenSSH does
    }
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) return;
    out.push({ file, line: i + 1, marker, hosts, keyType, key });
  });
  return out;
}

/** Glob match of OpenSSH patterns: `*` any run, `?` one character; case-insensitive. */
export function matchPattern(name: string, pattern: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+(){}[\]]/g, '\\$&')))
      .join('')}$`,
    'i',
  );
  return re.test(name);
}

/** Does a host field (comma-separated patterns, or one hashed name) cover `name`? */
export function hostsFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  let matched = false;
  for (const p of field.split(',')) {
    if (!p) continue;
    if (p.startsWith('!')) {
      if (matchPattern(name, p.slice(1))) return false;
    } else if (matchPattern(name, p)) {
      matched = true;
    }
  }
  return matched;
}

/** The key type written inside an SSH public-key blob (its first string). */
export function blobKeyType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const n = blob.readUInt32BE(0);
  if (n <= 0 || n > 64 || 4 + n > blob.length) return null;
  return blob.subarray(4, 4 + n).toString('latin1');
}

export function checkHostKey(entries: KnownHostEntry[], host: string, port: number, blob: Buffer): HostKeyCheck {
  const name = hostKeyName(host, port);
  const type = blobKeyType(blob);
  const b64 = blob.toString('base64');
  const mine = entries.filter((e) => e.marker !== 'cert-authority' && hostsFieldMatches(e.hosts, name));
  const revoked = mine.find((e) => e.marker === 'revoked' && e.key === b64);
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = mine.filter((e) => e.marker === null);
  const hit = plain.find((e) => e.key === b64);
  if (hit) return { status: 'match', entry: hit };
  const sameType = plain.filter((e) => e.keyType === type);
  if (sameType.length > 0) return { status: 'changed', entries: sameType };
  return { status: 'unknown', others: plain };
}

/** Host key algorithms to offer so the server presents a key type we already know (as OpenSSH does). */
export function preferredHostKeyAlgorithms(known: KnownHostEntry[]): string[] {
  const algs: string[] = [];
  for (const e of known) {
    const list = e.keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [e.keyType];
    for (const a of list) if (!algs.includes(a)) algs.push(a);
  }
  return algs;
}

/** Reads known_hosts files; a missing file is simply empty. */
export async function loadKnownHosts(files: string[]): Promise<KnownHostEntry[]> {
  const all: KnownHostEntry[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = await readInputText(f, 'known-hosts');
    } catch (e) {
      if (e instanceof ReadInputError && e.code === 'missing') continue;
      throw e;
    }
    all.push(...parseKnownHosts(text, f));
  }
  return all;
}

/** Entries matching a host name (for choosing algorithms before the key exchange). */
export function entriesFor(entries: KnownHostEntry[], host: string, port: number): KnownHostEntry[] {
  const name = hostKeyName(host, port);
  return entries.filter((e) => e.marker === null && hostsFieldMatches(e.hosts, name));
}

/** Appends `name type base64` to the file (created 0600 with its folder 0700 if missing). */
export async function pinHostKey(file: string, host: string, port: number, blob: Buffer): Promise<KnownHostEntry> {
  const type = blobKeyType(blob);
  if (!type) throw new Error('malformed host key');
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let existing = '';
  try {
    existing = await readInputText(file, 'known-hosts');
  } catch (e) {
    // Only a missing file is created; anything else (a FIFO, a device, too big) is not written to.
    if (!(e instanceof ReadInputError && e.code === 'missing')) throw e;
    existing = '';
  }
  const sep = existing.length > 0 && !existing.endsWith('\n') ? '\n' : '';
  const line = `${hostKeyName(host, port)} ${type} ${blob.toString('base64')}\n`;
  // Another connection pinned the very same key a moment ago: nothing to add.
  const already = existing.split('\n').indexOf(line.trimEnd());
  if (already >= 0) return { file, line: already + 1, marker: null, hosts: hostKeyName(host, port), keyType: type, key: blob.toString('base64') };
  await appendFile(file, sep + line, { mode: 0o600 });
  const lineNo = existing.split('\n').length - (existing.endsWith('\n') || existing === '' ? 1 : 0) + 1;
  return { file, line: lineNo, marker: null, hosts: hostKeyName(host, port), keyType: type, key: blob.toString('base64') };
}
