// The qemu+ssh:// path for real: an OpenSSH server started by the test inside the lab namespace
// (inetd mode, `sshd -i`, as the ssh client's ProxyCommand: no listening socket, nothing leaves the
// machine), with a temporary host key, client key and known_hosts. virsh reaches it through a tiny
// ssh wrapper named by libvirt's `command=` URI parameter (OpenSSH ignores $HOME, so a temp
// ~/.ssh/config is not possible). On the far side virt-ssh-helper talks to the same libvirtd socket.
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ensureLab, useScenario, LAB } from '../../helpers/lab.js';
import { inspectHost, findDomain, findNetwork, LibvirtError } from '../../../grader/libvirt/snapshot.js';
import { runInspect } from '../../../grader/cli/commands/inspect.js';

const IP = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => existsSync(p)) ?? 'ip';

interface SshSetup {
  dir: string;
  /** URI through the working setup. */
  uri: string;
  /** URI whose ssh wrapper uses the named variant of the client config. */
  variant(name: 'wrong-key' | 'unknown-host-key' | 'changed-host-key' | 'proxy-fails'): string;
}

function keygen(file: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'labgrade-test', '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

function sshSetup(): SshSetup {
  const dir = mkdtempSync(join(tmpdir(), 'lg-qemu-ssh-'));
  const hostPub = keygen(join(dir, 'host_key'));
  keygen(join(dir, 'client_key'));
  const otherPub = keygen(join(dir, 'other_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')), { mode: 0o600 });
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `HostKey ${dir}/host_key`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      'PidFile none',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'known_hosts'), `labhost ${hostPub}\n`);
  writeFileSync(join(dir, 'known_empty'), '');
  writeFileSync(join(dir, 'known_changed'), `labhost ${otherPub}\n`);
  // sshd needs its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const proxy = `${IP} netns exec ${LAB.netns} /usr/sbin/sshd -i -f ${dir}/sshd_config`;
  const config = (name: string, o: { key?: string; known?: string; proxy?: string } = {}): string => {
    const file = join(dir, `ssh_config_${name}`);
    writeFileSync(
      file,
      [
        'Host labhost',
        '  User root',
        `  IdentityFile ${dir}/${o.key ?? 'client_key'}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${dir}/${o.known ?? 'known_hosts'}`,
        '  GlobalKnownHostsFile /dev/null',
        '  StrictHostKeyChecking yes',
        `  ProxyCommand ${o.proxy ?? proxy}`,
        '',
      ].join('\n'),
    );
    const wrapper = join(dir, `ssh_${name}`);
    writeFileSync(wrapper, `#!/bin/sh\nexec /usr/bin/ssh -F ${file} "$@"\n`);
    chmodSync(wrapper, 0o755);
    return `qemu+ssh://root@labhost/system?command=${wrapper}&no_tty=1`;
  };
  const uri = config('ok');
  const variants = {
    'wrong-key': config('wrong_key', { key: 'other_key' }),
    'unknown-host-key': config('unknown', { known: 'known_empty' }),
    'changed-host-key': config('changed', { known: 'known_changed' }),
    'proxy-fails': config('proxy_fails', { proxy: '/bin/false' }),
  };
  return { dir, uri, variant: (n) => variants[n] };
}

async function failure(p: Promise<unknown>): Promise<LibvirtError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LibvirtError) return e;
    throw e;
  }
  throw new Error('expected a LibvirtError');
}

describe('inspect through qemu+ssh:// (sshd in the lab namespace)', function () {
  let ssh: SshSetup;
  before(async function () {
    await ensureLab(this, 'all');
    await useScenario('all');
    ssh = sshSetup();
  });
  after(() => {
    if (ssh) rmSync(ssh.dir, { recursive: true, force: true });
  });

  it('inspectHost over SSH sees what the local socket sees', async function () {
    this.timeout(120_000);
    const [remote, local] = await Promise.all([inspectHost(ssh.uri), inspectHost(LAB.uri)]);
    expect(remote.problems).to.deep.equal([]);
    expect(remote.uri).to.equal(ssh.uri);
    const shape = (s: typeof remote) => ({
      networks: s.networks.map((n) => [n.name, n.type, n.bridge, n.active]),
      domains: s.domains.map((d) => [d.name, d.state, d.interfaces.map((i) => [i.network, i.mac]), d.agentConnected]),
      leases: s.leases.map((l) => [l.network, l.mac, l.address, l.stale]),
    });
    expect(shape(remote)).to.deep.equal(shape(local));
    expect(findNetwork(remote, ['red-muy-aislada'])!.type).to.equal('very-isolated');
    expect(findDomain(remote, 'debian12-viso')!.interfaces[0]!.network).to.equal('red-muy-aislada');
  });

  it('labgrade inspect --uri qemu+ssh://... works', async function () {
    this.timeout(120_000);
    const write = process.stdout.write.bind(process.stdout);
    let out = '';
    (process.stdout as { write: unknown }).write = (s: string | Uint8Array) => ((out += String(s)), true);
    let code: number;
    try {
      code = await runInspect({ uri: ssh.uri, format: 'json' }, { lang: 'en' });
    } finally {
      (process.stdout as { write: unknown }).write = write;
    }
    expect(code).to.equal(0);
    const snap = JSON.parse(out);
    expect(snap.uri).to.equal(ssh.uri);
    expect(snap.networks.map((n: { name: string }) => n.name)).to.include.members(['red-nat', 'red-aislada', 'red-muy-aislada']);
  });

  it('SSH failures are classified: wrong key, unknown host key, changed host key, no connection', async function () {
    this.timeout(120_000);
    const auth = await failure(inspectHost(ssh.variant('wrong-key')));
    expect(auth.kind).to.equal('ssh-auth');
    expect(auth.code).to.equal('auth');
    expect(auth.message).to.match(/SSH refused authentication on labhost as root .*Permission denied \(publickey\).*ssh-copy-id root@labhost/);
    expect(auth.target).to.equal('qemu+ssh://root@labhost/system');

    const unknown = await failure(inspectHost(ssh.variant('unknown-host-key'), { lang: 'es' }));
    expect(unknown.kind).to.equal('ssh-hostkey-unknown');
    expect(unknown.message).to.match(/SSH no conoce la clave del host labhost/);

    const changed = await failure(inspectHost(ssh.variant('changed-host-key')));
    expect(changed.kind).to.equal('ssh-hostkey-changed');
    expect(changed.detail).to.match(/Host key for labhost has changed/);

    const down = await failure(inspectHost(ssh.variant('proxy-fails')));
    expect(down.kind).to.equal('ssh-unreachable');
  });
});
