// default-gateway: the guest's default gateway (its routing table), none = null. With theory
// `vm:<role>` it grades a machine routed through another VM (a Linux VM as router).
import type { QuestionCheck } from '../types.js';
import { tc } from './params.js';
import { configEvidence, data, guestLabel, notMeasured, tr, onMeasuredGuest } from './util.js';

export const defaultGateway: QuestionCheck = onMeasuredGuest({
  name: 'default-gateway',
  kind: 'ipv4',
  observe(ctx, facts) {
    const guest = guestLabel(facts);
    // A routing table that could not be read is not "no gateway".
    if (!facts.config.gateway.ok) return notMeasured(ctx, facts.config.gateway.error, tr(ctx, 'what_gateway'), configEvidence(facts), guest);
    const gw = facts.config.gateway.value;
    return {
      value: { kind: 'ipv4', value: gw },
      display: gw !== null ? data(gw) : tr(ctx, 'noneGateway'),
      codes: gw ? [] : ['no-gateway'],
      explanation: gw ? tc('gwIs', { guest, gateway: gw }) : tc('gwNone', { guest }),
      evidence: configEvidence(facts),
    };
  },
});
