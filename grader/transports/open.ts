// openGuest: from a lab file's VM entry to one open Connection, trying the access methods in the
// lab file's order (ssh, winrm, agent) and keeping every failed attempt with its reason.
//
// Addresses: an explicit `host:` is used as given. Otherwise the guest's address is discovered:
// first from the QEMU guest agent (the guest's own view: proof), else from the DHCP leases of the
// network by the VM's MAC (a hint that outlives moves), and in both cases the connection is
// verified from inside (an interface with that MAC has that address) before it is used.
// On a very isolated network (no host address) the host cannot reach the guest over the network at
// all, so network methods are skipped with that reason and the agent is used when allowed.
// Streams: through the libvirt host for qemu+ssh URIs (SSH direct-tcpip), from inside `lab.netns`
// (a pipe process) for labs whose bridges live in a namespace, else direct TCP.
import { describeReadInputError, readInput, ReadInputError } from '../inputs/read.js';
import { dirname } from 'node:path';
import {
  TransportError,
  type AccessMethod,
  type Connection,
  type DomainInfo,
  type HostSnapshot,
  type Lang,
  type LabFile,
  type LabVm,
  type NetworkInfo,
  type OsFamily,
  type SshAccess,
  type TransportErrorCode,
  type WinRmAccess,
  InputError,
} from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/transport.js';
import en from '../i18n/en/transport.js';
import { Virsh } from '../libvirt/virsh.js';
import { isRemoteUri, parseUri } from '../libvirt/uri.js';
import { normalizeMac } from '../libvirt/mac.js';
import { resolveSecret, redact, type Secrets } from '../inputs/secrets.js';
import { AgentConnection, type VirshRunner } from './agent.js';
import { connectSsh } from './ssh.js';
import { HostPool, hostPool } from './host-pool.js';
import { sshOptions } from './ssh-options.js';
import { withTeacherCredential } from './credentials.js';
import { netnsFor } from './netns-detect.js';
import { passwordEnvName, selfCheckPassword } from './self-password.js';
import { directOpener, jumpOpener, netnsOpener, type StreamOpener } from './stream.js';
import { connectWinRm } from './winrm/index.js';
import { measurementText } from '../facts/describe.js';
import { REASON_OF } from './access-reason.js';
import type { AccessAttempt, AccessReason, CommandResult, IdentityCheck, MeasurementError } from '../types.js';

const t = translator(es, en);

/** One attempt of the access trail, with the transport's code and message for callers that want them. */
export interface TriedAccess extends AccessAttempt {
  /** `ssh root@192.168.101.218:22`, `winrm ...`, `agent`. */
  method: string;
  code: TransportErrorCode | null;
  error: string;
}


function failed(method: string, code: TransportErrorCode, error: string, reason: AccessReason = REASON_OF[code], outcome: 'failed' | 'skipped' = 'failed'): TriedAccess {
  return { method, outcome, reason, detail: error, code, error };
}

function used(method: string, detail: string, reason: AccessReason | null = null): TriedAccess {
  return { method, outcome: 'used', reason, detail, code: null, error: '' };
}

/** The trail as it goes into a result (plain AccessAttempts). */
export function accessTrail(tried: TriedAccess[]): AccessAttempt[] {
  return tried.map((x) => ({ method: x.method, outcome: x.outcome, reason: x.reason, detail: x.detail }));
}

export interface OpenedGuest {
  conn: Connection;
  address: string | 'agent';
  tried: TriedAccess[];
  /** The result of `firstScript` when it ran as the identity check (absent when it did not run). */
  first?: CommandResult;
}

export interface OpenGuestContext {
  lab: LabFile;
  snapshot: HostSnapshot;
  os: OsFamily;
  /** The network the guest is graded on (its NIC there is the one to reach). */
  network?: NetworkInfo;
  lang?: Lang;
  /** Shared connections to libvirt hosts used as jump hosts (default: one pool per process). */
  jumps?: JumpPool;
  /** How virsh is run for the agent (default: grader/libvirt/virsh.ts on lab.uri). */
  virsh?: VirshRunner;
  /** Bound for the agent to answer after boot, ms (default 20 000). */
  agentWaitMs?: number;
  /** TCP connect bound, ms (default 8000). */
  connectTimeoutMs?: number;
  /**
   * How to check that an address found for the guest is really it (per OS; grader/probes/identity.ts,
   * handed in by the engine). When it is the guest's first probe script, its result comes back as `first`.
   */
  identity: IdentityCheck;
  /** The run's redaction registry (grader/inputs/secrets.ts): an inline password is hidden from this run's output only. */
  secrets?: Secrets;
}

