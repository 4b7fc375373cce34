// peer-reach: do the VMs of the task reach each other? Probed from this VM towards every address
// the peer has on the task's network (measured inside the peer; when the peer could not be
// measured, the address libvirt leased to it, as a hint). A ping without reply whose neighbour
// (ARP) entry resolved means the link works and a firewall drops ICMP echo: the VMs ARE connected.
import type { QuestionCheck } from '../types.js';
import { reachObservation } from './reach.js';
import { domainOf, normMac, guestLabel, join, notMeasured, taskAddresses, taskMacs, tr, onMeasuredGuest, yesNo } from './util.js';
import type { QuestionContext } from '../types.js';

/** Addresses of a peer on the task network: measured, else leased on that network (a hint). */
export function peerTargets(ctx: QuestionContext, peer: string): { addresses: string[]; fromLease: boolean } {
  const g = ctx.guests[peer];
  // A peer whose interfaces could not be read has unknown addresses (not none): leases are the hint.
  const measured = g && g.ok ? taskAddresses(ctx, g.facts) : null;
  if (measured) return { addresses: measured, fromLease: false };
  const macs = taskMacs(ctx, peer);
  const leased = ctx.snapshot.leases
    .filter((l) => ctx.network && l.network === ctx.network.name && macs.includes(normMac(l.mac)))
    .map((l) => l.address);
  return { addresses: [...new Set(leased)], fromLease: leased.length > 0 };
}

export const peerReach: QuestionCheck = onMeasuredGuest({
  name: 'peer-reach',
  kind: 'yes-no',
  observe(ctx, facts) {
    const peers = ctx.task.vms.filter((r) => r !== ctx.role);
    if (peers.length === 0) {
      const error = tr(ctx, 'obsNoPeer', { task: ctx.task.id });
      return { value: null, display: tr(ctx, 'displayUnknown'), codes: ['no-peer'], explanation: error, evidence: [], error };
    }
    // Every peer must be reachable for "yes"; the first failing one is what is shown.
    const obs = peers.map((peer) => {
      const { addresses, fromLease } = peerTargets(ctx, peer);
      const peerName = domainOf(ctx, peer);
      if (addresses.length === 0) {
        const peerOutcome = ctx.guests[peer];
        if (peerOutcome && !peerOutcome.ok) {
          const error = tr(ctx, 'obsPeerUnknown', { peer: peerName, reason: peerOutcome.error });
          return { value: null, display: tr(ctx, 'displayUnknown'), codes: ['peer-unmeasured'], explanation: error, evidence: [], error };
        }
        const peerFailed = peerOutcome?.ok && !peerOutcome.facts.config.interfaces.ok ? peerOutcome.facts.config.interfaces.error : undefined;
        if (peerFailed) {
          const o = notMeasured(ctx, peerFailed, tr(ctx, 'what_interfaces'), [], peerName);
          return { ...o, codes: [...o.codes, 'peer-unmeasured'] };
        }
        return {
          value: { kind: 'yes-no' as const, value: false },
          display: yesNo(ctx, false),
          codes: ['peer-no-address'],
          explanation: tr(ctx, 'obsPeerNoAddress', { guest: guestLabel(facts), peer: peerName, network: ctx.network?.name ?? '?' }),
          evidence: [],
        };
      }
      const o = reachObservation(ctx, facts, addresses, {
        what: tr(ctx, 'whatPeer', { peer: peerName, target: addresses.join(', ') }),
        filteredMeansLink: true,
      });
      if (fromLease) {
        o.codes.push('peer-address-from-lease');
        o.explanation = join([o.explanation, tr(ctx, 'obsPeerFromLease', { peer: peerName })]);
      }
      return o;
    });
    const worst = obs.find((o) => o.error) ?? obs.find((o) => o.value?.kind === 'yes-no' && !o.value.value) ?? obs[0]!;
    return {
      ...worst,
      codes: [...new Set(obs.flatMap((o) => o.codes))],
      explanation: join(obs.map((o) => o.explanation)),
      evidence: obs.flatMap((o) => o.evidence),
    };
  },
});
