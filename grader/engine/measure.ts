// Measures the VMs of one task: opens each VM's connection (once per VM for the whole run, shared
// through the pool), reads its configuration, then probes the targets that matter for the task —
// the outside host, every address the peers have on the task's network, the host's address there —
// and resolves the test name. VMs are measured in parallel, and the probes of one VM in parallel.
// A VM that cannot be reached becomes a GuestOutcome error with the reason; the others go on.
import { TransportError } from '../types.js';
import type {
  AccessAttempt,
  CommandEvidence,
  Connection,
  ExerciseSpec,
  GuestConfig,
  GuestFacts,
  HostSnapshot,
  LabFile,
  Lang,
  NetworkInfo,
  OsFamily,
  PlannedScript,
  CommandResult,
  Reachability,
  Resolution,
  SpecTask,
  SurveyFacts,
  SurveyRequest,
} from '../types.js';
import type { GuestOutcome } from '../../checks/types.js';
import type { EngineDeps } from './deps.js';
import { REASON_OF } from '../transports/access-reason.js';
import { domainName, findDomain } from './lookup.js';
import { interfaceOn, normMac } from '../facts/interfaces.js';
import { hostAddressOf } from '../facts/interfaces.js';
import { translator } from '../i18n/translate.js';
import { rolesAsked } from '../inputs/asked.js';
import { unmeasuredExtra } from '../probes/extra.js';
import { evidenceOfError, recordParts, recordRun } from '../probes/evidence.js';
import { reachFailed, resolveFailed } from '../probes/measurement.js';
import type { FactRequest } from '../types.js';
import es from '../i18n/es/grade.js';
import en from '../i18n/en/grade.js';

const t = translator(es, en);
const EVIDENCE_CAP = 4096;

/** One connection per VM for the whole run; a failure is remembered (not retried per task). */
export class ConnectionPool {
  private readonly open = new Map<string, Promise<Connection>>();
  /** The first script's result, for the one caller whose plan it was (taken once). */
  private readonly firsts = new Map<string, { plan: PlannedScript; result: CommandResult }>();
  /** Per role, every access method tried and why (what the result's `access` shows). */
  readonly trails = new Map<string, AccessAttempt[]>();
  constructor(
    private readonly deps: Pick<EngineDeps, 'openGuest'>,
    private readonly spec: ExerciseSpec,
    private readonly lab: LabFile,
    private readonly snapshot: HostSnapshot,
  ) {}

  /**
   * The first task that needs a VM decides the network its connection is opened on. `firstScript`
   * may run as the identity check; its result is then handed to that caller by `takeFirst`.
   */
  get(role: string, os: OsFamily, network: NetworkInfo | null, firstScript?: PlannedScript): Promise<Connection> {
    let p = this.open.get(role);
    if (!p) {
      const vm = this.lab.vms[role];
      p = vm
        ? this.deps.openGuest(vm, { spec: this.spec, lab: this.lab, snapshot: this.snapshot, role, os, network, ...(firstScript ? { firstScript } : {}) }).then(
            (g) => {
              this.trails.set(role, g.trail);
              if (g.first && firstScript) this.firsts.set(role, { plan: firstScript, result: g.first });
              return g.conn;
            },
            (err: unknown) => {
              this.trails.set(role, trailOfError(err));
              throw err;
            },
          )
        : Promise.reject(new TransportError('config', role, `no VM with role ${role} in the lab file`));
      p.catch(() => undefined);
      this.open.set(role, p);
    }
    return p;
  }

  private readonly fallbacks = new Map<string, Promise<Connection | null>>();

  /**
   * A second way into a VM for the probes its connection was not permitted to run: the access
   * methods the lab file lists after the one in use (the guest agent runs as root), opened once
   * for the run. null when there is none, or none opens. Its attempts join the role's trail; the
   * one used is marked `permission-denied`, with `detail` (what it measured) added by the caller.
   */
  fallback(role: string, os: OsFamily, network: NetworkInfo | null, used: Connection, detail: string): Promise<Connection | null> {
    let p = this.fallbacks.get(role);
    if (!p) {
      const vm = this.lab.vms[role];
      const at = vm ? vm.access.findIndex((a) => a.kind === used.kind) : -1;
      const rest = vm && at >= 0 ? vm.access.slice(at + 1) : [];
      const trail = this.trails.get(role) ?? [];
      p =
        rest.length === 0
          ? Promise.resolve(null)
          : this.deps.openGuest({ ...vm!, access: rest }, { spec: this.spec, lab: this.lab, snapshot: this.snapshot, role, os, network }).then(
              (g) => {
                this.trails.set(role, [...trail, ...g.trail.map((a) => (a.outcome === 'used' ? { ...a, reason: 'permission-denied' as const, detail } : a))]);
                return g.conn;
              },
              (err: unknown) => {
                this.trails.set(role, [...trail, ...trailOfError(err)]);
                return null;
              },
            );
      this.fallbacks.set(role, p);
    }
    return p;
  }

