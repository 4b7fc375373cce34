// Host keys trusted on first use (accept_new_host_key) during one grading run, so the report and
// the class summary can say so: a new pin is a trust decision the teacher must be able to review.
// The log follows the async context of the run (AsyncLocalStorage), so concurrent students in a
// batch each get their own; outside a run, recording does nothing.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { TrustedHostKey } from '../types.js';

const store = new AsyncLocalStorage<TrustedHostKey[]>();

/** OpenSSH's fingerprint spelling: SHA256:<base64 without padding>. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function recordTrustedHostKey(entry: TrustedHostKey): void {
  const log = store.getStore();
  // Two connections racing to the same new host both pin it: one decision, logged once.
  if (!log || log.some((k) => k.host === entry.host && k.port === entry.port && k.fingerprint === entry.fingerprint && k.file === entry.file)) return;
  log.push(entry);
}

/** Runs `fn` with a fresh log; returns its value and the keys trusted while it ran. */
export async function withHostKeyLog<T>(fn: () => Promise<T>): Promise<{ value: T; keys: TrustedHostKey[] }> {
  const keys: TrustedHostKey[] = [];
  const value = await store.run(keys, fn);
  return { value, keys };
}
