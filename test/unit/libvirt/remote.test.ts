// virsh on a remote libvirt host over one pooled SSH connection (grader/libvirt/remote.ts): which
// URIs take that path, that every call reuses the one connection, that arguments arrive exactly as
// given however hostile (quoted, never interpreted), and that failures keep their kinds.
// The "host" is ssh2's test server running commands with /bin/sh and a fake `virsh` first on PATH.
import { expect } from 'chai';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { farSideUri, virshFor } from '../../../grader/libvirt/remote.js';
import { LibvirtError } from '../../../grader/libvirt/virsh.js';
import { inspectHost } from '../../../grader/libvirt/snapshot.js';
import { HostPool } from '../../../grader/transports/host-pool.js';
import type { LabFile } from '../../../grader/types.js';
import { knownHostsLine, startTestServer, type TestServer } from '../transports/ssh-test-server.js';

const FAKE_VIRSH = `#!/bin/sh
# argv, one per line, then a separator
for a in "$@"; do printf '%s\\n' "$a" >> "$FAKE_VIRSH_LOG"; done
printf '%s\\n' '--end--' >> "$FAKE_VIRSH_LOG"
[ "$LC_ALL" = C ] && [ "$TZ" = UTC ] || { echo "error: locale not C" >&2; exit 9; }
case "$4" in
  net-list) printf 'red-nat\\n' ;;
  list) printf 'debian12\\n' ;;
  domstate) echo running ;;
  net-dumpxml) printf '<network><name>red-nat</name><forward mode="nat"/><bridge name="virbr1"/><ip address="192.168.101.1" netmask="255.255.255.0"><dhcp><range start="192.168.101.100" end="192.168.101.254"/></dhcp></ip></network>\\n' ;;
  dumpxml)
    if [ "$6" = debian12 ]; then printf '<domain type="kvm"><name>debian12</name><devices><interface type="network"><mac address="52:54:00:4c:47:12"/><source network="red-nat"/></interface></devices></domain>\\n'
    else echo "error: failed to get domain '$6'" >&2; echo "error: Domain not found: no domain with matching name '$6'" >&2; exit 1; fi ;;
  net-dhcp-leases) printf ' Expiry Time           MAC address         Protocol   IP address           Hostname   Client ID or DUID\\n----\\n 2026-11-29 10:00:00   52:54:00:4c:47:12   ipv4       192.168.101.218/24   debian12   -\\n' ;;
  *) echo "error: unknown command $4" >&2; exit 1 ;;
esac
`;

