#!/usr/bin/env node
// labgrade's netns relay, one per run and namespace: started as
// `ip netns exec NS node netns-relay.mjs SOCKET_PATH`, it listens on a unix socket (a path in a
// private 0700 folder of the grader's: unix sockets with a path are reachable from any network
// namespace) and, for each connection, reads one line `HOST PORT TIMEOUT_MS`, opens that TCP
// connection from inside the namespace, answers `CONNECTED` or `ERROR <code> <message>` and then
// relays bytes both ways. Replaces one Node process per connection with one per run.
// It prints `READY` on stdout once listening and exits when its stdin closes (the grader is gone).
// With `--standing` it is the lab's own relay (`labgrade lab up` starts it, `lab down` stops it):
// it ignores stdin and lives until SIGTERM, so a grading run starts no relay of its own.
import net from 'node:net';
import { rmSync } from 'node:fs';

const args = process.argv.slice(2);
const standing = args[0] === '--standing';
const [socketPath] = standing ? args.slice(1) : args;
if (!socketPath) {
  process.stderr.write('usage: netns-relay.mjs [--standing] SOCKET_PATH\n');
  process.exit(2);
}
const HEADER_MAX = 600;

function relay(client) {
  let buf = Buffer.alloc(0);
  client.on('error', () => undefined);
  const onData = (d) => {
    buf = Buffer.concat([buf, d]);
    const nl = buf.indexOf(10);
    if (nl < 0) {
      if (buf.length > HEADER_MAX) client.destroy();
      return;
    }
    client.off('data', onData);
    client.pause();
    const [host, portText, timeoutText] = buf.subarray(0, nl).toString('utf8').trim().split(' ');
    const rest = buf.subarray(nl + 1);
    const port = Number(portText);
    const timeoutMs = Number(timeoutText) || 10000;
    if (!host || !Number.isInteger(port) || port <= 0 || port > 65535) {
      client.end('ERROR EINVAL bad request\n');
      return;
    }
    let connected = false;
    const up = net.connect({ host, port });
    const timer = setTimeout(() => {
      client.end(`ERROR ETIMEDOUT connect to ${host}:${port} timed out\n`);
      up.destroy();
    }, timeoutMs);
    up.once('connect', () => {
      clearTimeout(timer);
      connected = true;
      up.setNoDelay(true);
      client.write('CONNECTED\n');
      if (rest.length) up.write(rest);
      client.pipe(up);
      up.pipe(client);
      client.resume();
    });
    up.on('error', (err) => {
      clearTimeout(timer);
      if (!connected) client.end(`ERROR ${err.code ?? 'EIO'} ${err.message}\n`);
      else client.destroy();
    });
    client.on('close', () => up.destroy());
  };
  client.on('data', onData);
}

const server = net.createServer(relay);
server.on('error', (e) => {
  process.stderr.write(`ERROR ${e.code ?? 'EIO'} ${e.message}\n`);
  process.exit(3);
});
server.listen(socketPath, () => process.stdout.write('READY\n'));
const quit = () => {
  try {
    rmSync(socketPath, { force: true });
  } catch {
    /* the grader removes the folder too */
  }
  process.exit(0);
};
if (standing) {
  process.on('SIGTERM', quit);
  process.on('SIGINT', quit);
} else {
  process.stdin.on('end', quit);
  process.stdin.on('close', quit);
  process.stdin.on('error', quit);
  process.stdin.resume();
}
