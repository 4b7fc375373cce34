// Helpers shared by the question checks: find the guest interface that sits on the task's
// network, pick the evidence a check relies on, and describe guests and probe results in words.
// Checks read facts only; they never run anything.
import type { CommandEvidence, GuestAddress, GuestFacts, GuestInterface, HostSnapshot, LeaseInfo, MeasurementError, NetworkInfo, ReachStatus } from '../../grader/types.js';
import type { GuestOutcome, Observation, QuestionCheck, QuestionContext } from '../types.js';
import { interfaceOn, macsOn, normMac } from '../../grader/facts/interfaces.js';
import { inRange, inSubnet, isLinkLocal } from '../../grader/net/ipv4.js';
import { measurementWords } from '../../grader/facts/describe.js';
import { data, msg, type Msg, type MsgArg } from '../../grader/i18n/messages.js';
import type es from '../../grader/i18n/es/grade.js';

export type GradeKey = keyof typeof es;

/**
 * A message of the grading catalog (grader/i18n/{es,en}/grade.ts) with its parameters: checks say
 * nothing in a language themselves; the verdict keeps the message and renders it in either
 * (grader/verdict.ts, reports/model.ts). Parameters that are data stay plain strings.
 */
export function tr(_ctx: unknown, key: GradeKey, params?: Record<string, MsgArg>): Msg {
  return msg('grade', key, params);
}

export { data, join, type Msg } from '../../grader/i18n/messages.js';

export { inRange, inSubnet, isLinkLocal };

/** The domain name the lab file gives for a role (falls back to the spec's default). */
export function domainOf(ctx: QuestionContext, role: string): string {
  return ctx.lab.vms[role]?.domain ?? ctx.spec.vms[role]?.defaultDomain ?? role;
}

export { interfaceOn, macsOn, normMac };

/** MACs of the role's NICs on the task's network (from the host snapshot). */
export function taskMacs(ctx: QuestionContext, role: string): string[] {
  return macsOn(ctx.snapshot, domainOf(ctx, role), ctx.network);
}

/** The guest's interface on the task's network; only for interfaces that were measured. */
export function taskInterface(ctx: QuestionContext, facts: GuestFacts, interfaces: GuestInterface[]): GuestInterface | null {
  return interfaceOn(ctx.snapshot, facts.domain, ctx.network, interfaces);
}

/** The address that matters: the first non-link-local IPv4, else a link-local (APIPA) one. */
export function mainAddress(iface: GuestInterface | null): GuestAddress | null {
  if (!iface) return null;
  return iface.ipv4.find((a) => !isLinkLocal(a.address)) ?? iface.ipv4[0] ?? null;
}

/**
 * IPv4 addresses of a guest on the task network (what peers should be able to reach); null when
 * its interfaces could not be read (unknown, not "no address").
 */
export function taskAddresses(ctx: QuestionContext, facts: GuestFacts): string[] | null {
  if (!facts.config.interfaces.ok) return null;
  const iface = taskInterface(ctx, facts, facts.config.interfaces.value);
  return (iface?.ipv4 ?? []).map((a) => a.address);
}

/** `debian12 (ssh root@192.168.101.130:22)` — names the guest and how labgrade got in. */
export function guestLabel(facts: GuestFacts): string {
  const via = facts.reachedVia && facts.reachedVia.startsWith(facts.transport) ? facts.reachedVia : `${facts.transport}${facts.reachedVia ? ` ${facts.reachedVia}` : ''}`;
  return `${facts.domain} (${via})`;
}

/** Leases libvirt shows for the MACs of a role (any network): hints, never proof. */
export function leasesOf(ctx: QuestionContext, role: string): LeaseInfo[] {
  const dom = ctx.snapshot.domains.find((d) => d.name === domainOf(ctx, role));
  if (!dom) return [];
  const macs = dom.interfaces.map((i) => normMac(i.mac));
  return ctx.snapshot.leases.filter((l) => macs.includes(normMac(l.mac)));
}

/** "Could not measure": the command, the guest, what happened and the fix (a message). */
export { measurementWords };

/** The observation of a measurement that could not be made: outcome `error`, never a fact. */
export function notMeasured(ctx: QuestionContext, err: MeasurementError, what: MsgArg, evidence: CommandEvidence[], guest?: string): Observation {
  const error = measurementWords(err, what, guest);
  return { value: null, display: tr(ctx, 'displayUnknown'), codes: ['not-measured', `not-measured-${err.cause}`], explanation: error, evidence, error };
}

