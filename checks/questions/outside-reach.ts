// outside-reach: does the guest reach a host outside the lab ("the Internet")? The target is the
// spec's outside host, overridden by the lab file (the bundled lab's own "Internet").
import type { QuestionCheck } from '../types.js';
import { reachObservation } from './reach.js';
import { tr, onMeasuredGuest, } from './util.js';

export const outsideReach: QuestionCheck = onMeasuredGuest({
  name: 'outside-reach',
  kind: 'yes-no',
  needs: () => [{ kind: 'config' }, { kind: 'reach', target: 'outside' }],
  observe(ctx, facts) {
    const target = ctx.lab.probes?.outsideHost ?? ctx.spec.probes.outsideHost;
    return reachObservation(ctx, facts, [target], { what: tr(ctx, 'whatOutside', { target }), filteredMeansLink: false });
  },
});
