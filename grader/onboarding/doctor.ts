// `labgrade doctor`: every prerequisite of grading, checked in order; for each one that fails, the
// exact fix in the user's language. A check is ok / warn / fail / skip (because an earlier one
// failed, with the reason). Nothing here throws to the caller: an unexpected error becomes a
// failed check with its message. The world (virsh, loaders, transports) comes in through
// DoctorDeps so the logic is unit-tested on fixtures and lab-tested for real.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type {
  AccessMethod,
  Connection,
  DomainInfo,
  ExerciseSpec,
  HostSnapshot,
  InputError,
  Lang,
  LabFile,
  LabVm,
  NetworkInfo,
  OsFamily,
  SshAccess,
  WinRmAccess,
} from '../types.js';
import { TransportError } from '../types.js';
import { shWord } from '../transports/quote.js';
import { LibvirtError } from '../libvirt/virsh.js';
import { didYouMean } from '../libvirt/lookup.js';
import { sshCommandsFor } from '../libvirt/uri.js';
import { findNetwork } from '../engine/lookup.js';
import { hostKeyName, entriesFor, loadKnownHosts } from '../transports/known-hosts.js';
import { formatIssues } from '../cli/io.js';
import { t, typeWord, type OnboardingKey } from './notes.js';
import { networkProps } from './propose.js';
import type { Params } from '../i18n/translate.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface DoctorCheck {
  /** Stable id: `virsh`, `lab`, `spec`, `libvirt`, `network.nat`, `vm.linux`, `vm.linux.agent`, `vm.linux.ssh`... */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found (localized). */
  message: string;
  /** The exact fix (localized), for warn and fail. */
  fix?: string;
}

export interface DoctorReport {
  checks: DoctorCheck[];
  /** No check failed: grading can run. */
  canGrade: boolean;
  exitCode: 0 | 1;
}

export interface DoctorDeps {
  /** `virsh -v`; throws LibvirtError kind virsh-missing. */
  virshVersion(uri: string): Promise<string>;
  fileExists(path: string): Promise<boolean>;
  /** Throws InputError with positioned issues. */
  loadLab(path: string): Promise<LabFile>;
  loadSpec(path: string): Promise<ExerciseSpec>;
  /** Throws LibvirtError when libvirt cannot be talked to. */
  inspect(uri: string, domains: string[]): Promise<HostSnapshot>;
  /** Opens one access method of one VM (and nothing else); throws TransportError. */
  open(lab: LabFile, vm: LabVm, method: AccessMethod, snapshot: HostSnapshot, os: OsFamily): Promise<Connection>;
}

export interface DoctorOptions {
  lang: Lang;
  /** Lab file path; when unset, only virsh and libvirt are checked. */
  labPath?: string;
  /** Whether the lab path was given explicitly (a missing default is not a failure). */
  labExplicit?: boolean;
  /** `uri` came from --uri: it wins over the lab file's (every command treats --uri alike: grader/cli/uri-option.ts). */
  uriFromCli?: boolean;
  specPath: string;
  /** libvirt URI when there is no lab file. */
  uri: string;
  /** Don't try SSH/WinRM/agent logins (faster; only libvirt-side checks). */
  noConnect?: boolean;
}

/** For fix texts: a word safe to paste into a POSIX shell. */
export const shq = shWord;

export const AGENT_CHANNEL_XML = [
  "<channel type='unix'>",
  "  <target type='virtio' name='org.qemu.guest_agent.0'/>",
  '</channel>',
].join('\n');

