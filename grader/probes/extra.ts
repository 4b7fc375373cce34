// Extra guest facts that some question checks ask for (checks' `needs`): each OS's collector
// measures them (`GuestProber.extra`: Linux's router facts, grader/probes/linux/router.ts); only
// tasks whose questions need them pay for them.
import type { CommandEvidence, Connection, ExtraRequest, GuestFacts, MeasureCause, Measured, OsFamily } from '../types.js';
import { couldNotMeasure } from './measurement.js';
import { proberFor } from './index.js';

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
export function unmeasuredExtra(requests: ExtraRequest[], why: ExtraFailure): ExtraFacts {
  const error = <T>(command: string, tool: string): Measured<T> => couldNotMeasure({ command, guest: why.guest, tool, cause: why.cause, detail: why.detail, exitCode: null });
  const out: ExtraFacts = {};
  for (const r of requests) {
    if (r.kind === 'sysctl') {
      (out.sysctl ??= {})[r.key] = { key: r.key, live: error(`cat /proc/sys/${r.key.replace(/\./g, '/')}`, 'cat'), persisted: error('cat /etc/sysctl.d/*.conf /etc/sysctl.conf', 'cat') };
    } else out.nat = { live: error('iptables-save -t nat', 'iptables-save'), saved: error(`cat ${r.savedFiles.join(' ')}`, 'cat') };
  }
  return out;
}

/** The extra facts asked of a guest, measured by its OS's collector (`GuestProber.extra`); an OS without them says so per fact. */
export async function extraFacts(os: OsFamily, conn: Connection, requests: ExtraRequest[], ev: CommandEvidence[]): Promise<ExtraFacts> {
  if (requests.length === 0) return {};
  const collector = proberFor(os);
  if (collector.extra) return collector.extra(conn, requests, ev);
  return unmeasuredExtra(requests, { guest: conn.target, cause: 'failed', detail: `sysctl values and iptables/nftables rules are Linux facts; this guest is ${os}` });
}
