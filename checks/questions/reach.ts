// Turns reachability probe results into observations shared by outside-reach, peer-reach and
// host-reach. Statuses: replied -> yes; filtered (no echo reply but the neighbour resolved: a
// firewall) -> the link works; no-neighbour / no-route / no-reply -> no; probe-timeout / error ->
// could not measure.
import type { CommandEvidence, GuestFacts, Reachability } from '../../grader/types.js';
import type { Observation, QuestionContext } from '../types.js';
import { commandFor, guestLabel, notMeasured, reachStatusText, tr, yesNo, reachEvidence, type Msg } from './util.js';
import { bestReach, reachFailure } from '../../grader/facts/measured.js';

export { bestReach };

export interface ReachOptions {
  /** What the target is, in words (`198.51.100.10 (outside host)`). */
  what: Msg;
  /** For VM-to-VM and host: a firewall-filtered ping still means the link works (answer yes). */
  filteredMeansLink: boolean;
}


export function reachObservation(ctx: QuestionContext, facts: GuestFacts, targets: string[], opts: ReachOptions): Observation {
  const guest = guestLabel(facts);
  const results = targets.map((tg) => facts.reach[tg]).filter((r): r is Reachability => r !== undefined);
  const evidence: CommandEvidence[] = reachEvidence(facts, targets);
  const r = bestReach(results);
  if (!r) {
    const error = tr(ctx, 'obsReachNotProbed', { guest, what: opts.what });
    return { value: null, display: tr(ctx, 'displayUnknown'), codes: ['not-probed'], explanation: error, evidence, error };
  }
  // A probe that could not be made, or did not finish: could not measure, never a "no".
  if (!r.ok) {
    const o = notMeasured(ctx, r.error, tr(ctx, 'what_reach', { target: opts.what }), evidence, guest);
    o.codes.push(`reach-${reachFailure(r.error)}`);
    return o;
  }
  const { status, detail } = r.value;
  const params = {
    guest,
    what: opts.what,
    target: r.target,
    command: commandFor(facts, r.target, `ping ${r.target}`),
    status: reachStatusText(ctx, status),
    detail: detail ? ` (${detail})` : '',
  };
  if (status === 'replied') {
    return { value: { kind: 'yes-no', value: true }, display: yesNo(ctx, true), codes: [], explanation: tr(ctx, 'obsReachYes', params), evidence };
  }
  if (status === 'filtered' && opts.filteredMeansLink) {
    return {
      value: { kind: 'yes-no', value: true },
      display: tr(ctx, 'displayYesFiltered'),
      codes: ['firewall-filtered'],
      explanation: tr(ctx, 'obsReachFiltered', params),
      evidence,
    };
  }
  const key = status === 'no-route' ? 'obsReachNoRoute' : status === 'no-neighbour' ? 'obsReachNoNeighbour' : 'obsReachNo';
  const codes = [`reach-${status}`];
  if (status === 'filtered') codes.push('firewall-filtered');
  return { value: { kind: 'yes-no', value: false }, display: yesNo(ctx, false), codes, explanation: tr(ctx, key, params), evidence };
}
