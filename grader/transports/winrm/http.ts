// A deliberately small HTTP/1.1 client bound to ONE socket at a time. NTLM authenticates a TCP
// connection, not a request, so the WinRM client must know exactly which connection each request
// travels on: Node's pooled agents hide that. This channel sends one request at a time on its
// socket (keep-alive), reconnects when the socket is gone (and bumps `generation`, so the auth layer
// knows it must authenticate again), bounds headers and bodies, and enforces a deadline per request.
// The socket comes from net/tls or from a caller's `createSocket` hook (a pipe through a network
// namespace, an SSH port forward...), in which case TLS runs on top of the given stream.
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { TransportError } from '../../types.js';

export type HttpErrorCode = 'refused' | 'unreachable' | 'timeout' | 'closed' | 'tls' | 'protocol';

export class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface HttpEndpointOptions {
  host: string;
  port: number;
  scheme: 'http' | 'https';
  /** PEM CA bundle trusted for HTTPS (instead of the system store). */
  ca?: string | Buffer;
  insecureSkipVerify?: boolean;
  /** Returns an already-connected byte stream to host:port (TLS is layered on top for https). */
  createSocket?: () => Duplex | Promise<Duplex>;
  connectTimeoutMs?: number;
  /** Upper bound of one response body (protects memory against hostile servers). */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: Buffer;
}

const MAX_HEADER_BYTES = 64 * 1024;
/** A chunk-size line (hex size and extensions) longer than this is not HTTP (RFC 9112 sets no limit; servers send a few bytes). */
export const MAX_CHUNK_LINE_BYTES = 4096;

interface Pending {
  resolve: (r: HttpResponse) => void;
  reject: (e: Error) => void;
}

export class HttpChannel {
  private socket: Duplex | null = null;
  private connecting: Promise<Duplex> | null = null;
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes the buffer must hold before parsing again can complete anything (no re-parse per read). */
  private waitFor = 0;
  private pending: Pending | null = null;
  private busy: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Incremented on every new connection: authentication state belongs to one generation. */
  generation = 0;
  /** DER of the server certificate of the current TLS connection (for channel bindings). */
  peerCertificate: Buffer | null = null;

  constructor(readonly opts: HttpEndpointOptions) {}

  get connected(): boolean {
    return this.socket !== null;
  }

  /** Sends one request (serialized with any other in flight) and reads the whole response. */
  request(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: Buffer,
    timeoutMs: number,
  ): Promise<HttpResponse> {
    const run = this.busy.then(
      () => this.doRequest(method, path, headers, body, timeoutMs),
      () => this.doRequest(method, path, headers, body, timeoutMs),
    );
    this.busy = run.catch(() => undefined);
    return run;
  }

  /** Drops the current connection (the next request opens a new one). */
  reset(): void {
    const s = this.socket;
    this.socket = null;
    this.buf = Buffer.alloc(0);
    this.waitFor = 0;
    this.peerCertificate = null;
    if (s) s.destroy();
  }

  close(): void {
    this.closed = true;
    this.reset();
  }

