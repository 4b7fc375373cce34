// How tests and the grader get into the lab's guests: the lab key, the password from the root-only
// file, the pinned host key (known_hosts written by the lab), and the guest agent.
import { expect } from 'chai';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLab, useScenario, guestSsh, guestAgent, LAB } from '../../helpers/lab.js';
import { run } from '../../../grader/lab/run.js';

describe('lab: guest access', function () {
  before(async function () {
    await ensureLab(this, 'all');
    await useScenario('all');
  });

  it('the password file is root-only and logs in over SSH (no key offered)', async function () {
    const st = await stat(LAB.passwordFile);
    expect(st.mode & 0o077).to.equal(0);
    const dir = await mkdtemp(join(tmpdir(), 'labgrade-askpass-'));
    try {
      const askpass = join(dir, 'askpass');
      await writeFile(askpass, '#!/bin/sh\nexec cat "$LABGRADE_PW_FILE"\n', { mode: 0o700 });
      const r = await run('ip', [
        'netns', 'exec', LAB.netns, 'ssh',
        '-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password,keyboard-interactive',
        '-o', `UserKnownHostsFile=${LAB.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'GlobalKnownHostsFile=/dev/null',
        '-o', 'NumberOfPasswordPrompts=1', '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR',
        `root@${LAB.guests['debian12-iso'].isolated}`, 'echo', 'password-ok',
      ], { env: { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0', LABGRADE_PW_FILE: LAB.passwordFile }, timeoutMs: 30_000 });
      expect(r.exitCode, r.stderr).to.equal(0);
      expect(r.stdout.trim()).to.equal('password-ok');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a wrong password is refused', async function () {
    const dir = await mkdtemp(join(tmpdir(), 'labgrade-askpass-'));
    try {
      const askpass = join(dir, 'askpass');
      await writeFile(askpass, '#!/bin/sh\necho not-the-password\n', { mode: 0o700 });
      const r = await run('ip', [
        'netns', 'exec', LAB.netns, 'ssh',
        '-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password',
        '-o', `UserKnownHostsFile=${LAB.knownHosts}`, '-o', 'StrictHostKeyChecking=yes',
        '-o', 'NumberOfPasswordPrompts=1', '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR',
        `root@${LAB.guests['debian12-iso'].isolated}`, 'true',
      ], { env: { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' }, timeoutMs: 30_000 });
      expect(r.exitCode).to.equal(255);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('every guest presents the fixed host key pinned in the lab known_hosts', async function () {
    // StrictHostKeyChecking=yes: a key not in known_hosts would fail the login
    for (const name of ['debian12', 'win10', 'debian12-iso', 'win10-iso'] as const) {
      const r = await guestSsh(name, 'hostname');
      expect(r.exitCode, `${name}: ${r.stderr}`).to.equal(0);
      expect(r.stdout.trim()).to.equal(name);
    }
    const scan = await run('ip', ['netns', 'exec', LAB.netns, 'ssh-keyscan', '-t', 'ed25519', LAB.guests.win10.nat]);
    const key = scan.stdout.split('\n').find((l) => l.includes('ssh-ed25519'))?.split(/\s+/).slice(1).join(' ');
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(LAB.knownHosts, 'utf8')).to.contain(key!);
  });

  it('guest tools: dash as /bin/sh (not busybox), iproute2 ip, glibc getent, busybox ping/nslookup', async function () {
    const r = await guestAgent('debian12-viso', ['sh', '-c',
      'readlink -f /bin/sh; [ -L /usr/bin/sh ] && echo sh-is-a-link; ip -V; for c in getent ping nslookup qemu-ga; do command -v $c; done']);
    expect(r.exitCode, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).to.equal('/usr/bin/sh');
    expect(r.stdout).to.not.contain('sh-is-a-link');
    expect(r.stdout).to.contain('iproute2');
    for (const c of ['getent', 'ping', 'nslookup', 'qemu-ga']) expect(lines.some((l) => l.endsWith(`/${c}`)), c).to.equal(true);
    const ldd = await guestAgent('debian12-viso', ['sh', '-c', 'getent ahostsv4 localhost']);
    expect(ldd.stdout).to.match(/^127\.0\.0\.1\s+STREAM localhost$/m);
  });
});