/** No access method worked; `tried` says what was tried and why each failed. */
export class GuestUnreachableError extends TransportError {
  readonly tried: TriedAccess[];
  constructor(code: TransportErrorCode, target: string, message: string, tried: TriedAccess[]) {
    super(code, target, message);
    this.name = 'GuestUnreachableError';
    this.tried = tried;
  }
}

/** A Connection that also releases what it borrowed (a jump host) when closed. */
class ManagedConnection implements Connection {
  readonly kind: Connection['kind'];
  readonly target: string;
  private released = false;
  constructor(
    readonly inner: Connection,
    private readonly release: () => Promise<void>,
  ) {
    this.kind = inner.kind;
    this.target = inner.target;
  }
  runScript(...a: Parameters<Connection['runScript']>): ReturnType<Connection['runScript']> {
    return this.inner.runScript(...a);
  }
  async close(): Promise<void> {
    try {
      await this.inner.close();
    } finally {
      if (!this.released) {
        this.released = true;
        await this.release();
      }
    }
  }
}

// ------------------------------------------------------------------ jump hosts (qemu+ssh)

/**
 * Jumps to guests through their libvirt host, on the host's SSH connection from a HostPool (the
 * same connection that runs virsh there). A pool of its own by default: the last guest to close
 * closes the host's connection; the run-wide pool (hostPool) keeps it for the next user.
 */
export class JumpPool {
  constructor(private readonly hosts: HostPool = new HostPool({ idleMs: 0 })) {}

  async acquire(lab: LabFile, lang: Lang): Promise<{ opener: StreamOpener; via: string; release: () => Promise<void> }> {
    const h = await this.hosts.acquire(lab, lang);
    return {
      opener: jumpOpener(h.conn.sshClient, `via ${h.key}`, undefined, lang),
      via: `via ${h.key}`,
      release: h.release,
    };
  }

  closeAll(): Promise<void> {
    return this.hosts.closeAll();
  }
}

const defaultPool = new JumpPool(hostPool);

export { sshOptions };

// ------------------------------------------------------------------ identity check

/**
 * Is this address really this VM? `match`: an interface with one of `macs` holds `address`;
 * `mismatch`: the guest's interfaces were read and none does (e.g. a stale lease); `cannot-check`:
 * they could not be read (a tool missing, permission denied...), which says nothing about the
 * address. A broken channel throws.
 */
export type IdentityVerdict = ({ verdict: 'match' } | { verdict: 'mismatch' } | { verdict: 'cannot-check'; error: MeasurementError }) & { first?: CommandResult };

export async function verifyIdentity(conn: Connection, identity: IdentityCheck, macs: string[], address: string): Promise<IdentityVerdict> {
  const want = new Set(macs.map((m) => normalizeMac(m)).filter((m): m is string => m !== null));
  const r = await conn.runScript(identity.plan.script, identity.plan.args, { timeoutMs: identity.plan.timeoutMs });
  const first = identity.handsBack ? { first: r } : {};
  const m = identity.read(r, conn.target);
  if (!m.ok) return { verdict: 'cannot-check', error: m.error, ...first };
  return { verdict: m.value.some((x) => x.address === address && want.has(normalizeMac(x.mac) ?? '')) ? 'match' : 'mismatch', ...first };
}

// ------------------------------------------------------------------ openGuest

function describeAccess(m: AccessMethod, host?: string): string {
  if (m.kind === 'agent') return 'agent';
  if (m.kind === 'ssh') return `ssh ${m.user}@${host ?? m.host ?? '?'}:${m.port}`;
  return `winrm ${m.scheme}://${m.user}@${host ?? m.host ?? '?'}:${m.port}`;
}

function attemptOf(method: string, e: unknown): TriedAccess {
  const i = errInfo(e);
  return failed(method, i.code, i.error);
}

