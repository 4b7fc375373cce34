// Extra guest facts that some question checks ask for (checks' `needs`), per OS. Kept apart from
// the per-OS config/reach probers: only tasks whose questions need them pay for them.
import type { CommandEvidence, Connection, FactRequest, GuestFacts, MeasureCause, MeasurementError, OsFamily } from '../types.js';
import { linuxRouterFacts } from './linux-router.js';

export type ExtraFacts = Pick<GuestFacts, 'sysctl' | 'nat'>;

/** Why no extra fact could be measured at all (the same for every request). */
export interface ExtraFailure {
  guest: string;
  cause: MeasureCause;
  detail: string;
}

/**
 * Facts that cannot be measured at all: every request answered with a MeasurementError of the
 * same cause, each naming the command that would have measured it.
 */
export function unmeasuredExtra(requests: FactRequest[], why: ExtraFailure): ExtraFacts {
  const error = (command: string, tool: string): { ok: false; error: MeasurementError } => ({ ok: false, error: { command, guest: why.guest, tool, cause: why.cause, detail: why.detail, exitCode: null } });
  const out: ExtraFacts = {};
  for (const r of requests) {
    if (r.kind === 'sysctl') {
      (out.sysctl ??= {})[r.key] = { key: r.key, live: error(`cat /proc/sys/${r.key.replace(/\./g, '/')}`, 'cat'), persisted: error('cat /etc/sysctl.d/*.conf /etc/sysctl.conf', 'cat') };
    } else out.nat = { live: error('iptables-save -t nat', 'iptables-save'), saved: error(`cat ${r.savedFiles.join(' ')}`, 'cat') };
  }
  return out;
}

export async function extraFacts(os: OsFamily, conn: Connection, requests: FactRequest[], ev: CommandEvidence[]): Promise<ExtraFacts> {
  if (requests.length === 0) return {};
  if (os === 'linux') return linuxRouterFacts(conn, requests, ev);
  return unmeasuredExtra(requests, { guest: conn.target, cause: 'failed', detail: `sysctl values and iptables/nftables rules are Linux facts; this guest is ${os}` });
}