/** The observation of a guest that could not be measured: outcome `error`, with the reason. */
export function unmeasured(ctx: QuestionContext, role: string, outcome: Extract<GuestOutcome, { ok: false }> | undefined): Observation {
  const guest = domainOf(ctx, role);
  const error = outcome
    ? tr(ctx, 'obsGuestUnreachable', { guest, reason: outcome.error })
    : tr(ctx, 'obsGuestNotMeasured', { guest });
  return {
    value: null,
    display: tr(ctx, 'displayUnknown'),
    codes: [outcome ? `guest-${outcome.code}` : 'guest-not-measured', 'unreachable-guest'],
    explanation: error,
    evidence: outcome?.evidence ?? [],
    error,
  };
}

/** A question check that reads the asked VM's facts (every check but none: the guard lives here once). */
export type GuestCheck = Omit<QuestionCheck, 'observe'> & { observe(ctx: QuestionContext, facts: GuestFacts): Observation };

/**
 * The check, guarded: a VM that could not be reached or measured gives the "could not measure"
 * observation with the reason (`unmeasured`), and `observe` only ever sees measured facts.
 */
export function onMeasuredGuest(check: GuestCheck): QuestionCheck {
  return {
    ...check,
    observe(ctx) {
      const g = ctx.guests[ctx.role];
      if (!g || !g.ok) return unmeasured(ctx, ctx.role, g && !g.ok ? g : undefined);
      return check.observe(ctx, g.facts);
    },
  };
}

/**
 * The evidence entries that produced a fact, by the ids the facts carry (CommandEvidence.id): a
 * check cites what measured the fact, never an entry found by matching text.
 */
export function evidenceOf(facts: GuestFacts, ...ids: (string | undefined)[]): CommandEvidence[] {
  const want = new Set(ids.filter((x): x is string => typeof x === 'string'));
  return facts.evidence.filter((e) => e.id !== undefined && want.has(e.id));
}

/** The evidence of the configuration (addresses, routes, DNS). */
export function configEvidence(facts: GuestFacts): CommandEvidence[] {
  return evidenceOf(facts, facts.config.evidence);
}

/** The evidence of the pings of these targets. */
export function reachEvidence(facts: GuestFacts, targets: string[]): CommandEvidence[] {
  return evidenceOf(facts, ...targets.map((tg) => facts.reach[tg]?.evidence));
}

/** The command that measured a target, as the prober cites it for this target alone (`ping -c1 -W1 B`). */
export function commandFor(facts: GuestFacts, target: string, fallback: string): string {
  return facts.reach[target]?.command ?? fallback;
}

/** A probe's status in words; a probe that could not be made is `error`, one cut off `probe-timeout`. */
export function reachStatusText(ctx: QuestionContext, status: ReachStatus | 'probe-timeout' | 'error'): Msg {
  const key = `reach_${status.replace(/-/g, '_')}` as GradeKey;
  return tr(ctx, key);
}

export function yesNo(ctx: unknown, v: boolean): Msg {
  return tr(ctx, v ? 'yes' : 'no');
}

export function joinList(items: string[]): string {
  return items.length === 0 ? '-' : items.join(', ');
}

/** Describes an address: `192.168.101.130/24 (DHCP)`. */
export function addressText(ctx: unknown, a: GuestAddress): Msg {
  const origin = tr(ctx, `origin_${a.origin.replace(/-/g, '_')}` as GradeKey);
  return tr(ctx, 'addressOrigin', { address: `${a.address}/${a.prefix}`, origin });
}

/**
 * What the config questions start from: the guest's interface on the task's network and the
 * evidence of its configuration, or the observation saying the guest has no NIC there.
 */
export function configOnTask(
  ctx: QuestionContext,
  facts: GuestFacts,
): { iface: GuestInterface; evidence: CommandEvidence[]; guest: string } | { observation: Observation } {
  const evidence = configEvidence(facts);
  const guest = guestLabel(facts);
  const interfaces = facts.config.interfaces;
  if (!interfaces.ok) return { observation: notMeasured(ctx, interfaces.error, tr(ctx, 'what_interfaces'), evidence, guest) };
  const iface = taskInterface(ctx, facts, interfaces.value);
  if (!iface) {
    return {
      observation: {
        value: null,
        display: tr(ctx, 'displayNoInterface'),
        codes: ['no-interface-on-network'],
        explanation: tr(ctx, 'obsNoInterface', { guest, network: ctx.network?.name ?? '?' }),
        evidence,
      },
    };
  }
  return { iface, evidence, guest };
}
