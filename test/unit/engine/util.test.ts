// Helpers of the question checks and the theory logic: citing a batched probe for one target,
// subnet/range arithmetic, theory against values, answer comparison.
import { expect } from 'chai';
import { commandFor, configEvidence, evidenceOf, normMac, reachEvidence } from '../../../checks/questions/util.js';
import { inRange, inSubnet } from '../../../grader/net/ipv4.js';
import { compare, renderTheory, theoryHolds } from '../../../grader/answers/index.js';
import { say } from '../../../grader/i18n/messages.js';
import { diagnoseNetwork } from '../../../grader/engine/network.js';
import type { GuestFacts } from '../../../grader/types.js';
import { courseSpec, networks } from '../../fixtures/engine/world.js';
import { toConfig, toReach } from '../../helpers/facts.js';

const facts = (command: string): GuestFacts => ({
  role: 'linux',
  domain: 'debian12',
  os: 'linux',
  transport: 'ssh',
  reachedVia: 'ssh root@192.168.101.218:22',
  config: toConfig({ interfaces: [], defaultGateway: null, dnsServers: [], dnsSearch: [], firewallEnabled: null }),
  reach: {
    '198.51.100.10': toReach({ target: '198.51.100.10', status: 'replied' }),
    '192.168.101.1': toReach({ target: '192.168.101.1', status: 'replied' }),
    '192.168.101.219': toReach({ target: '192.168.101.219', status: 'filtered' }),
  },
  resolve: null,
  evidence: [{ guest: 'x', transport: 'ssh', command, exitCode: 0, stdout: '', stderr: '', durationMs: 1 }],
});

describe('question-check helpers', () => {
  it('cites the command the prober names for the target, never a command found by matching text', () => {
    const f = facts('ping -c1 -W1 198.51.100.10 192.168.101.1 192.168.101.219 (in parallel); ip -j route get; ip -j neigh');
    // The fixture's facts carry no command: the fallback, although an evidence label names the target.
    expect(commandFor(f, '192.168.101.219', 'ping 192.168.101.219')).to.equal('ping 192.168.101.219');
    f.reach['192.168.101.219'] = { ...f.reach['192.168.101.219']!, command: 'ping -c1 -W1 192.168.101.219' };
    expect(commandFor(f, '192.168.101.219', 'ping')).to.equal('ping -c1 -W1 192.168.101.219');
    expect(commandFor(f, '10.0.0.1', 'ping 10.0.0.1')).to.equal('ping 10.0.0.1');
  });

  it('cites evidence by the id the fact names: the pings part of a survey, not the configuration before it', () => {
    const f = facts('ip -j addr; ip -j -4 route');
    f.evidence = [
      { ...f.evidence[0]!, id: 'e1', command: 'ip -j addr; ip -j -4 route (mentions 192.168.101.1)' },
      { ...f.evidence[0]!, id: 'e2', command: 'ping -c1 -W1 198.51.100.10 192.168.101.1' },
    ];
    f.config.evidence = 'e1';
    f.reach['192.168.101.1'] = { ...f.reach['192.168.101.1']!, evidence: 'e2' };
    expect(reachEvidence(f, ['192.168.101.1']).map((e) => e.id)).to.deep.equal(['e2']);
    expect(configEvidence(f).map((e) => e.id)).to.deep.equal(['e1']);
    expect(evidenceOf(f, undefined)).to.deep.equal([]);
  });

  it('does address arithmetic', () => {
    expect(inSubnet('192.168.102.77', '192.168.102.1', 24)).to.equal(true);
    expect(inSubnet('192.168.103.1', '192.168.102.1', 24)).to.equal(false);
    expect(inSubnet('172.22.9.9', '172.22.0.2', 16)).to.equal(true);
    expect(inRange('192.168.101.218', '192.168.101.128', '192.168.101.254')).to.equal(true);
    expect(inRange('192.168.101.3', '192.168.101.128', '192.168.101.254')).to.equal(false);
    expect(normMac('52-54-00-4C-47-10')).to.equal('52:54:00:4c:47:10');
  });

  it('resolves symbolic theory against the network', () => {
    const nat = networks()[0]!;
    const th = courseSpec().tasks[0]!.theory.vm_config;
    expect(theoryHolds(th, { kind: 'ipv4-config', address: '192.168.101.218', prefix: 24, gateway: '192.168.101.1', dns: ['192.168.101.1'] }, { net: nat, vms: {}, names: {} })).to.equal(true);
    expect(theoryHolds(th, { kind: 'ipv4-config', address: '192.168.101.3', prefix: 24, gateway: '192.168.101.1', dns: ['192.168.101.1'] }, { net: nat, vms: {}, names: {} })).to.equal(false);
    expect(theoryHolds({ kind: 'ipv4', value: 'host-address' }, { kind: 'ipv4', value: '192.168.101.1' }, { net: nat, vms: {}, names: {} })).to.equal(true);
    expect(theoryHolds({ kind: 'ipv4', value: 'none' }, { kind: 'ipv4', value: null }, { net: nat, vms: {}, names: {} })).to.equal(true);
    expect(say('en', renderTheory(th!, { net: nat, vms: {}, names: {} }))).to.equal(
      "an address in the DHCP range 192.168.101.128-192.168.101.254, gateway 192.168.101.1 (the host's address on the network), DNS 192.168.101.1 (the host's address on the network)",
    );
    // The subnet test cannot be made on a network without <ip>: unknown, not false.
    const viso = networks()[2]!;
    expect(theoryHolds({ kind: 'ipv4-config', address: 'network-subnet', gateway: 'none', dns: 'none' }, { kind: 'ipv4-config', address: '172.22.0.2', prefix: 16, gateway: null, dns: [] }, { net: viso, vms: {}, names: {} })).to.equal(null);
  });

  it('compares answers per kind', () => {
    expect(compare({ kind: 'ipv4', value: null }, { kind: 'ipv4', value: null }).score).to.equal(1);
    expect(compare({ kind: 'ipv4-config', address: '1.2.3.4', prefix: null, gateway: null, dns: [] }, { kind: 'ipv4-config', address: '1.2.3.4', prefix: 24, gateway: null, dns: [] })).to.deep.equal({ score: 0.75, wrongFields: ['prefix'] });
    expect(compare({ kind: 'yes-no', value: true }, { kind: 'config-method', value: 'static' }).score).to.equal(0);
  });

  it('diagnoses a network against the spec', () => {
    const spec = courseSpec();
    const nets = networks();
    expect(diagnoseNetwork(spec.networks.nat, nets[0]!, 'red-nat').codes).to.deep.equal([]);
    expect(diagnoseNetwork(spec.networks.isolated, nets[0]!, 'red-nat').codes).to.deep.equal(['network-forwards', 'network-has-dhcp']);
    expect(diagnoseNetwork(spec.networks.very_isolated, nets[1]!, 'red-aislada').codes).to.deep.equal(['network-has-host-address']);
    expect(say('es', diagnoseNetwork(spec.networks.nat, nets[1]!, 'red-aislada').messages[0]!)).to.match(/debería ser NAT/);
    expect(diagnoseNetwork(spec.networks.nat, null, 'red-nat').codes).to.deep.equal(['network-missing']);
  });
});
