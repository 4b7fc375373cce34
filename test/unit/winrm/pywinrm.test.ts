// Cross-check: Debian's pywinrm (python3-winrm: requests-ntlm + ntlm-auth, an independent NTLM and
// MS-WSMV implementation) runs commands against the same test server labgrade's client uses. If the
// server's NTLM, sealing or framing were wrong, pywinrm would fail here.
import { expect } from 'chai';
import { connectWinRm, decodeClixml } from '../../../grader/transports/winrm/index.js';
import { clixmlError, startWsmanServer, type WsmanServer } from '../../helpers/wsman-server/index.js';
import { makeSelfSignedCert, writeLegacyOpensslConf, type TestCert } from '../../helpers/wsman-server/cert.js';
import { runPyWinRm, type PyWinRmRun } from '../../helpers/wsman-server/pywinrm.js';

const USER = 'alumno';
const PASSWORD = 'Contraseña.2024';
const FIXTURE = 'Get-NetIPConfiguration | Select-Object InterfaceAlias | ConvertTo-Json';
const FIXTURE_OUT = '{\r\n    "InterfaceAlias":  "Ethernet"\r\n}\r\n';

describe('winrm: pywinrm (python3-winrm) against the test server, and labgrade on the same server', function () {
  this.timeout(60_000);
  let cert: TestCert;
  let opensslConf: string;
  let httpServer: WsmanServer;
  let httpsServer: WsmanServer;

  before(async () => {
    cert = makeSelfSignedCert();
    opensslConf = writeLegacyOpensslConf(cert.dir);
    for (const tls of [undefined, cert]) {
      const s = await startWsmanServer({ accounts: [{ user: USER, password: PASSWORD }], ...(tls ? { tls } : {}) });
      s.addPowerShellFixture(FIXTURE, { stdout: FIXTURE_OUT });
      s.addPowerShellFixture(/^Resolve-DnsName (\S+)$/, ({ body }) => ({
        stderr: clixmlError(`Resolve-DnsName : ${body.split(' ')[1]} : El nombre DNS no existe`),
        exitCode: 1,
      }));
      if (tls) httpsServer = s;
      else httpServer = s;
    }
  });
  after(async () => {
    await httpServer.close();
    await httpsServer.close();
    cert.cleanup();
  });

  const py = (o: Partial<PyWinRmRun> & Pick<PyWinRmRun, 'endpoint' | 'transport' | 'mode' | 'command'>) =>
    runPyWinRm({ user: USER, password: PASSWORD, opensslConf, ...o });

  it('pywinrm runs a command over HTTP with NTLM and message encryption', async () => {
    const enc = httpServer.stats.encryptedRequests;
    const refused = httpServer.stats.unencryptedRefused;
    const r = await py({ endpoint: httpServer.url, transport: 'ntlm', mode: 'cmd', command: 'echo', args: ['hola'] });
    expect(r, r.error).to.include({ ok: true, status: 0, stdout: 'hola\r\n' });
    // Create, Command, Receive, Signal, Delete: all sealed.
    expect(httpServer.stats.encryptedRequests - enc).to.equal(5);
    expect(httpServer.stats.unencryptedRefused).to.equal(refused);
  });

  it('pywinrm runs PowerShell (-encodedcommand); its raw CLIXML stderr decodes with labgrade', async () => {
    const ok = await py({ endpoint: httpServer.url, transport: 'ntlm', mode: 'ps', command: FIXTURE });
    expect(ok, ok.error).to.include({ ok: true, status: 0, stdout: FIXTURE_OUT });
    const bad = await py({ endpoint: httpServer.url, transport: 'ntlm', mode: 'psraw', command: 'Resolve-DnsName nada.invalid' });
    expect(bad.ok, bad.error).to.equal(true);
    expect(bad.status).to.equal(1);
    expect(bad.stderr!.startsWith('#< CLIXML\r\n')).to.equal(true);
    expect(decodeClixml(bad.stderr!)).to.equal('Resolve-DnsName : nada.invalid : El nombre DNS no existe\n');
  });

  it('the server refuses pywinrm without encryption over HTTP, and a wrong password', async () => {
    const refused = httpServer.stats.unencryptedRefused;
    const plain = await py({ endpoint: httpServer.url, transport: 'ntlm', mode: 'cmd', command: 'echo', args: ['x'], messageEncryption: 'never' });
    expect(plain.ok).to.equal(false);
    expect(httpServer.stats.unencryptedRefused).to.be.greaterThan(refused);
    const wrong = await py({ endpoint: httpServer.url, transport: 'ntlm', mode: 'cmd', command: 'echo', args: ['x'], password: 'mala' });
    expect(wrong.ok).to.equal(false);
    expect(wrong.error).to.match(/InvalidCredentialsError/);
  });

  it('pywinrm runs a command over HTTPS with NTLM (channel bindings) and with Basic', async () => {
    const bound = httpsServer.stats.channelBound;
    const ntlm = await py({ endpoint: httpsServer.url, transport: 'ntlm', mode: 'cmd', command: 'echo', args: ['tls'], ca: cert.certFile });
    expect(ntlm, ntlm.error).to.include({ ok: true, status: 0, stdout: 'tls\r\n' });
    expect(httpsServer.stats.channelBound).to.equal(bound + 1);
    const basic = await py({ endpoint: httpsServer.url, transport: 'ssl', mode: 'cmd', command: 'echo', args: ['basic'], ca: cert.certFile });
    expect(basic, basic.error).to.include({ ok: true, status: 0, stdout: 'basic\r\n' });
    expect(httpsServer.stats.authSchemes).to.include('basic');
  });

  it('labgrade gets the same answer as pywinrm from the same servers', async () => {
    const viaPy = await py({ endpoint: httpServer.url, transport: 'ntlm', mode: 'ps', command: FIXTURE });
    for (const [server, scheme, auth] of [
      [httpServer, 'http', 'ntlm'],
      [httpsServer, 'https', 'ntlm'],
      [httpsServer, 'https', 'basic'],
    ] as const) {
      const conn = await connectWinRm({ host: '127.0.0.1', port: server.port, scheme, auth, ca: cert.cert, user: USER, password: PASSWORD });
      try {
        const r = await conn.runScript(FIXTURE, []);
        expect(r.stdout).to.equal(viaPy.stdout);
        expect(r.exitCode).to.equal(viaPy.status);
      } finally {
        await conn.close();
      }
    }
  });
});
