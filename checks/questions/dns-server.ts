// dns-server: which DNS server does the guest use? The first server the guest is configured with
// (the prober asks systemd-resolved for the real ones behind 127.0.0.53); none = null.
import type { QuestionCheck } from '../types.js';
import { configEvidence, data, guestLabel, join, notMeasured, tr, onMeasuredGuest } from './util.js';

export const dnsServer: QuestionCheck = onMeasuredGuest({
  name: 'dns-server',
  kind: 'ipv4',
  observe(ctx, facts) {
    const dns = facts.config.dns;
    if (!dns.ok) return notMeasured(ctx, dns.error, tr(ctx, 'what_dns'), configEvidence(facts), guestLabel(facts));
    const servers = dns.value.servers;
    const first = servers[0] ?? null;
    const guest = guestLabel(facts);
    const answered = facts.resolve?.ok && facts.resolve.value.status === 'resolved' ? facts.resolve.value.server : null;
    const parts = [first ? tr(ctx, 'obsDnsServers', { guest, servers: servers.join(', ') }) : tr(ctx, 'obsDnsNoServers', { guest })];
    if (answered && first && answered !== first && !servers.includes(answered)) {
      parts.push(tr(ctx, 'obsDnsAnswered', { server: answered }));
    }
    return {
      value: { kind: 'ipv4', value: first },
      display: first !== null ? data(first) : tr(ctx, 'none'),
      codes: first ? [] : ['no-dns-server'],
      explanation: join(parts),
      evidence: configEvidence(facts),
    };
  },
});
