// Sends WS-Management SOAP messages to one WinRM endpoint: HTTP on one kept-alive connection,
// authentication (NTLMv2 over the `Negotiate` scheme, or Basic), NTLM message encryption over plain
// HTTP ([MS-WSMV] 2.2.9.1.1) and the mapping of every failure to a TransportError with a clear,
// localized message. The password is only used to compute NTLM responses or the Basic header and is
// never part of any message or error.
import type { Lang, TransportErrorCode } from '../../types.js';
import { TransportError } from '../../types.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/winrm.js';
import en from '../../i18n/en/winrm.js';
import { HttpChannel, HttpError, type HttpEndpointOptions, type HttpResponse } from './http.js';
import { buildAuthenticate, buildNegotiate, NtlmError, parseChallenge, SessionSecurity } from './ntlm.js';
import { decryptMessage, encryptMessage, ENCRYPTED_CONTENT_TYPE, isEncryptedContentType } from './encryption.js';
import { tlsServerEndPoint } from './cbt.js';
import { faultOf, parseXml, SoapParseError, WsmanFault, type XmlNode } from './soap.js';

export const t = translator(es, en);
type Key = keyof typeof es;

export interface WsmanClientOptions extends HttpEndpointOptions {
  user: string;
  /** Already resolved; never logged. */
  password: string;
  auth: 'ntlm' | 'basic';
  /** Basic over plain HTTP sends the password in clear: refused unless this is set. */
  allowBasicOverHttp?: boolean;
  /** URL path of the service (default `/wsman`). */
  path?: string;
  /** Send a channel binding token over HTTPS (default true, as Windows clients do). */
  channelBindings?: boolean;
  lang?: Lang;
  /** Shown in errors, e.g. `winrm alumno@192.168.101.130:5985`. */
  target: string;
}

const SOAP_CONTENT_TYPE = 'application/soap+xml;charset=UTF-8';

export class WsmanClient {
  readonly http: HttpChannel;
  readonly url: string;
  private readonly lang: Lang;
  private sec: SessionSecurity | null = null;
  /** HTTP generation (connection) the NTLM context belongs to; -1 = not authenticated. */
  private authGeneration = -1;

  constructor(readonly opts: WsmanClientOptions) {
    this.lang = opts.lang ?? 'en';
    const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    this.url = `${opts.scheme}://${host}:${opts.port}${opts.path ?? '/wsman'}`;
    this.http = new HttpChannel(opts);
    if (opts.auth === 'basic' && opts.scheme === 'http' && !opts.allowBasicOverHttp) {
      throw this.error('config', 'basicOverHttp');
    }
  }

  error(code: TransportErrorCode, key: Key, params: Record<string, string | number> = {}): TransportError {
    return new TransportError(code, this.opts.target, t(this.lang, key, params));
  }

  private get encrypting(): boolean {
    return this.opts.auth === 'ntlm' && this.opts.scheme === 'http';
  }

  /** Maps low-level failures to TransportError; passes TransportError and WsmanFault through. */
  mapError(e: unknown): Error {
    if (e instanceof TransportError || e instanceof WsmanFault) return e;
    if (e instanceof HttpError) {
      switch (e.code) {
        case 'refused':
          return this.error('refused', 'refused', { port: this.opts.port });
        case 'unreachable':
          return this.error('unreachable', 'unreachable', { detail: e.message });
        case 'timeout':
          return this.error('timeout', 'timeout', { ms: e.message.match(/\d+/)?.[0] ?? '?' });
        case 'closed':
          return this.error('unreachable', 'closed', { detail: e.message });
        case 'tls':
          return this.error('protocol', 'tls', { detail: e.message });
        default:
          return this.error('protocol', 'protocol', { detail: e.message });
      }
    }
    if (e instanceof NtlmError || e instanceof SoapParseError) {
      return this.error('protocol', 'protocol', { detail: e.message });
    }
    return this.error('protocol', 'protocol', { detail: (e as Error)?.message ?? String(e) });
  }

  /**
   * Sends one SOAP envelope and returns the parsed response envelope. A SOAP fault is thrown as
   * WsmanFault (the shell layer decides which faults are expected, e.g. Receive timeouts).
   */
  async send(xml: string, timeoutMs: number): Promise<XmlNode> {
    const deadline = Date.now() + timeoutMs;
    try {
      let res = await this.post(Buffer.from(xml, 'utf8'), deadline);
      if (res.status === 401 && this.opts.auth === 'ntlm') {
        // The connection was replaced under us (the server closed it): authenticate again, once.
        this.sec = null;
        this.authGeneration = -1;
        res = await this.post(Buffer.from(xml, 'utf8'), deadline);
      }
      return this.readResponse(res);
    } catch (e) {
      throw this.mapError(e);
    }
  }

  private remaining(deadline: number): number {
    const ms = deadline - Date.now();
    if (ms <= 0) throw new HttpError('timeout', `no answer within ${Math.max(0, ms)} ms`);
    return ms;
  }

