// Who may read the live page: token checks (constant-time compare, query then cookie, Bearer),
// loopback Host names only when there is no token, read-only methods.
import { expect } from 'chai';
import { decide, isLoopback, newToken, parseListen, tokenMatches, TOKEN_COOKIE } from '../../../grader/watch/access.js';

const TOKEN = 'k3y-Of-The-Session_0123456789abcdefABCDEF';
const req = (url: string, headers: Record<string, string> = {}, method = 'GET') => ({ method, url, headers });

describe('watch: access', () => {
  it('parses --listen as an IP address and a port, never a name', () => {
    expect(parseListen('127.0.0.1:8750')).to.deep.equal({ host: '127.0.0.1', port: 8750 });
    expect(parseListen('[::1]:0')).to.deep.equal({ host: '::1', port: 0 });
    expect(parseListen('0.0.0.0:80')).to.deep.equal({ host: '0.0.0.0', port: 80 });
    for (const bad of ['localhost:8750', '127.0.0.1', '127.0.0.1:70000', '::1:8750', '999.1.1.1:1', 'http://127.0.0.1:1', '[127.0.0.1]:1', '1.2.3.4:']) {
      expect(parseListen(bad), bad).to.equal(null);
    }
  });

  it('knows loopback addresses', () => {
    expect(isLoopback('127.0.0.1')).to.equal(true);
    expect(isLoopback('127.3.2.1')).to.equal(true);
    expect(isLoopback('::1')).to.equal(true);
    expect(isLoopback('0.0.0.0')).to.equal(false);
    expect(isLoopback('192.168.1.5')).to.equal(false);
    expect(isLoopback('::')).to.equal(false);
  });

  it('makes long random tokens', () => {
    const a = newToken();
    expect(a).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).to.not.equal(a);
  });

  it('compares tokens exactly (any length, empty never matches)', () => {
    expect(tokenMatches(TOKEN, TOKEN)).to.equal(true);
    expect(tokenMatches(`${TOKEN}x`, TOKEN)).to.equal(false);
    expect(tokenMatches(TOKEN.slice(0, -1), TOKEN)).to.equal(false);
    expect(tokenMatches(TOKEN.toLowerCase(), TOKEN)).to.equal(false);
    expect(tokenMatches('', TOKEN)).to.equal(false);
    expect(tokenMatches(undefined, TOKEN)).to.equal(false);
    expect(tokenMatches('', '')).to.equal(false);
  });

  it('with a token: nothing without it, a wrong one is refused', () => {
    const o = { token: TOKEN, port: 8750 };
    expect(decide(req('/'), o)).to.deep.equal({ ok: false, status: 401 });
    expect(decide(req('/state.json'), o)).to.deep.equal({ ok: false, status: 401 });
    expect(decide(req('/events', { cookie: `${TOKEN_COOKIE}=nope` }), o)).to.deep.equal({ ok: false, status: 401 });
    expect(decide(req('/?token=nope'), o)).to.deep.equal({ ok: false, status: 401 });
    expect(decide(req('/', { authorization: 'Bearer nope' }), o)).to.deep.equal({ ok: false, status: 401 });
    expect(decide(req('/', { authorization: `Basic ${TOKEN}` }), o)).to.deep.equal({ ok: false, status: 401 });
    // The Host does not matter with a token (a rebinding page never has the cookie).
    expect(decide(req('/', { host: 'evil.example:8750' }), o)).to.deep.equal({ ok: false, status: 401 });
  });

  it('with a token: ?token= sets the cookie and drops the token from the address; then cookie or Bearer', () => {
    const o = { token: TOKEN, port: 8750 };
    const first = decide(req(`/?token=${TOKEN}&x=1`), o);
    expect(first).to.deep.equal({ ok: true, setCookie: `${TOKEN_COOKIE}=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`, redirect: '/?x=1' });
    expect(decide(req('/state.json', { cookie: `a=b; ${TOKEN_COOKIE}=${TOKEN}` }), o)).to.deep.equal({ ok: true });
    expect(decide(req('/state.json', { authorization: `Bearer ${TOKEN}` }), o)).to.deep.equal({ ok: true });
  });

  it('read-only: anything but GET and HEAD is 405, before any other check', () => {
    for (const m of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']) {
      expect(decide(req('/', { authorization: `Bearer ${TOKEN}` }, m), { token: TOKEN, port: 1 })).to.deep.equal({ ok: false, status: 405 });
      expect(decide(req('/', { host: '127.0.0.1:1' }, m), { token: null, port: 1 })).to.deep.equal({ ok: false, status: 405 });
    }
    expect(decide(req('/', { host: '127.0.0.1:1' }, 'HEAD'), { token: null, port: 1 })).to.deep.equal({ ok: true });
  });

  it('without a token (loopback): only a loopback Host with our port (no DNS rebinding)', () => {
    const o = { token: null, port: 8750 };
    for (const host of ['127.0.0.1:8750', 'localhost:8750', 'LOCALHOST:8750', '[::1]:8750', '127.0.0.2:8750']) expect(decide(req('/', { host }), o), host).to.deep.equal({ ok: true });
    for (const host of ['evil.example:8750', '127.0.0.1:8751', '10.0.0.1:8750', 'localhost.evil.example:8750', '']) expect(decide(req('/', { host }), o), host).to.deep.equal({ ok: false, status: 403 });
    expect(decide(req('/'), o)).to.deep.equal({ ok: false, status: 403 });
  });
});