  /** The result of `plan` if openGuest already ran exactly it for this role (given once). */
  takeFirst(role: string, plan: PlannedScript): CommandResult | undefined {
    const f = this.firsts.get(role);
    if (!f || f.plan !== plan) return undefined;
    this.firsts.delete(role);
    return f.result;
  }

  async closeAll(): Promise<void> {
    const conns = await Promise.allSettled([...this.open.values(), ...this.fallbacks.values()]);
    await Promise.allSettled(conns.map((c) => (c.status === 'fulfilled' && c.value ? c.value.close() : Promise.resolve())));
    this.open.clear();
    this.fallbacks.clear();
  }
}

/** The trail a failed open carries (`tried`), else the error as one failed attempt. */
function trailOfError(err: unknown): AccessAttempt[] {
  const tried = (err as { tried?: unknown })?.tried;
  if (Array.isArray(tried)) {
    return (tried as AccessAttempt[]).map((x) => ({ method: x.method, outcome: x.outcome, reason: x.reason, detail: x.detail }));
  }
  const target = err instanceof TransportError ? err.target : '?';
  return [{ method: target, outcome: 'failed', reason: err instanceof TransportError ? REASON_OF[err.code] : null, detail: (err as Error)?.message ?? String(err) }];
}

export interface MeasureInput {
  spec: ExerciseSpec;
  lab: LabFile;
  task: SpecTask;
  snapshot: HostSnapshot;
  network: NetworkInfo | null;
  /** Roles to measure (the task's VMs attached to its network). */
  roles: string[];
  lang: Lang;
  deps: EngineDeps;
  pool: ConnectionPool;
}

export interface MeasureOutput {
  guests: Record<string, GuestOutcome>;
  connectMs: number;
  probeMs: number;
}

/** Negative pings worth a second try; a ping cut off by its bound (`cut-off`) is tried again too. */
const RETRYABLE = new Set<string>(['no-reply', 'no-neighbour']);

/** A second try replaces the first unless the probe could not run at all (a cut-off one still does). */
function settled(r: Reachability): boolean {
  return r.ok || r.error.cause === 'cut-off';
}

/** Which probes the theory of this task expects to succeed (by the question checks that use them). */
export function expectedPositives(task: SpecTask, spec: ExerciseSpec): { outside: boolean; host: boolean; peer: boolean; dns: boolean } {
  const yes = (check: string): boolean =>
    task.questions.some((qid) => {
      const th = task.theory[qid];
      return spec.questions[qid]?.check === check && th?.kind === 'yes-no' && th.value;
    });
  return { outside: yes('outside-reach') || yes('reach-via'), host: yes('host-reach'), peer: yes('peer-reach'), dns: yes('dns-resolution') };
}

export function osOf(spec: ExerciseSpec, lab: LabFile, role: string): OsFamily {
  return lab.vms[role]?.os ?? spec.vms[role]?.os ?? 'linux';
}

function cap(s: string): string {
  return s.length > EVIDENCE_CAP ? `${s.slice(0, EVIDENCE_CAP)}…` : s;
}

export function redactEvidence(ev: CommandEvidence[], redact: (s: string) => string): CommandEvidence[] {
  return ev.map((e) => ({
    ...e,
    command: redact(e.command),
    stdout: cap(redact(e.stdout)),
    stderr: cap(redact(e.stderr)),
    ...(e.error !== undefined ? { error: redact(e.error) } : {}),
  }));
}

/** Why a guest could not be reached, in words, with the transport's code. */
export function describeOpenError(err: unknown, lang: Lang, guest: string): { error: string; code: string } {
  // openGuest's own error already names the guest and every access method tried, with its reason.
  if (err instanceof TransportError && Array.isArray((err as { tried?: unknown }).tried)) {
    return { error: err.message, code: err.code };
  }
  if (err instanceof TransportError) {
    return { error: t(lang, 'openFailed', { guest, target: err.target, code: err.code, message: err.message }), code: err.code };
  }
  const e = err as { message?: string; code?: unknown };
  const code = typeof e?.code === 'string' ? e.code : 'error';
  return { error: t(lang, 'openFailedPlain', { guest, message: e?.message ?? String(err) }), code };
}

