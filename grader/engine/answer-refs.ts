// Addresses the student named instead of writing them ("el host", "la puerta de enlace") are
// resolved against what was measured: the host's address on the task's network and the VM's
// measured default gateway. A name that resolves to nothing stays `unresolved` (graded as wrong,
// shown with the reason), never as "none".
import type { AddressRef, Answer, AnswerValue } from '../types.js';

export interface RefTargets {
  host: string | null;
  gateway: string | null;
}

export function resolveRefs(answer: Answer | undefined, to: RefTargets): Answer | undefined {
  const v = answer?.value;
  if (!answer || !v) return answer;
  const addr = (r: AddressRef): string | null => (r === 'host' ? to.host : to.gateway);
  if (v.kind === 'ipv4' && v.ref && v.value === null) {
    return { ...answer, value: { ...v, value: addr(v.ref) } };
  }
  if (v.kind === 'ipv4-config' && (v.gatewayRef || v.dnsRefs)) {
    const out: Extract<AnswerValue, { kind: 'ipv4-config' }> = { ...v, dns: [...v.dns] };
    const unresolved: AddressRef[] = [];
    if (v.gatewayRef && v.gateway === null) {
      const a = addr(v.gatewayRef);
      if (a) out.gateway = a;
      else unresolved.push(v.gatewayRef);
    }
    for (const r of v.dnsRefs ?? []) {
      // "dns: la puerta de enlace" means the gateway this answer gives, if it gives one.
      const a = r === 'gateway' ? (out.gateway ?? to.gateway) : addr(r);
      if (a) {
        if (!out.dns.includes(a)) out.dns.push(a);
      } else if (!unresolved.includes(r)) unresolved.push(r);
    }
    if (unresolved.length > 0) out.unresolved = unresolved;
    return { ...answer, value: out };
  }
  return answer;
}
