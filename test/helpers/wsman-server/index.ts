// A WS-Management test server on 127.0.0.1 implementing the subset of [MS-WSMV]/[MS-NLMP] that
// WinRM clients use: NTLM (raw NTLMSSP tokens under the `Negotiate` or `NTLM` scheme, per
// connection) and Basic (HTTPS only unless allowUnencrypted), SPNEGO session encryption of bodies over
// HTTP (unencrypted bodies refused like Windows with AllowUnencrypted=false), and the Windows Remote
// Shell: Create, Command, Receive (long-poll with OperationTimeout faults), Signal, Delete.
// Commands are emulated (commands.ts): nothing runs on this machine.
//
//   const server = await startWsmanServer({ accounts: [{ user: 'alumno', password: 'x' }] });
//   server.onPowerShell(({ body, args }) => body.includes('Get-NetIPAddress') ? { stdout: '[...]' } : undefined);
//   ... server.url (http://127.0.0.1:PORT/wsman) ... await server.close();
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID, X509Certificate } from 'node:crypto';
import { SessionSecurity } from '../../../grader/transports/winrm/ntlm.js';
import { decryptMessage, encryptMessage, ENCRYPTED_CONTENT_TYPE, isEncryptedContentType } from '../../../grader/transports/winrm/encryption.js';
import { tlsServerEndPoint } from '../../../grader/transports/winrm/cbt.js';
import { child, list, NS, parseXml, text, xmlEscape, type XmlNode } from '../../../grader/transports/winrm/soap.js';
import { buildServerChallenge, verifyAuthenticate, type Account, type ServerChallengeState } from './ntlm-server.js';
import {
  clixmlError,
  decodePowerShell,
  emulateCmd,
  parseWrapped,
  type PowerShellHandler,
  type PowerShellRequest,
  type ProcessReply,
} from './commands.js';

export { clixmlError, parseWrapped, decodePowerShell } from './commands.js';
export type { PowerShellHandler, PowerShellRequest, ProcessReply } from './commands.js';

export interface WsmanServerOptions {
  accounts: Account[];
  /** PEM certificate and key: serve HTTPS. */
  tls?: { cert: string; key: string };
  /** Authentication schemes offered (default: ntlm; plus basic over HTTPS). */
  auth?: ('ntlm' | 'basic')[];
  /** Accept unencrypted bodies (and Basic) over HTTP. Default false, like Windows. */
  allowUnencrypted?: boolean;
  computerName?: string;
  /** Largest output returned by one Receive, bytes (Windows: bounded by MaxEnvelopeSize). */
  receiveChunkBytes?: number;
  /** Upper bound of the OperationTimeout honoured on Receive, ms (tests shorten it). */
  maxOperationTimeoutMs?: number;
}

export interface WsmanServerStats {
  requests: number;
  authFailures: number;
  unencryptedRefused: number;
  encryptedRequests: number;
  shellsCreated: number;
  shellsDeleted: number;
  commands: number;
  signals: number;
  commandLines: string[];
  /** Schemes seen in successful authentications: 'ntlm', 'basic'. */
  authSchemes: string[];
  /** NTLM logins whose AUTHENTICATE carried channel bindings matching the certificate. */
  channelBound: number;
}

export interface WsmanServer {
  url: string;
  port: number;
  stats: WsmanServerStats;
  /** Shells currently open. */
  openShells(): number;
  /** Adds a PowerShell handler (tried in order; the first non-undefined reply wins). */
  onPowerShell(fn: PowerShellHandler): void;
  /**
   * Shorthand for a recorded fixture: answers scripts whose body (trimmed) equals `script`, or
   * matches it when a RegExp, with `reply` (or what the function returns for that request).
   */
  addPowerShellFixture(script: string | RegExp, reply: ProcessReply | ((req: PowerShellRequest) => ProcessReply)): void;
  /** Destroys every connection (a service that dies); the listener stays up. */
  dropConnections(): void;
  close(): Promise<void>;
}

