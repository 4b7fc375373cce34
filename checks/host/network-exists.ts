// The task's network exists on the host under the lab file's name or one of the spec's names.
// When it does not, say which networks exist and which one the student probably meant.
import type { HostCheck } from '../types.js';
import { expectedNetworkName, quoteList, specNetwork, suggestions, taskNetwork, tr, typeLabel, verdict, wantedNetworkNames, data, join } from './common.js';
import { isExternal } from '../../grader/libvirt/attachment.js';
import { byText } from '../../grader/util/compare.js';

export const networkExists: HostCheck = {
  name: 'network-exists',
  run(ctx) {
    const wanted = wantedNetworkNames(ctx);
    const expected = expectedNetworkName(ctx);
    const net = taskNetwork(ctx);
    const named = ctx.lab.networks[ctx.task.network] !== undefined;
    const want = specNetwork(ctx);
    if (want && isExternal(want)) {
      const kind = tr(ctx, want.attachment === 'direct' ? 'external.direct' : 'external.bridge');
      if (net) {
        return [verdict(ctx, { check: 'network-exists', subject: net.name, outcome: 'pass', observed: data(net.name), theory: data(quoteList(wanted)), message: tr(ctx, 'check.networkExists.externalPass', { kind, name: net.name, type: typeLabel(ctx, net.type) }) })];
      }
      const nics = ctx.snapshot.domains.flatMap((d) => d.interfaces.map((i) => `${d.name}: ${i.type} ${i.source || '-'}`));
      return [
        verdict(ctx, {
          check: 'network-exists',
          subject: expected,
          outcome: 'fail',
          observed: data(quoteList(nics)),
          theory: data(quoteList(wanted)),
          message: join([
            tr(ctx, 'check.networkExists.externalFail', { kind, name: expected, accepted: wanted.length > 1 ? tr(ctx, 'check.acceptedNames', { names: quoteList(wanted.slice(1)) }) : '', existing: quoteList(nics) }),
            tr(ctx, 'check.networkExists.externalFix', { name: expected, key: ctx.task.network }),
          ]),
          codes: ['network-missing'],
        }),
      ];
    }
    if (net) {
      return [
        verdict(ctx, {
          check: 'network-exists',
          subject: net.name,
          outcome: 'pass',
          observed: data(net.name),
          theory: data(quoteList(wanted)),
          message: tr(ctx, 'check.networkExists.pass', { name: net.name, type: typeLabel(ctx, net.type) }),
        }),
      ];
    }
    const existing = ctx.snapshot.networks.map((n) => n.name).sort(byText);
    const guesses = suggestions(expected, existing, wanted.slice(1));
    const codes = ['network-missing'];
    if (guesses.length > 0) codes.push('did-you-mean');
    const parts = [
      tr(ctx, 'check.networkExists.fail', { name: expected, accepted: wanted.length > 1 ? tr(ctx, 'check.acceptedNames', { names: quoteList(wanted.slice(1)) }) : '', existing: quoteList(existing) }),
    ];
    if (guesses.length > 0) parts.push(tr(ctx, 'check.didYouMean', { names: quoteList(guesses) }));
    parts.push(tr(ctx, named ? 'check.networkExists.fixNamed' : 'check.networkExists.fix', { key: ctx.task.network, name: expected }));
    return [
      verdict(ctx, {
        check: 'network-exists',
        subject: expected,
        outcome: 'fail',
        observed: data(quoteList(existing)),
        theory: data(quoteList(wanted)),
        message: join(parts),
        codes,
      }),
    ];
  },
};
