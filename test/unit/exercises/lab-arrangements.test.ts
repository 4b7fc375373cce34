// The lab's bridged and router arrangements as data (no lab needed): the NIC XML of each kind of
// attachment, the router's second NIC, fixed LAN addresses, and scenario validation.
import { expect } from 'chai';
import { nicXml, lanReservations, LAN_GUESTS } from '../../../grader/lab/lan.js';
import { domainXml } from '../../../grader/lab/guests.js';
import { macFor, validateScenario } from '../../../grader/lab/scenarios.js';
import { parseDomainXml } from '../../../grader/libvirt/xml.js';

const image = { id: 'img', kernel: '/k', initrd: '/i', versions: '', built: false, buildMs: 0 };

describe('lab arrangements: LAN bridge, macvtap, router', () => {
  it('writes network, bridge and direct NICs that labgrade\'s own XML reader reads back', () => {
    expect(nicXml('52:54:00:00:00:01', 'red-nat')).to.include("<interface type='network'>").and.include("<source network='red-nat'/>");
    const br = domainXml('debian12-br', { network: 'red-nat', ip: { mode: 'dhcp' }, attach: { type: 'bridge', source: 'br0' } }, image, {}).xml;
    expect(parseDomainXml(br).interfaces.map((i) => [i.type, i.source])).to.deep.equal([['bridge', 'br0']]);
    const mvt = domainXml('debian12-mvt', { network: 'red-nat', ip: { mode: 'dhcp' }, attach: { type: 'direct', source: 'lg-mvt0' } }, image, {}).xml;
    expect(parseDomainXml(mvt).interfaces.map((i) => [i.type, i.source])).to.deep.equal([['direct', 'lg-mvt0']]);
    const rt = domainXml('debian12-rt', { network: 'red-muy-aislada', ip: { mode: 'static', address: '172.22.0.12/16' }, router: { uplink: 'red-nat', forward: 'persistent', nat: 'uplink', save: true } }, image, {}).xml;
    const nics = parseDomainXml(rt).interfaces;
    expect(nics.map((i) => [i.type, i.source])).to.deep.equal([['network', 'red-muy-aislada'], ['network', 'red-nat']]);
    expect(nics[0]!.mac).to.not.equal(nics[1]!.mac);
  });

  it('reserves the fixed LAN addresses of the bridged guests by MAC', () => {
    const r = lanReservations({ 'debian12-br': { attach: { type: 'bridge', source: 'br0' } }, debian12: {} }, macFor);
    expect(r).to.deep.equal({ [macFor('debian12-br')]: LAN_GUESTS['debian12-br'] });
  });

  it('accepts only the lab\'s own LAN devices and sane router knobs', () => {
    const ok = { network: 'red-nat' as const, ip: { mode: 'dhcp' as const } };
    expect(() => validateScenario({ name: 'x', guests: { a: { ...ok, attach: { type: 'bridge', source: 'br0' } } } })).to.not.throw();
    expect(() => validateScenario({ name: 'x', guests: { a: { ...ok, attach: { type: 'bridge', source: 'eth0' } } } })).to.throw(/the lab's LAN/);
    expect(() => validateScenario({ name: 'x', guests: { a: { ...ok, router: { uplink: 'red-nat', forward: 'live', nat: 'inner', save: false } } } })).to.throw(/another lab network/);
    expect(() => validateScenario({ name: 'x', guests: { a: { ...ok, network: 'red-muy-aislada', router: { uplink: 'red-nat', forward: 'sometimes' as never, nat: 'inner', save: false } } } })).to.throw(/router \{ forward, nat, save \}/);
  });
});
