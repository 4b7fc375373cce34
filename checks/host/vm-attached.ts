// Each VM of the task has a NIC on the task's network (a type=network NIC naming it, or a
// type=bridge NIC on its bridge). The message says where else the VM is attached, so a student who
// left the VM on the previous task's network sees it at once.
import type { DomainInterface } from '../../grader/types.js';
import type { HostCheck, HostCheckContext } from '../types.js';
import { nicOn } from '../../grader/libvirt/attachment.js';
import { domainNameFor, expectedNetworkName, findTaskDomain, quoteList, taskNetwork, tr, verdict, data, join, quoteWords, type Msg } from './common.js';

function describeNic(ctx: HostCheckContext, i: DomainInterface): Msg {
  const where = i.network
    ? i.type === 'network'
      ? data(i.network)
      : tr(ctx, 'nic.viaBridge', { network: i.network, type: i.type, source: i.source })
    : i.source
      ? tr(ctx, 'nic.noNetwork', { type: i.type, source: i.source })
      : tr(ctx, 'nic.typeOnly', { type: i.type });
  const nic = tr(ctx, 'nic.describe', { where, mac: i.mac });
  return i.linkState === 'down' ? join([nic, tr(ctx, 'nic.linkDown')]) : nic;
}

export const vmAttached: HostCheck = {
  name: 'vm-attached',
  run(ctx) {
    const net = taskNetwork(ctx);
    return ctx.task.vms.map((role) => {
      const name = domainNameFor(ctx, role);
      const dom = findTaskDomain(ctx, role);
      if (!dom) return verdict(ctx, { check: 'vm-attached', subject: name, role, outcome: 'skip', message: tr(ctx, 'check.skipNoVm', { name }) });
      if (!net) {
        return verdict(ctx, { check: 'vm-attached', subject: name, role, outcome: 'skip', message: tr(ctx, 'check.skipNoNetwork', { name: expectedNetworkName(ctx), key: ctx.task.network }) });
      }
      const on = dom.interfaces.filter((i) => nicOn(i, net));
      const elsewhere = dom.interfaces.filter((i) => !nicOn(i, net));
      const observed = quoteWords(dom.interfaces.map((i) => describeNic(ctx, i)));
      if (on.length === 0) {
        const failed =
          dom.interfaces.length === 0
            ? tr(ctx, 'check.vmAttached.noNics', { name, network: net.name })
            : tr(ctx, 'check.vmAttached.fail', { name, network: net.name, where: observed });
        return verdict(ctx, {
          check: 'vm-attached',
          subject: name,
          role,
          outcome: 'fail',
          observed,
          theory: data(net.name),
          message: join([failed, tr(ctx, 'check.vmAttached.fix', { name, network: net.name })]),
          codes: ['vm-not-attached'],
        });
      }
      if (on.every((i) => i.linkState === 'down')) {
        return verdict(ctx, {
          check: 'vm-attached',
          subject: name,
          role,
          outcome: 'fail',
          observed,
          theory: data(net.name),
          message: tr(ctx, 'check.vmAttached.linkDown', { name, network: net.name, mac: on.map((i) => i.mac).join(', ') }),
          codes: ['link-down'],
        });
      }
      const parts = [tr(ctx, 'check.vmAttached.pass', { name, network: net.name, nics: quoteWords(on.map((i) => describeNic(ctx, i))) })];
      const codes: string[] = [];
      if (elsewhere.length > 0) {
        parts.push(tr(ctx, 'check.vmAttached.alsoOn', { where: quoteWords(elsewhere.map((i) => describeNic(ctx, i))) }));
        codes.push('multiple-nics');
      }
      if (on.length > 1) codes.push('several-nics-on-network');
      return verdict(ctx, { check: 'vm-attached', subject: name, role, outcome: 'pass', observed, theory: data(net.name), message: join(parts), codes });
    });
  },
};
