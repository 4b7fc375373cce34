// A tiny authoritative DNS responder for tests, run inside a private network namespace on
// 127.0.0.1:53 (never reachable from outside). Answers A for the names given as NAME=IPv4
// arguments, NXDOMAIN for other names, and never answers AAAA (a slow upstream: what made busybox
// nslookup wait in issue 11). Prints "ready" once bound.
import dgram from 'node:dgram';

const table = new Map(process.argv.slice(2).map((a) => a.split('=')).map(([n, ip]) => [n.toLowerCase(), ip]));
const sock = dgram.createSocket('udp4');

function qname(buf, off) {
  const labels = [];
  for (;;) {
    const len = buf[off];
    if (len === 0) return { name: labels.join('.'), end: off + 1 };
    labels.push(buf.subarray(off + 1, off + 1 + len).toString('ascii'));
    off += len + 1;
  }
}

sock.on('message', (msg, rinfo) => {
  if (process.env.LG_DNS_LOG) process.stderr.write(`q ${msg.toString('hex')}\n`);
  const { name, end } = qname(msg, 12);
  const qtype = msg.readUInt16BE(end);
  if (qtype === 28) return; // AAAA: silence
  const question = msg.subarray(12, end + 4);
  const ip = table.get(name.toLowerCase());
  const header = Buffer.alloc(12);
  msg.copy(header, 0, 0, 2); // id
  const found = ip !== undefined && qtype === 1;
  header.writeUInt16BE(0x8400 | (msg.readUInt16BE(2) & 0x0100) | (ip === undefined ? 3 : 0), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(found ? 1 : 0, 6);
  const parts = [header, question];
  if (found) {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(1, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(4, 10);
    ip.split('.').forEach((o, i) => rr.writeUInt8(Number(o), 12 + i));
    parts.push(rr);
  }
  sock.send(Buffer.concat(parts), rinfo.port, rinfo.address);
});
sock.bind(53, '127.0.0.1', () => process.stdout.write('ready\n'));
