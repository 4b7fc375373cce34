// The HTTP side of `labgrade watch` (node:http, nothing else): the live page (reports/live.ts),
// /state.json (the same data, for scripts), /events (Server-Sent Events: `state` when a student's
// grading starts or ends, `round` when a round closes; each carries the whole state) and
// /students/<id>.html (that student's latest report, as batch wrote it). Read-only: GET and HEAD,
// 405 for anything else; every request passes grader/watch/access.ts first, so nothing about the
// class leaves without the token (or, on loopback, without a loopback Host).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lang } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/watch.js';
import en from '../i18n/en/watch.js';
import { REPORT_CSP, liveCsp, renderLivePage } from '../../reports/live.js';
import { decide, type Listen } from './access.js';
import type { WatchSnapshot } from './state.js';

const t = translator(es, en);

export interface WatchServerOptions {
  listen: Listen;
  /** null: loopback without a token. */
  token: string | null;
  lang: Lang;
  outDir: string;
  /** Roster ids: the only report names served. */
  ids: ReadonlySet<string>;
  snapshot: () => WatchSnapshot;
  /** SSE keep-alive comment interval (ms). */
  keepAliveMs?: number;
}

export interface WatchServer {
  server: Server;
  /** The port actually bound (listen.port 0 = any free one). */
  port: number;
  /** Sends a state to every connected page. */
  publish: (event: 'state' | 'round', snap: WatchSnapshot) => void;
  clients: () => number;
  close: () => Promise<void>;
}

const COMMON_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

export async function startWatchServer(opts: WatchServerOptions): Promise<WatchServer> {
  const clients = new Set<ServerResponse>();
  let port = opts.listen.port;
  const lang = opts.lang;

  const text = (res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}, head = false) => {
    res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': "default-src 'none'", ...extra });
    res.end(head ? undefined : `${body}\n`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const access = decide({ method, url, headers: { host: req.headers.host, cookie: req.headers.cookie, authorization: req.headers.authorization } }, { token: opts.token, port });
    const head = method === 'HEAD';
    if (!access.ok) {
      if (access.status === 405) return text(res, 405, t(lang, 'httpMethod'), { Allow: 'GET, HEAD' });
      if (access.status === 403) return text(res, 403, t(lang, 'httpForbidden'), {}, head);
      return text(res, 401, t(lang, 'httpUnauthorized'), {}, head);
    }
    if ('redirect' in access) {
      res.writeHead(303, { ...COMMON_HEADERS, Location: access.redirect, 'Set-Cookie': access.setCookie, 'Content-Security-Policy': "default-src 'none'" });
      return res.end();
    }
    const path = new URL(url, 'http://x').pathname;
    if (path === '/' || path === '/index.html') {
      const nonce = randomBytes(18).toString('base64');
      const body = renderLivePage(opts.snapshot(), { lang, nonce });
      res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': liveCsp(nonce) });
      return res.end(head ? undefined : body);
    }
    if (path === '/state.json') {
      res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Security-Policy': "default-src 'none'" });
      return res.end(head ? undefined : `${JSON.stringify(opts.snapshot(), null, 2)}\n`);
    }
    if (path === '/events') {
      res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', 'Content-Security-Policy': "default-src 'none'" });
      if (head) return res.end();
      res.write(`retry: 2000\nevent: state\ndata: ${JSON.stringify(opts.snapshot())}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    const m = /^\/students\/([^/]+)\.html$/.exec(path);
    if (m) {
      let id: string;
      try {
        id = decodeURIComponent(m[1]!);
      } catch {
        return text(res, 404, t(lang, 'httpNotFound'), {}, head);
      }
      // Only a roster id names a file (no path from the request reaches the file system).
      if (!opts.ids.has(id)) return text(res, 404, t(lang, 'httpNotFound'), {}, head);
      let body: Buffer;
      try {
        body = await readFile(join(opts.outDir, 'students', `${id}.html`));
      } catch {
        return text(res, 404, t(lang, 'httpNotFound'), {}, head);
      }
      res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': REPORT_CSP });
      return res.end(head ? undefined : body);
    }
    return text(res, 404, t(lang, 'httpNotFound'), {}, head);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) text(res, 500, '');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listen.port, opts.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  if (addr && typeof addr === 'object') port = addr.port;
  const keepAlive = setInterval(() => {
    for (const c of clients) c.write(': keep-alive\n\n');
  }, opts.keepAliveMs ?? 15_000);
  keepAlive.unref();

  return {
    server,
    port,
    publish: (event, snap) => {
      if (clients.size === 0) return;
      const frame = `event: ${event}\ndata: ${JSON.stringify(snap)}\n\n`;
      for (const c of clients) c.write(frame);
    },
    clients: () => clients.size,
    close: async () => {
      clearInterval(keepAlive);
      for (const c of clients) c.end();
      clients.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The address to print: the page's URL, with the token when there is one. */
export function pageUrl(listen: Listen, port: number, token: string | null): string {
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return `http://${host}:${port}/${token ? `?token=${token}` : ''}`;
}
