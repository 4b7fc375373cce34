// reach-via: does the guest reach the outside THROUGH another VM of the task (param `via`, a role)?
// Yes when its default gateway is one of that VM's addresses on the task's network and the outside
// host answered. Leans on facts already measured (routing table, the outside probe).
import type { QuestionCheck } from '../types.js';
import { bestReach, reachFailure } from '../../grader/facts/measured.js';
import { paramsFor, readParams, tc, type ParamRules } from './params.js';
import { commandFor, domainOf, guestLabel, leasesOf, notMeasured, reachStatusText, taskAddresses, tr, onMeasuredGuest, yesNo, reachEvidence, configEvidence, type Msg } from './util.js';

const RULES: ParamRules = { via: { type: 'role', what: 'whatRole', required: true } };

export const reachVia: QuestionCheck = onMeasuredGuest({
  name: 'reach-via',
  kind: 'yes-no',
  validateParams: (params, ctx) => readParams(RULES, params, ctx).problems,
  observe(ctx, facts) {
    const p = paramsFor(ctx, RULES, 'reach-via');
    if ('observation' in p) return p.observation;
    const viaRole = p.values.via as string;
    const guest = guestLabel(facts);
    const via = domainOf(ctx, viaRole);
    const network = ctx.network?.name ?? ctx.task.network;
    const vg = ctx.guests[viaRole];
    // The router's addresses as measured inside it; unmeasured (or unreadable interfaces): its leases, a hint.
    const addrs = (vg && vg.ok ? taskAddresses(ctx, vg.facts) : null) ?? leasesOf(ctx, viaRole).filter((l) => !l.stale && l.network === ctx.network?.name).map((l) => l.address);
    const target = ctx.lab.probes?.outsideHost ?? ctx.spec.probes.outsideHost;
    const evidence = [...reachEvidence(facts, [target]), ...configEvidence(facts)];
    const unknown = (error: Msg, code: string) => ({ value: null, display: tr(ctx, 'displayUnknown'), codes: [code], explanation: error, evidence, error });
    const no = (code: string, explanation: Msg) => ({ value: { kind: 'yes-no' as const, value: false }, display: yesNo(ctx, false), codes: [code], explanation, evidence });
    if (addrs.length === 0) return unknown(tc('viaNoAddress', { via, network, guest }), 'via-address-unknown');
    // A gateway that could not be read is not "no gateway".
    if (!facts.config.gateway.ok) return notMeasured(ctx, facts.config.gateway.error, tr(ctx, 'what_gateway'), evidence, guest);
    const gw = facts.config.gateway.value;
    const address = addrs.join(', ');
    if (!gw) return no('gateway-not-via', tc('viaNoGateway', { guest, via, address }));
    if (!addrs.includes(gw)) return no('gateway-not-via', tc('viaGatewayOther', { guest, gateway: gw, via, address }));
    const r = bestReach(facts.reach[target] ? [facts.reach[target]!] : []);
    if (!r) return unknown(tc('viaNotProbed', { target, guest }), 'not-probed');
    if (!r.ok) {
      const failure = reachFailure(r.error);
      return unknown(tc('viaProbeError', { target, guest, status: reachStatusText(ctx, failure), detail: r.error.detail ? `: ${r.error.detail}` : '' }), `reach-${failure}`);
    }
    const status = reachStatusText(ctx, r.value.status);
    if (r.value.status === 'replied') {
      return { value: { kind: 'yes-no', value: true }, display: yesNo(ctx, true), codes: [], explanation: tc('viaOk', { guest, via, address: gw, target, command: commandFor(facts, target, `ping ${target}`) }), evidence };
    }
    return no('via-no-forward', tc('viaNoReply', { guest, via, address: gw, target, status }));
  },
});
