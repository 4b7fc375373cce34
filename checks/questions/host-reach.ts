// host-reach: does the guest reach the libvirt host? The host's address on the task's network
// comes from the network's <ip> element; a network without one (very isolated) gives the host no
// address there, so the answer is "no" without probing anything.
import type { QuestionCheck } from '../types.js';
import { reachObservation } from './reach.js';
import { hostAddressOf } from '../../grader/facts/interfaces.js';
import { tc } from './params.js';
import { configEvidence, guestLabel, tr, onMeasuredGuest, yesNo } from './util.js';

export const hostReach: QuestionCheck = onMeasuredGuest({
  name: 'host-reach',
  kind: 'yes-no',
  observe(ctx, facts) {
    if (!ctx.network) {
      const error = tr(ctx, 'obsNetworkMissing', { network: ctx.lab.networks[ctx.task.network] ?? ctx.task.network });
      return { value: null, display: tr(ctx, 'displayUnknown'), codes: ['network-missing'], explanation: error, evidence: [], error };
    }
    if (ctx.network.external) {
      // A host bridge or device outside libvirt: the host's address there is not known, so "no
      // address" would be a guess. Ask it only on libvirt networks.
      const error = tc('hostOnExternal', { network: ctx.network.name });
      return { value: null, display: tr(ctx, 'displayUnknown'), codes: ['host-address-unknown'], explanation: error, evidence: [], error };
    }
    const host = hostAddressOf(ctx.network);
    if (!host) {
      return {
        value: { kind: 'yes-no', value: false },
        display: yesNo(ctx, false),
        codes: ['host-no-address'],
        explanation: tr(ctx, 'obsHostNoAddress', { guest: guestLabel(facts), network: ctx.network.name }),
        evidence: configEvidence(facts).slice(0, 2),
      };
    }
    return reachObservation(ctx, facts, [host], { what: tr(ctx, 'whatHost', { target: host, network: ctx.network.name }), filteredMeansLink: true });
  },
});
