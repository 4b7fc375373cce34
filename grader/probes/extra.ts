// Extra guest facts that some question checks ask for (checks' `needs`), per OS. Kept apart from
// the per-OS config/reach probers: only tasks whose questions need them pay for them.
import type { CommandEvidence, Connection, FactRequest, GuestFacts, OsFamily } from '../types.js';
import { linuxRouterFacts } from './linux-router.js';

export type ExtraFacts = Pick<GuestFacts, 'sysctl' | 'nat'>;

/** Facts that cannot be measured at all: every request answered with the same error. */
export function unmeasuredExtra(requests: FactRequest[], error: string): ExtraFacts {
  const out: ExtraFacts = {};
  for (const r of requests) {
    if (r.kind === 'sysctl') (out.sysctl ??= {})[r.key] = { key: r.key, live: { ok: false, error }, persisted: { ok: false, error } };
    else out.nat = { live: { ok: false, error }, saved: { ok: false, error } };
  }
  return out;
}

export async function extraFacts(os: OsFamily, conn: Connection, requests: FactRequest[], ev: CommandEvidence[]): Promise<ExtraFacts> {
  if (requests.length === 0) return {};
  if (os === 'linux') return linuxRouterFacts(conn, requests, ev);
  return unmeasuredExtra(requests, `sysctl values and iptables/nftables rules are Linux facts; this guest is ${os}`);
}
