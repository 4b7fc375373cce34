// Tests write and read guest facts in a flat form (fields side by side, a status per probe); these
// convert to and from the real shape, where each part is a Measured<T> (grader/types.ts). The flat
// form is only for tests: `error` there is exactly the failed side of the Measured.
import type { GuestConfig, GuestInterface, GuestProber, MeasurementError, Reachability, ReachStatus, Resolution, ResolveStatus, SurveyFacts } from '../../grader/types.js';
import { configOf } from '../../grader/probes/measurement.js';

export interface FlatConfig {
  interfaces: GuestInterface[];
  defaultGateway: string | null;
  dnsServers: string[];
  dnsSearch: string[];
  firewallEnabled: boolean | null;
  errors?: Partial<Record<'interfaces' | 'gateway' | 'dns', MeasurementError>>;
  evidence?: string;
}

export type FlatReachStatus = ReachStatus | 'probe-timeout' | 'error';

export interface FlatReach {
  target: string;
  status: FlatReachStatus;
  detail?: string;
  error?: MeasurementError;
  command?: string;
  evidence?: string;
}

export interface FlatResolution {
  name: string;
  status: ResolveStatus | 'error';
  addresses: string[];
  server: string | null;
  error?: MeasurementError;
  tool?: string;
  command?: string;
  evidence?: string;
}

const fakeError = (command: string, cause: MeasurementError['cause'], detail: string): MeasurementError => ({ command, guest: 'guest', tool: command.split(' ')[0]!, cause, detail, exitCode: null });

export function toConfig(f: FlatConfig): GuestConfig {
  const c = configOf(f, f.errors ?? {});
  return f.evidence ? { ...c, evidence: f.evidence } : c;
}

export function fromConfig(c: GuestConfig): FlatConfig {
  const errors: NonNullable<FlatConfig['errors']> = {};
  if (!c.interfaces.ok) errors.interfaces = c.interfaces.error;
  if (!c.gateway.ok) errors.gateway = c.gateway.error;
  if (!c.dns.ok) errors.dns = c.dns.error;
  return {
    interfaces: c.interfaces.ok ? c.interfaces.value : [],
    defaultGateway: c.gateway.ok ? c.gateway.value : null,
    dnsServers: c.dns.ok ? c.dns.value.servers : [],
    dnsSearch: c.dns.ok ? c.dns.value.search : [],
    firewallEnabled: c.firewallEnabled,
    ...(Object.keys(errors).length > 0 ? { errors } : {}),
    ...(c.evidence ? { evidence: c.evidence } : {}),
  };
}

/** A flat status as a Reachability: `probe-timeout` is a cut-off probe, `error` one that could not run. */
export function toReach(f: FlatReach): Reachability {
  const extra = { ...(f.command ? { command: f.command } : {}), ...(f.evidence ? { evidence: f.evidence } : {}) };
  if (f.status === 'probe-timeout' || f.status === 'error') {
    const error = f.error ?? fakeError(`ping ${f.target}`, f.status === 'probe-timeout' ? 'cut-off' : 'failed', f.detail ?? '');
    return { ok: false, error, target: f.target, ...extra };
  }
  return { ok: true, value: f.detail !== undefined ? { status: f.status, detail: f.detail } : { status: f.status }, target: f.target, ...extra };
}

export function fromReach(r: Reachability): FlatReach {
  const extra = { ...(r.command ? { command: r.command } : {}), ...(r.evidence ? { evidence: r.evidence } : {}) };
  if (!r.ok) return { target: r.target, status: r.error.cause === 'cut-off' ? 'probe-timeout' : 'error', detail: r.error.detail, error: r.error, ...extra };
  return { target: r.target, status: r.value.status, ...(r.value.detail !== undefined ? { detail: r.value.detail } : {}), ...extra };
}

export function toResolution(f: FlatResolution): Resolution {
  const extra = { ...(f.tool ? { tool: f.tool } : {}), ...(f.command ? { command: f.command } : {}), ...(f.evidence ? { evidence: f.evidence } : {}) };
  if (f.status === 'error') return { ok: false, error: f.error ?? fakeError(`getent ahostsv4 ${f.name}`, 'failed', 'lookup failed'), name: f.name, ...extra };
  return { ok: true, value: { status: f.status, addresses: f.addresses, server: f.server }, name: f.name, ...extra };
}

export function fromResolution(r: Resolution): FlatResolution {
  const extra = { ...(r.tool ? { tool: r.tool } : {}), ...(r.command ? { command: r.command } : {}), ...(r.evidence ? { evidence: r.evidence } : {}) };
  if (!r.ok) return { name: r.name, status: 'error', addresses: [], server: null, error: r.error, ...extra };
  return { name: r.name, status: r.value.status, addresses: r.value.addresses, server: r.value.server, ...extra };
}

/** Survey facts in the flat form. */
export function fromSurvey(f: SurveyFacts): { config: FlatConfig; resolve: FlatResolution; reach: FlatReach[] } {
  return { config: fromConfig(f.config), resolve: fromResolution(f.resolve), reach: f.reach.map(fromReach) };
}

/** A prober whose answers come in the flat form (for tests that assert on probe results). */
export function flatProber(p: GuestProber) {
  return {
    os: p.os,
    config: async (...a: Parameters<GuestProber['config']>) => fromConfig(await p.config(...a)),
    reach: async (...a: Parameters<GuestProber['reach']>) => (await p.reach(...a)).map(fromReach),
    resolve: async (...a: Parameters<GuestProber['resolve']>) => fromResolution(await p.resolve(...a)),
    survey: p.survey
      ? { ...p.survey, read: (...a: Parameters<NonNullable<GuestProber['survey']>['read']>) => fromSurvey(p.survey!.read(...a)) }
      : undefined,
  };
}
