// Each VM of the task exists on the host (did-you-mean from the domains that do).
import type { HostCheck } from '../types.js';
import { allDomainNames, domainNameFor, findTaskDomain, quoteList, suggestions, tr, verdict, data, join } from './common.js';

export const vmExists: HostCheck = {
  name: 'vm-exists',
  run(ctx) {
    return ctx.task.vms.map((role) => {
      const name = domainNameFor(ctx, role);
      const dom = findTaskDomain(ctx, role);
      if (dom) {
        return verdict(ctx, { check: 'vm-exists', subject: name, role, outcome: 'pass', observed: data(name), theory: data(name), message: tr(ctx, 'check.vmExists.pass', { name, role }) });
      }
      const all = allDomainNames(ctx);
      if (all.includes(name)) {
        // Listed by libvirt but its definition could not be read: say why (snapshot.problems).
        const why = ctx.snapshot.problems.filter((p) => p.includes(name)).join('; ') || '-';
        return verdict(ctx, { check: 'vm-exists', subject: name, role, outcome: 'error', observed: data(name), theory: data(name), message: tr(ctx, 'check.vmExists.unreadable', { name, why }), codes: ['vm-unreadable'] });
      }
      const guesses = suggestions(name, all);
      const parts = [tr(ctx, 'check.vmExists.fail', { name, role, existing: quoteList(all) })];
      if (guesses.length > 0) parts.push(tr(ctx, 'check.didYouMean', { names: quoteList(guesses) }));
      parts.push(tr(ctx, 'check.vmExists.fix', { role }));
      return verdict(ctx, {
        check: 'vm-exists',
        subject: name,
        role,
        outcome: 'fail',
        observed: data(quoteList(all)),
        theory: data(name),
        message: join(parts),
        codes: guesses.length > 0 ? ['vm-missing', 'did-you-mean'] : ['vm-missing'],
      });
    });
  },
};