  private async doRequest(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: Buffer,
    timeoutMs: number,
  ): Promise<HttpResponse> {
    if (this.closed) throw new HttpError('closed', 'connection closed');
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.reset();
        reject(new HttpError('timeout', `no answer within ${timeoutMs} ms`));
      }, Math.max(1, timeoutMs));
    });
    try {
      const socket = await Promise.race([this.ensureSocket(deadline), timeout]);
      const hostHeader = this.opts.host.includes(':') ? `[${this.opts.host}]` : this.opts.host;
      const defaultPort = this.opts.scheme === 'https' ? 443 : 80;
      const lines = [
        `${method} ${path} HTTP/1.1`,
        `Host: ${hostHeader}${this.opts.port === defaultPort ? '' : `:${this.opts.port}`}`,
        'Connection: Keep-Alive',
        `Content-Length: ${body.length}`,
      ];
      for (const [k, v] of Object.entries(headers)) {
        if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw new HttpError('protocol', 'invalid header');
        lines.push(`${k}: ${v}`);
      }
      const response = new Promise<HttpResponse>((resolve, reject) => {
        this.pending = { resolve, reject };
      });
      socket.write(Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body]));
      this.tryParse();
      return await Promise.race([response, timeout]);
    } finally {
      clearTimeout(timer);
      this.pending = null;
    }
  }

  private async ensureSocket(deadline: number): Promise<Duplex> {
    if (this.socket) return this.socket;
    if (!this.connecting) {
      this.connecting = this.connect(deadline).finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private async connect(deadline: number): Promise<Duplex> {
    const o = this.opts;
    const connectTimeout = Math.min(o.connectTimeoutMs ?? 10_000, Math.max(1, deadline - Date.now()));
    let raw: Duplex | undefined;
    if (o.createSocket) {
      try {
        raw = await o.createSocket();
      } catch (e) {
        // Stream openers (grader/transports/stream.ts) already say refused/unreachable/timeout.
        if (e instanceof TransportError) throw e;
        throw new HttpError('unreachable', (e as Error).message);
      }
    }
    const socket = await new Promise<Duplex>((resolve, reject) => {
      let s: net.Socket | tls.TLSSocket;
      const timer = setTimeout(() => {
        s.destroy();
        reject(new HttpError('timeout', `connection not established within ${connectTimeout} ms`));
      }, connectTimeout);
      const fail = (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(mapSocketError(e));
      };
      if (o.scheme === 'https') {
        const servername = net.isIP(o.host) ? undefined : o.host;
        s = tls.connect({
          ...(raw ? { socket: raw } : { host: o.host, port: o.port }),
          ...(servername ? { servername } : {}),
          ...(o.ca ? { ca: o.ca } : {}),
          rejectUnauthorized: !o.insecureSkipVerify,
          ALPNProtocols: ['http/1.1'],
        });
        s.once('secureConnect', () => {
          clearTimeout(timer);
          s.removeListener('error', fail);
          const cert = (s as tls.TLSSocket).getPeerX509Certificate();
          this.peerCertificate = cert ? cert.raw : null;
          resolve(s);
        });
      } else if (raw) {
        clearTimeout(timer);
        resolve(raw);
        return;
      } else {
        s = net.connect({ host: o.host, port: o.port });
        s.once('connect', () => {
          clearTimeout(timer);
          s.removeListener('error', fail);
          resolve(s);
        });
      }
      s.once('error', fail);
    });
    if (socket instanceof net.Socket) socket.setNoDelay(true);
    this.socket = socket;
    this.buf = Buffer.alloc(0);
    this.generation++;
    socket.on('data', (d: Buffer) => {
      if (this.socket !== socket) return;
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      if (this.buf.length < this.waitFor) return;
      this.tryParse();
    });
    const gone = (e?: NodeJS.ErrnoException) => {
      if (this.socket !== socket) return;
      this.socket = null;
      // A body delimited by the end of the connection is complete now.
      this.tryParse(true);
      if (this.pending) {
        this.pending.reject(
          e ? mapSocketError(e, true) : new HttpError('closed', 'the server closed the connection'),
        );
        this.pending = null;
      }
    };
    socket.on('error', gone);
    socket.on('end', () => gone());
    socket.on('close', () => gone());
    return socket;
  }

  /** Parses a complete response out of the buffer, if there is one, and hands it to the pending request. */
  private tryParse(ended = false): void {
    this.waitFor = 0;
    if (!this.pending) return;
    const headEnd = this.buf.indexOf('\r\n\r\n');
    if (headEnd < 0) {
      if (this.buf.length > MAX_HEADER_BYTES) this.fail(new HttpError('protocol', 'response headers too large'));
      return;
    }
    const head = this.buf.subarray(0, headEnd).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
    if (!m) return this.fail(new HttpError('protocol', 'not an HTTP response'));
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const k = line.indexOf(':');
      if (k <= 0) continue;
      const name = line.slice(0, k).trim().toLowerCase();
      const value = line.slice(k + 1).trim();
      headers[name] = headers[name] ? `${headers[name]}, ${value}` : value;
    }
    let rest = this.buf.subarray(headEnd + 4);
    if (status >= 100 && status < 200) {
      this.buf = rest;
      return this.tryParse(ended);
    }
    const max = this.opts.maxBodyBytes ?? 64 * 1024 * 1024;
    let body: Buffer;
    let consumed: number;
    if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) {
      const parts: Buffer[] = [];
      let p = 0;
      let total = 0;
      for (;;) {
        // The size line is bounded: a line that never ends is refused, not re-scanned on every read.
        const eol = rest.indexOf('\r\n', p);
        if ((eol < 0 ? rest.length : eol) - p > MAX_CHUNK_LINE_BYTES) return this.fail(new HttpError('protocol', 'chunk size line too long'));
        if (eol < 0) return ended ? this.fail(new HttpError('closed', 'response cut short')) : undefined;
        const line = /^([0-9a-fA-F]{1,15})[ \t]*(;.*)?$/.exec(rest.subarray(p, eol).toString('latin1'));
        const size = line ? parseInt(line[1]!, 16) : NaN;
        if (!Number.isFinite(size) || size < 0) return this.fail(new HttpError('protocol', 'bad chunk size'));
        total += size;
        if (total > max) return this.fail(new HttpError('protocol', 'response body too large'));
        if (size === 0) {
          const trailerEnd = rest.indexOf('\r\n\r\n', eol);
          if (trailerEnd < 0 && rest.length - eol > MAX_HEADER_BYTES) return this.fail(new HttpError('protocol', 'response trailers too large'));
          if (trailerEnd < 0 && rest.length < eol + 4) return ended ? this.fail(new HttpError('closed', 'response cut short')) : undefined;
          consumed = trailerEnd >= 0 ? trailerEnd + 4 : eol + 4;
          break;
        }
        if (rest.length < eol + 2 + size + 2) {
          if (ended) return this.fail(new HttpError('closed', 'response cut short'));
          // Nothing completes before this chunk's last byte has arrived.
          this.waitFor = headEnd + 4 + eol + 2 + size + 2;
          return;
        }
        parts.push(rest.subarray(eol + 2, eol + 2 + size));
        p = eol + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    } else if (headers['content-length'] !== undefined) {
      const len = Number(headers['content-length']);
      if (!Number.isInteger(len) || len < 0) return this.fail(new HttpError('protocol', 'bad Content-Length'));
      if (len > max) return this.fail(new HttpError('protocol', 'response body too large'));
      if (rest.length < len) {
        if (ended) return this.fail(new HttpError('closed', 'response cut short'));
        this.waitFor = headEnd + 4 + len;
        return;
      }
      body = Buffer.from(rest.subarray(0, len));
      consumed = len;
    } else if (status === 204 || status === 304) {
      body = Buffer.alloc(0);
      consumed = 0;
    } else {
      // Delimited by the end of the connection.
      if (rest.length > max) return this.fail(new HttpError('protocol', 'response body too large'));
      if (!ended) return;
      body = Buffer.from(rest);
      consumed = rest.length;
    }
    rest = rest.subarray(consumed);
    this.buf = Buffer.from(rest);
    const pending = this.pending;
    this.pending = null;
    if (/\bclose\b/i.test(headers['connection'] ?? '')) this.reset();
    pending.resolve({ status, headers, body });
  }

  private fail(e: HttpError): void {
    const p = this.pending;
    this.pending = null;
    this.reset();
    p?.reject(e);
  }
}

function mapSocketError(e: NodeJS.ErrnoException, established = false): HttpError {
  const code = e.code ?? '';
  if (e instanceof HttpError) return e;
  if (code === 'ECONNREFUSED') return new HttpError('refused', 'connection refused');
  if (code === 'ETIMEDOUT') return new HttpError('timeout', 'connection timed out');
  if (['EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTDOWN'].includes(code)) {
    return new HttpError('unreachable', `${code}: ${e.message}`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new HttpError('closed', established ? 'the server reset the connection' : 'connection reset');
  }
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /certificate|self[- ]signed|ssl|tls/i.test(`${code} ${e.message}`)) {
    return new HttpError('tls', `${code ? `${code}: ` : ''}${e.message}`);
  }
  return new HttpError(established ? 'closed' : 'unreachable', `${code ? `${code}: ` : ''}${e.message}`);
}
