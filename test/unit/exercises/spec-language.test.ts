// The spec language's general additions: per-NIC attachments (`nics`), questions asked of some
// VMs (`ask`), check parameters (`params`, validated by the check), `vm:<role>` theory addresses,
// bridge/direct attachments. Mistakes are positioned errors naming the fix; the seed is untouched.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { questionChecks } from '../../../checks/questions/index.js';
import { TempDir, inputError, issueAt } from '../inputs/helpers.js';
import { exercise } from '../../fixtures/exercises/world.js';

const ROUTER = readFileSync(exercise('clase7-router-nat.yaml'), 'utf8');

describe('spec language: router and bridged building blocks', () => {
  const tmp = new TempDir();
  after(() => tmp.remove());

  it('loads the new fields as data', async () => {
    const spec = await loadSpec(exercise('clase7-router-nat.yaml'), { checks: questionChecks });
    const router = spec.tasks.find((t) => t.id === 'router')!;
    expect(router.nics).to.deep.equal({ linux: ['nat'] });
    expect(router.ask!.forwarding).to.deep.equal(['linux']);
    expect(router.theory.gateway).to.deep.equal({ kind: 'ipv4', value: 'vm:linux' });
    expect(spec.questions.nat!.params).to.deep.equal({ out_network: 'nat', source: '172.22.0.0/16', persistent: true, saved_files: ['/etc/iptables/rules.v4'] });
    expect(spec.questions.forwarding!.title).to.deep.equal({ es: 'Reenvío de paquetes (permanente)', en: 'Packet forwarding (permanent)' });
    const bridged = await loadSpec(exercise('clase1-4-puente.yaml'), { checks: questionChecks });
    expect(bridged.networks.bridge!.attachment).to.equal('bridge');
    expect(bridged.networks.macvtap!.attachment).to.equal('direct');
    const seed = await loadSpec(exercise('clase2-redes.yaml'), { checks: questionChecks });
    expect(Object.values(seed.networks).map((n) => n.attachment)).to.deep.equal(['network', 'network', 'network']);
    expect(seed.tasks.every((t) => Object.keys(t.ask ?? {}).length === 0 && Object.keys(t.nics ?? {}).length === 0)).to.equal(true);
  });

  it('rejects unknown roles and networks in ask/nics and vm:<role> theory, with did-you-mean', async () => {
    const text = ROUTER.replace('      forwarding: [linux]\n', '      forwarding: [linx]\n')
      .replace('    nics: { linux: [nat] }\n', '    nics: { linux: [natt] }\n')
      .replace('      gateway: vm:linux\n', '      gateway: vm:linus\n')
      .replace('      dns: [windows]\n', '      dnss: [windows]\n');
    const err = await inputError(() => loadSpec(tmp.write(text), { lang: 'en', checks: questionChecks }));
    expect(issueAt(err, 'tasks[1].ask.forwarding[0]').message).to.match(/machine "linx" is not part of this task.*Did you mean "linux"/);
    expect(issueAt(err, 'tasks[1].nics.linux[0]').message).to.match(/network "natt" is not defined.*Did you mean "nat"/);
    expect(issueAt(err, 'tasks[1].theory.gateway').message).to.match(/"vm:linus" names a machine that is not part of this task.*Did you mean "linux"/);
    expect(issueAt(err, 'tasks[1].ask.dnss').message).to.match(/names question "dnss", which this task does not ask.*Did you mean "dns"/);
    for (const i of err.issues) expect(i.line, JSON.stringify(i)).to.be.a('number');
  });

  it('validates each check\'s params (in the chosen language) when the registry is given', async () => {
    const text = ROUTER.replace('params: { key: net.ipv4.ip_forward, value: "1", persistent: true }', 'params: { key: "net.ipv4.ip_forward; reboot", persistent: maybe, colour: red }')
      .replace('params: { out_network: nat, source: 172.22.0.0/16, persistent: true, saved_files: [/etc/iptables/rules.v4] }', 'params: { out_network: nta, source: 172.22.0.0/33, saved_files: [../etc/shadow] }')
      .replace('params: { via: linux }', 'params: {}');
    const err = await inputError(() => loadSpec(tmp.write(text), { lang: 'es', checks: questionChecks }));
    const msgs = err.issues.filter((i) => i.path?.endsWith('.params')).map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(msgs).to.include('questions.forwarding.params: parámetros de la comprobación «sysctl»: parámetro desconocido «colour»');
    expect(msgs).to.include('el parámetro «key» debe ser una clave de sysctl');
    expect(msgs).to.include('falta el parámetro «value»');
    expect(msgs).to.include('el parámetro «persistent» debe ser true o false');
    expect(msgs).to.include('«nta» no es una red del ejercicio (nat, very_isolated)');
    expect(msgs).to.include('el parámetro «source» debe ser una red IPv4');
    expect(msgs).to.include('el parámetro «saved_files» debe ser una lista de rutas absolutas');
    expect(msgs).to.include('questions.via_router.params: parámetros de la comprobación «reach-via»: falta el parámetro «via»');
  });

  it('the schema rejects an unknown attachment and a malformed vm: address', async () => {
    const text = readFileSync(exercise('clase1-4-puente.yaml'), 'utf8').replace('    attachment: direct\n', '    attachment: macvtap\n');
    const err = await inputError(() => loadSpec(tmp.write(text), { lang: 'en' }));
    expect(issueAt(err, 'networks.macvtap.attachment').message).to.include('network, bridge, direct');
    const err2 = await inputError(() => loadSpec(tmp.write(ROUTER.replace('      gateway: vm:linux\n', '      gateway: "vm:Linux VM"\n')), { lang: 'en' }));
    expect(err2.issues.some((i) => i.path?.startsWith('tasks[1].theory.gateway'))).to.equal(true);
  });
});
