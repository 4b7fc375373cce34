// dns-resolution: does the guest resolve an Internet name? The name is the spec's, overridden by
// the lab file. Statuses: resolved -> yes; not-found / server-failure / no-server / timeout -> no;
// error -> could not measure.
import type { QuestionCheck } from '../types.js';
import { commandFor, guestLabel, notMeasured, tr, onMeasuredGuest, yesNo, evidenceOf } from './util.js';

export const dnsResolution: QuestionCheck = onMeasuredGuest({
  name: 'dns-resolution',
  kind: 'yes-no',
  observe(ctx, facts) {
    const name = ctx.lab.probes?.resolveName ?? ctx.spec.probes.resolveName;
    const r = facts.resolve;
    const evidence = evidenceOf(facts, facts.resolve?.evidence);
    const guest = guestLabel(facts);
    if (!r) {
      const error = tr(ctx, 'obsResolveNotProbed', { guest, name });
      return { value: null, display: tr(ctx, 'displayUnknown'), codes: ['not-probed'], explanation: error, evidence, error };
    }
    // A lookup that could not be made: could not measure, never a "no".
    if (!r.ok) return notMeasured(ctx, r.error, tr(ctx, 'what_resolve', { name: r.name }), evidence, guest);
    const v = r.value;
    // The configured servers only where they were read (unread is unknown, not "none").
    const dns = facts.config.dns;
    const params = {
      guest,
      name: r.name,
      // The lookup tool that actually ran (getent, busybox nslookup, host, resolvectl, dig...).
      command: r.command ?? commandFor(facts, r.name, facts.os === 'windows' ? `Resolve-DnsName ${r.name} -Type A` : `getent ahostsv4 ${r.name}`),
      addresses: v.addresses.join(', '),
      server: v.server ?? (dns.ok ? dns.value.servers.join(', ') || tr(ctx, 'none') : tr(ctx, 'displayUnknown')),
    };
    switch (v.status) {
      case 'resolved':
        return { value: { kind: 'yes-no', value: true }, display: yesNo(ctx, true), codes: [], explanation: tr(ctx, 'obsResolved', params), evidence };
      default: {
        const key =
          v.status === 'no-server' || (dns.ok && dns.value.servers.length === 0)
            ? 'obsResolveNoServer'
            : v.status === 'timeout'
              ? 'obsResolveTimeout'
              : v.status === 'server-failure'
                ? 'obsResolveServerFailure'
                : 'obsResolveNotFound';
        return { value: { kind: 'yes-no', value: false }, display: yesNo(ctx, false), codes: [`resolve-${v.status}`], explanation: tr(ctx, key, params), evidence };
      }
    }
  },
});
