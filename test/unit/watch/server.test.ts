// The live page's HTTP side: read-only, token on every request for a non-loopback address, no data
// without it, strict CSP, /state.json, SSE pushes, reports only by roster id.
import { expect } from 'chai';
import { request } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWatchServer, type WatchServer } from '../../../grader/watch/server.js';
import { WatchState, type WatchSnapshot } from '../../../grader/watch/state.js';
import { loadRoster } from '../../../grader/batch/roster.js';
import { writeFiles } from '../batch/helpers.js';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('watch: the page server', function () {
  this.timeout(20_000);
  let dir: string;
  let snap: WatchSnapshot;
  const servers: WatchServer[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labgrade-watch-srv-'));
    await writeFiles(dir, {
      'answers/ana.yaml': 'student: { name: Ana }\n',
      'roster.yaml': 'defaults:\n  answers: answers/{id}.yaml\nstudents:\n  - { id: ana, name: "Ana <b>López</b>", email: ana@x.org, lab: { uri: "qemu:///system", vms: { linux: { domain: d, access: [agent] } } } }\n',
    });
    const roster = await loadRoster(join(dir, 'roster.yaml'), 'en');
    snap = new WatchState(roster, { exercise: { id: 'ex', title: 'Ex', file: '' }, lang: 'en', version: '0', everySec: 2, stuckAfter: 3, now: () => new Date() }).snapshot();
    await mkdir(join(dir, 'out', 'students'), { recursive: true });
    await writeFile(join(dir, 'out', 'students', 'ana.html'), '<!DOCTYPE html><html><body>report of ana</body></html>');
    await writeFile(join(dir, 'out', 'secret.html'), 'not served');
  });
  after(async () => {
    for (const s of servers) await s.close();
    await rm(dir, { recursive: true, force: true });
  });
  const start = async (token: string | null, host = '127.0.0.1') => {
    const s = await startWatchServer({ listen: { host, port: 0 }, token, lang: 'en', outDir: join(dir, 'out'), ids: new Set(['ana']), snapshot: () => snap });
    servers.push(s);
    return s;
  };

  it('loopback without a token: page with a nonce CSP, state.json, the report; loopback Host only', async () => {
    const s = await start(null);
    const host = { host: `127.0.0.1:${s.port}` };
    const page = await get(s.port, '/', host);
    expect(page.status).to.equal(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).to.match(/^default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]+'; style-src 'nonce-[A-Za-z0-9+/=]+'; connect-src 'self'/);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    // Every script and style element carries the nonce (or is inert JSON).
    for (const m of page.body.matchAll(/<(script|style)([^>]*)>/g)) expect(m[2]!.includes(`nonce="${nonce}"`) || m[2]!.includes('type="application/json"'), m[0]).to.equal(true);
    expect(page.body).to.not.match(/\sstyle="|\son[a-z]+=|https?:\/\//);
    // The roster's name never appears as markup.
    expect(page.body).to.not.include('<b>López</b>');
    expect(page.headers['cache-control']).to.equal('no-store');
    const state = await get(s.port, '/state.json', host);
    expect(state.status).to.equal(200);
    expect(JSON.parse(state.body)).to.deep.equal(JSON.parse(JSON.stringify(snap)));
    expect((await get(s.port, '/students/ana.html', host)).body).to.include('report of ana');
    for (const p of ['/students/bea.html', '/students/..%2Fsecret.html', '/secret.html', '/students/ana.json']) expect((await get(s.port, p, host)).status, p).to.equal(404);
    // A page elsewhere that rebinds its name to 127.0.0.1 gets nothing.
    const rebound = await get(s.port, '/state.json', { host: `evil.example:${s.port}` });
    expect(rebound.status).to.equal(403);
    expect(rebound.body).to.not.include('ana');
  });

  it('read-only: POST, PUT, DELETE are 405 with Allow; HEAD has no body', async () => {
    const s = await start(null);
    const host = { host: `127.0.0.1:${s.port}` };
    for (const m of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await get(s.port, '/state.json', host, m);
      expect(r.status, m).to.equal(405);
      expect(r.headers.allow).to.equal('GET, HEAD');
    }
    const h = await get(s.port, '/state.json', host, 'HEAD');
    expect(h.status).to.equal(200);
    expect(h.body).to.equal('');
  });

  it('with a token: 401 and no student data without it; ?token= gives the cookie; cookie and Bearer work', async () => {
    const token = 'tok-0123456789-abcdefghijklmnopqrstuvwxyz';
    const s = await start(token);
    for (const p of ['/', '/state.json', '/events', '/students/ana.html']) {
      const r = await get(s.port, p);
      expect(r.status, p).to.equal(401);
      expect(r.body, p).to.not.match(/ana|López/);
    }
    expect((await get(s.port, '/state.json', { authorization: 'Bearer wrong' })).status).to.equal(401);
    const first = await get(s.port, `/?token=${token}`);
    expect(first.status).to.equal(303);
    expect(first.headers.location).to.equal('/');
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(String(first.headers['set-cookie'])).to.include('HttpOnly').and.include('SameSite=Strict');
    expect((await get(s.port, '/', { cookie })).status).to.equal(200);
    expect(JSON.parse((await get(s.port, '/state.json', { authorization: `Bearer ${token}` })).body).kind).to.equal('labgrade-watch');
  });

  it('pushes each published state to every open /events stream', async () => {
    const s = await start(null);
    const got: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: s.port, path: '/events', headers: { host: `127.0.0.1:${s.port}` } }, (res) => {
        expect(res.headers['content-type']).to.match(/^text\/event-stream/);
        res.setEncoding('utf8');
        let buf = '';
        res.on('data', (c: string) => {
          buf += c;
          for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const ev = /^event: (\w+)$/m.exec(frame)?.[1];
            if (ev) got.push(ev);
            if (got.length === 1) s.publish('round', { ...snap, round: 7 });
            if (ev === 'round') {
              expect(JSON.parse(/^data: (.*)$/m.exec(frame)![1]!).round).to.equal(7);
              req.destroy();
              resolve();
            }
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(got).to.deep.equal(['state', 'round']);
  });
});
