// grader/net/ipv4.ts: what an address and a name are, and subnet arithmetic (the one copy).
import { expect } from 'chai';
import { hostnameProblem, inRange, inSubnet, ipv4ToInt, isHostname, isIpv4, isLinkLocal, prefixMask } from '../../../grader/net/ipv4.js';

describe('net/ipv4', () => {
  it('an address is a dotted quad, octets 0-255, no leading zeros', () => {
    for (const ok of ['0.0.0.0', '192.168.101.1', '255.255.255.255']) expect(isIpv4(ok), ok).to.equal(true);
    for (const bad of ['256.1.1.1', '010.0.0.1', '1.2.3', '1.2.3.4.5', ' 1.2.3.4', '1.2.3.4 ', '', 'a.b.c.d']) expect(isIpv4(bad), bad).to.equal(false);
  });

  it('a hostname has RFC 1123 labels and a last label that is not all digits', () => {
    expect(isHostname('www.labgrade.test')).to.equal(true);
    expect(isHostname('debian12.')).to.equal(true);
    expect(hostnameProblem('999.1.1.1')).to.equal('numeric');
    expect(hostnameProblem('-x.test')).to.equal('label');
    expect(hostnameProblem('a_b.test')).to.equal('label');
    expect(hostnameProblem('')).to.equal('length');
    expect(hostnameProblem('a'.repeat(254))).to.equal('length');
  });

  it('subnet arithmetic: masks, membership, ranges', () => {
    expect(ipv4ToInt('192.168.1.1')).to.equal(3232235777);
    expect(ipv4ToInt('010.0.0.1')).to.equal(null);
    expect(prefixMask(24)).to.equal(0xffffff00);
    expect(prefixMask(0)).to.equal(0);
    expect(prefixMask(32)).to.equal(0xffffffff);
    expect(inSubnet('192.168.102.77', '192.168.102.1', 24)).to.equal(true);
    expect(inSubnet('192.168.103.1', '192.168.102.1', 24)).to.equal(false);
    expect(inSubnet('10.9.9.9', '0.0.0.0', 0)).to.equal(true);
    expect(inSubnet('10.9.9.9', '10.9.9.9', 33)).to.equal(false);
    expect(inRange('192.168.101.218', '192.168.101.128', '192.168.101.254')).to.equal(true);
    expect(inRange('192.168.101.3', '192.168.101.128', '192.168.101.254')).to.equal(false);
    expect(isLinkLocal('169.254.3.4')).to.equal(true);
  });
});
