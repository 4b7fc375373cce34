// `labgrade init`, the pure part: from an exercise spec and a snapshot of the student's libvirt
// host, propose a lab file. Networks are matched to the spec's keys by their properties (type,
// DHCP, host address) first and by name only to break ties; VM roles are matched to domains by
// the OS they run (guest agent, then virt-manager's libosinfo metadata, then the name). Whatever
// is not certain becomes a Note, written as a comment in the lab file and printed on the terminal.
import type {
  AccessMethod,
  DomainInfo,
  ExerciseSpec,
  HostSnapshot,
  NetworkInfo,
  NetworkType,
  OsFamily,
  ProbeTargets,
  SpecNetwork,
  SpecVm,
} from '../types.js';
import type { Params } from '../i18n/translate.js';
import { bestSimilarity } from './similarity.js';
import { externalCandidates, vmNicNetworks } from './attachments.js';
import { nicOn } from '../libvirt/attachment.js';
import { detectOs, type AgentOsInfo, type DetectedOs } from './os-detect.js';
import { passwordEnvName } from '../transports/self-password.js';

export type NoteCode =
  | 'network-chosen'
  | 'network-ambiguous'
  | 'network-missing'
  | 'network-properties'
  | 'network-default-skipped'
  | 'network-only-default'
  | 'network-inactive'
  | 'network-override'
  | 'network-override-unknown'
  | 'vm-chosen'
  | 'vm-ambiguous'
  | 'vm-missing'
  | 'vm-os-mismatch'
  | 'vm-os-unknown'
  | 'vm-override'
  | 'vm-override-unknown'
  | 'vm-not-running'
  | 'vm-nics'
  | 'vm-nic-missing'
  | 'network-external'
  | 'no-agent-channel'
  | 'no-ssh-key'
  | 'ssh-password'
  | 'not-for-hand-in'
  | 'winrm-password'
  | 'winrm-certificate'
  | 'netns-detected'
  | 'probes-default';

export interface Note {
  /** Where in the lab file: `networks.nat`, `vms.windows`, `vms.linux.access`, `uri`, `probes`. */
  path: string;
  code: NoteCode;
  /** warning: the user must look at it (ambiguity, something missing); info: why a choice was made. */
  severity: 'warning' | 'info';
  params: Params;
}

export interface InitOptions {
  uri: string;
  /** Network namespace the guests are reached from (detected or given). */
  netns?: string | undefined;
  /** User name for SSH logins into Linux guests. */
  sshUser: string;
  /** A private key file to write in the file (--ssh-key: then the file cannot be handed in). */
  sshKeyFile?: string | undefined;
  /** Whether the user has an SSH key labgrade finds by itself (~/.ssh/id_*) or named one. */
  sshKeyFound?: boolean;
  knownHostsFile?: string | undefined;
  /** Whether an ssh-agent is running (SSH_AUTH_SOCK). */
  sshAgent?: boolean;
  /** Pin unknown SSH host keys on first use (never a changed one). */
  acceptNewHostKey?: boolean;
  winrmUser: string;
  /** Probe target overrides (a lab with its own "Internet"). */
  probes?: Partial<ProbeTargets> | undefined;
  /** Explicit choices that win over detection: network key -> name, VM role -> domain. */
  networkOverrides?: Record<string, string>;
  vmOverrides?: Record<string, string>;
  /** The guest agents' `guest-get-osinfo` answers, by domain name (running domains with an agent). */
  agentOs?: Record<string, AgentOsInfo | null>;
}

export interface ProposedVm {
  role: string;
  domain: string;
  /** Set when the domain's OS differs from the spec's (written as `os:` in the lab file). */
  os?: OsFamily;
  access: AccessMethod[];
}

export interface ProposedLab {
  uri: string;
  netns?: string;
  networks: Record<string, string>;
  vms: Record<string, ProposedVm>;
  probes?: Partial<ProbeTargets>;
}

export interface Proposal {
  lab: ProposedLab;
  notes: Note[];
}

// ---------------------------------------------------------------- networks

interface NetProps {
  type: NetworkType;
  dhcp: boolean;
  hostAddress: boolean;
}

export function networkProps(n: NetworkInfo): NetProps {
  return {
    type: n.type,
    dhcp: n.ips.some((ip) => ip.dhcpRanges.length > 0),
    hostAddress: n.ips.length > 0,
  };
}

