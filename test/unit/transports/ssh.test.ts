import { expect } from 'chai';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { createHmac, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { connectSsh, type SshConnection } from '../../../grader/transports/ssh.js';
import { TransportError } from '../../../grader/types.js';
import { startTestServer, knownHostsLine, type TestServer } from './ssh-test-server.js';

async function expectTransportError(p: Promise<unknown>, code: string): Promise<TransportError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(TransportError);
    expect((e as TransportError).code, (e as Error).message).to.equal(code);
    return e as TransportError;
  }
  throw new Error(`expected TransportError ${code}`);
}

describe('transports/ssh (against an ssh2 test server)', function () {
  this.timeout(30000);
  let srv: TestServer;
  let dir: string;
  let kh: string;

  before(async () => {
    srv = await startTestServer({
      special: {
        // A hostile guest: sends forever and ignores every request to stop.
        'sh -c \'hostile-forever\' sh': (ch) => {
          const chunk = Buffer.alloc(64 * 1024, 0x41);
          const timer = setInterval(() => {
            // A channel of a connection that was closed under it may never emit 'close'.
            if (ch.destroyed || !ch.writable) return clearInterval(timer);
            try {
              ch.write(chunk);
            } catch {
              clearInterval(timer);
            }
          }, 5);
          ch.on('close', () => clearInterval(timer));
        },
        // Accepts the command and then says nothing at all.
        'sh -c \'hostile-silent\' sh': () => undefined,
      },
    });
    dir = await mkdtemp(join(tmpdir(), 'labgrade-ssh-'));
    kh = join(dir, 'known_hosts');
  });
  after(async () => {
    await srv.close();
    await rm(dir, { recursive: true, force: true });
  });

  const base = () => ({
    host: '127.0.0.1',
    port: srv.port,
    user: 'lab',
    knownHostsFiles: [kh],
    acceptNewHostKey: false,
  });

  describe('host keys', () => {
    it('refuses an unknown host key by default and writes nothing', async () => {
      await writeFile(kh, '');
      const e = await expectTransportError(connectSsh({ ...base(), password: 's3cret-pw' }), 'hostkey-unknown');
      expect(e.message).to.include(kh);
      expect(await readFile(kh, 'utf8')).to.equal('');
    });

    it('pins an unknown key with acceptNewHostKey, then matches it', async () => {
      await writeFile(kh, '# comment\n');
      const c1 = await connectSsh({ ...base(), password: 's3cret-pw', acceptNewHostKey: true });
      expect(c1.pinnedNewKey).to.equal(true);
      await c1.close();
      const text = await readFile(kh, 'utf8');
      expect(text).to.equal(`# comment\n${knownHostsLine(srv)}`);
      const c2 = await connectSsh({ ...base(), password: 's3cret-pw' });
      expect(c2.pinnedNewKey).to.equal(false);
      expect(c2.hostKeyEntry?.line).to.equal(2);
      await c2.close();
    });

    it('fails with hostkey-changed naming file:line, even with acceptNewHostKey', async () => {
      const other = Buffer.alloc(51);
      other.writeUInt32BE(11, 0);
      other.write('ssh-ed25519', 4, 'latin1');
      other.writeUInt32BE(32, 15);
      randomBytes(32).copy(other, 19);
      await writeFile(kh, `# a\nexample.org ssh-ed25519 AAAA\n[127.0.0.1]:${srv.port} ssh-ed25519 ${other.toString('base64')}\n`);
      const e = await expectTransportError(connectSsh({ ...base(), password: 's3cret-pw', acceptNewHostKey: true }), 'hostkey-changed');
      expect(e.message).to.include(`${kh}:3`);
      expect(e.message).to.include('ssh-keygen -R');
      expect(await readFile(kh, 'utf8')).to.not.include(srv.hostKeyBlob.toString('base64'));
    });

    it('accepts a hashed |1| entry and a wildcard pattern entry', async () => {
      const salt = randomBytes(20);
      const name = `[127.0.0.1]:${srv.port}`;
      const hash = createHmac('sha1', salt).update(name).digest('base64');
      await writeFile(kh, `|1|${salt.toString('base64')}|${hash} ${srv.hostKeyType} ${srv.hostKeyBlob.toString('base64')}\n`);
      const c = await connectSsh({ ...base(), password: 's3cret-pw' });
      expect(c.hostKeyEntry?.line).to.equal(1);
      await c.close();
      await writeFile(kh, `[127.0.0.*]:${srv.port},!10.0.0.1 ${srv.hostKeyType} ${srv.hostKeyBlob.toString('base64')}\n`);
      const c2 = await connectSsh({ ...base(), password: 's3cret-pw' });
      await c2.close();
    });

    it('refuses a key marked @revoked', async () => {
      await writeFile(kh, `@revoked * ${srv.hostKeyType} ${srv.hostKeyBlob.toString('base64')}\n${knownHostsLine(srv)}`);
      const e = await expectTransportError(connectSsh({ ...base(), password: 's3cret-pw' }), 'hostkey-changed');
      expect(e.message).to.include('@revoked');
    });
  });

  describe('authentication and commands', () => {
    let conn: SshConnection;
    before(async () => {
      await writeFile(kh, knownHostsLine(srv));
    });
    afterEach(async () => {
      await conn?.close();
    });

    it('authenticates with a password and passes arguments as data, never as code', async () => {
      conn = await connectSsh({ ...base(), password: 's3cret-pw' });
      const hostile = ["it's", '$(id)', '`id`', 'a b', '-oProxyCommand=x', '1.1.1.1; reboot', 'line\nbreak', '"q"', ''];
      const r = await conn.runScript('for a in "$@"; do printf "[%s]" "$a"; done; echo; echo err >&2; exit 3', hostile);
      expect(r.exitCode).to.equal(3);
      expect(r.stdout).to.equal(`${hostile.map((a) => `[${a}]`).join('')}\n`);
      expect(r.stderr).to.equal('err\n');
      expect(r.truncated).to.equal(false);
      expect(r.timedOut).to.equal(false);
    });

    it('authenticates with a key file and reuses one connection for many commands', async () => {
      const keyFile = join(dir, 'id_test');
      await writeFile(keyFile, srv.clientKeyPem, { mode: 0o600 });
      const before = srv.connections;
      conn = await connectSsh({ ...base(), keyFiles: [keyFile] });
      const rs = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((i) => conn.runScript('echo "$1"', [String(i)])));
      expect(rs.map((r) => r.stdout.trim())).to.deep.equal(['1', '2', '3', '4', '5', '6', '7', '8']);
      expect(srv.connections - before).to.equal(1);
    });

    it('reports a wrong password as auth', async () => {
      await expectTransportError(connectSsh({ ...base(), password: 'wrong' }), 'auth');
    });

    it('explains an encrypted or bogus key file as config', async () => {
      const bad = join(dir, 'bogus');
      await writeFile(bad, 'not a key');
      const e = await expectTransportError(connectSsh({ ...base(), keyFiles: [bad] }), 'config');
      expect(e.message).to.include(bad);
    });

    it('reports no credentials at all as config', async () => {
      await expectTransportError(connectSsh({ ...base() }), 'config');
    });

    it('reports a closed port as refused', async () => {
      const s = net.createServer();
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
      const port = (s.address() as net.AddressInfo).port;
      await new Promise<void>((r) => s.close(() => r()));
      await expectTransportError(connectSsh({ ...base(), port, password: 'x' }), 'refused');
    });
  });

  describe('hostile output is bounded', () => {
    let conn: SshConnection;
    before(async () => {
      await writeFile(kh, knownHostsLine(srv));
      conn = await connectSsh({ ...base(), password: 's3cret-pw' });
    });
    after(async () => {
      await conn.close();
    });

    it('cuts megabytes at the cap and flags truncated', async () => {
      const r = await conn.runScript('head -c 5000000 /dev/zero | tr "\\0" x', [], { maxOutputBytes: 100_000 });
      expect(r.truncated).to.equal(true);
      expect(r.stdout.length).to.equal(100_000);
    });

    it('survives binary output (decoded, not thrown)', async () => {
      const r = await conn.runScript('head -c 20000 /dev/urandom', [], { maxOutputBytes: 1_000_000 });
      expect(r.exitCode).to.equal(0);
      expect(r.truncated).to.equal(false);
      expect(r.stdout.length).to.be.greaterThan(0);
    });

    it('stops a never-ending command at the cap', async () => {
      const r = await conn.runScript('yes labgrade', [], { maxOutputBytes: 50_000, timeoutMs: 20_000 });
      expect(r.truncated).to.equal(true);
      expect(r.timedOut).to.equal(false);
      expect(r.stdout.startsWith('labgrade\nlabgrade\n')).to.equal(true);
    });

    it('stops a slow trickle at the deadline and keeps what arrived', async () => {
      const r = await conn.runScript('while :; do printf x; sleep 0.2; done', [], { timeoutMs: 700 });
      expect(r.timedOut).to.equal(true);
      expect(r.exitCode).to.equal(null);
      expect(r.stdout).to.match(/^x+$/);
    });

    it('bounds a server that ignores the request to stop', async () => {
      const r = await conn.runScript('hostile-forever', [], { maxOutputBytes: 200_000, timeoutMs: 5000 });
      expect(r.truncated).to.equal(true);
      expect(r.stdout.length).to.equal(200_000);
    });

    it('bounds a server that never answers', async () => {
      const r = await conn.runScript('hostile-silent', [], { timeoutMs: 500 });
      expect(r.timedOut).to.equal(true);
      expect(r.stdout).to.equal('');
    });

    it('the connection still works after all that', async () => {
      const r = await conn.runScript('echo ok', []);
      expect(r.stdout).to.equal('ok\n');
    });
  });

  it('a connection cut mid-command is a TransportError, not a result', async () => {
    await writeFile(kh, knownHostsLine(srv));
    const conn = await connectSsh({ ...base(), password: 's3cret-pw' });
    const p = conn.runScript('sleep 5', [], { timeoutMs: 10_000 });
    setTimeout(() => {
      for (const c of srv.clients) (c as unknown as { _sock: net.Socket })._sock.destroy();
    }, 300);
    await expectTransportError(p, 'unreachable');
    await expectTransportError(conn.runScript('echo', []), 'unreachable');
    await conn.close();
  });
});
