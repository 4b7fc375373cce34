// WinRM over the byte streams the transport layer opens (grader/transports/stream.ts): the
// network-namespace pipe (a child process's stdio; here run without entering a namespace) and an
// SSH direct-tcpip channel through a jump host (a small ssh2 server on 127.0.0.1). HTTP with NTLM
// encryption and HTTPS (TLS layered on the stream) both have to work through them.
import { expect } from 'chai';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { jumpOpener, netnsOpener } from '../../../grader/transports/stream.js';
import { connectWinRm } from '../../../grader/transports/winrm/index.js';
import { startWsmanServer, type WsmanServer } from '../../helpers/wsman-server/index.js';
import { makeSelfSignedCert, type TestCert } from '../../helpers/wsman-server/cert.js';

const { Server, Client, utils } = ssh2;
const USER = 'alumno';
const PASSWORD = 'Contraseña.2024';

/** An SSH server that only forwards direct-tcpip channels to 127.0.0.1. */
async function startJumpHost(): Promise<{ port: number; hostKey: Buffer; forwards: number; close(): Promise<void> }> {
  const key = utils.generateKeyPairSync('ed25519', {} as never);
  const parsed = utils.parseKey(key.private);
  if (parsed instanceof Error) throw parsed;
  const state = { port: 0, hostKey: parsed.getPublicSSH(), forwards: 0, close: async (): Promise<void> => undefined };
  const clients = new Set<ssh2.Connection>();
  const server = new Server({ hostKeys: [key.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) =>
      ctx.method === 'password' && ctx.username === 'teacher' && ctx.password === 'jump-pw' ? ctx.accept() : ctx.reject(['password']),
    );
    client.on('ready', () => {
      client.on('tcpip', (accept, reject, info) => {
        if (info.destIP !== '127.0.0.1') return reject();
        state.forwards++;
        const ch = accept();
        const sock = net.connect(info.destPort, info.destIP);
        sock.on('error', () => ch.destroy());
        ch.on('error', () => sock.destroy());
        ch.pipe(sock).pipe(ch);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((r) => {
      for (const c of clients) c.end();
      server.close(() => r());
    });
  return state;
}

describe('winrm through stream openers (netns pipe, SSH jump)', function () {
  this.timeout(30_000);
  let cert: TestCert;
  let http: WsmanServer;
  let https: WsmanServer;

  before(async () => {
    cert = makeSelfSignedCert();
    http = await startWsmanServer({ accounts: [{ user: USER, password: PASSWORD }] });
    https = await startWsmanServer({ accounts: [{ user: USER, password: PASSWORD }], tls: cert });
    for (const s of [http, https]) s.onPowerShell(({ args }) => ({ stdout: `via:${args.join(',')}` }));
  });
  after(async () => {
    await http.close();
    await https.close();
    cert.cleanup();
  });

  it('over the netns pipe program (child stdio as the socket)', async () => {
    // `env node netns-relay.mjs SOCKET` instead of `ip netns exec NS node ...`: same relay, no namespace.
    const open = netnsOpener('labgrade', { command: 'env', prefixArgs: [] });
    for (const [server, scheme] of [
      [http, 'http'],
      [https, 'https'],
    ] as const) {
      const conn = await connectWinRm({
        host: '127.0.0.1',
        port: server.port,
        scheme,
        ca: cert.cert,
        user: USER,
        password: PASSWORD,
        createSocket: () => open('127.0.0.1', server.port),
      });
      try {
        expect((await conn.runScript('x', [scheme, 'pipe'])).stdout).to.equal(`via:${scheme},pipe`);
      } finally {
        await conn.close();
      }
    }
    expect(http.stats.encryptedRequests).to.be.greaterThan(0);
  });

  it('through an SSH jump host (direct-tcpip), HTTP+NTLM+encryption and HTTPS', async () => {
    const jump = await startJumpHost();
    const client = new Client();
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', reject);
      client.connect({
        host: '127.0.0.1',
        port: jump.port,
        username: 'teacher',
        password: 'jump-pw',
        hostVerifier: (key: Buffer) => key.equals(jump.hostKey),
      });
    });
    try {
      const open = jumpOpener(client, `teacher@127.0.0.1:${jump.port}`);
      for (const [server, scheme] of [
        [http, 'http'],
        [https, 'https'],
      ] as const) {
        const conn = await connectWinRm({
          host: '127.0.0.1',
          port: server.port,
          scheme,
          ca: cert.cert,
          user: USER,
          password: PASSWORD,
          createSocket: () => open('127.0.0.1', server.port),
        });
        try {
          const rs = await Promise.all([conn.runScript('x', [scheme, 'a']), conn.runScript('x', [scheme, 'b'])]);
          expect(rs.map((r) => r.stdout)).to.deep.equal([`via:${scheme},a`, `via:${scheme},b`]);
        } finally {
          await conn.close();
        }
      }
      expect(jump.forwards).to.be.greaterThan(1);
    } finally {
      client.end();
      await jump.close();
    }
  });
});