const TYPE_FAMILY: Record<NetworkType, string> = {
  nat: 'routed',
  route: 'routed',
  open: 'routed',
  isolated: 'private',
  'very-isolated': 'private',
  bridge: 'public',
  macvtap: 'public',
  other: 'other',
};

/**
 * How well a network's properties fit a spec network: 3 all of type, DHCP and host address;
 * 2 the type (a property differs: e.g. an isolated network left with DHCP); 1 a related type
 * (isolated vs very isolated, NAT vs routed); 0 not a candidate.
 */
export function propertyTier(want: SpecNetwork, n: NetworkInfo): number {
  const p = networkProps(n);
  if (p.type === want.type) return p.dhcp === want.dhcp && p.hostAddress === want.hostAddress ? 3 : 2;
  if (TYPE_FAMILY[p.type] === TYPE_FAMILY[want.type] && TYPE_FAMILY[p.type] !== 'other') return 1;
  return 0;
}

function networkReferences(key: string, want: SpecNetwork): string[] {
  return [...want.names, key, want.title.es, want.title.en];
}

/** libvirt's own network: a NAT network the exercise asks the student NOT to reuse. */
const LIBVIRT_DEFAULT = 'default';

function attachedCount(snapshot: HostSnapshot, net: NetworkInfo): number {
  let n = 0;
  for (const d of snapshot.domains) if (d.interfaces.some((i) => nicOn(i, net))) n++;
  return n;
}

interface Scored<T> {
  item: T;
  tier: number;
  name: number;
  score: number;
}

/**
 * One-to-one assignment maximising the total score (exhaustive: a spec has a handful of keys, a
 * host a few dozen objects). Keys may stay unassigned when no candidate is left.
 */
function assign<T>(keys: string[], candidates: Map<string, Scored<T>[]>, id: (t: T) => string): Map<string, Scored<T>> {
  let best = new Map<string, Scored<T>>();
  let bestTotal = -Infinity;
  const current = new Map<string, Scored<T>>();
  const used = new Set<string>();
  let budget = 200_000;
  const walk = (i: number, total: number): void => {
    if (budget-- <= 0) return;
    if (i === keys.length) {
      if (total > bestTotal) {
        bestTotal = total;
        best = new Map(current);
      }
      return;
    }
    const key = keys[i]!;
    for (const c of candidates.get(key) ?? []) {
      const cid = id(c.item);
      if (used.has(cid)) continue;
      used.add(cid);
      current.set(key, c);
      walk(i + 1, total + c.score);
      current.delete(key);
      used.delete(cid);
    }
    walk(i + 1, total);
  };
  walk(0, 0);
  return best;
}

/** Two candidates this close in name similarity, with equal property tiers, are a tie. */
const TIE_MARGIN = 0.25;

function describeNetwork(n: NetworkInfo): Params {
  const p = networkProps(n);
  const ip4 = n.ips.find((i) => i.family === 'ipv4') ?? n.ips[0];
  const range = ip4?.dhcpRanges[0];
  return {
    name: n.name,
    type: n.type,
    dhcp: range ? `${range.start}-${range.end}` : '',
    hasDhcp: p.dhcp,
    address: ip4 ? `${ip4.address}/${ip4.prefix}` : '',
  };
}

