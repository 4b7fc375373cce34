import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWindowsConfig as rawConfig, parseWindowsReach as rawReach, parseWindowsResolve as rawResolve, windowsOrigin } from '../../../grader/probes/windows.js';
import { fromConfig, fromReach, fromResolution } from '../../helpers/facts.js';

// Results in the flat form of test/helpers/facts.ts (each Measured part side by side, a status per probe).
const parseWindowsConfig = (...a: Parameters<typeof rawConfig>) => fromConfig(rawConfig(...a));
const parseWindowsReach = (...a: Parameters<typeof rawReach>) => rawReach(...a).map(fromReach);
const parseWindowsResolve = (...a: Parameters<typeof rawResolve>) => fromResolution(rawResolve(...a));

const fx = (name: string) => readFileSync(join('test/fixtures/probes/windows', name), 'utf8');

describe('probes/windows parsing (fixtures: Windows 10, Spanish UI)', () => {
  it('NAT, DHCP: address, lifetime, gateway, DNS = gateway, suffix = network name, firewall on', () => {
    const c = parseWindowsConfig(fx('config-nat-dhcp.json'));
    expect(c.interfaces).to.deep.equal([
      {
        name: 'Instancia de Ethernet 0',
        mac: '52:54:00:22:fa:b7',
        up: true,
        ipv4: [{ address: '192.168.101.219', prefix: 24, origin: 'dhcp', validLifetimeSec: 3287 }],
        ipv6LinkLocalOnly: false,
        dhcpEnabled: true,
      },
    ]);
    expect(c.defaultGateway).to.equal('192.168.101.1');
    expect(c.dnsServers).to.deep.equal(['192.168.101.1']);
    expect(c.dnsSearch).to.deep.equal(['red-nat']);
    expect(c.firewallEnabled).to.equal(true);
  });

  it('left on DHCP in a network without DHCP: APIPA 169.254/16 is link-local; Spanish aliases kept', () => {
    const c = parseWindowsConfig(fx('config-isolated-apipa.json'));
    const eth = c.interfaces.find((i) => i.name === 'Ethernet 2')!;
    expect(eth.ipv4).to.deep.equal([{ address: '169.254.83.12', prefix: 16, origin: 'link-local', validLifetimeSec: null }]);
    expect(eth.dhcpEnabled).to.equal(true);
    const wifi = c.interfaces.find((i) => i.name === 'Conexión de área local* 1')!;
    expect(wifi.up).to.equal(false);
    expect(c.defaultGateway).to.equal(null);
    expect(c.dnsServers).to.deep.equal([]);
    expect(c.firewallEnabled).to.equal(true);
  });

  it('static, with Windows PowerShell 5.1 quirks (single objects, {value,Count} arrays), duplicate address dropped', () => {
    const c = parseWindowsConfig(fx('config-isolated-static-ps51-quirks.json'));
    expect(c.interfaces).to.have.length(1);
    expect(c.interfaces[0]).to.deep.include({ name: 'Conexión de área local', mac: '52:54:00:4c:47:10', dhcpEnabled: false });
    expect(c.interfaces[0]!.ipv4).to.deep.equal([{ address: '192.168.102.3', prefix: 24, origin: 'static', validLifetimeSec: null }]);
    expect(c.dnsServers).to.deep.equal(['192.168.102.1']);
    expect(c.dnsSearch).to.deep.equal(['clase.local']);
    // The connected network is Public, whose profile is off.
    expect(c.firewallEnabled).to.equal(false);
  });

  it('a part that failed does not lose the others', () => {
    const c = parseWindowsConfig(fx('config-partial-error.json'));
    expect(c.interfaces).to.deep.equal([]);
    expect(c.defaultGateway).to.equal('192.168.101.1');
    expect(c.firewallEnabled).to.equal(null);
  });

  it('origins from PrefixOrigin/SuffixOrigin', () => {
    expect(windowsOrigin({ IPAddress: '10.0.0.5', PrefixOrigin: 'Dhcp', SuffixOrigin: 'Dhcp' })).to.equal('dhcp');
    expect(windowsOrigin({ IPAddress: '10.0.0.5', PrefixOrigin: 'Manual', SuffixOrigin: 'Manual' })).to.equal('static');
    expect(windowsOrigin({ IPAddress: '169.254.1.1', PrefixOrigin: 'WellKnown', SuffixOrigin: 'Link' })).to.equal('link-local');
    expect(windowsOrigin({ IPAddress: '10.0.0.5', PrefixOrigin: 'RouterAdvertisement', SuffixOrigin: 'Random' })).to.equal('unknown');
  });

  it('reach: firewall-filtered peer, replied, via gateway, unresolved neighbour', () => {
    const r = parseWindowsReach(fx('reach-firewall.json'), ['192.168.101.218', '192.168.101.1', '198.51.100.10', '192.168.101.77'], false);
    expect(r).to.deep.equal([
      { target: '192.168.101.218', status: 'filtered', detail: 'neighbour Reachable' },
      { target: '192.168.101.1', status: 'replied' },
      { target: '198.51.100.10', status: 'replied' },
      { target: '192.168.101.77', status: 'no-neighbour', detail: 'neighbour Unreachable' },
    ]);
  });

  it('reach: no route (single object, not an array); name not resolved; probe not finished', () => {
    expect(parseWindowsReach(fx('reach-isolated.json'), ['198.51.100.10'], false)).to.deep.equal([{ target: '198.51.100.10', status: 'no-route' }]);
    const r = parseWindowsReach(fx('reach-name-timeout.json'), ['www.labgrade.test', '192.168.102.1'], false);
    expect(r.map((x) => x.status)).to.deep.equal(['error', 'probe-timeout']);
    expect(parseWindowsReach('', ['1.2.3.4'], true)[0]!.status).to.equal('probe-timeout');
  });

  it('resolve: resolved / name error / timeout / no server / not finished', () => {
    expect(parseWindowsResolve(fx('resolve-ok.json'), 'www.labgrade.test', false)).to.deep.equal({
      name: 'www.labgrade.test',
      status: 'resolved',
      addresses: ['198.51.100.10'],
      server: '192.168.101.1',
    });
    expect(parseWindowsResolve(fx('resolve-name-error.json'), 'x', false).status).to.equal('not-found');
    expect(parseWindowsResolve(fx('resolve-timeout.json'), 'x', false).status).to.equal('timeout');
    expect(parseWindowsResolve(fx('resolve-no-server.json'), 'x', false)).to.deep.include({ status: 'no-server', server: null });
    expect(parseWindowsResolve(fx('resolve-not-done.json'), 'x', false)).to.deep.include({ status: 'timeout', server: '192.168.102.1' });
  });

  it('resolve: SERVFAIL (9002) is a server failure, not a timeout', () => {
    expect(parseWindowsResolve(fx('resolve-server-failure.json'), 'x', false)).to.deep.equal({ name: 'x', status: 'server-failure', addresses: [], server: '192.168.102.1' });
    // The code alone, or the id alone, is enough.
    expect(parseWindowsResolve('{"servers":["10.0.0.1"],"done":true,"addresses":[],"errorId":null,"nativeCode":9002}', 'x', false).status).to.equal('server-failure');
    expect(parseWindowsResolve('{"servers":["10.0.0.1"],"done":true,"addresses":[],"errorId":"DNS_ERROR_RCODE_SERVER_FAILURE,Microsoft.DnsClient.Commands.ResolveDnsName"}', 'x', false).status).to.equal('server-failure');
  });

  it('resolve: an error that is not a DNS answer, or no JSON at all, is "could not measure"', () => {
    expect(parseWindowsResolve(fx('resolve-not-a-dns-answer.json'), 'x', false).status).to.equal('error');
    // With no DNS server configured, a missing cmdlet is still not "no server".
    expect(parseWindowsResolve('{"servers":[],"done":true,"addresses":[],"errorId":"CommandNotFoundException"}', 'x', false).status).to.equal('error');
    expect(parseWindowsResolve('', 'x', true).status).to.equal('error');
    expect(parseWindowsResolve('', 'x', false).status).to.equal('error');
    expect(parseWindowsResolve('Resolve-DnsName : x : El nombre DNS no existe', 'x', false).status).to.equal('error');
    // The server list could not be read: an unanswered lookup is a timeout, not "no server".
    const unread = '{"servers":[],"serversError":"Windows System Error 1722,Get-NetAdapter","done":true,"addresses":[],"errorId":"ERROR_TIMEOUT,Microsoft.DnsClient.Commands.ResolveDnsName","nativeCode":1460}';
    expect(parseWindowsResolve(unread, 'x', false)).to.deep.include({ status: 'timeout', server: null });
    expect(parseWindowsResolve(unread.replace('"servers":[]', '"servers":[]').replace('"done":true', '"done":false'), 'x', false).status).to.equal('timeout');
  });

  it('reach: an immediate general failure (no default gateway) is no route; other ping failures are "could not measure"', () => {
    const targets = ['198.51.100.10', '203.0.113.1', '192.168.102.2', '192.168.102.1', '192.168.102.9'];
    // Every probe that could not tell carries its "could not measure" (cause, command) with it.
    const r = parseWindowsReach(fx('reach-no-gateway-general-failure.json'), targets, false);
    expect(r.filter((x) => x.status === 'error').map((x) => x.error?.cause)).to.deep.equal(['unparseable', 'unparseable']);
    expect(r.map(({ error: _e, ...x }) => x)).to.deep.equal([
      { target: '198.51.100.10', status: 'no-route', detail: 'IP_GENERAL_FAILURE 11050' },
      { target: '203.0.113.1', status: 'no-route', detail: 'IP_GENERAL_FAILURE 11050' },
      { target: '192.168.102.2', status: 'filtered', detail: 'neighbour Reachable' },
      { target: '192.168.102.1', status: 'error', detail: 'ping failed: PingException 5' },
      { target: '192.168.102.9', status: 'error', detail: 'route lookup failed: CommandNotFoundException' },
    ]);
    // A general failure although a route was found: not a fact about the network.
    const viaGw = '[{"target":"1.2.3.4","address":"1.2.3.4","status":"11050","routeError":null,"nextHop":"10.0.0.1"}]';
    expect(parseWindowsReach(viaGw, ['1.2.3.4'], false)[0]).to.deep.include({ target: '1.2.3.4', status: 'error', detail: 'IP_GENERAL_FAILURE 11050, route via 10.0.0.1' });
  });

  it('junk output gives empty facts', () => {
    for (const junk of ['', 'no es JSON', '{"adapters": 5}', '\u0000']) {
      const c = parseWindowsConfig(junk);
      expect(c.defaultGateway).to.equal(null);
    }
  });
});
