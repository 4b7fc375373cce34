// Who may read `labgrade watch`'s page. On a loopback address (the default, 127.0.0.1) anyone on
// this machine, but only through a loopback Host name (a web page elsewhere cannot rebind a DNS
// name to 127.0.0.1 and read the class). On any other address a random token, printed at start,
// is needed on every request: `?token=` on the first load (then a cookie, HttpOnly, SameSite=Strict)
// or `Authorization: Bearer <token>` for scripts; compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export const TOKEN_COOKIE = 'labgrade_watch';

export interface Listen {
  host: string;
  port: number;
}

/** "127.0.0.1:8750", "[::1]:8750", "0.0.0.0:8750" (an IP address, never a name); port 0 = any free one. */
export function parseListen(value: string): Listen | null {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(value.trim());
  if (!m) return null;
  const host = m[1] ?? m[2]!;
  const port = Number(m[3]);
  if (port > 65535) return null;
  if (m[1] !== undefined ? isIP(host) !== 6 : isIP(host) !== 4) return null;
  return { host, port };
}

export function isLoopback(host: string): boolean {
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || /^(0{0,4}:){7}0{0,3}1$/.test(host);
  return false;
}

/** 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison (of fixed-length digests, so the length leaks nothing either). */
export function tokenMatches(given: string | undefined | null, token: string): boolean {
  if (typeof given !== 'string' || given === '' || token === '') return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(token, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export interface AccessRequest {
  method: string;
  /** Path and query as sent (req.url). */
  url: string;
  headers: { host?: string | undefined; cookie?: string | undefined; authorization?: string | undefined };
}

export type AccessDecision =
  | { ok: true }
  /** A valid ?token=: set the cookie and send the browser to the same address without the token. */
  | { ok: true; setCookie: string; redirect: string }
  | { ok: false; status: 401 | 403 | 405 };

/**
 * The decision for one request. `token` null: loopback, no token (then the Host header must be a
 * loopback name or address). Only GET and HEAD are ever allowed: nothing on the page changes anything.
 */
export function decide(req: AccessRequest, opts: { token: string | null; port: number }): AccessDecision {
  if (req.method !== 'GET' && req.method !== 'HEAD') return { ok: false, status: 405 };
  if (opts.token === null) return loopbackHost(req.headers.host, opts.port) ? { ok: true } : { ok: false, status: 403 };
  const u = new URL(req.url, 'http://x');
  const fromQuery = u.searchParams.get('token');
  if (fromQuery !== null) {
    if (!tokenMatches(fromQuery, opts.token)) return { ok: false, status: 401 };
    u.searchParams.delete('token');
    const rest = u.searchParams.toString();
    return { ok: true, setCookie: `${TOKEN_COOKIE}=${opts.token}; HttpOnly; SameSite=Strict; Path=/`, redirect: `${u.pathname}${rest ? `?${rest}` : ''}` };
  }
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m && tokenMatches(m[1], opts.token) ? { ok: true } : { ok: false, status: 401 };
  }
  return tokenMatches(cookieValue(req.headers.cookie, TOKEN_COOKIE), opts.token) ? { ok: true } : { ok: false, status: 401 };
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

/** Host: 127.x.y.z, [::1] or localhost, with our port. */
function loopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const m = /^(?:\[([0-9A-Fa-f:]+)\]|([^:]+))(?::(\d+))?$/.exec(host.trim());
  if (!m) return false;
  if (m[3] !== undefined && Number(m[3]) !== port) return false;
  if (m[3] === undefined && port !== 80) return false;
  const name = (m[1] ?? m[2]!).toLowerCase();
  return name === 'localhost' || isLoopback(name);
}