function proposeNetworks(spec: ExerciseSpec, snapshot: HostSnapshot, opts: InitOptions, notes: Note[]): Record<string, string> {
  const overrides = opts.networkOverrides ?? {};
  const byName = new Map(snapshot.networks.map((n) => [n.name, n]));
  const keys = Object.keys(spec.networks);
  const out: Record<string, string> = {};
  const fixed = new Set<string>();
  for (const [key, name] of Object.entries(overrides)) {
    if (!spec.networks[key]) continue;
    out[key] = name;
    fixed.add(name);
    notes.push({
      path: `networks.${key}`,
      code: byName.has(name) ? 'network-override' : 'network-override-unknown',
      severity: byName.has(name) ? 'info' : 'warning',
      params: { key, name },
    });
  }
  const open = keys.filter((k) => out[k] === undefined);
  const candidates = new Map<string, Scored<NetworkInfo>[]>();
  for (const key of open) {
    const want = spec.networks[key]!;
    const list: Scored<NetworkInfo>[] = [];
    // Host bridges and macvtap devices are not libvirt networks: the candidates are what NICs use.
    const pool = want.attachment === 'bridge' || want.attachment === 'direct' ? externalCandidates(snapshot, want.attachment) : snapshot.networks;
    for (const n of pool) {
      if (fixed.has(n.name)) continue;
      const tier = propertyTier(want, n);
      if (tier === 0) continue;
      const name = bestSimilarity(n.name, networkReferences(key, want));
      const isDefault = n.name === LIBVIRT_DEFAULT && !want.names.includes(LIBVIRT_DEFAULT);
      const score = tier * 1000 + name * 100 + Math.min(attachedCount(snapshot, n), 2) * 5 + (n.active ? 2 : 0) - (isDefault ? 50 : 0);
      list.push({ item: n, tier, name, score });
    }
    list.sort((a, b) => b.score - a.score || a.item.name.localeCompare(b.item.name));
    candidates.set(key, list);
  }
  const chosen = assign(open, candidates, (n) => n.name);
  const assigned = new Set([...chosen.values()].map((c) => c.item.name));

  for (const key of open) {
    const want = spec.networks[key]!;
    const c = chosen.get(key);
    if (!c) {
      out[key] = want.names[0] ?? key;
      notes.push({
        path: `networks.${key}`,
        code: 'network-missing',
        severity: 'warning',
        params: { key, type: want.type, dhcp: want.dhcp, hostAddress: want.hostAddress, name: out[key] },
      });
      continue;
    }
    const n = c.item;
    out[key] = n.name;
    if (n.external) {
      const users = snapshot.domains.filter((d) => d.interfaces.some((i) => nicOn(i, n))).map((d) => d.name);
      notes.push({ path: `networks.${key}`, code: 'network-external', severity: 'info', params: { key, name: n.name, kind: n.external, users: users.join(', ') } });
    } else notes.push({ path: `networks.${key}`, code: 'network-chosen', severity: 'info', params: { key, ...describeNetwork(n) } });
    if (c.tier < 3) {
      const p = networkProps(n);
      notes.push({
        path: `networks.${key}`,
        code: 'network-properties',
        severity: 'warning',
        params: {
          key,
          name: n.name,
          type: p.type,
          wantType: want.type,
          dhcp: p.dhcp,
          wantDhcp: want.dhcp,
          hostAddress: p.hostAddress,
          wantHostAddress: want.hostAddress,
        },
      });
    }
    if (!n.active) notes.push({ path: `networks.${key}`, code: 'network-inactive', severity: 'warning', params: { key, name: n.name } });
    const others = (candidates.get(key) ?? []).filter((o) => o.item.name !== n.name && !assigned.has(o.item.name));
    const ties = others.filter(
      (o) => o.tier === c.tier && Math.abs(o.name - c.name) < TIE_MARGIN && !(o.item.name === LIBVIRT_DEFAULT && n.name !== LIBVIRT_DEFAULT),
    );
    if (ties.length > 0) {
      notes.push({
        path: `networks.${key}`,
        code: 'network-ambiguous',
        severity: 'warning',
        params: { key, name: n.name, others: ties.map((o) => o.item.name).join(', ') },
      });
    }
    if (n.name === LIBVIRT_DEFAULT && !want.names.includes(LIBVIRT_DEFAULT)) {
      notes.push({ path: `networks.${key}`, code: 'network-only-default', severity: 'warning', params: { key } });
    } else if (others.some((o) => o.item.name === LIBVIRT_DEFAULT && o.tier === c.tier)) {
      notes.push({ path: `networks.${key}`, code: 'network-default-skipped', severity: 'info', params: { key, name: n.name } });
    }
  }
  return out;
}

// ---------------------------------------------------------------- VMs

/** Evidence of the OS from the running system or virt-manager outweighs a guess from the name, a little. */
const EVIDENCE_BONUS: Record<DetectedOs['from'], number> = { agent: 20, osinfo: 20, name: 0 };

function vmReferences(vm: SpecVm): string[] {
  return [vm.defaultDomain, vm.role, vm.title.es, vm.title.en];
}

interface VmCandidate {
  domain: DomainInfo;
  detected: DetectedOs | null;
}

