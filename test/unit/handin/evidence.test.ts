// The evidence of a hand-in: chained as taken, checked line by line; cross-checked against itself
// (domain XML vs the guest's `ip addr` vs the leases vs the network, reach results vs routes); and
// replayed: a call the evidence holds is answered from it, one it lacks is "could not measure".
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EvidenceRecorder, brokenLink, type EvidenceEntry } from '../../../grader/handin/evidence.js';
import { contradictions, duplicates } from '../../../grader/handin/regrade.js';
import { replayDeps } from '../../../grader/handin/replay.js';
import { labForHandIn } from '../../../grader/handin/format.js';
import type { CommandResult, Connection } from '../../../grader/types.js';

const fx = fileURLToPath(new URL('../../fixtures/libvirt/', import.meta.url));
const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '', timedOut: false, tooBig: false, notFound: false });

function addrSection(mac: string, address: string, dynamic: boolean): string {
  const info = [{ family: 'inet', local: address, prefixlen: 24, ...(dynamic ? { dynamic: true, valid_life_time: 3000 } : { valid_life_time: 4294967295 }) }];
  const links = [
    { ifindex: 1, ifname: 'lo', link_type: 'loopback', address: '00:00:00:00:00:00', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
    { ifindex: 2, ifname: 'eth0', link_type: 'ether', address: mac, addr_info: info },
  ];
  return `@@LG-BEGIN addr\n${JSON.stringify(links)}\n@@LG-ERR addr\n\n@@LG-END addr 0\n`;
}

async function evidence(guestMac: string, guestAddress: string, extra = ''): Promise<EvidenceEntry[]> {
  const rec = new EvidenceRecorder();
  rec.virsh({ args: ['dumpxml', '--domain', 'debian12'], startedAt: Date.now(), durationMs: 1, result: ok(await readFile(`${fx}dom-debian12-running.xml`, 'utf8')) });
  rec.virsh({ args: ['net-dumpxml', '--network', 'red-nat'], startedAt: Date.now(), durationMs: 1, result: ok(await readFile(`${fx}net-red-nat.xml`, 'utf8')) });
  rec.virsh({ args: ['net-dhcp-leases', '--network', 'red-nat'], startedAt: Date.now(), durationMs: 1, result: ok(await readFile(`${fx}leases-red-nat.txt`, 'utf8')) });
  const conn: Connection = {
    kind: 'ssh',
    target: 'ssh root@192.168.101.218:22',
    runScript: async (): Promise<CommandResult> => ({ exitCode: 0, stdout: addrSection(guestMac, guestAddress, true) + extra, stderr: '', durationMs: 5, truncated: false, timedOut: false }),
    close: async () => undefined,
  };
  rec.opened('linux', 'debian12', conn, [{ method: 'ssh root@192.168.101.218:22', outcome: 'used', reason: null, detail: 'lease' }]);
  await rec.connection('linux', conn).runScript('config_all', ['x']);
  return rec.entries;
}

describe('hand-ins: evidence', () => {
  it('is chained in the order taken; an edited, added or removed line is found by its number', async () => {
    const e = await evidence('52:54:00:22:fa:b7', '192.168.101.218');
    expect(e.map((x) => x.seq)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(brokenLink(e)).to.equal(null);
    const edited = structuredClone(e);
    (edited[2] as { args: string[] }).args[2] = 'other';
    expect(brokenLink(edited)).to.equal(3);
    expect(brokenLink(e.slice(1))).to.equal(1);
  });

  it('consistent evidence has no contradiction', async () => {
    expect(contradictions(await evidence('52:54:00:22:fa:b7', '192.168.101.218'), 'en')).to.deep.equal([]);
  });

  it('the guest\'s MAC against the domain XML, its DHCP address against the lease and the network', async () => {
    expect(contradictions(await evidence('52:54:00:de:ad:01', '192.168.101.218'), 'en')).to.deep.equal([
      'the guest linux shows MAC 52:54:00:de:ad:01 on eth0, but the domain XML of debian12 has only 52:54:00:22:fa:b7',
    ]);
    expect(contradictions(await evidence('52:54:00:22:fa:b7', '192.168.101.50'), 'en')).to.deep.equal([
      'the guest linux has the DHCP address 192.168.101.50 on eth0 (MAC 52:54:00:22:fa:b7), but the leases of red-nat give that MAC 192.168.101.218',
    ]);
    expect(contradictions(await evidence('52:54:00:22:fa:b7', '10.9.9.9'), 'en')).to.deep.members([
      'the guest linux has the DHCP address 10.9.9.9 on eth0, outside network red-nat (192.168.101.1/24) its NIC is attached to',
      'the guest linux has the DHCP address 10.9.9.9 on eth0 (MAC 52:54:00:22:fa:b7), but the leases of red-nat give that MAC 192.168.101.218',
    ]);
  });

  it('a DHCP guest whose default gateway is not the network\'s address: a doubt to review, not a contradiction', async () => {
    const route = `@@LG-BEGIN route\n${JSON.stringify([{ dst: 'default', gateway: '192.168.101.7' }, { dst: '192.168.101.0/24' }])}\n@@LG-ERR route\n\n@@LG-END route 0\n`;
    const doubts: string[] = [];
    expect(contradictions(await evidence('52:54:00:22:fa:b7', '192.168.101.218', route), 'en', doubts)).to.deep.equal([]);
    expect(doubts).to.deep.equal(['the guest linux has the DHCP address 192.168.101.218 from red-nat, whose DHCP gives 192.168.101.1 as gateway, but its default route goes through 192.168.101.7']);
    const fine: string[] = [];
    contradictions(await evidence('52:54:00:22:fa:b7', '192.168.101.218', route.replace('192.168.101.7', '192.168.101.1')), 'en', fine);
    expect(fine).to.deep.equal([]);
  });

  it('a ping reply from where no route leads', async () => {
    const routes = (r: object[]) => `@@LG-BEGIN route\n${JSON.stringify(r)}\n@@LG-ERR route\n\n@@LG-END route 0\n`;
    const ping = '@@LG-PING 0 0 PING 198.51.100.10: 56 data bytes 64 bytes from 198.51.100.10: seq=0 ttl=63 time=1.2 ms\n';
    const noDefault = routes([{ dst: '192.168.101.0/24', dev: 'eth0' }]);
    expect(contradictions(await evidence('52:54:00:22:fa:b7', '192.168.101.218', noDefault + ping), 'en')).to.deep.equal([
      'the guest linux got a ping reply from 198.51.100.10, but it has no default route and none of its routes or interfaces (192.168.101.0/24, 127.0.0.1/8, 192.168.101.218/24) leads there',
    ]);
    const withDefault = routes([{ dst: 'default', gateway: '192.168.101.1' }, { dst: '192.168.101.0/24' }]);
    expect(contradictions(await evidence('52:54:00:22:fa:b7', '192.168.101.218', withDefault + ping), 'en')).to.deep.equal([]);
  });

  it('replay answers a recorded call by its exact command and turns a missing one into a failure, never a fact', async () => {
    const e = await evidence('52:54:00:22:fa:b7', '192.168.101.218');
    const r = replayDeps('en', e, (s) => s);
    const vm = { role: 'linux', domain: 'debian12', os: 'linux' as const, access: [] };
    const g = await r.deps.openGuest(vm as never, { role: 'linux' } as never);
    expect(g.trail[0]!.method).to.equal('ssh root@192.168.101.218:22');
    const res = await g.conn.runScript('config_all', ['x']);
    expect(res.stdout).to.contain('52:54:00:22:fa:b7');
    // The same call again: the evidence held it once.
    try {
      await g.conn.runScript('config_all', ['x']);
      throw new Error('expected a failure');
    } catch (err) {
      expect((err as Error).message).to.match(/the hand-in's evidence does not hold .*config_all x: could not measure it/);
    }
    try {
      await r.deps.openGuest({ ...vm, role: 'windows', domain: 'win10' } as never, { role: 'windows' } as never);
      throw new Error('expected a failure');
    } catch (err) {
      expect((err as Error).message).to.match(/does not hold a connection to windows \(win10\)/);
    }
    expect(r.missing).to.have.length(2);
  });

  it('the lab file in a hand-in keeps no secret, no local path', () => {
    const lab = [
      'uri: qemu:///system',
      'netns: labgrade',
      'networks: { nat: red-nat }',
      'vms:',
      '  linux:',
      '    domain: debian12',
      '    access:',
      '      - ssh: { user: root, key: /home/ana/.ssh/id, password: { value: hunter2 }, known_hosts: /x, port: 22 }',
      '      - winrm: { user: u, password: { env: PW }, ca_file: /ca.pem, scheme: https }',
      '      - agent: {}',
      'probes: { outside_host: 198.51.100.10 }',
    ].join('\n');
    const out = labForHandIn(lab, (s) => s.replace('hunter2', '***'));
    expect(out).to.not.match(/hunter2|\.ssh|known_hosts|ca_file|PW|netns|\/home|ca\.pem/);
    expect(out).to.match(/user: root/);
    expect(out).to.match(/outside_host: 198\.51\.100\.10/);
  });

  it('duplicates: the same file, or the same lab', () => {
    const fp = (seal: string, uuids: string[], macs: string[], hostKeys: string[] = []) => ({ seal, uuids, macs, hostKeys });
    const d = duplicates(
      [
        { id: 'a', fp: fp('s1', ['u1'], ['m1']) },
        { id: 'b', fp: fp('s1', ['u1'], ['m1']) },
        { id: 'c', fp: fp('s3', ['u3'], ['m1'], ['SHA256:k']) },
        { id: 'd', fp: fp('s4', ['u4'], ['m4']) },
      ],
      'en',
    );
    expect(d.get('a')!.map((f) => f.code)).to.deep.equal(['same-hand-in', 'same-lab']);
    expect(d.get('c')!.map((f) => f.reason)).to.deep.equal(["the same lab as a's hand-in: MACs m1", "the same lab as b's hand-in: MACs m1"]);
    expect(d.has('d')).to.equal(false);
  });
});