/** The PowerShell that tells whether Windows Defender Firewall lets ICMPv4 echo requests in. */
export const ICMP_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '$on = @(Get-NetFirewallProfile | Where-Object { $_.Enabled } | ForEach-Object { [string]$_.Name })',
  '$allowed = $false',
  'if ($on.Count -gt 0) {',
  '  $rules = @(Get-NetFirewallRule -Direction Inbound -Enabled True -Action Allow -ErrorAction SilentlyContinue)',
  '  foreach ($f in @($rules | Get-NetFirewallPortFilter -ErrorAction SilentlyContinue)) {',
  "    if ([string]$f.Protocol -eq 'ICMPv4' -and (@($f.IcmpType) -contains '8' -or [string]$f.IcmpType -eq 'Any')) { $allowed = $true; break }",
  '  }',
  '}',
  '[pscustomobject]@{ enabled = $on; icmpAllowed = $allowed } | ConvertTo-Json -Compress',
].join('\n');

export function parseIcmpResult(stdout: string): { enabled: string[]; icmpAllowed: boolean } | null {
  const line = stdout.trim().split(/\r?\n/).filter(Boolean).pop();
  if (!line) return null;
  try {
    const o = JSON.parse(line) as { enabled?: unknown; icmpAllowed?: unknown };
    const enabled = Array.isArray(o.enabled) ? o.enabled.map(String) : typeof o.enabled === 'string' ? [o.enabled] : [];
    return { enabled, icmpAllowed: o.icmpAllowed === true };
  } catch {
    return null;
  }
}

/** `ssh root@192.168.101.130:22 netns labgrade` -> host and port. */
export function sshTargetHost(target: string): { host: string; port: number } | null {
  const m = /@(\[[^\]]+\]|[^\s@:]+):(\d+)/.exec(target);
  if (!m) return null;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

