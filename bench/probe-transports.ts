// Time to connect to one guest and run the full probe set (config, reach of 3 targets, resolve),
// per transport: ssh and agent against the real lab (root, lab up; run under the lab lock), winrm
// against the WS-Management test server answering with the Windows fixtures. Prints a table of
// medians over RUNS runs; nothing is asserted.
//   flock /tmp/labgrade-labtests.lock node --import tsx bench/probe-transports.ts [RUNS]
import { startWsmanServer } from '../test/helpers/wsman-server/index.js';
import { registerWindowsProbeFixtures } from '../test/fixtures/probes/windows/register.js';
import { connectWinRm } from '../grader/transports/winrm/index.js';
import { proberFor } from '../grader/probes/index.js';
import { identityCheck } from '../grader/probes/identity.js';
import type { CommandEvidence, Connection, LabVm, OsFamily } from '../grader/types.js';

const RUNS = Number(process.argv[2] ?? 3);

interface Row {
  transport: string;
  guest: string;
  connect: number[];
  config: number[];
  reach: number[];
  resolve: number[];
  total: number[];
  note?: string;
}

const median = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function measure(row: Row, os: OsFamily, open: () => Promise<Connection>, targets: string[], name: string): Promise<void> {
  const p = proberFor(os);
  for (let i = 0; i < RUNS; i++) {
    const t0 = Date.now();
    const conn = await open();
    const t1 = Date.now();
    const ev: CommandEvidence[] = [];
    await p.config(conn, ev);
    const t2 = Date.now();
    await p.reach(conn, targets, 1000, ev);
    const t3 = Date.now();
    await p.resolve(conn, name, 1000, ev);
    const t4 = Date.now();
    await conn.close();
    row.connect.push(t1 - t0);
    row.config.push(t2 - t1);
    row.reach.push(t3 - t2);
    row.resolve.push(t4 - t3);
    row.total.push(t4 - t0);
  }
}

const rows: Row[] = [];
const newRow = (transport: string, guest: string): Row => {
  const r: Row = { transport, guest, connect: [], config: [], reach: [], resolve: [], total: [] };
  rows.push(r);
  return r;
};

// ---- winrm (test server, no lab needed)
{
  const row = newRow('winrm', 'test server (fixtures)');
  const server = await startWsmanServer({ accounts: [{ user: 'alumno', password: 'Contraseña-1' }] });
  registerWindowsProbeFixtures(server);
  try {
    await measure(
      row,
      'windows',
      () => connectWinRm({ host: '127.0.0.1', port: server.port, scheme: 'http', user: 'alumno', password: 'Contraseña-1', auth: 'ntlm' }),
      ['192.168.101.218', '192.168.101.1', '198.51.100.10'],
      'www.labgrade.test',
    );
  } finally {
    await server.close();
  }
}

// ---- ssh and agent (real lab)
const isRoot = process.getuid?.() === 0;
if (!isRoot) {
  newRow('ssh', '-').note = 'skipped: needs root and the lab';
  newRow('agent', '-').note = 'skipped: needs root and the lab';
} else {
  const { labFileFor } = await import('../test/helpers/lab.js');
  const { loadLab } = await import('../grader/inputs/load-lab.js');
  const { inspectHost } = await import('../grader/libvirt/snapshot.js');
  const { openGuest } = await import('../grader/transports/open.js');
  for (const [transport, access, domain, net, targets] of [
    ['ssh', ['ssh'], 'debian12-iso', 'red-aislada', ['192.168.102.1', '192.168.102.3', '198.51.100.10']],
    ['agent', ['agent'], 'debian12-viso', 'red-muy-aislada', ['172.22.0.3', '172.22.0.99', '198.51.100.10']],
  ] as const) {
    const row = newRow(transport, domain);
    try {
      const lab = await loadLab(await labFileFor({ linux: domain }, { access: [...access] }));
      const snap = await inspectHost(lab.uri);
      const network = snap.networks.find((n) => n.name === net);
      await measure(
        row,
        'linux',
        async () => (await openGuest(lab.vms.linux as LabVm, { lab, snapshot: snap, os: 'linux', identity: identityCheck('linux'), ...(network ? { network } : {}) })).conn,
        [...targets],
        'www.labgrade.test',
      );
    } catch (e) {
      row.note = `failed: ${(e as Error).message.slice(0, 120)}`;
    }
  }
}

const cols = ['transport', 'guest', 'connect', 'config', 'reach(3)', 'resolve', 'total'];
const lines = rows.map((r) =>
  r.note
    ? [r.transport, r.guest, r.note]
    : [r.transport, r.guest, ...[r.connect, r.config, r.reach, r.resolve, r.total].map((x) => `${median(x)} ms`)],
);
const widths = cols.map((c, i) => Math.max(c.length, ...lines.map((l) => (l[i] ?? '').length)));
const fmt = (l: string[]) => l.map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ');
console.log(`probe set per transport, median of ${RUNS} runs (reach/resolve bound 1000 ms)`);
console.log(fmt(cols));
for (const l of lines) console.log(fmt(l));
console.log(`load average: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
