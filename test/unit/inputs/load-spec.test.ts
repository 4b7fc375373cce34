import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import type { InputIssue } from '../../../grader/types.js';
import { TempDir, fixtures, inputError, issueAt, shipped } from './helpers.js';

const shippedText = readFileSync(shipped, 'utf8');

describe('loadSpec', () => {
  const tmp = new TempDir();
  after(() => tmp.remove());

  it('loads the shipped exercise with everything as data', async () => {
    const warnings: InputIssue[] = [];
    const spec = await loadSpec(shipped, { lang: 'en', warnings });
    expect(warnings).to.deep.equal([]);
    expect(spec.id).to.equal('clase2-redes');
    expect(spec.file).to.equal(shipped);
    expect(Object.keys(spec.networks)).to.deep.equal(['nat', 'isolated', 'very_isolated']);
    expect(spec.networks.nat).to.deep.include({ type: 'nat', dhcp: true, hostAddress: true, names: ['red-nat', 'red_nat'] });
    expect(spec.networks.isolated).to.deep.include({ type: 'isolated', dhcp: false, hostAddress: true, names: ['red-aislada', 'red_aislada'] });
    expect(spec.networks.very_isolated).to.deep.include({ type: 'very-isolated', dhcp: false, hostAddress: false, names: ['red-muy-aislada', 'red_muy_aislada'] });
    expect(spec.vms.linux).to.deep.include({ os: 'linux', defaultDomain: 'debian12' });
    expect(spec.vms.windows).to.deep.include({ os: 'windows', defaultDomain: 'win10' });
    const kinds = Object.fromEntries(Object.values(spec.questions).map((q) => [q.id, [q.kind, q.check]]));
    expect(kinds).to.deep.equal({
      config: ['config-method', 'config-method'],
      vm_config: ['ipv4-config', 'ipv4-config'],
      outside: ['yes-no', 'outside-reach'],
      dns: ['yes-no', 'dns-resolution'],
      dns_server: ['ipv4', 'dns-server'],
      vm_to_vm: ['yes-no', 'peer-reach'],
      host: ['yes-no', 'host-reach'],
    });
    expect(spec.tasks.map((t) => [t.id, t.network, t.vms])).to.deep.equal([
      ['nat', 'nat', ['linux', 'windows']],
      ['isolated', 'isolated', ['linux', 'windows']],
      ['very_isolated', 'very_isolated', ['linux', 'windows']],
    ]);
    for (const t of spec.tasks) expect(t.questions).to.deep.equal(['config', 'vm_config', 'outside', 'dns', 'dns_server', 'vm_to_vm', 'host']);
    expect(spec.probes.timeoutMs).to.be.a('number');
  });

  it('carries the reference theory of course-facts.md for each network', async () => {
    const spec = await loadSpec(shipped, { lang: 'en' });
    const th = (id: string) => spec.tasks.find((t) => t.id === id)!.theory;
    expect(th('nat')).to.deep.equal({
      config: { kind: 'config-method', value: 'dynamic' },
      vm_config: { kind: 'ipv4-config', address: 'dhcp-range', gateway: 'host-address', dns: 'host-address' },
      outside: { kind: 'yes-no', value: true },
      dns: { kind: 'yes-no', value: true },
      dns_server: { kind: 'ipv4', value: 'host-address' },
      vm_to_vm: { kind: 'yes-no', value: true },
      host: { kind: 'yes-no', value: true },
    });
    expect(th('isolated').config).to.deep.equal({ kind: 'config-method', value: 'static' });
    expect(th('isolated').vm_config).to.deep.equal({ kind: 'ipv4-config', address: 'network-subnet', gateway: 'any', dns: 'any' });
    expect([th('isolated').outside, th('isolated').dns, th('isolated').vm_to_vm, th('isolated').host].map((x) => (x as { value: boolean }).value)).to.deep.equal([false, false, true, true]);
    expect(th('isolated').dns_server).to.deep.equal({ kind: 'ipv4', value: 'none' });
    expect(th('very_isolated').vm_config).to.deep.equal({ kind: 'ipv4-config', address: 'any', gateway: 'none', dns: 'none' });
    expect([th('very_isolated').outside, th('very_isolated').dns, th('very_isolated').vm_to_vm, th('very_isolated').host].map((x) => (x as { value: boolean }).value)).to.deep.equal([false, false, true, false]);
  });

  it('has bilingual prompts (Spanish from the seed) and bilingual hints merged into each question', async () => {
    const spec = await loadSpec(shipped, { lang: 'en' });
    expect(spec.questions.config!.prompt.es).to.equal('¿Qué tipo de configuración de red has necesitado (estática o dinámica)?');
    expect(spec.questions.vm_config!.prompt.es).to.equal('¿Qué configuración de red ha tomado cada máquina?');
    for (const q of Object.values(spec.questions)) {
      expect(q.prompt.en).to.match(/\?$/);
      for (const code of ['apipa', 'link-local-only', 'firewall-filtered', 'stale-lease', 'lab-contradicts-theory', 'answer-contradicts-lab', 'no-dhcp-server', 'network-misconfigured', 'unreachable-guest']) {
        expect(q.hints, `${q.id} lacks hint ${code}`).to.have.property(code);
        expect(q.hints[code]!.es).to.not.equal(q.hints[code]!.en);
      }
    }
    // A question's own hint wins over the shared one.
    expect(spec.questions.outside!.hints['lab-contradicts-theory']!.es).to.match(/NAT/);
    expect(spec.questions.vm_to_vm!.hints['lab-contradicts-theory']!.es).to.match(/laboratorio/);
  });

  it('reports a wrong type three levels deep with its line and column', async () => {
    const err = await inputError(() => loadSpec(join(fixtures, 'spec-wrong-type.yaml'), { lang: 'en' }));
    expect(err.issues).to.have.length(1);
    const i = issueAt(err, 'questions.config.points');
    expect(i.line).to.equal(13);
    expect(i.column).to.equal(13);
    expect(i.message).to.match(/expected number, found text/);
    expect(i.file).to.equal(join(fixtures, 'spec-wrong-type.yaml'));
  });

  it('names unknown keys with a suggestion, and messages follow the language', async () => {
    const p = tmp.write(shippedText.replace('    host_address: false', '    host_adress: false'));
    const en = await inputError(() => loadSpec(p, { lang: 'en' }));
    const key = issueAt(en, 'networks.very_isolated.host_adress');
    expect(key.message).to.match(/unknown key "host_adress".*Did you mean "host_address"/);
    const missing = issueAt(en, 'networks.very_isolated');
    expect(missing.message).to.match(/missing required key "host_address"/);
    const es = await inputError(() => loadSpec(p, { lang: 'es' }));
    expect(issueAt(es, 'networks.very_isolated.host_adress').message).to.match(/clave desconocida.*¿Querías decir «host_address»/);
  });

  it('checks references between sections: networks, VMs, questions, theory', async () => {
    const text = shippedText
      .replace('    network: isolated\n', '    network: isolatd\n')
      .replace('    vms: [linux, windows]\n    questions: [config, vm_config, outside, dns, dns_server, vm_to_vm, host]\n    theory:\n      config: static\n      vm_config: { address: any', '    vms: [linux, windos]\n    questions: [config, vm_config, outside, dns, dns_server, vm_to_vm, host]\n    theory:\n      config: static\n      vm_config: { address: any')
      .replace('      outside: true\n', '      outsid: true\n')
      .replace("      dns_server: none\n      vm_to_vm: true\n      host: true", "      dns_server: maybe\n      vm_to_vm: true\n      host: true");
    const err = await inputError(() => loadSpec(tmp.write(text), { lang: 'en' }));
    expect(issueAt(err, 'tasks[1].network').message).to.match(/network "isolatd" is not defined.*Did you mean "isolated"/);
    expect(issueAt(err, 'tasks[2].vms[1]').message).to.match(/machine "windos".*Did you mean "windows"/);
    expect(issueAt(err, 'tasks[0].theory.outsid').message).to.match(/does not ask.*Did you mean "outside"/);
    expect(err.issues.some((i) => i.path === 'tasks[0].theory' && /missing theory for question "outside"/.test(i.message))).to.equal(true);
    expect(issueAt(err, 'tasks[1].theory.dns_server').message).to.match(/must be an IPv4 address or "none": host-address \| vm:<role> \| none \| any/);
    for (const i of err.issues) expect(i.line, JSON.stringify(i)).to.be.a('number');
  });

  it('rejects duplicate task ids, repeated network names and bad probe targets', async () => {
    const text = shippedText
      .replace('  - id: isolated\n', '  - id: nat\n')
      .replace('names: [red-aislada, red_aislada]', 'names: [red-aislada, red_nat]')
      .replace('outside_host: 1.1.1.1', 'outside_host: 999.1.1.1');
    const err = await inputError(() => loadSpec(tmp.write(text), { lang: 'en' }));
    expect(issueAt(err, 'tasks[1].id').message).to.match(/task "nat" is repeated/);
    expect(issueAt(err, 'networks.isolated.names[1]').message).to.match(/already used by network "nat"/);
    expect(issueAt(err, 'probes.outside_host').message).to.match(/999\.1\.1\.1/);
  });

  it('warns about questions no task asks', async () => {
    const text = shippedText.replace('questions:\n  config:\n', 'questions:\n  spare:\n    prompt: { es: ¿Algo?, en: Anything? }\n    kind: yes-no\n    check: host-reach\n    points: 1\n  config:\n');
    const warnings: InputIssue[] = [];
    await loadSpec(tmp.write(text), { lang: 'en', warnings });
    expect(warnings.map((w) => w.path)).to.deep.equal(['questions.spare']);
  });
});

