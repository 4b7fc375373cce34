// `lab up` attaches nothing to the root network namespace and `lab down` leaves nothing behind:
// links, addresses, routes, policy rules and firewall rules (iptables nft + legacy, IPv4 + IPv6) of
// the root namespace are identical before `lab up`, while it is up, and after `lab down`; no
// namespace, process or libvirt definition of the lab survives `lab down`. This file takes the lab
// down itself (the only test that does) and brings it back up (scenario `all`) at the end.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ensureLab, guestAgent, guestSsh } from '../../helpers/lab.js';
import { labDown, labUp, labStatus, labConstants } from '../../../grader/lab/index.js';
import { run } from '../../../grader/lab/run.js';
import { pidsByExe } from '../../../grader/lab/procs.js';

async function out(file: string, args: string[]): Promise<string> {
  const r = await run(file, args);
  return r.exitCode === 0 ? r.stdout : `(${file} ${args.join(' ')}: exit ${r.exitCode})`;
}

/** Firewall dumps without comments (timestamps) and packet/byte counters. */
const rules = (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, '[-]'))
    .join('\n');

/** Link state without counters or volatile fields. */
function links(json: string): unknown {
  return (JSON.parse(json) as Record<string, unknown>[]).map(({ ifindex, ifname, flags, mtu, operstate, link_type, address, master }) => ({
    ifindex, ifname, flags, mtu, operstate, link_type, address, master,
  }));
}

async function rootSnapshot(): Promise<Record<string, unknown>> {
  return {
    links: links(await out('ip', ['-j', 'link', 'show'])),
    addresses: JSON.parse(await out('ip', ['-j', 'addr', 'show'])).map((l: { ifname: string; addr_info: { local: string; prefixlen: number }[] }) => ({
      ifname: l.ifname,
      addrs: l.addr_info.map((a) => `${a.local}/${a.prefixlen}`),
    })),
    routes4: await out('ip', ['-4', 'route', 'show', 'table', 'all']),
    routes6: await out('ip', ['-6', 'route', 'show', 'table', 'all']),
    rules4: await out('ip', ['-4', 'rule', 'show']),
    iptablesNft: rules(await out('iptables-nft-save', [])),
    ip6tablesNft: rules(await out('ip6tables-nft-save', [])),
    iptablesLegacy: rules(await out('iptables-legacy-save', [])),
    ip6tablesLegacy: rules(await out('ip6tables-legacy-save', [])),
    forwarding: await out('sysctl', ['-n', 'net.ipv4.ip_forward']),
  };
}

/** No namespace, process, pid file or libvirt definition of the lab is left. */
async function expectNothingLeft(): Promise<void> {
    const netns = await out('ip', ['netns', 'list']);
    expect(netns).to.not.match(/\blabgrade\b/);
    expect(netns).to.not.match(/\blabgrade-up\b/);
    expect(existsSync(`/run/netns/${labConstants.LAB_NETNS}`)).to.equal(false);
    expect(await pidsByExe('/usr/sbin/libvirtd')).to.deep.equal([]);
    expect(await pidsByExe('/usr/bin/qemu-system-x86_64')).to.deep.equal([]);
    const upPid = existsSync(labConstants.paths.upstreamPid) ? readFileSync(labConstants.paths.upstreamPid, 'utf8') : '';
    expect(upPid).to.equal('');
    for (const n of ['red-nat', 'red-aislada', 'red-muy-aislada']) {
      expect(existsSync(`/etc/libvirt/qemu/networks/${n}.xml`), n).to.equal(false);
    }
    const leftDomains = readdirSync('/etc/libvirt/qemu')
      .filter((f) => f.endsWith('.xml'))
      .filter((f) => readFileSync(`/etc/libvirt/qemu/${f}`, 'utf8').includes(labConstants.DOMAIN_MARK));
    expect(leftDomains).to.deep.equal([]);
}

/** SIGKILL every process in the lab's namespaces, as when a session is killed. */
async function killLab(): Promise<void> {
  for (const ns of [labConstants.LAB_NETNS, labConstants.UPSTREAM_NETNS]) {
    const pids = (await out('ip', ['netns', 'pids', ns])).split('\n').map(Number).filter((n) => Number.isInteger(n) && n > 1);
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  await new Promise((r) => setTimeout(r, 500));
}

describe('lab: the root network namespace is untouched', function () {
  let baseline: Record<string, unknown> = {};
  before(async function () {
    await ensureLab(this, 'all');
  });

  after(async function () {
    this.timeout(20 * 60_000);
    await labUp({ scenario: 'all', labFile: false, skipPackages: true });
  });

  it('is identical before lab up, while up, and after lab down; nothing of the lab survives down', async function () {
    this.timeout(20 * 60_000);
    await labDown();
    const before = await rootSnapshot();
    baseline = before;

    await labUp({ scenario: 'all', labFile: false, skipPackages: true });
    const st = await labStatus();
    expect(st.up).to.equal(true);
    expect(st.guests.filter((g) => g.state === 'running')).to.have.length(6);
    const during = await rootSnapshot();
    expect(during).to.deep.equal(before);

    await labDown();
    const after = await rootSnapshot();
    expect(after).to.deep.equal(before);

    await expectNothingLeft();
    expect((await labStatus()).up).to.equal(false);
  });

  it('after a killed session, lab up cleans the leftovers and brings every guest back', async function () {
    this.timeout(20 * 60_000);
    await labUp({ scenario: 'all', labFile: false, skipPackages: true });
    await killLab();
    expect((await labStatus()).up).to.equal(false);
    expect((await labStatus()).leftovers).to.equal(true);
    await labUp({ scenario: 'all', labFile: false, skipPackages: true });
    const st = await labStatus();
    expect(st.guests.map((g) => `${g.name}:${g.state}`).sort()).to.deep.equal(
      ['debian12', 'debian12-iso', 'debian12-viso', 'win10', 'win10-iso', 'win10-viso'].map((n) => `${n}:running`).sort(),
    );
    expect((await guestAgent('debian12-viso', ['true'])).exitCode).to.equal(0);
    expect((await guestSsh('debian12', 'true')).exitCode).to.equal(0);
  });

  it('after a killed session, lab down still leaves nothing behind', async function () {
    this.timeout(20 * 60_000);
    await killLab();
    await labDown();
    await expectNothingLeft();
    expect(await rootSnapshot()).to.deep.equal(baseline);
  });
});
