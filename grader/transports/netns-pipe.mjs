#!/usr/bin/env node
// labgrade's netns pipe: run as `ip netns exec NS node netns-pipe.mjs HOST PORT TIMEOUT_MS`; it opens
// one TCP connection from inside the namespace and relays it over stdin/stdout, so the grader (in
// the root namespace) can use the child's stdio as the socket of an SSH or WinRM connection.
// Status goes to stderr as one line: `CONNECTED` or `ERROR <code> <message>` (then exit 3).
import net from 'node:net';

const [host, portText, timeoutText] = process.argv.slice(2);
const port = Number(portText);
const timeoutMs = Number(timeoutText) || 10000;
if (!host || !Number.isInteger(port) || port <= 0 || port > 65535) {
  process.stderr.write('ERROR EINVAL usage: netns-pipe.mjs HOST PORT [TIMEOUT_MS]\n');
  process.exit(2);
}

const sock = net.connect({ host, port });
const timer = setTimeout(() => {
  process.stderr.write(`ERROR ETIMEDOUT connect to ${host}:${port} timed out\n`);
  process.exit(3);
}, timeoutMs);

sock.on('connect', () => {
  clearTimeout(timer);
  sock.setNoDelay(true);
  process.stderr.write('CONNECTED\n');
});
sock.on('error', (err) => {
  clearTimeout(timer);
  process.stderr.write(`ERROR ${err.code ?? 'EIO'} ${err.message}\n`);
  process.exit(3);
});
sock.on('close', () => process.exit(0));
process.stdin.pipe(sock);
sock.pipe(process.stdout);
process.stdin.on('end', () => sock.end());
process.stdout.on('error', () => process.exit(0));