  private async post(plain: Buffer, deadline: number): Promise<HttpResponse> {
    const path = this.opts.path ?? '/wsman';
    if (this.opts.auth === 'basic') {
      const token = Buffer.from(`${this.opts.user}:${this.opts.password}`, 'utf8').toString('base64');
      const res = await this.http.request(
        'POST',
        path,
        { Authorization: `Basic ${token}`, 'Content-Type': SOAP_CONTENT_TYPE, 'User-Agent': 'labgrade WinRM' },
        plain,
        this.remaining(deadline),
      );
      if (res.status === 401) throw this.authFailure(res, 'Basic');
      return res;
    }
    if (!this.sec || this.authGeneration !== this.http.generation || !this.http.connected) {
      await this.authenticate(deadline);
    }
    const sec = this.sec!;
    const body = this.encrypting ? encryptMessage(sec, plain) : plain;
    const res = await this.http.request(
      'POST',
      path,
      {
        'Content-Type': this.encrypting ? ENCRYPTED_CONTENT_TYPE : SOAP_CONTENT_TYPE,
        'User-Agent': 'labgrade WinRM',
      },
      body,
      this.remaining(deadline),
    );
    if (this.http.generation !== this.authGeneration) {
      // The request went out on a fresh, unauthenticated connection.
      this.sec = null;
    }
    return res;
  }

  /** NTLM handshake on the current connection with empty bodies (as pywinrm and Windows clients do). */
  private async authenticate(deadline: number): Promise<void> {
    const path = this.opts.path ?? '/wsman';
    this.sec = null;
    const negotiate = buildNegotiate();
    const headers = { 'Content-Type': SOAP_CONTENT_TYPE, 'User-Agent': 'labgrade WinRM' };
    const r1 = await this.http.request(
      'POST',
      path,
      { ...headers, Authorization: `Negotiate ${negotiate.toString('base64')}` },
      Buffer.alloc(0),
      this.remaining(deadline),
    );
    const generation = this.http.generation;
    const offered = r1.headers['www-authenticate'] ?? '';
    const m = /(?:^|,\s*)(Negotiate|NTLM)\s+([A-Za-z0-9+/=]+)/i.exec(offered);
    if (r1.status !== 401 || !m) {
      if (r1.status === 401) throw this.authFailure(r1, 'NTLM');
      throw this.error('protocol', 'protocol', { detail: `HTTP ${r1.status} to an NTLM NEGOTIATE message` });
    }
    const scheme = m[1]!;
    const challenge = parseChallenge(Buffer.from(m[2]!, 'base64'));
    const cert = this.opts.scheme === 'https' && this.opts.channelBindings !== false ? this.http.peerCertificate : null;
    const auth = await buildAuthenticate({
      user: this.opts.user,
      password: this.opts.password,
      negotiate,
      challenge,
      channelBindings: cert ? tlsServerEndPoint(cert) : null,
      spn: `HTTP/${this.opts.host}`,
    });
    const r2 = await this.http.request(
      'POST',
      path,
      { ...headers, Authorization: `${scheme} ${auth.message.toString('base64')}` },
      Buffer.alloc(0),
      this.remaining(deadline),
    );
    if (r2.status === 401) throw this.error('auth', 'authRejected', { user: this.opts.user });
    if (this.http.generation !== generation) {
      throw this.error('protocol', 'protocol', { detail: 'the server closed the connection during NTLM authentication' });
    }
    if (r2.status >= 400 && r2.status !== 500) {
      throw this.error('protocol', 'httpStatus', { status: r2.status, detail: '' });
    }
    this.sec = new SessionSecurity(auth.flags, auth.exportedSessionKey, 'client');
    this.authGeneration = generation;
  }

  private authFailure(res: HttpResponse, wanted: string): TransportError {
    const offered = (res.headers['www-authenticate'] ?? '')
      .split(',')
      .map((s) => s.trim().split(/\s+/)[0])
      .filter(Boolean);
    const wantedSchemes = wanted === 'Basic' ? ['basic'] : ['negotiate', 'ntlm'];
    if (offered.length && !offered.some((o) => wantedSchemes.includes(o!.toLowerCase()))) {
      return this.error('auth', 'authNotOffered', { wanted, offered: offered.join(', ') });
    }
    return this.error('auth', 'authRejected', { user: this.opts.user });
  }

  private readResponse(res: HttpResponse): XmlNode {
    let body: Buffer = res.body;
    if (isEncryptedContentType(res.headers['content-type'])) {
      if (!this.sec) throw this.error('protocol', 'protocol', { detail: 'encrypted answer without an NTLM context' });
      body = decryptMessage(this.sec, body);
    } else if (this.encrypting && body.length > 0 && res.status === 200) {
      throw this.error('protocol', 'protocol', { detail: 'the server answered without encryption' });
    }
    if (res.status === 401) {
      throw this.error('auth', 'authRejected', { user: this.opts.user });
    }
    const xml = body.toString('utf8');
    if (res.status !== 200) {
      if (xml.trim().startsWith('<')) {
        let env: XmlNode | null = null;
        try {
          env = parseXml(xml);
        } catch {
          env = null;
        }
        const fault = env ? faultOf(env, res.status) : null;
        if (fault) throw fault;
      }
      if (res.status === 400 && this.opts.scheme === 'http' && !this.encrypting) {
        throw this.error('protocol', 'unencryptedRefused');
      }
      const detail = xml.trim() ? `: ${xml.trim().replace(/\s+/g, ' ').slice(0, 200)}` : '';
      throw this.error('protocol', 'httpStatus', { status: res.status, detail });
    }
    const env = parseXml(xml);
    const fault = faultOf(env, res.status);
    if (fault) throw fault;
    return env;
  }

  close(): void {
    this.http.close();
    this.sec = null;
  }
}
