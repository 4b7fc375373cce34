// Each VM of the task is running (a shut-off or paused VM cannot be measured).
import type { HostCheck } from '../types.js';
import { domainNameFor, findTaskDomain, tr, verdict, data, join } from './common.js';

export const vmRunning: HostCheck = {
  name: 'vm-running',
  run(ctx) {
    return ctx.task.vms.map((role) => {
      const name = domainNameFor(ctx, role);
      const dom = findTaskDomain(ctx, role);
      if (!dom) return verdict(ctx, { check: 'vm-running', subject: name, role, outcome: 'skip', message: tr(ctx, 'check.skipNoVm', { name }) });
      if (dom.state === 'running') {
        return verdict(ctx, { check: 'vm-running', subject: name, role, outcome: 'pass', observed: data(dom.state), theory: data('running'), message: tr(ctx, 'check.vmRunning.pass', { name }) });
      }
      const fixKey = dom.state === 'paused' ? 'check.vmRunning.fixPaused' : dom.state === 'pmsuspended' ? 'check.vmRunning.fixSuspended' : 'check.vmRunning.fixStart';
      return verdict(ctx, {
        check: 'vm-running',
        subject: name,
        role,
        outcome: 'fail',
        observed: data(dom.state),
        theory: data('running'),
        message: join([tr(ctx, 'check.vmRunning.fail', { name, state: dom.state }), tr(ctx, fixKey, { name })]),
        codes: ['vm-not-running'],
      });
    });
  },
};