function proposeVms(
  spec: ExerciseSpec,
  snapshot: HostSnapshot,
  opts: InitOptions,
  notes: Note[],
  networks: Record<string, string>,
): Record<string, { domain: DomainInfo | null; name: string; os: OsFamily; detected: DetectedOs | null }> {
  const overrides = opts.vmOverrides ?? {};
  const byName = new Map(snapshot.domains.map((d) => [d.name, d]));
  const detectedOf = (d: DomainInfo): DetectedOs | null => detectOs(d, opts.agentOs?.[d.name] ?? null);
  const roles = Object.keys(spec.vms);
  const out: Record<string, { domain: DomainInfo | null; name: string; os: OsFamily; detected: DetectedOs | null }> = {};
  const fixed = new Set<string>();
  for (const [role, name] of Object.entries(overrides)) {
    const want = spec.vms[role];
    if (!want) continue;
    const d = byName.get(name) ?? null;
    const det = d ? detectedOf(d) : null;
    out[role] = { domain: d, name, os: det?.os ?? want.os, detected: det };
    fixed.add(name);
    notes.push({ path: `vms.${role}`, code: d ? 'vm-override' : 'vm-override-unknown', severity: d ? 'info' : 'warning', params: { role, name } });
  }
  const open = roles.filter((r) => out[r] === undefined);
  const candidates = new Map<string, Scored<VmCandidate>[]>();
  const wantedNics = (role: string): string[] => vmNicNetworks(spec, role).map((k) => networks[k] ?? k);
  const onWanted = (d: DomainInfo, role: string): number => {
    const names = wantedNics(role);
    return names.filter((name) => d.interfaces.some((i) => i.network === name || i.source === name)).length;
  };
  for (const role of open) {
    const want = spec.vms[role]!;
    const list: Scored<VmCandidate>[] = [];
    for (const d of snapshot.domains) {
      if (fixed.has(d.name)) continue;
      const detected = detectedOf(d);
      // 3: runs the role's OS; 2: OS unknown; 1: another OS (used only when nothing else is left).
      const tier = detected === null ? 2 : detected.os === want.os ? 3 : 1;
      const name = bestSimilarity(d.name, vmReferences(want));
      const bonus = detected && detected.os === want.os ? EVIDENCE_BONUS[detected.from] : 0;
      // A router role wants NICs on several networks: a domain that has them is likelier the one.
      const nics = vmNicNetworks(spec, role).length > 1 ? onWanted(d, role) * 10 : 0;
      const score = tier * 1000 + name * 100 + bonus + nics + (d.state === 'running' ? 3 : 0) + (d.agentChannel ? 1 : 0);
      list.push({ item: { domain: d, detected }, tier, name, score });
    }
    list.sort((a, b) => b.score - a.score || a.item.domain.name.localeCompare(b.item.domain.name));
    candidates.set(role, list);
  }
  const chosen = assign(open, candidates, (c) => c.domain.name);
  const assigned = new Set([...chosen.values()].map((c) => c.item.domain.name));
  for (const role of open) {
    const want = spec.vms[role]!;
    const c = chosen.get(role);
    if (!c) {
      out[role] = { domain: null, name: want.defaultDomain, os: want.os, detected: null };
      notes.push({ path: `vms.${role}`, code: 'vm-missing', severity: 'warning', params: { role, os: want.os, name: want.defaultDomain } });
      continue;
    }
    const { domain, detected } = c.item;
    const os = detected?.os ?? want.os;
    out[role] = { domain, name: domain.name, os, detected };
    notes.push({
      path: `vms.${role}`,
      code: 'vm-chosen',
      severity: 'info',
      params: { role, name: domain.name, os, from: detected?.from ?? '', detail: detected?.detail ?? '' },
    });
    if (detected === null) {
      notes.push({ path: `vms.${role}`, code: 'vm-os-unknown', severity: 'warning', params: { role, name: domain.name, os: want.os } });
    } else if (detected.os !== want.os) {
      notes.push({
        path: `vms.${role}`,
        code: 'vm-os-mismatch',
        severity: 'warning',
        params: { role, name: domain.name, os: detected.os, wantOs: want.os, from: detected.from, detail: detected.detail },
      });
    }
    const ties = (candidates.get(role) ?? []).filter(
      (o) => o.item.domain.name !== domain.name && !assigned.has(o.item.domain.name) && o.tier === c.tier && Math.abs(o.name - c.name) < TIE_MARGIN,
    );
    if (ties.length > 0) {
      notes.push({
        path: `vms.${role}`,
        code: 'vm-ambiguous',
        severity: 'warning',
        params: { role, name: domain.name, others: ties.map((o) => o.item.domain.name).join(', ') },
      });
    }
  }
  for (const role of roles) {
    const v = out[role]!;
    const wanted = vmNicNetworks(spec, role);
    if (v.domain && (v.domain.interfaces.length > 1 || wanted.length > 1)) {
      const nics = v.domain.interfaces.map((i) => `${i.network ?? `${i.type} ${i.source || '-'}`} (${i.mac})`).join(', ');
      notes.push({ path: `vms.${role}`, code: 'vm-nics', severity: 'info', params: { role, name: v.name, count: v.domain.interfaces.length, nics: nics || '-' } });
      const missing = wanted.map((k) => networks[k] ?? k).filter((n) => !v.domain!.interfaces.some((i) => i.network === n || i.source === n));
      if (missing.length > 0) notes.push({ path: `vms.${role}`, code: 'vm-nic-missing', severity: 'warning', params: { role, name: v.name, missing: missing.join(', ') } });
    }
    if (v.domain && v.domain.state !== 'running') {
      notes.push({ path: `vms.${role}`, code: 'vm-not-running', severity: 'warning', params: { role, name: v.name, state: v.domain.state } });
    }
  }
  return out;
}

