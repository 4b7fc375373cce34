// The QEMU guest agent through `virsh qemu-agent-command` (works on every network, even with no
// network at all). Used by the lab to wait for guests and read their addresses.
import { virsh, sleep } from './run.js';

export interface AgentResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function agentCommand(domain: string, command: object, timeoutS = 5): Promise<unknown> {
  const r = await virsh(['qemu-agent-command', domain, '--timeout', String(timeoutS), JSON.stringify(command)], {
    timeoutMs: (timeoutS + 5) * 1000,
  });
  if (r.exitCode !== 0) throw new Error(`guest agent of ${domain}: ${(r.stderr || r.stdout).trim()}`);
  return (JSON.parse(r.stdout) as { return: unknown }).return;
}

export async function agentPing(domain: string): Promise<boolean> {
  try {
    await agentCommand(domain, { execute: 'guest-ping' }, 2);
    return true;
  } catch {
    return false;
  }
}

/** Run argv[0] with arguments in the guest (no shell unless argv says so); output decoded. */
export async function agentExec(domain: string, argv: string[], timeoutMs = 20_000): Promise<AgentResult> {
  const [path, ...arg] = argv;
  if (!path) throw new Error('agentExec: empty argv');
  const started = (await agentCommand(domain, {
    execute: 'guest-exec',
    arguments: { path, arg, 'capture-output': true },
  })) as { pid: number };
  const t0 = Date.now();
  let wait = 20;
  for (;;) {
    const st = (await agentCommand(domain, { execute: 'guest-exec-status', arguments: { pid: started.pid } })) as {
      exited: boolean;
      exitcode?: number;
      signal?: number;
      'out-data'?: string;
      'err-data'?: string;
    };
    if (st.exited) {
      return {
        exitCode: st.exitcode ?? (st.signal !== undefined ? 128 + st.signal : 1),
        stdout: Buffer.from(st['out-data'] ?? '', 'base64').toString('utf8'),
        stderr: Buffer.from(st['err-data'] ?? '', 'base64').toString('utf8'),
      };
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`guest agent of ${domain}: ${path} still running after ${timeoutMs} ms`);
    await sleep(wait);
    wait = Math.min(wait * 2, 200);
  }
}

export interface AgentIp {
  family: 'ipv4' | 'ipv6';
  address: string;
  prefix: number;
}

/** Addresses of the guest's non-loopback interfaces, from guest-network-get-interfaces. */
export async function agentAddresses(domain: string): Promise<{ name: string; mac?: string; ips: AgentIp[] }[]> {
  const ifs = (await agentCommand(domain, { execute: 'guest-network-get-interfaces' })) as {
    name: string;
    'hardware-address'?: string;
    'ip-addresses'?: { 'ip-address-type': 'ipv4' | 'ipv6'; 'ip-address': string; prefix: number }[];
  }[];
  return ifs
    .filter((i) => i.name !== 'lo')
    .map((i) => ({
      name: i.name,
      mac: i['hardware-address'],
      ips: (i['ip-addresses'] ?? []).map((a) => ({ family: a['ip-address-type'], address: a['ip-address'], prefix: a.prefix })),
    }));
}