function errInfo(e: unknown): { code: TransportErrorCode; error: string } {
  if (e instanceof TransportError) return { code: e.code, error: redact(e.message) };
  if (e instanceof InputError) {
    return { code: 'config', error: redact([e.message, ...e.issues.map((i) => i.message)].join(': ')) };
  }
  return { code: 'protocol', error: redact(String((e as Error)?.message ?? e)) };
}

function isUsableIpv4(a: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(a) && !a.startsWith('127.') && !a.startsWith('169.254.');
}

interface Candidate {
  address: string;
  source: 'lab' | 'agent' | 'lease';
}

export async function openGuest(vm: LabVm, ctx: OpenGuestContext): Promise<OpenedGuest> {
  const lang = ctx.lang ?? 'en';
  const tried: TriedAccess[] = [];
  const dom: DomainInfo | undefined = ctx.snapshot.domains.find((d) => d.name === vm.domain);
  const label = `${vm.role} (${vm.domain})`;
  const fail = (code: TransportErrorCode): GuestUnreachableError => {
    const list = tried.map((x) => `${x.method}: ${x.detail}`).join('; ');
    return new GuestUnreachableError(code, label, t(lang, 'unreachableGuest', { role: vm.role, domain: vm.domain, tried: list }), tried);
  };
  if (!dom) {
    tried.push(failed('libvirt', 'config', t(lang, 'domainMissing', { domain: vm.domain, uri: ctx.snapshot.uri })));
    throw fail('config');
  }
  if (dom.state !== 'running') {
    tried.push(failed('libvirt', 'domain-not-running', t(lang, 'domainNotRunning', { domain: vm.domain, state: dom.state })));
    throw fail('domain-not-running');
  }
  if (vm.access.length === 0) {
    tried.push(failed('lab file', 'config', t(lang, 'noAccess', { role: vm.role })));
    throw fail('config');
  }

  const netName = ctx.network?.name ?? dom.interfaces.find((i) => i.network)?.network ?? null;
  const network = ctx.network ?? ctx.snapshot.networks.find((n) => n.name === netName);
  const onNet = dom.interfaces.filter((i) => netName !== null && i.network === netName);
  const macs = (onNet.length > 0 ? onNet : dom.interfaces).map((i) => i.mac);
  const veryIsolated = network ? network.type === 'very-isolated' || !network.ips.some((ip) => ip.family === 'ipv4') : false;
  const virsh: VirshRunner = ctx.virsh ?? new Virsh({ uri: ctx.lab.uri, lang });

  // The agent, opened at most once (for discovery and as an access method).
  // Only a success is kept: a failed quick try (discovery) does not stop a later patient one.
  let agentP: Promise<AgentConnection> | null = null;
  const agent = (waitMs = ctx.agentWaitMs ?? 20_000): Promise<AgentConnection> => {
    if (!dom.agentChannel) {
      return Promise.reject(new TransportError('agent-missing', `agent ${vm.domain}`, t(lang, 'noAgentChannel', { domain: vm.domain })));
    }
    if (!agentP) {
      const p = AgentConnection.open({ domain: vm.domain, virsh, os: ctx.os, lang, waitForAgentMs: waitMs });
      agentP = p;
      p.catch(() => {
        if (agentP === p) agentP = null;
      });
    }
    return agentP;
  };
  let agentUsed = false;
  const closeAgentIfUnused = async (): Promise<void> => {
    if (agentP && !agentUsed) await agentP.then((a) => a.close(), () => undefined);
  };

  // Discovered addresses, computed once.
  let discovered: Promise<{ candidates: Candidate[]; agentError: string | null }> | null = null;
  const discover = () =>
    (discovered ??= (async () => {
      const candidates: Candidate[] = [];
      let agentError: string | null = null;
      try {
        // The snapshot saw no agent: one quick try only, then the leases.
        // The snapshot's guest-ping answered moments ago: ask for the addresses without pinging again
        // (if the agent went away the call fails and the leases are used; as an access method the
        // agent is still waited for). A domain with no agent channel has no agent to ask: agent() says so.
        const a = dom.agentChannel && dom.agentConnected === true ? AgentConnection.attach({ domain: vm.domain, virsh, os: ctx.os, lang }) : await agent(dom.agentConnected === false ? 2000 : undefined);
        const ifs = await a.networkInterfaces();
        const want = new Set(macs.map((m) => normalizeMac(m)));
        for (const i of ifs.filter((x) => want.has(normalizeMac(x.mac ?? '')))) {
          for (const a of i.addresses) if (a.family === 'ipv4' && isUsableIpv4(a.address)) candidates.push({ address: a.address, source: 'agent' });
        }
      } catch (e) {
        agentError = errInfo(e).error;
      }
      if (candidates.length === 0) {
        const leases = ctx.snapshot.leases
          .filter((l) => (netName === null || l.network === netName) && macs.some((m) => normalizeMac(m) === normalizeMac(l.mac)))
          .sort((a, b) => (b.expiryTime ?? 0) - (a.expiryTime ?? 0));
        for (const l of leases) if (!candidates.some((c) => c.address === l.address)) candidates.push({ address: l.address, source: 'lease' });
      }
      return { candidates, agentError };
    })());

  // A connection whose identity could not be checked (not a mismatch): used only if nothing else works.
  let unverified: { conn: Connection; method: string; address: string; why: string; first?: CommandResult } | null = null;
  const closeUnverified = async (): Promise<void> => {
    if (unverified) await unverified.conn.close().catch(() => undefined);
    unverified = null;
  };
  for (const m of vm.access) {
    if (m.kind === 'agent') {
      try {
        const a = await agent();
        agentUsed = true;
        await closeUnverified();
        tried.push(used('agent', t(lang, 'viaAgent')));
        return { conn: a, address: 'agent', tried };
      } catch (e) {
        tried.push(attemptOf('agent', e));
        continue;
      }
    }
    let candidates: Candidate[];
    if (m.host) {
      candidates = [{ address: m.host, source: 'lab' }];
    } else if (veryIsolated) {
      tried.push(failed(describeAccess(m), 'unreachable', t(lang, 'veryIsolated', { network: network?.name ?? '?' }), 'very-isolated', 'skipped'));
      continue;
    } else {
      const d = await discover();
      candidates = d.candidates;
      if (candidates.length === 0) {
        tried.push(
          failed(describeAccess(m), 'unreachable', t(lang, 'noAddress', { domain: vm.domain, network: netName ?? '?', agent: d.agentError ?? '-' }), 'no-address', 'skipped'),
        );
        continue;
      }
    }
    for (const c of candidates) {
      const method = describeAccess(m, c.address);
      try {
        const opened = await openNetwork(m, c.address, ctx, lang, vm.role);
        let caveat: string | null = null;
        let first: CommandResult | undefined;
        if (c.source !== 'lab') {
          let id: IdentityVerdict;
          try {
            id = await verifyIdentity(opened, ctx.identity, macs, c.address);
          } catch (e) {
            await opened.close();
            throw e;
          }
          first = id.first;
          if (id.verdict === 'mismatch') {
            await opened.close();
            tried.push(failed(method, 'unreachable', t(lang, 'addressMismatch', { address: c.address, domain: vm.domain, mac: macs.join(', ') }), 'identity-mismatch'));
            continue;
          }
          if (id.verdict === 'cannot-check') {
            const why = redact(measurementText(lang, id.error, t(lang, 'identityWhat')));
            if (c.source === 'agent') {
              // The guest's own agent gave this address for this MAC: that is the proof; use it, say so.
              caveat = t(lang, 'agentUnverified', { why });
            } else {
              tried.push(failed(method, 'protocol', t(lang, 'identityUnverified', { address: c.address, domain: vm.domain, mac: macs.join(', '), why }), 'identity-unverified', 'skipped'));
              if (unverified) await opened.close();
              else unverified = { conn: opened, method, address: c.address, why, ...(id.first ? { first: id.first } : {}) };
              continue;
            }
          }
        }
        await closeAgentIfUnused();
        await closeUnverified();
        const via = c.source === 'lab' ? t(lang, 'viaLab') : c.source === 'agent' ? t(lang, 'viaAgentAddress') : t(lang, 'viaLease');
        tried.push(caveat ? used(method, caveat, 'identity-unverified') : used(method, via));
        return { conn: opened, address: c.address, tried, ...(first ? { first } : {}) };
      } catch (e) {
        tried.push(attemptOf(method, e));
      }
    }
  }
  await closeAgentIfUnused();
  if (unverified) {
    const u = unverified as { conn: Connection; method: string; address: string; why: string; first?: CommandResult };
    tried.push(used(u.method, t(lang, 'usedUnverified', { why: u.why }), 'identity-unverified'));
    return { conn: u.conn, address: u.address, tried, ...(u.first ? { first: u.first } : {}) };
  }
  const codes = [...new Set(tried.map((x) => x.code).filter((c): c is TransportErrorCode => c !== null))];
  throw fail(codes.length === 1 ? codes[0]! : (tried.at(-1)?.code ?? 'unreachable'));
}

