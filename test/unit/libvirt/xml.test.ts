import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDomainXml, parseNetworkXml, netmaskToPrefix, XmlShapeError } from '../../../grader/libvirt/xml.js';

const fx = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/libvirt/${name}`, import.meta.url)), 'utf8');

describe('libvirt XML: networks', () => {
  it('course NAT network red-nat: nat, virbr1, host .1/24, DHCP .128-.254, DNS on', () => {
    const n = parseNetworkXml(fx('net-red-nat.xml'));
    expect(n.name).to.equal('red-nat');
    expect(n.uuid).to.equal('5a0e9a4c-3f1d-4b8e-9d2a-7c1f0e6b2a11');
    expect(n.forwardMode).to.equal('nat');
    expect(n.type).to.equal('nat');
    expect(n.bridge).to.equal('virbr1');
    expect(n.ips).to.deep.equal([
      { family: 'ipv4', address: '192.168.101.1', prefix: 24, dhcpRanges: [{ start: '192.168.101.128', end: '192.168.101.254' }], dhcpHosts: [] },
    ]);
    expect(n.dns).to.deep.equal({ enabled: true, forwarders: [], domain: 'red-nat' });
  });

  it('bare <forward/> with underscores, prefix= and DHCP .2-.254 is NAT', () => {
    const n = parseNetworkXml(fx('net-red_nat-bare-forward.xml'));
    expect(n.name).to.equal('red_nat');
    expect(n.forwardMode).to.equal('nat');
    expect(n.type).to.equal('nat');
    expect(n.ips[0]).to.include({ address: '192.168.123.1', prefix: 24 });
    expect(n.ips[0]!.dhcpRanges).to.deep.equal([{ start: '192.168.123.2', end: '192.168.123.254' }]);
  });

  it('libvirt default network', () => {
    const n = parseNetworkXml(fx('net-default.xml'));
    expect(n).to.include({ name: 'default', type: 'nat', bridge: 'virbr0' });
    expect(n.ips[0]!.dhcpRanges).to.deep.equal([{ start: '192.168.122.2', end: '192.168.122.254' }]);
  });

  it('isolated without DHCP: no forward, an address, no range', () => {
    const n = parseNetworkXml(fx('net-red-aislada.xml'));
    expect(n.forwardMode).to.equal(null);
    expect(n.type).to.equal('isolated');
    expect(n.ips).to.have.length(1);
    expect(n.ips[0]!.dhcpRanges).to.deep.equal([]);
    expect(n.dns.enabled).to.equal(true);
  });

  it('very isolated: no forward, no <ip>, no DNS', () => {
    const n = parseNetworkXml(fx('net-red-muy-aislada.xml'));
    expect(n.type).to.equal('very-isolated');
    expect(n.bridge).to.equal('virbr3');
    expect(n.ips).to.deep.equal([]);
    expect(n.dns.enabled).to.equal(false);
  });

  it('a "very isolated" network that has an <ip> is isolated', () => {
    expect(parseNetworkXml(fx('net-red_muy_aislada-with-ip.xml')).type).to.equal('isolated');
  });

  it('isolated with DHCP, static host, DNS disabled, /16 netmask, an IPv6 <ip>', () => {
    const n = parseNetworkXml(fx('net-aislada-dhcp-dns.xml'));
    expect(n.type).to.equal('isolated');
    expect(n.dns.enabled).to.equal(false);
    expect(n.ips[0]).to.deep.include({ family: 'ipv4', prefix: 16 });
    expect(n.ips[0]!.dhcpHosts).to.deep.equal([{ ip: '172.30.0.10', mac: '52:54:00:aa:bb:cc', name: 'fija' }]);
    expect(n.ips[1]).to.deep.include({ family: 'ipv6', address: 'fd00:30::1', prefix: 64 });
  });

  it('route network with DNS forwarders', () => {
    const n = parseNetworkXml(fx('net-route.xml'));
    expect(n.type).to.equal('route');
    expect(n.forwardMode).to.equal('route');
    expect(n.dns.forwarders).to.deep.equal(['8.8.8.8', '192.0.2.53']);
  });

  it('open, bridge, macvtap, vepa and hostdev networks', () => {
    expect(parseNetworkXml(fx('net-open.xml')).type).to.equal('open');
    const br = parseNetworkXml(fx('net-bridge.xml'));
    expect(br).to.include({ type: 'bridge', bridge: 'br0', forwardMode: 'bridge' });
    expect(br.dns.enabled).to.equal(false);
    const mv = parseNetworkXml(fx('net-macvtap.xml'));
    expect(mv.type).to.equal('macvtap');
    expect(mv.forwardDevs).to.deep.equal(['enp3s0', 'enp4s0']);
    expect(parseNetworkXml(fx('net-vepa.xml')).type).to.equal('macvtap');
    expect(parseNetworkXml(fx('net-hostdev.xml')).type).to.equal('other');
  });

  it('rejects broken or foreign XML with a clear error', () => {
    expect(() => parseNetworkXml(fx('net-broken.xml'))).to.throw(XmlShapeError);
    expect(() => parseNetworkXml('<domain><name>x</name></domain>')).to.throw(XmlShapeError, /no <network>/);
    expect(() => parseNetworkXml('<network></network>')).to.throw(XmlShapeError, /no <name>/);
  });

  it('netmask to prefix', () => {
    expect(netmaskToPrefix('255.255.255.0')).to.equal(24);
    expect(netmaskToPrefix('255.255.0.0')).to.equal(16);
    expect(netmaskToPrefix('255.255.255.128')).to.equal(25);
    expect(netmaskToPrefix('255.0.255.0')).to.equal(null);
    expect(netmaskToPrefix('nonsense')).to.equal(null);
  });
});

describe('libvirt XML: domains', () => {
  it('running Debian guest on red-nat: NIC, target, model, agent channel, osinfo, id', () => {
    const d = parseDomainXml(fx('dom-debian12-running.xml'));
    expect(d).to.deep.include({ name: 'debian12', id: 3, osinfo: 'http://debian.org/debian/12', agentChannel: true, agentChannelState: 'connected' });
    expect(d.interfaces).to.deep.equal([
      { type: 'network', source: 'red-nat', liveBridge: 'virbr1', mac: '52:54:00:22:fa:b7', model: 'virtio', target: 'vnet2' },
    ]);
  });

  it('shut-off Windows guest with a bridge-type NIC and no agent channel', () => {
    const d = parseDomainXml(fx('dom-win10-bridge-shutoff.xml'));
    expect(d.id).to.equal(undefined);
    expect(d.agentChannel).to.equal(false);
    expect(d.osinfo).to.equal('http://microsoft.com/win/10');
    expect(d.interfaces).to.deep.equal([{ type: 'bridge', source: 'virbr1', mac: '52:54:00:9c:41:e0', model: 'virtio' }]);
  });

  it('several NICs on one VM: network, bridge (link down), direct, user', () => {
    const d = parseDomainXml(fx('dom-multi-nic.xml'));
    expect(d.interfaces.map((i) => [i.type, i.source, i.mac])).to.deep.equal([
      ['network', 'default', '52:54:00:01:00:01'],
      ['bridge', 'virbr2', '52:54:00:01:00:02'],
      ['direct', 'enp3s0', '52:54:00:01:00:03'],
      ['bridge', 'br-unknown', '52:54:00:01:00:04'],
      ['user', '', '52:54:00:01:00:05'],
    ]);
    expect(d.interfaces[1]!.linkState).to.equal('down');
    expect(d.interfaces[2]!.sourceMode).to.equal('bridge');
    expect(d.agentChannelState).to.equal('disconnected');
  });
});
