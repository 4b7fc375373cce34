// A VM with several NICs (a router): each role the task lists under `nics` has a NIC on every
// network named there. Tasks without `nics` get no verdict from this check.
import type { HostCheck } from '../types.js';
import { nicOn } from '../../grader/libvirt/attachment.js';
import { domainNameFor, findTaskDomain, networkFor, quoteList, tr, verdict, data, join } from './common.js';

export const vmNics: HostCheck = {
  name: 'vm-nics',
  run(ctx) {
    return Object.entries(ctx.task.nics ?? {}).map(([role, keys]) => {
      const name = domainNameFor(ctx, role);
      const dom = findTaskDomain(ctx, role);
      if (!dom) return verdict(ctx, { check: 'vm-nics', subject: name, role, outcome: 'skip', message: tr(ctx, 'check.skipNoVm', { name }) });
      const wanted = [...new Set([ctx.task.network, ...keys])];
      const found: string[] = [];
      const missing: string[] = [];
      for (const key of wanted) {
        const net = networkFor(ctx, key);
        const label = net?.name ?? ctx.lab.networks[key] ?? ctx.spec.networks[key]?.names[0] ?? key;
        const nics = net ? dom.interfaces.filter((i) => nicOn(i, net)) : [];
        if (nics.length > 0) found.push(`${label} (${nics.map((i) => i.mac).join(', ')})`);
        else missing.push(label);
      }
      const observed = quoteList(dom.interfaces.map((i) => `${i.network ?? `${i.type} ${i.source || '-'}`} (${i.mac})`));
      const theory = quoteList(wanted.map((k) => ctx.lab.networks[k] ?? ctx.spec.networks[k]?.names[0] ?? k));
      if (missing.length === 0) {
        return verdict(ctx, { check: 'vm-nics', subject: name, role, outcome: 'pass', observed: data(observed), theory: data(theory), message: tr(ctx, 'check.vmNics.pass', { name, count: wanted.length, nics: quoteList(found) }) });
      }
      return verdict(ctx, {
        check: 'vm-nics',
        subject: name,
        role,
        outcome: 'fail',
        observed: data(observed),
        theory: data(theory),
        codes: ['vm-nic-missing'],
        message: join([tr(ctx, 'check.vmNics.fail', { name, missing: quoteList(missing), where: observed }), tr(ctx, 'check.vmNics.fix', { name, missing: quoteList(missing) })]),
      });
    });
  },
};