class Run {
  readonly checks: DoctorCheck[] = [];
  constructor(readonly lang: Lang) {}
  tr(key: OnboardingKey, p?: Params): string {
    return t(this.lang, key, p);
  }
  add(id: string, titleKey: OnboardingKey, titleParams: Params, status: CheckStatus, message: string, fix?: string): DoctorCheck {
    const c: DoctorCheck = { id, title: this.tr(titleKey, titleParams), status, message };
    if (fix) c.fix = fix;
    this.checks.push(c);
    return c;
  }
  skip(id: string, titleKey: OnboardingKey, titleParams: Params, reason: string): void {
    this.add(id, titleKey, titleParams, 'skip', reason);
  }
  because(what: string): string {
    return this.tr('doctor.skippedBecause', { what });
  }
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isInputError(e: unknown): e is InputError {
  return e instanceof Error && e.name === 'InputError' && Array.isArray((e as InputError).issues);
}

function inputIssuesText(e: unknown): string {
  if (isInputError(e)) {
    return formatIssues(e)
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n');
  }
  return errMessage(e);
}

export async function runDoctor(deps: DoctorDeps, o: DoctorOptions): Promise<DoctorReport> {
  const r = new Run(o.lang);
  try {
    await doctorSteps(deps, o, r);
  } catch (e) {
    // Never a stack trace: whatever escaped becomes one more failed check.
    r.add('unexpected', 'check.libvirt', { uri: o.uri }, 'fail', r.tr('unexpected', { message: errMessage(e) }), r.tr('fix.access.other'));
  }
  const failed = r.checks.some((c) => c.status === 'fail');
  // Without a lab file only libvirt was checked: nothing failed (exit 0), but "all set" would be a promise.
  const labChecked = r.checks.some((c) => c.id === 'lab' && c.status === 'ok');
  return { checks: r.checks, canGrade: !failed && labChecked, exitCode: failed ? 1 : 0 };
}

async function doctorSteps(deps: DoctorDeps, o: DoctorOptions, r: Run): Promise<void> {
  // ---- 1. virsh
  let uri = o.uri;
  try {
    const v = await deps.virshVersion(uri);
    r.add('virsh', 'check.virsh', {}, 'ok', r.tr('ok.virsh', { version: `virsh ${v.trim()}` }));
  } catch (e) {
    if (e instanceof LibvirtError && e.kind === 'virsh-missing') {
      r.add('virsh', 'check.virsh', {}, 'fail', r.tr('fail.virsh'), r.tr('fix.virsh'));
    } else {
      r.add('virsh', 'check.virsh', {}, 'fail', errMessage(e), r.tr('fix.virsh'));
    }
    const why = r.because(r.tr('check.virsh'));
    r.skip('libvirt', 'check.libvirt', { uri }, why);
    return;
  }

  // ---- 2. lab file and spec
  let lab: LabFile | null = null;
  if (o.labPath) {
    const exists = await deps.fileExists(o.labPath);
    if (!exists) {
      if (o.labExplicit) {
        r.add('lab', 'check.lab', {}, 'fail', r.tr('fail.labMissing', { file: o.labPath }), r.tr('fix.labMissing', { file: shq(o.labPath) }));
        r.skip('libvirt', 'check.libvirt', { uri }, r.because(r.tr('check.lab')));
        return;
      }
      r.skip('lab', 'check.lab', {}, r.tr('skip.noLab'));
    } else {
      try {
        lab = await deps.loadLab(o.labPath);
        if (o.uriFromCli) lab = { ...lab, uri };
        else uri = lab.uri;
        r.add('lab', 'check.lab', {}, 'ok', r.tr('ok.lab', { file: o.labPath }));
      } catch (e) {
        r.add('lab', 'check.lab', {}, 'fail', r.tr('fail.labInvalid', { issues: inputIssuesText(e) }), r.tr('fix.labInvalid', { file: shq(o.labPath) }));
        r.skip('libvirt', 'check.libvirt', { uri }, r.because(r.tr('check.lab')));
        return;
      }
    }
  } else {
    r.skip('lab', 'check.lab', {}, r.tr('skip.noLab'));
  }
  let spec: ExerciseSpec | null = null;
  if (lab) {
    try {
      spec = await deps.loadSpec(o.specPath);
      r.add('spec', 'check.spec', {}, 'ok', r.tr('ok.spec', { title: `${spec.id}: ${spec.title[o.lang]}` }));
    } catch (e) {
      r.add('spec', 'check.spec', {}, 'fail', r.tr('fail.specInvalid', { issues: inputIssuesText(e) }), r.tr('fix.specInvalid'));
      r.skip('libvirt', 'check.libvirt', { uri }, r.because(r.tr('check.spec')));
      return;
    }
  }

  // ---- 3. libvirt
  const c = ` -c ${shq(uri)}`;
  let snap: HostSnapshot;
  try {
    snap = await deps.inspect(uri, lab ? Object.values(lab.vms).map((v) => v.domain) : []);
  } catch (e) {
    libvirtFailure(r, uri, e);
    const why = r.because(r.tr('check.libvirt', { uri }));
    if (lab) {
      for (const [key, name] of Object.entries(lab.networks)) r.skip(`network.${key}`, 'check.network', { key, name }, why);
      for (const [role, vm] of Object.entries(lab.vms)) r.skip(`vm.${role}`, 'check.vm', { role, name: vm.domain }, why);
    }
    return;
  }
  if (snap.readOnly) {
    r.add('libvirt', 'check.libvirt', { uri }, 'fail', r.tr('fail.libvirt.readOnly', { uri }), r.tr('fix.libvirt.readOnly'));
  } else {
    r.add('libvirt', 'check.libvirt', { uri }, 'ok', r.tr('ok.libvirt'));
  }
  if (!lab || !spec) return;

  // ---- 4. networks
  const netByName = new Map(snap.networks.map((n) => [n.name, n]));
  const netKeyOf = new Map<string, string>();
  // The networks `check` grades: the lab file's names, else the first of the spec's accepted names
  // the host has (engine/lookup.ts findNetwork, the same code `check` uses).
  const graded = new Map<string, string>(Object.entries(lab.networks));
  for (const key of Object.keys(spec.networks)) {
    if (graded.has(key)) continue;
    const found = findNetwork(spec, lab, snap, key);
    if (found) {
      graded.set(key, found.name);
      continue;
    }
    const name = spec.networks[key]!.names[0] ?? key;
    r.add(`network.${key}`, 'check.network', { key, name: '-' }, 'fail', r.tr('fail.labNoNetwork', { key }), r.tr('fix.labNoNetwork', { key, name }));
  }
  for (const [key, name] of graded) {
    netKeyOf.set(name, key);
    const n = netByName.get(name);
    const id = `network.${key}`;
    const tp = { key, name };
    if (!n) {
      const s = didYouMean(name, snap.networks.map((x) => x.name), 1)[0];
      r.add(
        id,
        'check.network',
        tp,
        'fail',
        r.tr('fail.network.missing', { suggest: s ? r.tr('suggest', { name: s }) : '' }),
        r.tr('fix.network.missing', { key, names: snap.networks.map((x) => x.name).join(', ') || '-' }),
      );
      continue;
    }
    if (!n.active) {
      r.add(id, 'check.network', tp, 'fail', r.tr('fail.network.inactive'), r.tr('fix.network.inactive', { c, name: shq(name) }));
      continue;
    }
    const want = spec.networks[key];
    const p = networkProps(n);
    if (want && (p.type !== want.type || p.dhcp !== want.dhcp)) {
      const diff = p.type === want.type ? ` (DHCP: ${r.tr(p.dhcp ? 'yes' : 'no')})` : '';
      r.add(
        id,
        'check.network',
        tp,
        'warn',
        r.tr('warn.network.type', { type: typeWord(o.lang, p.type), wantType: typeWord(o.lang, want.type), diff }),
        r.tr('fix.network.type', { c, name: shq(name) }),
      );
    } else if (!n.autostart) {
      r.add(id, 'check.network', tp, 'warn', r.tr('warn.network.autostart'), r.tr('fix.network.autostart', { c, name: shq(name) }));
    } else {
      r.add(id, 'check.network', tp, 'ok', r.tr('ok.network', { type: typeWord(o.lang, n.type) }));
    }
  }

  // ---- 5. VMs and access
  const veryIsolatedKey = Object.values(spec.networks).find((n) => !n.hostAddress)?.key ?? null;
  for (const role of Object.keys(spec.vms)) {
    if (lab.vms[role] === undefined) {
      r.add(`vm.${role}`, 'check.vm', { role, name: '-' }, 'fail', r.tr('fail.labNoVm', { role }), r.tr('fix.labNoVm', { role, name: spec.vms[role]!.defaultDomain }));
    }
  }
  for (const [role, vm] of Object.entries(lab.vms)) {
    await checkVm(deps, o, r, { lab, spec, snap, role, vm, c, netByName, netKeyOf, veryIsolatedKey });
  }
}

function libvirtFailure(r: Run, uri: string, e: unknown): void {
  const host = /@([^/:?]+)/.exec(uri)?.[1] ?? /\/\/([^/:?]+)/.exec(uri)?.[1] ?? '';
  if (e instanceof LibvirtError) {
    const detail = e.detail || e.message;
    switch (e.kind) {
      case 'permission':
      case 'socket-missing':
      case 'daemon-down': {
        // The very words `check` and `inspect` print for the same failure (grader/libvirt/virsh.ts).
        const { diagnosis, fix } = e.parts(r.lang, uri);
        r.add('libvirt', 'check.libvirt', { uri }, 'fail', diagnosis, fix ?? r.tr('fix.libvirt.other', { uri: shq(uri) }));
        return;
      }
      case 'ssh-auth':
      case 'ssh-hostkey-unknown':
      case 'ssh-hostkey-changed':
      case 'ssh-unreachable':
      case 'ssh-remote-helper':
      case 'ssh-failed': {
        // The user and port of the URI kept: `ssh-copy-id -p 1 nobody@127.0.0.1`, not `ssh-copy-id 127.0.0.1`.
        const cmds = sshCommandsFor(uri) ?? { ssh: `ssh ${shq(host)}`, copyId: `ssh-copy-id ${shq(host)}` };
        r.add('libvirt', 'check.libvirt', { uri }, 'fail', r.tr('fail.libvirt.ssh', { detail: e.message }), r.tr('fix.libvirt.ssh', { ssh: cmds.ssh, copyId: cmds.copyId }));
        return;
      }
      default:
        // Without polkit (no D-Bus), libvirtd answers an unprivileged client with "Unable to get
        // system bus connection" / "authentication unavailable": the same fix as permission denied.
        if (/polkit|system bus|authentication unavailable|authentication failed|access denied|Permission denied/i.test(`${detail}\n${e.message}`)) {
          r.add('libvirt', 'check.libvirt', { uri }, 'fail', r.tr('fail.libvirt.permission', { uri, detail }), r.tr('fix.libvirt.permission'));
          return;
        }
        break;
    }
  }
  r.add('libvirt', 'check.libvirt', { uri }, 'fail', r.tr('fail.libvirt.other', { message: errMessage(e) }), r.tr('fix.libvirt.other', { uri: shq(uri) }));
}

interface VmCtx {
  lab: LabFile;
  spec: ExerciseSpec;
  snap: HostSnapshot;
  role: string;
  vm: LabVm;
  c: string;
  netByName: Map<string, NetworkInfo>;
  netKeyOf: Map<string, string>;
  veryIsolatedKey: string | null;
}

async function checkVm(deps: DoctorDeps, o: DoctorOptions, r: Run, x: VmCtx): Promise<void> {
  const { role, vm, snap, c } = x;
  const name = vm.domain;
  const os: OsFamily = vm.os ?? x.spec.vms[role]?.os ?? 'linux';
  const tp = { role, name };
  const d: DomainInfo | undefined = snap.domains.find((dd) => dd.name === name);
  const accessTitle = (m: AccessMethod): { key: OnboardingKey; id: string } =>
    m.kind === 'agent' ? { key: 'check.agent', id: `vm.${role}.agent` } : { key: m.kind === 'ssh' ? 'check.ssh' : 'check.winrm', id: `vm.${role}.${m.kind}` };
  const skipAll = (why: string): void => {
    for (const m of vm.access) {
      const a = accessTitle(m);
      r.skip(a.id, a.key, { name, target: m.kind }, why);
    }
  };
  if (!d) {
    const all = snap.domainNames ?? snap.domains.map((dd) => dd.name);
    const s = didYouMean(name, all, 1)[0];
    r.add(`vm.${role}`, 'check.vm', tp, 'fail', r.tr('fail.vm.missing', { suggest: s ? r.tr('suggest', { name: s }) : '' }), r.tr('fix.vm.missing', { role, names: all.join(', ') || '-' }));
    skipAll(r.because(r.tr('check.vm', tp)));
    return;
  }
  if (d.state !== 'running') {
    r.add(`vm.${role}`, 'check.vm', tp, 'fail', r.tr('fail.vm.notRunning', { state: d.state }), r.tr('fix.vm.notRunning', { c, name: shq(name) }));
    skipAll(r.because(r.tr('check.vm', tp)));
    return;
  }
  r.add(`vm.${role}`, 'check.vm', tp, 'ok', r.tr('ok.vm'));

  // Where the VM sits now: on the very isolated network only, the host has no path to it.
  const attached = d.interfaces.map((i) => i.network).filter((n): n is string => !!n);
  const onlyVeryIsolated = attached.length > 0 && attached.every((n) => x.netByName.get(n)?.type === 'very-isolated');
  const agentNeeded = x.veryIsolatedKey !== null;
  const hasAgentMethod = vm.access.some((m) => m.kind === 'agent');

  // ---- what the agent can do (its checks are reported after the network methods were tried)
  type Result = { status: CheckStatus; message: string; fix?: string };
  let channel: Result | null = null;
  let agent: Result | null = null;
  let agentOk = false;
  if (hasAgentMethod || agentNeeded) {
    if (!d.agentChannel) {
      channel = { status: 'fail', message: r.tr('fail.agentChannel'), fix: r.tr('fix.agentChannel', { c, name: shq(name), xml: AGENT_CHANNEL_XML }) };
    } else {
      channel = { status: 'ok', message: r.tr('ok.agentChannel') };
      if (snap.readOnly) {
        agent = { status: 'skip', message: r.because(r.tr('check.libvirt', { uri: x.lab.uri })) };
      } else if (d.agentConnected === false) {
        agent = { status: 'fail', message: r.tr(os === 'windows' ? 'fail.agent.windows' : 'fail.agent.linux'), fix: r.tr(os === 'windows' ? 'fix.agent.windows' : 'fix.agent.linux') };
      } else {
        agentOk = true;
        agent = { status: 'ok', message: r.tr('ok.agent') };
      }
    }
  }
  const conns: Connection[] = [];
  // The agent through a real command when the lab file lists it.
  if (hasAgentMethod && agentOk && !o.noConnect) {
    const agentMethod = vm.access.find((m) => m.kind === 'agent')!;
    try {
      const conn = await deps.open(x.lab, vm, agentMethod, snap, os);
      conns.push(conn);
      const res = await conn.runScript('exit 0', [], { timeoutMs: 20_000 });
      if (res.exitCode !== 0) throw new TransportError('protocol', conn.target, `exit ${res.exitCode}: ${res.stderr.slice(0, 200)}`);
    } catch (e) {
      agentOk = false;
      agent = {
        status: 'fail',
        message: `${r.tr(os === 'windows' ? 'fail.agent.windows' : 'fail.agent.linux')}: ${errMessage(e)}`,
        fix: r.tr(os === 'windows' ? 'fix.agent.windows' : 'fix.agent.linux'),
      };
    }
  }

  // ---- network access methods (ssh, winrm), in the lab file's order
  let networkOk: string | null = null;
  const tried: { method: AccessMethod; status: CheckStatus; message: string; fix?: string; target: string }[] = [];
  for (const m of vm.access) {
    if (m.kind === 'agent') continue;
    const target = m.host ?? m.kind;
    if (onlyVeryIsolated) {
      tried.push({ method: m, status: 'skip', message: r.tr('skip.veryIsolated', { network: attached[0]! }), target });
      continue;
    }
    if (o.noConnect) continue;
    try {
      const conn = await deps.open(x.lab, vm, m, snap, os);
      conns.unshift(conn);
      const res = await conn.runScript('exit 0', [], { timeoutMs: 15_000 });
      if (res.exitCode !== 0) throw new TransportError('protocol', conn.target, `exit ${res.exitCode}: ${res.stderr.slice(0, 200)}`);
      networkOk ??= m.kind;
      // Opened, but the address could not be checked to be this VM (a tool missing in the guest...).
      const caveat = (conn as Connection & { accessCaveat?: string }).accessCaveat;
      tried.push({ method: m, status: caveat ? 'warn' : 'ok', message: caveat ?? r.tr('ok.access'), target: conn.target.replace(/^(ssh|winrm)\s+/, '') });
    } catch (e) {
      const f = await accessFailure(r, role, m, e);
      const where = e instanceof TransportError ? e.target.replace(/^(ssh|winrm)\s+/, '') : target;
      tried.push({ method: m, status: 'fail', message: f.message, fix: f.fix, target: where });
    }
  }

  // A failure is fatal only when nothing else can take its place.
  const soften = (res: Result, alternative: string | null): Result => {
    if (res.status !== 'fail' || !alternative) return res;
    return { ...res, status: 'warn', message: `${res.message}; ${r.tr('why.otherAccessWorks', { kind: alternative })}` };
  };
  const needWhy = (res: Result): Result =>
    res.status === 'fail' && agentNeeded && x.veryIsolatedKey ? { ...res, message: `${res.message}; ${r.tr('why.agentNeeded', { key: x.veryIsolatedKey })}` } : res;
  if (channel) {
    const ch = agentNeeded ? needWhy(channel) : soften(channel, networkOk);
    r.add(`vm.${role}.agent-channel`, 'check.agentChannel', { name }, ch.status, ch.message, ch.fix);
  }
  if (agent) {
    const ag = agentNeeded ? needWhy(agent) : soften(agent, networkOk);
    r.add(`vm.${role}.agent`, 'check.agent', { name }, ag.status, ag.message, ag.fix);
  }
  if (agentNeeded && !hasAgentMethod && x.veryIsolatedKey) {
    // The agent works (or will), but the lab file does not let labgrade use it.
    r.add(
      `vm.${role}.agent-access`,
      'check.agentAccess',
      { name },
      'fail',
      `${r.tr('fail.agentAccess', { role })}; ${r.tr('why.agentNeeded', { key: x.veryIsolatedKey })}`,
      r.tr('fix.agentAccess', { role }),
    );
  }
  for (const p of tried) {
    const res = soften(p, networkOk ?? (agentOk && hasAgentMethod ? 'agent' : null));
    r.add(`vm.${role}.${p.method.kind}`, p.method.kind === 'ssh' ? 'check.ssh' : 'check.winrm', { name, target: p.target }, res.status, res.message, res.fix);
  }

  // ---- Windows firewall and ICMP echo
  if (os === 'windows') {
    const conn = conns[0];
    if (!conn) {
      r.skip(`vm.${role}.icmp`, 'check.icmp', { name }, r.tr('skip.icmp.noConnection'));
    } else {
      try {
        const res = await conn.runScript(ICMP_SCRIPT, [], { timeoutMs: 30_000 });
        const parsed = parseIcmpResult(res.stdout);
        if (!parsed) throw new Error(res.stderr.trim().slice(0, 300) || `exit ${res.exitCode}`);
        if (parsed.enabled.length === 0 || parsed.icmpAllowed) {
          r.add(`vm.${role}.icmp`, 'check.icmp', { name }, 'ok', r.tr('ok.icmp'));
        } else {
          r.add(`vm.${role}.icmp`, 'check.icmp', { name }, 'warn', r.tr('warn.icmp', { profiles: parsed.enabled.join(', ') }), r.tr('fix.icmp'));
        }
      } catch (e) {
        r.add(`vm.${role}.icmp`, 'check.icmp', { name }, 'warn', r.tr('fail.icmp.probe', { message: errMessage(e) }), r.tr('fix.icmp'));
      }
    }
  }
  await Promise.all(conns.map((cn) => cn.close().catch(() => undefined)));
}

async function knownHostsLines(m: SshAccess, target: string): Promise<{ lines: string; file: string; hostName: string }> {
  const file = m.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts');
  const hp = sshTargetHost(target) ?? { host: m.host ?? 'DIRECCIÓN', port: m.port };
  const hostName = hostKeyName(hp.host, hp.port);
  try {
    const entries = entriesFor(await loadKnownHosts([file]), hp.host, hp.port);
    return { lines: entries.map((e) => `${e.file}:${e.line}`).join(', '), file, hostName };
  } catch {
    return { lines: '', file, hostName };
  }
}

async function accessFailure(r: Run, role: string, m: AccessMethod, e: unknown): Promise<{ message: string; fix: string }> {
  const message = errMessage(e);
  if (!(e instanceof TransportError)) {
    if (isInputError(e)) {
      if (m.kind === 'winrm' && m.password && 'env' in m.password) {
        return { message: r.tr('fail.winrm.password', { message: inputIssuesText(e).trim() }), fix: r.tr('fix.winrm.password', { env: m.password.env }) };
      }
      return { message: r.tr('fail.access.config', { message: inputIssuesText(e).trim() }), fix: r.tr('fix.access.config', { role }) };
    }
    return { message: r.tr('fail.access.other', { message }), fix: r.tr('fix.access.other') };
  }
  if (m.kind === 'ssh') {
    const port = m.port;
    switch (e.code) {
      case 'refused':
        return { message: r.tr('fail.ssh.refused', { port }), fix: r.tr('fix.ssh.refused') };
      case 'unreachable':
        return { message: r.tr('fail.ssh.unreachable', { message }), fix: r.tr('fix.ssh.unreachable') };
      case 'timeout':
        return { message: r.tr('fail.ssh.timeout', { message }), fix: r.tr('fix.ssh.timeout', { port }) };
      case 'auth': {
        const pub = m.keyFile ? `${m.keyFile}.pub` : '~/.ssh/id_ed25519.pub';
        return { message: r.tr('fail.ssh.auth', { user: m.user, message }), fix: r.tr('fix.ssh.auth', { user: m.user, pub: shq(pub), role }) };
      }
      case 'hostkey-unknown': {
        const k = await knownHostsLines(m, e.target);
        return { message: r.tr('fail.ssh.hostkey-unknown'), fix: r.tr('fix.ssh.hostkey-unknown', { role, knownHosts: k.file, user: m.user }) };
      }
      case 'hostkey-changed': {
        const k = await knownHostsLines(m, e.target);
        return {
          message: r.tr('fail.ssh.hostkey-changed', { message }),
          fix: k.lines
            ? r.tr('fix.ssh.hostkey-changed', { lines: k.lines, knownHosts: shq(k.file), hostName: shq(k.hostName) })
            : r.tr('fix.ssh.hostkey-changed.noLine', { knownHosts: shq(k.file), hostName: shq(k.hostName) }),
        };
      }
      case 'config':
        return { message: r.tr('fail.access.config', { message }), fix: r.tr('fix.access.config', { role }) };
      default:
        return { message: r.tr('fail.access.other', { message }), fix: r.tr('fix.access.other') };
    }
  }
  if (m.kind === 'winrm') {
    return winrmFailure(r, role, m, e, message);
  }
  return { message: r.tr('fail.access.other', { message }), fix: r.tr('fix.access.other') };
}

function winrmFailure(r: Run, role: string, m: WinRmAccess, e: TransportError, message: string): { message: string; fix: string } {
  const env = m.password && 'env' in m.password ? m.password.env : 'LABGRADE_WINDOWS_PASSWORD';
  const p = { port: m.port, scheme: m.scheme.toUpperCase(), user: m.user, role, env, message };
  if (/certificate|self[- ]signed|CERT_|UNABLE_TO_VERIFY|unable to get local issuer/i.test(message)) {
    return { message: r.tr('fail.winrm.certificate', p), fix: r.tr('fix.winrm.certificate', p) };
  }
  if (/AllowUnencrypted|unencrypted/i.test(message) || (e.code === 'auth' && m.scheme === 'http' && m.auth === 'basic')) {
    return { message: r.tr('fail.winrm.unencrypted', p), fix: r.tr('fix.winrm.unencrypted', p) };
  }
  switch (e.code) {
    case 'refused':
      return { message: r.tr('fail.winrm.refused', p), fix: r.tr(m.scheme === 'https' ? 'fix.winrm.refused.https' : 'fix.winrm.refused.http') };
    case 'unreachable':
    case 'timeout':
      return { message: r.tr('fail.winrm.unreachable', p), fix: r.tr('fix.winrm.unreachable', p) };
    case 'auth':
      return { message: r.tr('fail.winrm.auth', p), fix: r.tr('fix.winrm.auth', p) };
    case 'config':
      if (/environment|variable|\benv\b/i.test(message)) return { message: r.tr('fail.winrm.password', p), fix: r.tr('fix.winrm.password', p) };
      return { message: r.tr('fail.access.config', p), fix: r.tr('fix.access.config', p) };
    default:
      return { message: r.tr('fail.access.other', p), fix: r.tr('fix.access.other') };
  }
}