describe('libvirt/remote: virsh over the host\'s pooled SSH connection', function () {
  this.timeout(30_000);
  let host: TestServer;
  let dir: string;
  let savedPath: string | undefined;
  let lab: LabFile;
  let pool: HostPool;

  before(async () => {
    host = await startTestServer({ user: 'admin', password: 'host-pw' });
    dir = await mkdtemp(join(tmpdir(), 'labgrade-remote-'));
    await writeFile(join(dir, 'virsh'), FAKE_VIRSH);
    await chmod(join(dir, 'virsh'), 0o755);
    await writeFile(join(dir, 'kh'), knownHostsLine(host));
    savedPath = process.env.PATH;
    process.env.PATH = `${dir}:${savedPath}`;
    process.env.FAKE_VIRSH_LOG = join(dir, 'log');
    lab = {
      file: join(dir, 'lab.yaml'),
      uri: `qemu+ssh://admin@127.0.0.1:${host.port}/system`,
      networks: {},
      vms: {},
      hostSsh: { kind: 'ssh', user: 'admin', host: '127.0.0.1', port: host.port, password: { value: 'host-pw' }, useAgent: false, acceptNewHostKey: false, jump: 'none', knownHostsFile: join(dir, 'kh') },
    };
  });
  beforeEach(() => {
    pool = new HostPool({ idleMs: 5000 });
  });
  afterEach(async () => {
    await pool.closeAll();
    await writeFile(join(dir, 'log'), '');
  });
  after(async () => {
    process.env.PATH = savedPath;
    delete process.env.FAKE_VIRSH_LOG;
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  const calls = async (): Promise<string[][]> =>
    (await readFile(join(dir, 'log'), 'utf8'))
      .split('--end--\n')
      .filter((x) => x !== '')
      .map((c) => c.replace(/\n$/, '').split('\n'));

  it('takes the ssh2 path only for plain qemu+ssh URIs', () => {
    expect(farSideUri('qemu+ssh://root@h/system')).to.equal('qemu:///system');
    expect(farSideUri('qemu+ssh://root@h:2222/session?no_tty=1&keyfile=/k')).to.equal('qemu:///session');
    expect(farSideUri('qemu+ssh://root@h/system?command=/tmp/myssh')).to.equal(null);
    expect(farSideUri('qemu+ssh://root@h/system?socket=/x')).to.equal(null);
    expect(farSideUri('qemu+ssh://root@h/system?known_hosts_verify=ignore')).to.equal(null);
    expect(farSideUri('qemu:///system')).to.equal(null);
    expect(farSideUri('qemu+tcp://h/system')).to.equal(null);
  });

  it('inspects the host with every virsh call on one SSH connection, in the C locale', async () => {
    const before = host.connections;
    const virsh = virshFor(lab, 'en', { pool });
    expect(virsh.remote).to.equal(true);
    const snap = await inspectHost(lab.uri, { virsh, agentPing: false });
    expect(snap.problems).to.deep.equal([]);
    expect(snap.networks.map((n) => [n.name, n.type, n.active])).to.deep.equal([['red-nat', 'nat', true]]);
    expect(snap.domains.map((d) => [d.name, d.state, d.interfaces[0]?.network])).to.deep.equal([['debian12', 'running', 'red-nat']]);
    expect(snap.leases.map((l) => [l.address, l.domain, l.stale])).to.deep.equal([['192.168.101.218', 'debian12', false]]);
    const c = await calls();
    expect(c.length).to.be.greaterThanOrEqual(8);
    for (const argv of c) expect(argv.slice(0, 3)).to.deep.equal(['-q', '-c', 'qemu:///system']);
    expect(host.connections - before).to.equal(1);
    expect(pool.opened).to.equal(1);
  });

  it('passes hostile names as single arguments, never to the shell', async () => {
    const virsh = virshFor(lab, 'en', { pool });
    const hostile = `x'; touch ${join(dir, 'pwned')}; echo '$(id)\`id\` "q" \\ end`;
    const err = await virsh.domDumpXml(hostile).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(LibvirtError);
    expect((err as LibvirtError).kind).to.equal('domain-not-found');
    expect((await calls()).at(-1)).to.deep.equal(['-q', '-c', 'qemu:///system', 'dumpxml', '--domain', hostile]);
    expect(await readFile(join(dir, 'pwned')).then(() => true, () => false)).to.equal(false);
    expect(host.commands.at(-1)).to.match(/^sh -c '.*' sh '-q' '-c' 'qemu:\/\/\/system' 'dumpxml' '--domain' 'x'\\''; touch /);
  });

  it('reports a refused login and a missing virsh with their kinds', async () => {
    const wrong = { ...lab, hostSsh: { ...lab.hostSsh!, password: { value: 'nope' } } };
    const auth = await virshFor(wrong, 'en', { pool }).listNetworks().then(() => null, (e: unknown) => e);
    expect(auth).to.be.instanceOf(LibvirtError);
    expect((auth as LibvirtError).kind).to.equal('ssh-auth');
    expect((auth as LibvirtError).isConnectionError).to.equal(true);

    process.env.PATH = '/nonexistent';
    try {
      const missing = await virshFor(lab, 'es', { pool }).listNetworks().then(() => null, (e: unknown) => e);
      expect((missing as LibvirtError).kind).to.equal('virsh-missing');
    } finally {
      process.env.PATH = `${dir}:${savedPath}`;
    }
  });
});
