// A TCP listener on 127.0.0.1 that records whether anything arrived (connections and bytes), for
// tests that must show a hostile input never reached the network. It closes each connection
// after a short while (or at once), so a client that did connect fails fast.
import { createServer, type Server, type Socket } from 'node:net';

export interface Listener {
  port: number;
  connections: number;
  /** Everything received, all connections together. */
  received(): Buffer;
  close(): Promise<void>;
}

export async function listen(opts: { holdMs?: number; silent?: boolean } = {}): Promise<Listener> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const l: Listener = {
    port: 0,
    connections: 0,
    received: () => Buffer.concat(chunks),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((s) => {
    l.connections++;
    sockets.add(s);
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    // `silent`: accept and never answer (a black hole) until closed.
    if (!opts.silent) setTimeout(() => s.destroy(), opts.holdMs ?? 300);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  l.port = (server.address() as { port: number }).port;
  return l;
}