interface Phase1 {
  role: string;
  conn?: Connection;
  config?: GuestConfig;
  /** From the survey (probers that have one): the lookup, and the pings of targets known early. */
  early?: { resolve: Resolution; reach: Reachability[] };
  evidence: CommandEvidence[];
  failure?: { error: string; code: string };
  connectMs: number;
  configMs: number;
}

/** The extra facts the task's questions asked of this role need (none for most exercises). */
export function factRequests(spec: ExerciseSpec, task: SpecTask, role: string, checks: EngineDeps['questionChecks']): FactRequest[] {
  const out: FactRequest[] = [];
  for (const qid of task.questions) {
    const q = spec.questions[qid];
    const c = q && Object.hasOwn(checks, q.check) ? checks[q.check] : undefined;
    if (!q || !c?.needs || !rolesAsked(task, qid).includes(role)) continue;
    out.push(...c.needs(q));
  }
  return out;
}

async function extraFor(input: MeasureInput, role: string, os: OsFamily, conn: Connection, ev: CommandEvidence[]): Promise<Pick<GuestFacts, 'sysctl' | 'nat'>> {
  const requests = factRequests(input.spec, input.task, role, input.deps.questionChecks);
  if (requests.length === 0) return {};
  const guest = input.deps.redact(conn.target);
  if (!input.deps.extraFacts) return unmeasuredExtra(requests, { guest, cause: 'failed', detail: 'this grader was built without extra fact probes' });
  try {
    return await input.deps.extraFacts(os, conn, requests, ev);
  } catch (err) {
    // The channel broke while the script ran (a transport error), or the prober itself failed: nothing was measured.
    const cause = err instanceof TransportError ? 'transport' : 'failed';
    return unmeasuredExtra(requests, { guest, cause, detail: input.deps.redact((err as Error)?.message ?? String(err)) });
  }
}

/** A survey's facts with the evidence ids of the parts that measured them. */
function citeSurvey(f: SurveyFacts, ids: Record<string, string | undefined>): SurveyFacts {
  const at = (id: string | undefined) => (id ? { evidence: id } : {});
  return { config: { ...f.config, ...at(ids.config) }, resolve: { ...f.resolve, ...at(ids.lookup) }, reach: f.reach.map((r) => ({ ...r, ...at(ids.reach) })) };
}

