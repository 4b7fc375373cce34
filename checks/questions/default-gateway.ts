// default-gateway: the guest's default gateway (its routing table), none = null. With theory
// `vm:<role>` it grades a machine routed through another VM (a Linux VM as router).
import type { QuestionCheck } from '../types.js';
import { tc } from './params.js';
import { configEvidence, guestLabel, probeWords, tr, unmeasured } from './util.js';

export const defaultGateway: QuestionCheck = {
  name: 'default-gateway',
  kind: 'ipv4',
  observe(ctx) {
    const g = ctx.guests[ctx.role];
    if (!g || !g.ok) return unmeasured(ctx, ctx.role, g && !g.ok ? g : undefined);
    const gw = g.facts.config.defaultGateway;
    const guest = guestLabel(g.facts);
    return {
      value: { kind: 'ipv4', value: gw },
      display: gw ?? tr(ctx, 'noneGateway'),
      codes: gw ? [] : ['no-gateway'],
      explanation: gw ? tc(ctx.lang, 'gwIs', { guest, gateway: gw }) : tc(ctx.lang, 'gwNone', { guest }),
      evidence: configEvidence(g.facts, probeWords(g.facts)),
    };
  },
};
