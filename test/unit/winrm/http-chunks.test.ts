// The WinRM HTTP reader against a hostile server: a chunk-size line that never ends is refused once
// it passes MAX_CHUNK_LINE_BYTES (before, it grew without bound and was re-parsed on every read),
// junk in the size is refused, and a well-formed chunked body sent a byte at a time still parses.
import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { HttpChannel, HttpError, MAX_CHUNK_LINE_BYTES } from '../../../grader/transports/winrm/http.js';

async function server(onRequest: (s: Socket) => void): Promise<{ port: number; close: () => Promise<void> }> {
  const socks = new Set<Socket>();
  const srv: Server = createServer((s) => {
    socks.add(s);
    s.on('error', () => undefined);
    s.once('data', () => onRequest(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as { port: number }).port,
    close: () => new Promise((r) => {
      for (const s of socks) s.destroy();
      srv.close(() => r());
    }),
  };
}

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n';

async function get(port: number): Promise<unknown> {
  const ch = new HttpChannel({ host: '127.0.0.1', port, scheme: 'http' });
  try {
    return await ch.request('POST', '/wsman', {}, Buffer.from('x'), 10_000);
  } catch (e) {
    return e;
  } finally {
    ch.close();
  }
}

describe('winrm/http: bounded chunked reader', function () {
  this.timeout(20_000);

  it('a chunk-size line without CRLF is refused once it passes the bound (the server keeps sending)', async () => {
    let sent = 0;
    const srv = await server((s) => {
      s.write(HEAD);
      const junk = Buffer.alloc(512, 'a');
      const tick = setInterval(() => {
        if (s.destroyed || sent > 64 * MAX_CHUNK_LINE_BYTES) return clearInterval(tick);
        s.write(junk);
        sent += junk.length;
      }, 1);
    });
    const e = await get(srv.port);
    await srv.close();
    expect(e).to.be.instanceOf(HttpError);
    expect((e as HttpError).message).to.equal('chunk size line too long');
  });

  it('junk in a chunk size is refused', async () => {
    const srv = await server((s) => s.write(`${HEAD}12zz\r\nhello\r\n0\r\n\r\n`));
    const e = await get(srv.port);
    await srv.close();
    expect((e as HttpError).message).to.equal('bad chunk size');
  });

  it('a valid chunked body (with an extension), sent a byte at a time, parses', async () => {
    const body = `${HEAD}5;name=v\r\nhello\r\n6\r\n world\r\n0\r\n\r\n`;
    const srv = await server((s) => {
      let i = 0;
      const tick = setInterval(() => {
        if (i >= body.length || s.destroyed) return clearInterval(tick);
        s.write(body[i++]!);
      }, 0);
    });
    const r = (await get(srv.port)) as { status: number; body: Buffer };
    await srv.close();
    expect(r.status).to.equal(200);
    expect(r.body.toString()).to.equal('hello world');
  });
});
