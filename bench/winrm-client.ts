// WinRM client figures against the loopback WS-Management test server (no lab, no root needed):
// time to connect (TCP/TLS + NTLM or Basic + Create shell) and run the first command, then the
// round trip of further commands on the kept-open shell, per transport variant. Prints, never asserts.
//   node --import tsx bench/winrm-client.ts      (or: npm run bench -- winrm)
import { connectWinRm } from '../grader/transports/winrm/index.js';
import { startWsmanServer } from '../test/helpers/wsman-server/index.js';
import { makeSelfSignedCert } from '../test/helpers/wsman-server/cert.js';

const USER = 'alumno';
const PASSWORD = 'bench-only-password';
const ROUNDS = 30;

const cert = makeSelfSignedCert();
const http = await startWsmanServer({ accounts: [{ user: USER, password: PASSWORD }] });
const https = await startWsmanServer({ accounts: [{ user: USER, password: PASSWORD }], tls: cert });
for (const s of [http, https]) s.onPowerShell(({ args }) => ({ stdout: `${args[0] ?? ''}\r\n` }));

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const rows: string[][] = [];
for (const [name, server, scheme, auth] of [
  ['http + ntlm + encryption', http, 'http', 'ntlm'],
  ['https + ntlm (channel bindings)', https, 'https', 'ntlm'],
  ['https + basic', https, 'https', 'basic'],
] as const) {
  const t0 = performance.now();
  const conn = await connectWinRm({ host: '127.0.0.1', port: server.port, scheme, auth, ca: cert.cert, user: USER, password: PASSWORD });
  const t1 = performance.now();
  await conn.runScript('Write-Output $args[0]', ['primero']);
  const t2 = performance.now();
  const rtt: number[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    const a = performance.now();
    await conn.runScript('Write-Output $args[0]', [`n${k}`]);
    rtt.push(performance.now() - a);
  }
  const p0 = performance.now();
  await Promise.all(Array.from({ length: 9 }, (_, k) => conn.runScript('Write-Output $args[0]', [`p${k}`])));
  const par = performance.now() - p0;
  await conn.close();
  rows.push([
    name,
    (t1 - t0).toFixed(1),
    (t2 - t1).toFixed(1),
    pct(rtt, 50).toFixed(1),
    pct(rtt, 90).toFixed(1),
    par.toFixed(1),
  ]);
}
await http.close();
await https.close();
cert.cleanup();

const head = ['variant (loopback test server)', 'connect ms', 'first cmd ms', `cmd p50 ms (n=${ROUNDS})`, 'cmd p90 ms', '9 cmds on 3 shells ms'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(line(head));
for (const r of rows) console.log(line(r));
console.log('\nconnect = TCP/TLS + authentication + Create shell; a command = Command + Receive(s) + Signal.');
console.log('Loopback only: network latency to a real Windows guest adds ~4 round trips per command.');
