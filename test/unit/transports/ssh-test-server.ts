// A small SSH server (ssh2's Server) for transport unit tests: password and public-key auth,
// exec requests run by the local /bin/sh (only constant test scripts), and special commands that
// behave like a hostile guest. Listens on 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { ServerChannel, Connection as SrvConn } from 'ssh2';

const { Server, utils } = ssh2;

export interface TestServer {
  port: number;
  hostKeyBlob: Buffer;
  hostKeyType: string;
  clientKeyPem: string;
  /** exec commands received, in order. */
  commands: string[];
  /** direct-tcpip destinations asked for (host:port). */
  forwards: string[];
  connections: number;
  /** Every password offered to it (right or wrong), in order. */
  passwordsSeen: string[];
  /** Active client connections (tests can cut them). */
  clients: Set<SrvConn>;
  close(): Promise<void>;
}

export type Special = (ch: ServerChannel) => void;

export async function startTestServer(opts: {
  user?: string;
  password?: string;
  keyType?: 'ed25519' | 'ecdsa';
  /** exact exec command -> behaviour (instead of running it). */
  special?: Record<string, Special>;
  /** Called for every exec before running it; return a behaviour to override. */
  onExec?: (cmd: string) => Special | undefined;
} = {}): Promise<TestServer> {
  const user = opts.user ?? 'lab';
  const password = opts.password ?? 's3cret-pw';
  // ssh2's generator sometimes (about 1 in 256) writes an ed25519 key whose public half has a
  // leading zero byte stripped, which its own parser then rejects: generate until it parses.
  const gen = (type: 'ed25519' | 'ecdsa') => {
    for (;;) {
      const k = utils.generateKeyPairSync(type as 'ed25519', (type === 'ecdsa' ? { bits: 256 } : {}) as never);
      if (!(utils.parseKey(k.private) instanceof Error) && !(utils.parseKey(k.public) instanceof Error)) return k;
    }
  };
  const hostKey = gen(opts.keyType === 'ecdsa' ? 'ecdsa' : 'ed25519');
  const clientKey = gen('ed25519');
  const clientPub = utils.parseKey(clientKey.public);
  if (clientPub instanceof Error) throw clientPub;
  const parsedHost = utils.parseKey(hostKey.private);
  if (parsedHost instanceof Error) throw parsedHost;
  const hostKeyBlob = parsedHost.getPublicSSH();
  const state: TestServer = {
    port: 0,
    hostKeyBlob,
    hostKeyType: parsedHost.type,
    clientKeyPem: clientKey.private,
    commands: [],
    forwards: [],
    connections: 0,
    passwordsSeen: [],
    clients: new Set(),
    close: async () => undefined,
  };

  const children = new Set<number>();
  /** Every child's stdio, destroyed at close: a pipe unpiped from a dead channel never reads its EOF. */
  const pipes = new Set<{ destroy(): void }>();
  const killGroup = (pid: number | undefined): void => {
    if (!pid) return;
    children.delete(pid);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    state.connections++;
    state.clients.add(client);
    client.on('close', () => state.clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password') state.passwordsSeen.push(ctx.password);
      if (ctx.username !== user) return ctx.reject();
      if (ctx.method === 'password') {
        const a = Buffer.from(ctx.password);
        const b = Buffer.from(password);
        return a.length === b.length && timingSafeEqual(a, b) ? ctx.accept() : ctx.reject();
      }
      if (ctx.method === 'publickey') {
        const pub = clientPub.getPublicSSH();
        if (ctx.key.algo !== clientPub.type || !ctx.key.data.equals(pub)) return ctx.reject();
        if (!ctx.signature) return ctx.accept(); // key query
        return clientPub.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) ? ctx.accept() : ctx.reject();
      }
      return ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      // direct-tcpip (what a jump host does for `forwardOut`), to 127.0.0.1 only.
      client.on('tcpip', (accept, reject, info) => {
        state.forwards.push(`${info.destIP}:${info.destPort}`);
        if (info.destIP !== '127.0.0.1') return reject();
        const sock = net.connect(info.destPort, info.destIP);
        sock.once('error', () => reject());
        sock.once('connect', () => {
          const ch = accept();
          sock.removeAllListeners('error');
          sock.on('error', () => ch.destroy());
          ch.on('error', () => sock.destroy());
          sock.pipe(ch).pipe(sock);
        });
      });
      client.on('session', (accept) => {
        const session = accept();
        session.on('exec', (acceptExec, _reject, info) => {
          const ch = acceptExec();
          state.commands.push(info.command);
          const sp = opts.onExec?.(info.command) ?? opts.special?.[info.command];
          if (sp) return sp(ch);
          // Own process group, so closing the channel kills the whole pipeline (a surviving
          // grandchild would keep the pipes, and the test process, alive).
          const child = spawn('/bin/sh', ['-c', info.command], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
          if (child.pid) children.add(child.pid);
          pipes.add(child.stdout);
          pipes.add(child.stderr);
          child.on('exit', () => child.pid && children.delete(child.pid));
          child.stdout.pipe(ch, { end: false });
          child.stderr.pipe(ch.stderr, { end: false });
          let closed = false;
          ch.on('close', () => {
            closed = true;
            killGroup(child.pid);
            // Unpiped from the closed channel, the child's pipes would sit paused and keep this
            // process alive after the child is gone.
            child.stdout.destroy();
            child.stderr.destroy();
          });
          ch.on('error', () => undefined);
          child.on('close', (code) => {
            if (closed) return;
            try {
              ch.exit(code ?? 255);
              ch.end();
            } catch {
              /* client went away */
            }
          });
        });
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((r) => {
      for (const c of state.clients) c.end();
      for (const pid of [...children]) killGroup(pid);
      for (const p of pipes) p.destroy();
      server.close(() => r());
    });
  return state;
}

/** A known_hosts line for the server. */
export function knownHostsLine(s: TestServer, host = '127.0.0.1'): string {
  return `[${host}]:${s.port} ${s.hostKeyType} ${s.hostKeyBlob.toString('base64')}\n`;
}