describe('loadSpec with the question checks registry', () => {
  const tmp = new TempDir();
  after(() => tmp.remove());

  it('accepts the shipped spec against the real registry', async () => {
    const { questionChecks } = await import('../../../checks/questions/index.js');
    await loadSpec(shipped, { lang: 'en', checks: questionChecks });
  });

  it('rejects an unknown check and a check of another kind', async () => {
    const text = readFileSync(shipped, 'utf8').replace('check: outside-reach', 'check: outside-rech').replace('check: host-reach', 'check: dns-server');
    const checks = { 'outside-reach': { kind: 'yes-no' as const }, 'dns-server': { kind: 'ipv4' as const }, 'config-method': { kind: 'config-method' as const }, 'ipv4-config': { kind: 'ipv4-config' as const }, 'dns-resolution': { kind: 'yes-no' as const }, 'peer-reach': { kind: 'yes-no' as const } };
    const err = await inputError(() => loadSpec(tmp.write(text), { lang: 'en', checks }));
    expect(issueAt(err, 'questions.outside.check').message).to.match(/there is no check "outside-rech".*Did you mean "outside-reach"/);
    expect(issueAt(err, 'questions.host.check').message).to.equal('check "dns-server" gives answers of kind ipv4, but the question is of kind yes-no');
  });
});
