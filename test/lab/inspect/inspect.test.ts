// inspectHost and the host checks against the real lab's libvirtd (root only; see test/helpers/lab.ts).
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { ensureLab, useScenario, labFileFor, LAB } from '../../helpers/lab.js';
import { inspectHost, findNetwork, findDomain, leasesFor, hostAddressOn } from '../../../grader/libvirt/snapshot.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { hostChecks } from '../../../checks/host/index.js';
import { runInspect } from '../../../grader/cli/commands/inspect.js';
import type { ExerciseSpec, HostSnapshot, Verdict } from '../../../grader/types.js';

const specPath = fileURLToPath(new URL('../../../exercises/clase2-redes.yaml', import.meta.url));

const PAIRS = {
  nat: { network: 'red-nat', linux: 'debian12', windows: 'win10' },
  isolated: { network: 'red-aislada', linux: 'debian12-iso', windows: 'win10-iso' },
  very_isolated: { network: 'red-muy-aislada', linux: 'debian12-viso', windows: 'win10-viso' },
} as const;

describe('inspect against the real lab (scenario all)', function () {
  let snap: HostSnapshot;
  let spec: ExerciseSpec;

  before(async function () {
    await ensureLab(this, 'all');
    await useScenario('all');
    spec = await loadSpec(specPath);
    snap = await inspectHost(LAB.uri);
  });

  it('reads everything without problems', () => {
    expect(snap.problems).to.deep.equal([]);
    expect(snap.readOnly).to.equal(undefined);
  });

  it('the three course networks: type, bridge, host address, DHCP, active', () => {
    const nat = findNetwork(snap, ['red-nat'])!;
    expect(nat).to.deep.include({ type: 'nat', forwardMode: 'nat', bridge: 'virbr1', active: true });
    expect(hostAddressOn(nat)).to.deep.equal({ address: '192.168.101.1', prefix: 24 });
    expect(nat.ips[0]!.dhcpRanges).to.deep.equal([{ start: LAB.natDhcpRange.start, end: LAB.natDhcpRange.end }]);
    expect(nat.dns.forwarders).to.deep.equal([LAB.dnsServer]);

    const iso = findNetwork(snap, ['red-aislada'])!;
    expect(iso).to.deep.include({ type: 'isolated', forwardMode: null, bridge: 'virbr2', active: true });
    expect(hostAddressOn(iso)).to.deep.equal({ address: '192.168.102.1', prefix: 24 });
    expect(iso.ips[0]!.dhcpRanges).to.deep.equal([]);

    const viso = findNetwork(snap, ['red-muy-aislada'])!;
    expect(viso).to.deep.include({ type: 'very-isolated', forwardMode: null, bridge: 'virbr3', active: true, ips: [] });
    expect(viso.dns.enabled).to.equal(false);
  });

  it('the guests on each network: running, one NIC there with the lab MAC, agent answering', () => {
    for (const pair of Object.values(PAIRS)) {
      for (const name of [pair.linux, pair.windows]) {
        const d = findDomain(snap, name);
        expect(d, name).to.not.equal(null);
        expect(d!.state, name).to.equal('running');
        expect(d!.interfaces.map((i) => [i.type, i.network, i.mac]), name).to.deep.equal([['network', pair.network, LAB.guests[name].mac]]);
        expect(d!.interfaces[0]!.target, name).to.match(/^vnet\d+$/);
        expect(d!.agentChannel, name).to.equal(true);
        expect(d!.agentConnected, name).to.equal(true);
      }
    }
  });

  it('leases: the NAT guests hold current leases at their reservations', () => {
    expect(leasesFor(snap, LAB.guests.debian12.mac).map((l) => [l.network, l.address, l.stale, l.domain])).to.deep.equal([['red-nat', LAB.guests.debian12.nat, false, 'debian12']]);
    expect(leasesFor(snap, LAB.guests.win10.mac.toUpperCase().replace(/:/g, '-')).map((l) => l.address)).to.deep.equal([LAB.guests.win10.nat]);
  });

  it('host checks pass for every task with the lab file of its pair', async () => {
    for (const [taskId, pair] of Object.entries(PAIRS)) {
      const lab = await loadLab(await labFileFor({ linux: pair.linux, windows: pair.windows }));
      const task = spec.tasks.find((t) => t.id === taskId)!;
      const verdicts: Verdict[] = hostChecks.flatMap((c) => c.run({ spec, task, lab, snapshot: snap, lang: 'en' }));
      const bad = verdicts.filter((v) => v.outcome !== 'pass' && !(v.check === 'network-autostart' && v.severity === 'warning'));
      expect(bad.map((v) => `${v.id}: ${v.message}`), taskId).to.deep.equal([]);
      expect(verdicts.find((v) => v.check === 'vm-attached' && v.role === 'linux')!.message).to.contain(`${pair.linux} is attached to ${pair.network}`);
    }
  });

  it('host checks explain a VM on the wrong network (NAT guests graded for the isolated task)', async () => {
    const lab = await loadLab(await labFileFor({ linux: 'debian12', windows: 'win10' }));
    const task = spec.tasks.find((t) => t.id === 'isolated')!;
    const v = hostChecks.flatMap((c) => c.run({ spec, task, lab, snapshot: snap, lang: 'en' })).find((x) => x.id === 'isolated.host.vm-attached.debian12')!;
    expect(v.outcome).to.equal('fail');
    expect(v.message).to.contain(`debian12 has no NIC on red-aislada; its NICs are on: red-nat (${LAB.guests.debian12.mac})`);
  });

  it('labgrade inspect --lab prints the lab mapping and exits 0', async () => {
    const lab = await labFileFor({ linux: 'debian12', windows: 'win10' });
    const write = process.stdout.write.bind(process.stdout);
    let out = '';
    (process.stdout as { write: unknown }).write = (s: string | Uint8Array) => ((out += String(s)), true);
    let code: number;
    try {
      code = await runInspect({ lab, format: 'text' }, { lang: 'en' });
    } finally {
      (process.stdout as { write: unknown }).write = write;
    }
    expect(code).to.equal(0);
    expect(out).to.match(/\n {2}red-nat +NAT +active.* +bridge virbr1 +host 192\.168\.101\.1\/24 +DHCP 192\.168\.101\.128-192\.168\.101\.254 +\[lab: nat\]/);
    expect(out).to.match(/\n {2}red-muy-aislada +very isolated +active/);
    expect(out).to.match(/\n {2}debian12 {2}running {2}agent connected {2}\[lab: linux\]/);
    expect(out).to.contain('VM windows -> win10: exists, attached to red-nat');
  });
});

describe('inspect against the real lab: stale leases (scenario stale-lease)', function () {
  let snap: HostSnapshot;
  before(async function () {
    await ensureLab(this, 'stale-lease');
    await useScenario('stale-lease');
    snap = await inspectHost(LAB.uri);
  });
  after(async function () {
    this.timeout(10 * 60_000);
    await useScenario('all');
  });

  it('guests moved from red-nat to red-aislada: their red-nat leases are stale, never their address', () => {
    for (const name of ['debian12-iso', 'win10-iso'] as const) {
      const mac = LAB.guests[name].mac;
      const d = findDomain(snap, name)!;
      expect(d.interfaces.map((i) => i.network), name).to.deep.equal(['red-aislada']);
      const all = leasesFor(snap, mac, { includeStale: true });
      expect(all.length, `${name} leftover lease`).to.be.greaterThan(0);
      for (const l of all) expect(l, name).to.deep.include({ network: 'red-nat', stale: true, domain: name });
      expect(leasesFor(snap, mac), name).to.deep.equal([]);
    }
    // The guests that really sit on red-nat keep current leases.
    expect(leasesFor(snap, LAB.guests.debian12.mac).map((l) => l.stale)).to.deep.equal([false]);
  });
});
