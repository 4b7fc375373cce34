import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseLeaseTable } from '../../../grader/libvirt/leases.js';
import { normalizeMac, sameMac } from '../../../grader/libvirt/mac.js';

const fx = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/libvirt/${name}`, import.meta.url)), 'utf8');

describe('net-dhcp-leases table', () => {
  it('reads the C-locale table with header, "-" hostnames and long hostnames', () => {
    const r = parseLeaseTable('red-nat', fx('leases-red-nat.txt'));
    expect(r.rejected).to.deep.equal([]);
    expect(r.leases).to.deep.equal([
      { network: 'red-nat', mac: '52:54:00:22:fa:b7', address: '192.168.101.218', prefix: 24, hostname: 'debian12', expiryTime: Date.UTC(2024, 10, 5, 10, 41, 17) / 1000 },
      { network: 'red-nat', mac: '52:54:00:9c:41:e0', address: '192.168.101.130', prefix: 24, hostname: 'DESKTOP-7QK2M3B', expiryTime: Date.UTC(2024, 10, 5, 10, 44, 2) / 1000 },
      { network: 'red-nat', mac: '52:54:00:01:00:02', address: '192.168.101.140', prefix: 24, expiryTime: Date.UTC(2024, 10, 5, 9, 12, 55) / 1000 },
    ]);
  });

  it('reads quiet output (no header), IPv6 leases, upper-case MACs; reports unknown lines', () => {
    const r = parseLeaseTable('x', fx('leases-quiet.txt'));
    expect(r.leases.map((l) => [l.mac, l.address, l.prefix])).to.deep.equal([
      ['52:54:00:22:fa:b7', '192.168.101.218', 24],
      ['52:54:00:aa:bb:cc', 'fd00:30::5', 64],
    ]);
    expect(r.rejected).to.deep.equal(['garbage line that is not a lease']);
  });

  it('empty output means no leases', () => {
    expect(parseLeaseTable('x', '\n')).to.deep.equal({ leases: [], rejected: [] });
  });
});

describe('normalizeMac', () => {
  it('accepts virsh, Windows, Cisco and bare spellings', () => {
    expect(normalizeMac('52:54:00:22:fa:b7')).to.equal('52:54:00:22:fa:b7');
    expect(normalizeMac('52-54-00-22-FA-B7')).to.equal('52:54:00:22:fa:b7');
    expect(normalizeMac('5254.0022.FAB7')).to.equal('52:54:00:22:fa:b7');
    expect(normalizeMac('52540022FAB7')).to.equal('52:54:00:22:fa:b7');
    expect(normalizeMac(' 2:54:0:22:fa:b7 ')).to.equal('02:54:00:22:fa:b7');
    expect(sameMac('52-54-00-22-FA-B7', '52:54:00:22:fa:b7')).to.equal(true);
  });
  it('rejects what is not a MAC', () => {
    for (const bad of ['', '52:54:00:22:fa', '52:54:00:22:fa:zz', '52:54-00:22:fa:b7:11', undefined, null]) {
      expect(normalizeMac(bad as string)).to.equal(null);
    }
    expect(sameMac('x', 'x')).to.equal(false);
  });
});
