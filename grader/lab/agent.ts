// The QEMU guest agent through `virsh qemu-agent-command` (works on every network, even with no
// network at all). Used by the lab to wait for guests and read their addresses.
import { virsh } from './run.js';
import { AgentConnection, type VirshRunner } from '../transports/agent.js';

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

/** The lab's virsh as the agent transport's runner: stdout, or an Error with virsh's words. */
const labVirsh: VirshRunner = {
  async run(args, opts) {
    const r = await virsh(args, { timeoutMs: opts?.timeoutMs ?? 15_000 });
    if (r.exitCode !== 0) throw new Error(`guest agent of ${opts?.subject ?? '?'}: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  },
};

/**
 * Run argv[0] with arguments in the guest (no shell unless argv says so); output decoded. The poll
 * loop is the agent transport's (grader/transports/agent.ts `exec`), polled a little faster here.
 */
export async function agentExec(domain: string, argv: string[], timeoutMs = 20_000): Promise<AgentResult> {
  const [path, ...arg] = argv;
  if (!path) throw new Error('agentExec: empty argv');
  const conn = AgentConnection.attach({ domain, virsh: labVirsh, os: 'linux', pollInitialMs: 20, pollMaxMs: 200 });
  const r = await conn.exec(path, arg, { timeoutMs, maxOutputBytes: 16 * 1024 * 1024 });
  if (r.timedOut) throw new Error(`guest agent of ${domain}: ${path} still running after ${timeoutMs} ms`);
  return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
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
