// outside-reach: does the guest reach a host outside the lab ("the Internet")? The target is the
// spec's outside host, overridden by the lab file (the bundled lab's own "Internet").
import type { QuestionCheck } from '../types.js';
import { reachObservation } from './reach.js';
import { tr, unmeasured } from './util.js';

export const outsideReach: QuestionCheck = {
  name: 'outside-reach',
  kind: 'yes-no',
  observe(ctx) {
    const g = ctx.guests[ctx.role];
    if (!g || !g.ok) return unmeasured(ctx, ctx.role, g && !g.ok ? g : undefined);
    const target = ctx.lab.probes?.outsideHost ?? ctx.spec.probes.outsideHost;
    return reachObservation(ctx, g.facts, [target], { what: tr(ctx, 'whatOutside', { target }), filteredMeansLink: false });
  },
};