export async function measureTask(input: MeasureInput): Promise<MeasureOutput> {
  const { spec, lab, task, snapshot, network, roles, lang, deps, pool } = input;
  const probes = { ...spec.probes, ...(lab.probes ?? {}) };
  const redact = (s: string): string => deps.redact(s);
  const hostAddr = hostAddressOf(network);

  // What libvirt leased a role on this network: probed early (in the survey), and the fallback
  // target when the peer itself could not be measured.
  const leasedTo = (role: string): string[] => {
    const dom = findDomain(spec, lab, snapshot, role);
    const macs = (dom?.interfaces ?? []).map((i) => normMac(i.mac));
    return snapshot.leases.filter((l) => network && l.network === network.name && macs.includes(normMac(l.mac))).map((l) => l.address);
  };
  const peersOf = (role: string): string[] => task.vms.filter((r) => r !== role);

  // Phase 1: connect, then the configuration, every VM in parallel. With a survey (Linux), the same
  // round trip also looks the name up and pings what is known already (outside, host, the peers'
  // leases); openGuest may run it as its identity check.
  const phase1 = await Promise.all(
    roles.map(async (role): Promise<Phase1> => {
      const os = osOf(spec, lab, role);
      const guest = domainName(spec, lab, role);
      const prober = deps.proberFor(os);
      const evidence: CommandEvidence[] = [];
      const req: SurveyRequest = {
        name: probes.resolveName,
        targets: [...new Set([probes.outsideHost, ...(hostAddr ? [hostAddr] : []), ...peersOf(role).flatMap(leasedTo)])],
        timeoutMs: probes.timeoutMs,
      };
      let plan: PlannedScript | undefined;
      try {
        plan = prober.survey?.plan(req);
      } catch {
        // A name or target the prober refuses: the separate probes below say so, per probe.
        plan = undefined;
      }
      const t0 = Date.now();
      let conn: Connection;
      try {
        conn = await pool.get(role, os, network, plan);
      } catch (err) {
        return { role, evidence, failure: describeOpenError(err, lang, guest), connectMs: Date.now() - t0, configMs: 0 };
      }
      const first = plan ? pool.takeFirst(role, plan) : undefined;
      // The survey that ran as the identity check is probing time, not connecting time.
      const t1 = Date.now() - (first?.durationMs ?? 0);
      try {
        if (plan && prober.survey) {
          // The run that openGuest already made (its identity check), else the survey now; a broken
          // channel is recorded by runProbe and handled below.
          const r = first ?? (await conn.runScript(plan.script, plan.args, { timeoutMs: plan.timeoutMs }).catch((err: unknown) => {
            recordRun(conn, plan!.label, { exitCode: null, stdout: '', stderr: '', durationMs: 0, truncated: false, timedOut: false }, plan!.timeoutMs, evidence, redact((err as Error)?.message ?? String(err)));
            throw err;
          }));
          // One evidence entry per part, so each question cites (and shows) its own command and output.
          const parts = prober.survey.parts?.(r, req) ?? [{ key: 'config' as const, label: plan.label, stdout: r.stdout }];
          const ids = recordParts(conn, r, plan.timeoutMs, parts, evidence);
          const f = citeSurvey(prober.survey.read(r, req, conn.target), { config: ids.config, lookup: ids.lookup ?? ids.config, reach: ids.reach ?? ids.config });
          return { role, conn, config: f.config, early: { resolve: f.resolve, reach: f.reach }, evidence, connectMs: t1 - t0, configMs: Date.now() - t1 };
        }
        const config = await prober.config(conn, evidence);
        return { role, conn, config, evidence, connectMs: t1 - t0, configMs: Date.now() - t1 };
      } catch (err) {
        const msg = (err as Error)?.message ?? String(err);
        return {
          role,
          conn,
          evidence,
          failure: { error: t(lang, 'configFailed', { guest, message: msg }), code: err instanceof TransportError ? err.code : 'probe-failed' },
          connectMs: t1 - t0,
          configMs: Date.now() - t1,
        };
      }
    }),
  );
  const connectMs = Math.max(0, ...phase1.map((p) => p.connectMs));
  const t2 = Date.now();

  // Targets: the outside host, the host's address on the network, each peer's addresses there.
  const addressesOf = (role: string): string[] => {
    const p = phase1.find((x) => x.role === role);
    if (p?.config && p.config.interfaces.ok) {
      const iface = interfaceOn(snapshot, domainName(spec, lab, role), network, p.config.interfaces.value);
      return (iface?.ipv4 ?? []).map((a) => a.address);
    }
    // The peer could not be measured: what libvirt leased it on this network is a hint worth probing.
    return leasedTo(role);
  };

  // Phase 2: whatever the survey could not know (a peer's address that was not its lease), then
  // name resolution and reachability for probers without a survey; every VM in parallel.
  const guests: Record<string, GuestOutcome> = {};
  await Promise.all(
    phase1.map(async (p) => {
      const os = osOf(spec, lab, p.role);
      const guest = domainName(spec, lab, p.role);
      if (p.failure || !p.conn || !p.config) {
        guests[p.role] = { ok: false, error: redact(p.failure?.error ?? 'unknown'), code: p.failure?.code ?? 'error', evidence: redactEvidence(p.evidence, redact) };
        return;
      }
      const prober = deps.proberFor(os);
      const conn = p.conn;
      const targets = [...new Set([probes.outsideHost, ...(hostAddr ? [hostAddr] : []), ...peersOf(p.role).flatMap(addressesOf)])];
      // The channel broke: not measured (cause transport), never a "no".
      const brokenReach = (list: string[]) => (err: unknown): Reachability[] =>
        list.map((target) => {
          const detail = redact((err as Error)?.message ?? String(err));
          const evidence = evidenceOfError(err);
          return reachFailed(target, { command: `ping ${target}`, guest: redact(conn.target), tool: 'ping', cause: 'transport', detail, exitCode: null }, evidence ? { evidence } : {});
        });
      const reachOf = (list: string[]): Promise<Reachability[]> =>
        list.length === 0 ? Promise.resolve([]) : prober.reach(conn, list, probes.timeoutMs, p.evidence).catch(brokenReach(list));
      const resolveNow = (): Promise<Resolution> =>
        prober.resolve(conn, probes.resolveName, probes.timeoutMs, p.evidence).catch((err: unknown): Resolution => {
          const detail = redact((err as Error)?.message ?? String(err));
          const evidence = evidenceOfError(err);
          return resolveFailed(probes.resolveName, { command: `resolve ${probes.resolveName}`, guest: redact(conn.target), tool: 'resolve', cause: 'transport', detail, exitCode: null }, evidence ? { evidence } : {});
        });
      let reach: Reachability[];
      let resolve: Resolution;
      if (p.early) {
        // Early results for targets that turned out not to matter (a stale lease) are dropped.
        const known = new Map(p.early.reach.map((r) => [r.target, r]));
        const late = await reachOf(targets.filter((tg) => !known.has(tg)));
        const byTarget = new Map([...known, ...late.map((r) => [r.target, r] as const)]);
        reach = targets.map((tg) => byTarget.get(tg)!).filter((r) => r !== undefined);
        resolve = p.early.resolve;
      } else {
        [reach, resolve] = await Promise.all([reachOf(targets), resolveNow()]);
      }
      // A negative result where the theory expects a positive one is measured once more before it
      // is believed (a busy host or a slow first DNS forward can lose one probe); expected
      // negatives are never repeated, so they cost one timeout only.
      const expectYes = expectedPositives(task, spec);
      const worthRetry = (list: Reachability[]): string[] =>
        list
          .filter((r) => (r.ok ? RETRYABLE.has(r.value.status) : r.error.cause === 'cut-off'))
          .map((r) => r.target)
          .filter((tg) => (tg === probes.outsideHost && expectYes.outside) || (tg === hostAddr && expectYes.host) || (tg !== probes.outsideHost && tg !== hostAddr && expectYes.peer));
      const retry = worthRetry(reach);
      const retryResolve = expectYes.dns && (!resolve.ok || resolve.value.status === 'timeout' || resolve.value.status === 'not-found' || resolve.value.status === 'server-failure');
      if (retry.length > 0 || retryResolve) {
        const [again, again2] = await Promise.all([
          retry.length > 0 ? prober.reach(conn, retry, probes.timeoutMs, p.evidence).catch(() => [] as Reachability[]) : Promise.resolve([] as Reachability[]),
          retryResolve ? prober.resolve(conn, probes.resolveName, probes.timeoutMs, p.evidence).catch(() => null) : Promise.resolve(null),
        ]);
        for (const r of again) {
          const i = reach.findIndex((x) => x.target === r.target);
          if (i >= 0 && settled(r)) reach[i] = r;
        }
        if (again2 && again2.ok) resolve = again2;
      }
      // A probe this connection may not run (permission denied: an unprivileged login) is measured
      // through the next access method of the lab file that opens (the guest agent runs as root),
      // and both methods are named in the access trail.
      const denied = reach.filter((r) => !r.ok && r.error.cause === 'permission-denied').map((r) => r.target);
      const resolveDenied = !resolve.ok && resolve.error.cause === 'permission-denied';
      if (denied.length > 0 || resolveDenied) {
        const what = [...(denied.length > 0 ? [`ping ${denied.join(', ')}`] : []), ...(resolveDenied ? [`resolve ${probes.resolveName}`] : [])].join('; ');
        const alt = await pool.fallback(p.role, os, network, conn, t(lang, 'fallbackUsed', { first: redact(conn.target), what }));
        if (alt) {
          const [first, again2] = await Promise.all([
            denied.length > 0 ? prober.reach(alt, denied, probes.timeoutMs, p.evidence).catch(() => [] as Reachability[]) : Promise.resolve([] as Reachability[]),
            resolveDenied ? prober.resolve(alt, probes.resolveName, probes.timeoutMs, p.evidence).catch(() => null) : Promise.resolve(null),
          ]);
          // The same second try as above, through the method that measured.
          const twice = worthRetry(first);
          const second = twice.length > 0 ? await prober.reach(alt, twice, probes.timeoutMs, p.evidence).catch(() => [] as Reachability[]) : [];
          const again = first.map((r) => second.find((x) => x.target === r.target && settled(x)) ?? r);
          for (const r of again) {
            const i = reach.findIndex((x) => x.target === r.target);
            if (i >= 0 && settled(r)) reach[i] = r;
          }
          if (again2 && again2.ok) resolve = again2;
        }
      }
      const extra = await extraFor(input, p.role, os, conn, p.evidence);
      const facts: GuestFacts = {
        role: p.role,
        domain: guest,
        os,
        transport: conn.kind,
        reachedVia: redact(conn.target),
        config: p.config,
        reach: Object.fromEntries(reach.map((r) => [r.target, r])),
        resolve,
        evidence: redactEvidence(p.evidence, redact),
        ...extra,
      };
      guests[p.role] = { ok: true, facts };
    }),
  );
  const probeMs = Math.max(0, ...phase1.map((p) => p.configMs)) + (Date.now() - t2);
  return { guests, connectMs, probeMs };
}