interface ConnState {
  ntlm?: ServerChallengeState;
  sec?: SessionSecurity;
  authed?: 'ntlm' | 'basic';
}

interface Command {
  id: string;
  stdout: Buffer[];
  stderr: Buffer[];
  done: boolean;
  exitCode: number;
  reply: ProcessReply;
  wake: (() => void)[];
  timer?: NodeJS.Timeout;
}

interface Shell {
  id: string;
  commands: Map<string, Command>;
}

const ACTIONS = {
  create: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Create',
  delete: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete',
  command: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command',
  receive: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive',
  signal: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal',
};

class Fault extends Error {
  constructor(
    readonly code: string,
    readonly subcode: string,
    message: string,
    readonly status = 500,
  ) {
    super(message);
  }
}

export async function startWsmanServer(opts: WsmanServerOptions): Promise<WsmanServer> {
  const computerName = opts.computerName ?? 'WIN10-LAB';
  const isHttps = Boolean(opts.tls);
  const schemes = opts.auth ?? (isHttps ? ['ntlm', 'basic'] : ['ntlm']);
  const allowUnencrypted = Boolean(opts.allowUnencrypted);
  const basicAllowed = schemes.includes('basic') && (isHttps || allowUnencrypted);
  const chunkBytes = opts.receiveChunkBytes ?? 96 * 1024;
  const maxOpMs = opts.maxOperationTimeoutMs ?? 60_000;
  const certBindings = opts.tls ? tlsServerEndPoint(new X509Certificate(opts.tls.cert).raw) : null;
  const handlers: PowerShellHandler[] = [];
  const shells = new Map<string, Shell>();
  const conns = new WeakMap<Socket, ConnState>();
  const sockets = new Set<Socket>();
  const stats: WsmanServerStats = {
    requests: 0,
    authFailures: 0,
    unencryptedRefused: 0,
    encryptedRequests: 0,
    shellsCreated: 0,
    shellsDeleted: 0,
    commands: 0,
    signals: 0,
    commandLines: [],
    authSchemes: [],
    channelBound: 0,
  };

  const challengeHeaders = (): string[] => {
    const h: string[] = [];
    if (schemes.includes('ntlm')) h.push('Negotiate');
    if (basicAllowed) h.push(`Basic realm="WSMAN"`);
    return h;
  };

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    stats.requests++;
    const socket = req.socket;
    let state = conns.get(socket);
    if (!state) {
      state = {};
      conns.set(socket, state);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 8 * 1024 * 1024) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(c as Buffer);
    }
    const body = Buffer.concat(chunks);
    if ((req.url ?? '').split('?')[0]!.toLowerCase() !== '/wsman') {
      res.writeHead(404, { 'Content-Length': 0 }).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { 'Content-Length': 0 }).end();
      return;
    }
    const unauthorized = (extra?: string) => {
      stats.authFailures++;
      res.writeHead(401, {
        'WWW-Authenticate': extra ? [extra] : challengeHeaders(),
        'Content-Length': 0,
      });
      res.end();
    };

    // ---- authentication (per connection for NTLM, per request for Basic)
    const authz = req.headers.authorization ?? '';
    const m = /^(Negotiate|NTLM|Basic)\s+(\S+)$/i.exec(authz);
    if (m) {
      const scheme = m[1]!.toLowerCase();
      const token = Buffer.from(m[2]!, 'base64');
      if (scheme === 'basic') {
        if (!basicAllowed) return unauthorized();
        // RFC 7617 suggests UTF-8; Python's requests sends latin-1 for str credentials: accept both.
        const ok = [token.toString('utf8'), token.toString('latin1')].some((decoded) => {
          const k = decoded.indexOf(':');
          const user = decoded.slice(0, k);
          const password = decoded.slice(k + 1);
          return k > 0 && opts.accounts.some((a) => a.user.toLowerCase() === user.toLowerCase() && a.password === password);
        });
        if (!ok) return unauthorized();
        state.authed = 'basic';
        state.sec = undefined;
        stats.authSchemes.push('basic');
      } else {
        if (!schemes.includes('ntlm')) return unauthorized();
        const type = token.length >= 12 && token.subarray(0, 8).toString('latin1') === 'NTLMSSP\0' ? token.readUInt32LE(8) : 0;
        if (type === 1) {
          try {
            state.ntlm = buildServerChallenge(token, computerName);
          } catch {
            return unauthorized();
          }
          state.authed = undefined;
          state.sec = undefined;
          res.writeHead(401, {
            'WWW-Authenticate': `${m[1]} ${state.ntlm.challenge.toString('base64')}`,
            'Content-Length': 0,
          });
          res.end();
          return;
        }
        if (type !== 3 || !state.ntlm) return unauthorized();
        const v = await verifyAuthenticate(state.ntlm, token, opts.accounts, certBindings);
        state.ntlm = undefined;
        if (!v.ok) return unauthorized();
        state.authed = 'ntlm';
        state.sec = new SessionSecurity(v.flags, v.exportedSessionKey, 'server');
        stats.authSchemes.push('ntlm');
        if (v.channelBound) stats.channelBound++;
      }
    } else if (state.authed !== 'ntlm') {
      // Basic authenticates each request; NTLM the connection.
      return unauthorized();
    }

    // ---- body: encrypted over HTTP with NTLM unless allowUnencrypted
    if (body.length === 0) {
      res.writeHead(200, { 'Content-Length': 0 }).end();
      return;
    }
    const encrypted = isEncryptedContentType(req.headers['content-type']);
    let plain: Buffer;
    if (encrypted) {
      if (!state.sec) return unauthorized();
      try {
        plain = decryptMessage(state.sec, body);
      } catch {
        res.writeHead(400, { 'Content-Length': 0 }).end();
        return;
      }
      stats.encryptedRequests++;
    } else {
      if (!isHttps && !allowUnencrypted) {
        stats.unencryptedRefused++;
        const fault = faultXml(
          '',
          new Fault('2150858770', 'w:AccessDenied', 'The WinRM service is configured to refuse unencrypted traffic (AllowUnencrypted = false).'),
          computerName,
        );
        res.writeHead(400, { 'Content-Type': 'application/soap+xml;charset=UTF-8', 'Content-Length': Buffer.byteLength(fault) });
        res.end(fault);
        return;
      }
      plain = body;
    }

    let status = 200;
    let xml: string;
    try {
      xml = await dispatch(plain.toString('utf8'), socket);
    } catch (e) {
      if (e === DROP) return;
      const f = e instanceof Fault ? e : new Fault('2150858752', 'w:InternalError', (e as Error).message);
      status = f.status;
      xml = faultXml(relatesTo(plain), f, computerName);
    }
    if (socket.destroyed) return;
    const out = Buffer.from(xml, 'utf8');
    if (encrypted && state.sec) {
      const enc = encryptMessage(state.sec, out);
      res.writeHead(status, { 'Content-Type': ENCRYPTED_CONTENT_TYPE, 'Content-Length': enc.length });
      res.end(enc);
    } else {
      res.writeHead(status, { 'Content-Type': 'application/soap+xml;charset=UTF-8', 'Content-Length': out.length });
      res.end(out);
    }
  };

  const DROP = Symbol('drop');

  function relatesTo(plain: Buffer): string {
    try {
      return text(child(child(parseXml(plain.toString('utf8')), 'Header'), 'MessageID'));
    } catch {
      return '';
    }
  }

  async function dispatch(xml: string, socket: Socket): Promise<string> {
    let env: XmlNode;
    try {
      env = parseXml(xml);
    } catch (e) {
      throw new Fault('2150858817', 'w:SchemaValidationError', (e as Error).message, 400);
    }
    const header = child(env, 'Header');
    const action = text(child(header, 'Action'));
    const messageId = text(child(header, 'MessageID'));
    const resource = text(child(header, 'ResourceURI'));
    const body = child(env, 'Body') ?? {};
    const opTimeout = /^PT(\d+(?:\.\d+)?)S$/.exec(text(child(header, 'OperationTimeout')));
    const opMs = Math.min(maxOpMs, opTimeout ? Number(opTimeout[1]) * 1000 : 60_000);
    const options = new Map(
      list(child(header, 'OptionSet'), 'Option').map((o) => [String(o['@_Name'] ?? ''), text(o)] as const),
    );
    if (resource !== 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd') {
      throw new Fault('2150858770', 'w:DestinationUnreachable', `unsupported resource URI ${resource}`);
    }
    const shellIdOf = (): Shell => {
      const sel = list(child(header, 'SelectorSet'), 'Selector').find((s) => s['@_Name'] === 'ShellId');
      const shell = sel ? shells.get(text(sel)) : undefined;
      if (!shell) throw new Fault('2150858843', 'w:InvalidSelectors', 'The request for the Windows Remote Shell with ShellId failed because the shell was not found on the server.');
      return shell;
    };
    const respond = (act: string, inner: string) => responseXml(act, messageId, inner);

    switch (action) {
      case ACTIONS.create: {
        const id = randomUUID().toUpperCase();
        shells.set(id, { id, commands: new Map() });
        stats.shellsCreated++;
        const addr = `http://${computerName.toLowerCase()}:5985/wsman`;
        return respond(
          `${ACTIONS.create}Response`,
          `<x:ResourceCreated><a:Address>${addr}</a:Address><a:ReferenceParameters><w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">${id}</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>` +
            `<rsp:Shell><rsp:ShellId>${id}</rsp:ShellId><rsp:ResourceUri>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</rsp:ResourceUri><rsp:Owner>${xmlEscape(computerName)}\\alumno</rsp:Owner><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`,
        );
      }
      case ACTIONS.delete: {
        const shell = shellIdOf();
        for (const c of shell.commands.values()) finish(c);
        shells.delete(shell.id);
        stats.shellsDeleted++;
        return respond(`${ACTIONS.delete}Response`, '');
      }
      case ACTIONS.command: {
        const shell = shellIdOf();
        const cl = child(body, 'CommandLine');
        const cmd = text(child(cl, 'Command'));
        const args = list(cl, 'Arguments').map(text);
        const commandLine = [cmd, ...args].join(' ').trim();
        stats.commands++;
        stats.commandLines.push(commandLine);
        const reply = await run(commandLine, options.get('WINRS_SKIP_CMD_SHELL')?.toUpperCase() === 'TRUE');
        const c: Command = { id: randomUUID().toUpperCase(), stdout: [], stderr: [], done: false, exitCode: 0, reply, wake: [] };
        shell.commands.set(c.id, c);
        start(c);
        return respond(`${ACTIONS.command}Response`, `<rsp:CommandResponse><rsp:CommandId>${c.id}</rsp:CommandId></rsp:CommandResponse>`);
      }
      case ACTIONS.receive: {
        const shell = shellIdOf();
        const ds = child(child(body, 'Receive'), 'DesiredStream');
        const c = shell.commands.get(String(ds?.['@_CommandId'] ?? ''));
        if (!c) throw new Fault('2150858843', 'w:InvalidSelectors', 'unknown CommandId');
        if (c.reply.dieOnReceive) {
          dropAll();
          throw DROP;
        }
        if (c.reply.hangReceive) {
          await new Promise<void>((resolve) => socket.once('close', () => resolve()));
          throw DROP;
        }
        if (c.reply.flood) {
          c.stdout.push(Buffer.alloc(chunkBytes, 'A'));
        }
        if (!c.done && c.stdout.length === 0 && c.stderr.length === 0) {
          const woke = await new Promise<boolean>((resolve) => {
            const done = (v: boolean) => {
              clearTimeout(t);
              socket.removeListener('close', onClose);
              resolve(v);
            };
            const onClose = () => done(false);
            const t = setTimeout(() => done(false), opMs);
            c.wake.push(() => done(true));
            socket.once('close', onClose);
          });
          if (socket.destroyed) throw DROP;
          if (!woke) {
            throw new Fault('2150858793', 'w:TimedOut', 'The WS-Management service cannot complete the operation within the time specified in OperationTimeout.');
          }
        }
        // Output must fit in the client's MaxEnvelopeSize once base64-encoded (with room for the envelope).
        const maxEnv = Number(text(child(header, 'MaxEnvelopeSize'))) || 153600;
        let budget = Math.max(1024, Math.min(chunkBytes, Math.floor(((maxEnv - 8192) * 3) / 4)));
        const streams: string[] = [];
        for (const name of ['stdout', 'stderr'] as const) {
          const q = c[name];
          while (q.length && budget > 0) {
            const b = q[0]!;
            const take = b.subarray(0, budget);
            if (take.length === b.length) q.shift();
            else q[0] = b.subarray(take.length);
            budget -= take.length;
            streams.push(`<rsp:Stream Name="${name}" CommandId="${c.id}">${take.toString('base64')}</rsp:Stream>`);
          }
        }
        const drained = c.stdout.length === 0 && c.stderr.length === 0;
        let state: string;
        if (c.done && drained) {
          streams.push(`<rsp:Stream Name="stdout" CommandId="${c.id}" End="true"></rsp:Stream>`);
          streams.push(`<rsp:Stream Name="stderr" CommandId="${c.id}" End="true"></rsp:Stream>`);
          state = `<rsp:CommandState CommandId="${c.id}" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"><rsp:ExitCode>${c.exitCode >>> 0}</rsp:ExitCode></rsp:CommandState>`;
        } else {
          state = `<rsp:CommandState CommandId="${c.id}" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"></rsp:CommandState>`;
        }
        return respond(`${ACTIONS.receive}Response`, `<rsp:ReceiveResponse>${streams.join('')}${state}</rsp:ReceiveResponse>`);
      }
      case ACTIONS.signal: {
        const shell = shellIdOf();
        const sig = child(body, 'Signal');
        const c = shell.commands.get(String(sig?.['@_CommandId'] ?? ''));
        if (!c) throw new Fault('2150858843', 'w:InvalidSelectors', 'unknown CommandId');
        stats.signals++;
        finish(c);
        shell.commands.delete(c.id);
        return respond(`${ACTIONS.signal}Response`, '<rsp:SignalResponse/>');
      }
      default:
        throw new Fault('2150858798', 'w:ActionNotSupported', `action not supported: ${action}`);
    }
  }

  async function run(commandLine: string, skipCmdShell: boolean): Promise<ProcessReply> {
    const script = decodePowerShell(commandLine);
    if (script !== null) {
      const wrapped = parseWrapped(script);
      const req = { script, body: wrapped?.body ?? script, args: wrapped?.args ?? [], commandLine };
      for (const h of handlers) {
        const r = await h(req);
        if (r) return r;
      }
      return {
        stderr: clixmlError('labgrade wsman-server: no fixture answers this script'),
        exitCode: 1,
      };
    }
    if (skipCmdShell) {
      const exe = commandLine.split(/\s+/)[0] ?? '';
      if (exe.toLowerCase() !== 'hostname.exe' && exe.toLowerCase() !== 'hostname') {
        throw new Fault('2147942402', 'w:InternalError', 'El sistema no puede encontrar el archivo especificado.');
      }
    }
    return emulateCmd(commandLine, computerName);
  }

  function start(c: Command): void {
    const r = c.reply;
    const emit = () => {
      if (r.stdout !== undefined && r.stdout.length) c.stdout.push(Buffer.from(r.stdout));
      if (r.stderr !== undefined && r.stderr.length) c.stderr.push(Buffer.from(r.stderr));
      if (!r.runForever && !r.flood) {
        c.done = true;
        c.exitCode = r.exitCode ?? 0;
      }
      for (const w of c.wake.splice(0)) w();
    };
    if (r.delayMs) c.timer = setTimeout(emit, r.delayMs);
    else emit();
  }

  function finish(c: Command): void {
    if (c.timer) clearTimeout(c.timer);
    if (!c.done) {
      c.done = true;
      c.exitCode = 0xc000013a; // STATUS_CONTROL_C_EXIT, what a terminated process reports
    }
    for (const w of c.wake.splice(0)) w();
  }

  function dropAll(): void {
    for (const s of sockets) s.destroy();
    sockets.clear();
  }

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Length': 0 }).end();
    });
  };
  const server = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key, noDelay: true }, listener)
    : http.createServer({ noDelay: true }, listener);
  server.keepAliveTimeout = 60_000;
  server.on(opts.tls ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}/wsman`,
    port,
    stats,
    openShells: () => shells.size,
    onPowerShell: (fn) => {
      handlers.push(fn);
    },
    addPowerShellFixture: (script, reply) => {
      handlers.push((req) => {
        const body = req.body.trim();
        const hit = typeof script === 'string' ? body === script.trim() : script.test(body);
        if (!hit) return undefined;
        return typeof reply === 'function' ? reply(req) : reply;
      });
    },
    dropConnections: dropAll,
    close: () =>
      new Promise<void>((resolve) => {
        for (const sh of shells.values()) for (const c of sh.commands.values()) if (c.timer) clearTimeout(c.timer);
        dropAll();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

function responseXml(action: string, relatesTo: string, inner: string): string {
  return (
    `<s:Envelope xml:lang="es-ES" xmlns:s="${NS.s}" xmlns:a="${NS.a}" xmlns:x="${NS.x}" xmlns:w="${NS.w}" xmlns:rsp="${NS.rsp}" xmlns:p="${NS.p}">` +
    `<s:Header><a:Action>${xmlEscape(action)}</a:Action><a:MessageID>uuid:${randomUUID().toUpperCase()}</a:MessageID>` +
    `<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To><a:RelatesTo>${xmlEscape(relatesTo)}</a:RelatesTo></s:Header>` +
    `<s:Body>${inner}</s:Body></s:Envelope>`
  );
}

function faultXml(relatesTo: string, f: Fault, machine: string): string {
  return (
    `<s:Envelope xml:lang="es-ES" xmlns:s="${NS.s}" xmlns:a="${NS.a}" xmlns:x="${NS.x}" xmlns:w="${NS.w}" xmlns:e="http://schemas.xmlsoap.org/ws/2004/08/eventing" xmlns:n="http://schemas.xmlsoap.org/ws/2004/09/enumeration">` +
    `<s:Header><a:Action>http://schemas.dmtf.org/wbem/wsman/1/wsman/fault</a:Action><a:MessageID>uuid:${randomUUID().toUpperCase()}</a:MessageID>` +
    `<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>${relatesTo ? `<a:RelatesTo>${xmlEscape(relatesTo)}</a:RelatesTo>` : ''}</s:Header>` +
    `<s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>${xmlEscape(f.subcode)}</s:Value></s:Subcode></s:Code>` +
    `<s:Reason><s:Text xml:lang="">${xmlEscape(f.message)}</s:Text></s:Reason>` +
    `<s:Detail><f:WSManFault xmlns:f="${NS.f}" Code="${xmlEscape(f.code)}" Machine="${xmlEscape(machine)}"><f:Message>${xmlEscape(f.message)}</f:Message></f:WSManFault></s:Detail>` +
    `</s:Fault></s:Body></s:Envelope>`
  );
}