async function openNetwork(given: SshAccess | WinRmAccess, host: string, ctx: OpenGuestContext, lang: Lang, role: string): Promise<Connection> {
  const lab = ctx.lab;
  const jumping = given.jump === 'libvirt-host' || (given.jump === 'auto' && isRemoteUri(lab.uri));
  // The teacher's credential for this very path (target and jump host), checked before any byte is sent.
  let m = withTeacherCredential(given, lab, host, jumping ? { host: parseUri(lab.uri)?.host ?? '', port: parseUri(lab.uri)?.port ?? 22 } : null);
  // A lab of one's own without a password (as init writes it): LABGRADE_<ROLE>_PASSWORD or the prompt's.
  if (!m.password) {
    const own = selfCheckPassword(role, lab);
    if (own !== undefined) m = { ...m, password: { value: own } };
  }
  if (lab.trust === 'student' && m.kind === 'ssh' && !m.keyFile && !m.password && !m.useAgent) {
    throw new TransportError('config', `ssh ${m.user}@${host}`, t(lang, 'noTeacherCredential', { host }));
  }
  if (m.kind === 'winrm' && !m.password) {
    throw new TransportError('config', `winrm ${m.user}@${host}`, lab.trust === 'student' ? t(lang, 'noTeacherCredential', { host }) : t(lang, 'noOwnPassword', { host, env: passwordEnvName(role) }));
  }
  let opener: StreamOpener;
  let netns: string | undefined;
  let via: string | undefined;
  let release: () => Promise<void> = async () => undefined;
  if (jumping) {
    const j = await (ctx.jumps ?? defaultPool).acquire(lab, lang);
    opener = j.opener;
    via = j.via;
    release = j.release;
  } else if ((netns = await netnsFor(lab, ctx.snapshot))) {
    // The lab file's namespace, or (a local host whose bridges live in one) the one found here.
    opener = netnsOpener(netns, { lang, ...(ctx.connectTimeoutMs ? { timeoutMs: ctx.connectTimeoutMs } : {}) });
    via = `netns ${netns}`;
  } else {
    opener = directOpener(ctx.connectTimeoutMs, lang);
  }
  try {
    let conn: Connection;
    if (m.kind === 'ssh') {
      const o = await sshOptions(m, host, lab, lang, ctx.secrets);
      conn = await connectSsh({ ...o, openStream: opener, os: ctx.os, ...(via ? { via } : {}) });
    } else {
      const password = await resolveSecret(m.password!, dirname(lab.file), { lang, where: `winrm ${m.user}@${host}`, ...(ctx.secrets ? { secrets: ctx.secrets } : {}) });
      let ca: Buffer | undefined;
      if (m.caFile) {
        try {
          ca = await readInput(m.caFile, 'ca');
        } catch (e) {
          if (!(e instanceof ReadInputError)) throw e;
          throw new TransportError('config', `winrm ${m.user}@${host}`, await describeReadInputError(e, lang));
        }
      }
      conn = await connectWinRm({
        host,
        port: m.port,
        scheme: m.scheme,
        user: m.user,
        password,
        auth: m.auth,
        insecureSkipVerify: m.insecureSkipVerify,
        ...(ca ? { ca } : {}),
        createSocket: () => opener(host, m.port),
        lang,
      });
    }
    return jumping ? new ManagedConnection(conn, release) : conn;
  } catch (e) {
    await release();
    throw e;
  }
}
