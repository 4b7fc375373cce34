// labgrade's WinRM client against the WS-Management test server on 127.0.0.1 (HTTP with NTLM and
// message encryption, HTTPS with NTLM + channel bindings or Basic), including hostile servers.
import { expect } from 'chai';
import net from 'node:net';
import { TransportError } from '../../../grader/types.js';
import { connectWinRm, type WinRmOptions } from '../../../grader/transports/winrm/index.js';
import { clixmlError, startWsmanServer, type WsmanServer } from '../../helpers/wsman-server/index.js';
import { makeSelfSignedCert, type TestCert } from '../../helpers/wsman-server/cert.js';

const USER = 'alumno';
const PASSWORD = 'Contraseña.2024';
const accounts = [{ user: USER, password: PASSWORD }];

async function expectTransportError(p: Promise<unknown>, code: string): Promise<TransportError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(TransportError);
    const te = e as TransportError;
    expect(te.code, te.message).to.equal(code);
    expect(te.message).to.not.contain(PASSWORD);
    expect(te.target).to.not.contain(PASSWORD);
    return te;
  }
  throw new Error(`expected a TransportError ${code}`);
}

describe('winrm/client against the WS-Management test server', function () {
  this.timeout(30_000);
  let server: WsmanServer;
  let cert: TestCert;
  const base = (): WinRmOptions => ({ host: '127.0.0.1', port: server.port, user: USER, password: PASSWORD });

  before(async () => {
    cert = makeSelfSignedCert();
    server = await startWsmanServer({ accounts, maxOperationTimeoutMs: 300 });
    server.onPowerShell(({ body, args }) => {
      if (body === 'echo-args') return { stdout: args.map((a) => `[${a}]`).join('\n') };
      if (body === 'spanish') return { stdout: 'Conexión de área local: 192.168.101.130\r\n' };
      if (body === 'fail') return { stderr: clixmlError('Get-NetIPAddress : No se encontró ningún objeto MSFT_NetIPAddress'), exitCode: 1 };
      if (body === 'exit7') return { exitCode: 7 };
      if (body === 'slow') return { stdout: 'tarde', delayMs: 700 };
      if (body === 'parallel') return { stdout: 'ok', delayMs: 150 };
      if (body === 'forever') return { runForever: true, stdout: 'empezando...' };
      if (body === 'hang') return { hangReceive: true };
      if (body === 'die') return { dieOnReceive: true };
      if (body === 'huge') return { stdout: Buffer.alloc(3 * 1024 * 1024, 'x') };
      if (body === 'big') return { stdout: Buffer.alloc(600 * 1024, 'y') };
      if (body === 'flood') return { flood: true };
      return undefined;
    });
  });
  after(async () => {
    await server.close();
    cert.cleanup();
  });

  it('runs PowerShell over HTTP with NTLM and encrypted messages, arguments as data', async () => {
    const before = { ...server.stats, logins: server.stats.authSchemes.length };
    const conn = await connectWinRm(base());
    try {
      expect(conn.kind).to.equal('winrm');
      expect(conn.target).to.equal(`winrm alumno@127.0.0.1:${server.port} (http, ntlm)`);
      const hostile = ['1.1.1.1; reboot', '$(id)', '-oProxyCommand=calc', "it's", '`whoami`'];
      const r = await conn.runScript('echo-args', hostile);
      expect(r.exitCode).to.equal(0);
      expect(r.stdout.split('\n')).to.deep.equal(hostile.map((a) => `[${a}]`));
      expect(r.timedOut).to.equal(false);
      expect(r.truncated).to.equal(false);
      const es = await conn.runScript('spanish', []);
      expect(es.stdout).to.equal('Conexión de área local: 192.168.101.130\r\n');
    } finally {
      await conn.close();
    }
    expect(server.stats.encryptedRequests).to.be.greaterThan(before.encryptedRequests + 3);
    expect(server.stats.unencryptedRefused).to.equal(before.unencryptedRefused);
    expect(server.stats.authSchemes.slice(before.logins)).to.deep.equal(['ntlm']);
    expect(server.openShells()).to.equal(0);
    const cl = server.stats.commandLines.at(-1)!;
    expect(cl).to.match(/^powershell\.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand [A-Za-z0-9+/=]+$/);
  });

  it('reports exit codes and decodes the CLIXML error stream', async () => {
    const conn = await connectWinRm(base());
    try {
      const r = await conn.runScript('fail', []);
      expect(r.exitCode).to.equal(1);
      expect(r.stderr).to.equal('Get-NetIPAddress : No se encontró ningún objeto MSFT_NetIPAddress\n');
      expect((await conn.runScript('exit7', [])).exitCode).to.equal(7);
      const unknown = await conn.runScript('Get-Nothing', []);
      expect(unknown.exitCode).to.equal(1);
      expect(unknown.stderr).to.contain('no fixture');
    } finally {
      await conn.close();
    }
  });

  it('rejects a wrong password or an unknown user with TransportError auth', async () => {
    const te = await expectTransportError(connectWinRm({ ...base(), password: 'incorrecta' }), 'auth');
    expect(te.message).to.contain('401');
    await expectTransportError(connectWinRm({ ...base(), user: 'nadie' }), 'auth');
    await expectTransportError(connectWinRm({ ...base(), user: 'nadie', lang: 'es' }), 'auth').then((e) =>
      expect(e.message).to.contain('credenciales rechazadas'),
    );
  });

  it('refuses Basic over plain HTTP unless explicitly allowed', async () => {
    const te = await expectTransportError(connectWinRm({ ...base(), auth: 'basic' }), 'config');
    expect(te.message).to.match(/Basic/);
    // Allowed on purpose: the server (AllowUnencrypted=false) does not even offer Basic over HTTP.
    const te2 = await expectTransportError(connectWinRm({ ...base(), auth: 'basic', allowBasicOverHttp: true }), 'auth');
    expect(te2.message).to.match(/does not offer Basic.*Negotiate/);
  });

  it('maps a closed port to refused and rejects bad options', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    await expectTransportError(connectWinRm({ ...base(), port: free }), 'refused');
    await expectTransportError(connectWinRm({ ...base(), host: 'a b' }), 'config');
    await expectTransportError(connectWinRm({ ...base(), port: 70000 }), 'config');
  });

  it('stops a command at its deadline (OperationTimeout faults in between) and signals it', async () => {
    const conn = await connectWinRm(base());
    const signals = server.stats.signals;
    try {
      const r = await conn.runScript('forever', [], { timeoutMs: 1500 });
      expect(r.timedOut).to.equal(true);
      expect(r.exitCode).to.equal(null);
      expect(r.stdout).to.equal('empezando...');
      expect(server.stats.signals).to.be.greaterThan(signals);
      // The shell is still usable afterwards.
      expect((await conn.runScript('exit7', [])).exitCode).to.equal(7);
      const slow = await conn.runScript('slow', [], { timeoutMs: 5000 });
      expect(slow.stdout).to.equal('tarde');
    } finally {
      await conn.close();
    }
    expect(server.openShells()).to.equal(0);
  });

  it('ends a never-answered Receive at the deadline', async () => {
    const conn = await connectWinRm(base());
    try {
      const r = await conn.runScript('hang', [], { timeoutMs: 1000 });
      expect(r.timedOut).to.equal(true);
      expect(r.exitCode).to.equal(null);
      // A new connection re-authenticates and the next command works.
      expect((await conn.runScript('exit7', [])).exitCode).to.equal(7);
    } finally {
      await conn.close();
    }
  });

  it('caps huge output and flags it; assembles large output spread over many Receives', async () => {
    const conn = await connectWinRm(base());
    try {
      const huge = await conn.runScript('huge', [], { maxOutputBytes: 1024 * 1024 });
      expect(huge.truncated).to.equal(true);
      expect(huge.stdout.length).to.equal(1024 * 1024);
      const flood = await conn.runScript('flood', [], { maxOutputBytes: 256 * 1024, timeoutMs: 10_000 });
      expect(flood.truncated).to.equal(true);
      expect(flood.timedOut).to.equal(false);
      const big = await conn.runScript('big', []);
      expect(big.truncated).to.equal(false);
      expect(big.stdout.length).to.equal(600 * 1024);
    } finally {
      await conn.close();
    }
  });

  it('throws TransportError unreachable when the service dies mid-command', async () => {
    const conn = await connectWinRm(base());
    try {
      await expectTransportError(conn.runScript('die', []), 'unreachable');
      // The broken shell was discarded; a new one works.
      expect((await conn.runScript('exit7', [])).exitCode).to.equal(7);
    } finally {
      await conn.close();
    }
  });

  it('re-authenticates when the server drops an idle connection', async () => {
    const conn = await connectWinRm(base());
    try {
      expect((await conn.runScript('exit7', [])).exitCode).to.equal(7);
      const logins = server.stats.authSchemes.length;
      server.dropConnections();
      await new Promise((r) => setTimeout(r, 50));
      expect((await conn.runScript('exit7', [])).exitCode).to.equal(7);
      expect(server.stats.authSchemes.length).to.equal(logins + 1);
    } finally {
      await conn.close();
    }
  });

  it('runs commands in parallel on several shells and deletes them all on close', async () => {
    const created = server.stats.shellsCreated;
    const conn = await connectWinRm({ ...base(), maxShells: 3 });
    const results = await Promise.all(Array.from({ length: 7 }, () => conn.runScript('parallel', [])));
    expect(results.map((r) => r.stdout)).to.deep.equal(Array(7).fill('ok'));
    expect(server.stats.shellsCreated - created).to.be.within(2, 3);
    await conn.close();
    expect(server.openShells()).to.equal(0);
  });

  it('deletes the shell when a command fails with a SOAP fault', async () => {
    const conn = await connectWinRm(base());
    const deleted = server.stats.shellsDeleted;
    try {
      const te = await expectTransportError(conn.runCommand('noexiste.exe', []), 'protocol');
      expect(te.message).to.contain('2147942402');
      expect(server.stats.shellsDeleted).to.equal(deleted + 1);
    } finally {
      await conn.close();
    }
    expect(server.openShells()).to.equal(0);
  });

  it('refuses a script longer than the Windows command line and NUL in arguments', async () => {
    const conn = await connectWinRm(base());
    try {
      await expectTransportError(conn.runScript('x'.repeat(20_000), []), 'config');
      await expectTransportError(conn.runScript('echo-args', ['a\0b']), 'config');
    } finally {
      await conn.close();
    }
  });

  it('goes through a createSocket hook (how the netns pipe / SSH forward plug in)', async () => {
    let opened = 0;
    const conn = await connectWinRm({
      ...base(),
      host: 'win10.invalid',
      createSocket: () => {
        opened++;
        return net.connect({ host: '127.0.0.1', port: server.port });
      },
    });
    try {
      expect((await conn.runScript('echo-args', ['hook'])).stdout).to.equal('[hook]');
    } finally {
      await conn.close();
    }
    expect(opened).to.be.greaterThan(0);
    // A stream opener's own TransportError (refused, unreachable, timeout) is passed through.
    const te = await expectTransportError(
      connectWinRm({
        ...base(),
        createSocket: () => Promise.reject(new TransportError('refused', 'netns labgrade 192.168.101.130:5985', 'refused')),
      }),
      'refused',
    );
    expect(te.target).to.equal('netns labgrade 192.168.101.130:5985');
  });

  describe('over HTTPS', () => {
    let tlsServer: WsmanServer;
    before(async () => {
      tlsServer = await startWsmanServer({ accounts, tls: cert });
      tlsServer.onPowerShell(({ args }) => ({ stdout: `tls:${args.join(',')}` }));
    });
    after(() => tlsServer.close());
    const tlsBase = (): WinRmOptions => ({ ...base(), port: tlsServer.port, scheme: 'https', ca: cert.cert });

    it('NTLM with channel bindings to the server certificate', async () => {
      const bound = tlsServer.stats.channelBound;
      const conn = await connectWinRm(tlsBase());
      try {
        expect((await conn.runScript('x', ['uno', 'dos'])).stdout).to.equal('tls:uno,dos');
      } finally {
        await conn.close();
      }
      expect(tlsServer.stats.channelBound).to.equal(bound + 1);
      expect(tlsServer.stats.encryptedRequests).to.equal(0);
    });

    it('Basic authentication', async () => {
      const conn = await connectWinRm({ ...tlsBase(), auth: 'basic' });
      try {
        expect((await conn.runScript('x', ['b'])).stdout).to.equal('tls:b');
      } finally {
        await conn.close();
      }
      expect(tlsServer.stats.authSchemes).to.include('basic');
      await expectTransportError(connectWinRm({ ...tlsBase(), auth: 'basic', password: 'mala' }), 'auth');
    });

    it('refuses an untrusted certificate unless insecureSkipVerify', async () => {
      const { ca: _ca, ...noCa } = tlsBase();
      const te = await expectTransportError(connectWinRm(noCa), 'protocol');
      expect(te.message).to.match(/TLS/);
      const conn = await connectWinRm({ ...noCa, insecureSkipVerify: true });
      await conn.close();
    });
  });
});
