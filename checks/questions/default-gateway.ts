// default-gateway: the guest's default gateway (its routing table), none = null. With theory
// `vm:<role>` it grades a machine routed through another VM (a Linux VM as router).
import type { QuestionCheck } from '../types.js';
import { tc } from './params.js';
import { configEvidence, data, guestLabel, tr, onMeasuredGuest } from './util.js';

export const defaultGateway: QuestionCheck = onMeasuredGuest({
  name: 'default-gateway',
  kind: 'ipv4',
  observe(ctx, facts) {
    const gw = facts.config.defaultGateway;
    const guest = guestLabel(facts);
    return {
      value: { kind: 'ipv4', value: gw },
      display: gw !== null ? data(gw) : tr(ctx, 'noneGateway'),
      codes: gw ? [] : ['no-gateway'],
      explanation: gw ? tc('gwIs', { guest, gateway: gw }) : tc('gwNone', { guest }),
      evidence: configEvidence(facts),
    };
  },
});