// ---------------------------------------------------------------- access

export { passwordEnvName };

function proposeAccess(role: string, os: OsFamily, domain: DomainInfo | null, opts: InitOptions, notes: Note[]): AccessMethod[] {
  const access: AccessMethod[] = [];
  const path = `vms.${role}.access`;
  if (os === 'linux') {
    access.push({
      kind: 'ssh',
      user: opts.sshUser,
      port: 22,
      ...(opts.sshKeyFile ? { keyFile: opts.sshKeyFile } : {}),
      // Without a key file the running ssh-agent is the only way in (the loader's default too).
      useAgent: (opts.sshAgent ?? false) || !opts.sshKeyFile,
      ...(opts.knownHostsFile ? { knownHostsFile: opts.knownHostsFile } : {}),
      acceptNewHostKey: opts.acceptNewHostKey ?? false,
      jump: 'auto',
    });
    if (!opts.sshKeyFile && !opts.sshKeyFound && !opts.sshAgent) notes.push({ path, code: 'no-ssh-key', severity: 'warning', params: { role } });
    // Never written: the password comes from LABGRADE_<ROLE>_PASSWORD (or a prompt) when checking.
    notes.push({ path, code: 'ssh-password', severity: 'info', params: { role, env: passwordEnvName(role) } });
  } else {
    const env = passwordEnvName(role);
    access.push({
      kind: 'winrm',
      user: opts.winrmUser,
      scheme: 'https',
      port: 5986,
      auth: 'ntlm',
      insecureSkipVerify: false,
      jump: 'auto',
    });
    notes.push({ path, code: 'winrm-password', severity: 'info', params: { role, env } });
    notes.push({ path, code: 'winrm-certificate', severity: 'info', params: { role } });
  }
  if (domain?.agentChannel) {
    access.push({ kind: 'agent' });
  } else if (domain) {
    notes.push({ path, code: 'no-agent-channel', severity: 'warning', params: { role, name: domain.name } });
  }
  return access;
}

// ---------------------------------------------------------------- the whole proposal

export function proposeLab(spec: ExerciseSpec, snapshot: HostSnapshot, opts: InitOptions): Proposal {
  const notes: Note[] = [];
  const networks = proposeNetworks(spec, snapshot, opts, notes);
  const vmChoices = proposeVms(spec, snapshot, opts, notes, networks);
  const vms: Record<string, ProposedVm> = {};
  for (const [role, v] of Object.entries(vmChoices)) {
    const want = spec.vms[role]!;
    vms[role] = {
      role,
      domain: v.name,
      ...(v.os !== want.os ? { os: v.os } : {}),
      access: proposeAccess(role, v.os, v.domain, opts, notes),
    };
  }
  const lab: ProposedLab = { uri: opts.uri, networks, vms };
  if (opts.netns) lab.netns = opts.netns;
  if (opts.probes && Object.keys(opts.probes).length > 0) lab.probes = { ...opts.probes };
  else notes.push({ path: 'probes', code: 'probes-default', severity: 'info', params: {} });
  // What makes a file one a student cannot hand in (validate --student): only ever what was asked for.
  const local = [
    ...(opts.netns ? ['--netns'] : []),
    ...(opts.sshKeyFile ? ['--ssh-key'] : []),
    ...(opts.knownHostsFile ? ['--known-hosts'] : []),
    ...(opts.acceptNewHostKey ? ['--accept-new-host-keys'] : []),
  ];
  if (local.length > 0) notes.push({ path: 'uri', code: 'not-for-hand-in', severity: 'warning', params: { options: local.join(', ') } });
  return { lab, notes };
}

/** Notes of one lab-file path, warnings first. */
export function notesFor(notes: Note[], path: string): Note[] {
  return notes.filter((n) => n.path === path).sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'warning' ? -1 : 1));
}

