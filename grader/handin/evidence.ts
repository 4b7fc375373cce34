// The raw evidence of one grading run, taken at the lowest layers: every virsh call (its arguments
// and output: the networks' and domains' XML, the lease tables, agent calls), every guest
// connection opened (the access trail, the host key the guest showed) and every script run in a
// guest (script, arguments, stdout, stderr, exit code, timing). A hand-in carries it so that the
// teacher's labgrade can grade it again without contacting any guest (replay.ts).
import { createHash } from 'node:crypto';
import type { AccessAttempt, CommandResult, Connection, TransportErrorCode, TransportKind } from '../types.js';
import type { VirshCall, VirshExecResult } from '../libvirt/virsh.js';
import { fingerprint } from '../transports/host-key-log.js';

export interface VirshEntry {
  kind: 'virsh';
  args: string[];
  durationMs: number;
  result?: VirshExecResult;
  error?: { code: TransportErrorCode; message: string };
}

export interface HostKeySeen {
  keyType: string;
  /** base64 of the public key blob. */
  key: string;
  fingerprint: string;
}

export interface OpenEntry {
  kind: 'open';
  role: string;
  domain: string;
  ok: boolean;
  /** The connection's own name for the guest (`ssh root@192.168.101.218:22`, `agent debian12`). */
  target?: string;
  transport?: TransportKind;
  trail: AccessAttempt[];
  /** The first script, when it ran as the identity check while the connection was opened. */
  first?: { script: string; args: string[]; result: CommandResult };
  hostKey?: HostKeySeen;
  error?: { code: TransportErrorCode; message: string };
}

export interface CommandEntry {
  kind: 'command';
  role: string;
  target: string;
  transport: TransportKind;
  script: string;
  args: string[];
  result?: CommandResult;
  /** The channel broke (a TransportError): no result. */
  error?: { code: TransportErrorCode; message: string };
}

export type EvidenceBody = VirshEntry | OpenEntry | CommandEntry;

/** One line of evidence.jsonl: the order it was taken in, when (ms from the run's start), what. */
export type EvidenceEntry = EvidenceBody & {
  seq: number;
  atMs: number;
  /** sha256 over the previous line's `chain` and this entry without `chain` (hex). */
  chain: string;
};

export const CHAIN_START = '0'.repeat(64);

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The chain value of an entry, given the previous one. */
export function chainOf(prev: string, entry: Omit<EvidenceEntry, 'chain'>): string {
  return sha256(`${prev}\n${JSON.stringify(entry)}`);
}

function transportErr(e: unknown): { code: TransportErrorCode; message: string } {
  const code = (e as { code?: unknown })?.code;
  const known = typeof code === 'string' && /^[a-z-]+$/.test(code) ? (code as TransportErrorCode) : 'protocol';
  return { code: known, message: String((e as Error)?.message ?? e) };
}

/** The host key an SSH connection was verified with (the known_hosts entry that vouched for it). */
function hostKeyOf(conn: Connection): HostKeySeen | undefined {
  const c = conn as unknown as { hostKeyEntry?: { keyType: string; key: string } | null; inner?: Connection };
  const entry = c.hostKeyEntry ?? (c.inner as unknown as { hostKeyEntry?: { keyType: string; key: string } | null } | undefined)?.hostKeyEntry;
  if (!entry || typeof entry.key !== 'string') return undefined;
  return { keyType: entry.keyType, key: entry.key, fingerprint: fingerprint(Buffer.from(entry.key, 'base64')) };
}

/** Collects one run's evidence in the order it was taken. */
export class EvidenceRecorder {
  readonly entries: EvidenceEntry[] = [];
  private readonly t0 = Date.now();
  private last = CHAIN_START;

  private add(body: EvidenceBody, at = Date.now()): void {
    const e = { seq: this.entries.length + 1, atMs: Math.max(0, at - this.t0), ...body };
    const chain = chainOf(this.last, e);
    this.last = chain;
    this.entries.push({ ...e, chain });
  }

  /** For Virsh's `record` option. */
  readonly virsh = (call: VirshCall): void => {
    this.add(
      { kind: 'virsh', args: [...call.args], durationMs: call.durationMs, ...(call.result ? { result: { ...call.result } } : {}), ...(call.error ? { error: call.error } : {}) },
      call.startedAt,
    );
  };

  opened(role: string, domain: string, conn: Connection, trail: AccessAttempt[], first?: { script: string; args: string[]; result: CommandResult }): void {
    const hostKey = hostKeyOf(conn);
    this.add({ kind: 'open', role, domain, ok: true, target: conn.target, transport: conn.kind, trail, ...(first ? { first } : {}), ...(hostKey ? { hostKey } : {}) });
  }

  openFailed(role: string, domain: string, trail: AccessAttempt[], err: unknown): void {
    this.add({ kind: 'open', role, domain, ok: false, trail, error: transportErr(err) });
  }

  /** The connection, with every script it runs recorded. */
  connection(role: string, conn: Connection): Connection {
    const rec = this;
    return {
      kind: conn.kind,
      target: conn.target,
      async runScript(script, args, opts) {
        const started = Date.now();
        try {
          const result = await conn.runScript(script, args, opts);
          rec.add({ kind: 'command', role, target: conn.target, transport: conn.kind, script, args: [...args], result: { ...result } }, started);
          return result;
        } catch (e) {
          rec.add({ kind: 'command', role, target: conn.target, transport: conn.kind, script, args: [...args], error: transportErr(e) }, started);
          throw e;
        }
      },
      close: () => conn.close(),
    };
  }
}

/** Checks an evidence list's own chain; returns the 1-based line of the first broken link, or null. */
export function brokenLink(entries: EvidenceEntry[]): number | null {
  let prev = CHAIN_START;
  for (let i = 0; i < entries.length; i++) {
    const { chain, ...rest } = entries[i]!;
    if (rest.seq !== i + 1 || chainOf(prev, rest) !== chain) return i + 1;
    prev = chain;
  }
  return null;
}
