// The typed boundaries between labgrade's stages:
//   load (spec, lab file, answers) -> inspect (HostSnapshot) -> measure (GuestFacts)
//   -> grade (Verdict, GradeResult) -> render (reports/).
// Everything here is plain data (JSON-serialisable) except the Connection and check interfaces.
// Change a shape here only together with every producer and consumer of it.

// ---------------------------------------------------------------- common

import type { Msg } from './i18n/messages.js';
export type { Msg } from './i18n/messages.js';

export type Lang = 'es' | 'en';
/** A user-facing text in both languages (from YAML specs). */
export interface Text {
  es: string;
  en: string;
}

/** How libvirt's network behaves, as classified from `virsh net-dumpxml`. */
export type NetworkType =
  | 'nat'
  | 'route'
  | 'open'
  | 'isolated'
  | 'very-isolated'
  | 'bridge'
  | 'macvtap'
  | 'other';

export type OsFamily = 'linux' | 'windows';

/** One problem in an input file, positioned where possible. */
export interface InputIssue {
  file: string;
  line?: number;
  column?: number;
  /** Dotted path of the offending key, e.g. `tasks[1].theory.config`. */
  path?: string;
  message: string;
}

/** Bad input (spec, lab file, answers, roster, CLI usage): the CLI exits 2 and prints every issue. */
export class InputError extends Error {
  readonly issues: InputIssue[];
  constructor(message: string, issues: InputIssue[] = []) {
    super(message);
    this.name = 'InputError';
    this.issues = issues;
  }
}

// ---------------------------------------------------------------- exercise spec (exercises/*.yaml)

export interface ExerciseSpec {
  /** Absolute path of the YAML file it was loaded from. */
  file: string;
  id: string;
  title: Text;
  /** Networks the students must create, by key (`nat`, `isolated`, `very_isolated`). */
  networks: Record<string, SpecNetwork>;
  /** VMs by role (`linux`, `windows`). */
  vms: Record<string, SpecVm>;
  /** Questions by id; tasks list which ones they ask. */
  questions: Record<string, SpecQuestion>;
  tasks: SpecTask[];
  /** Default probe targets. Real-world defaults; tests and the demo lab always override them. */
  probes: ProbeTargets;
}

export interface SpecNetwork {
  key: string;
  title: Text;
  type: NetworkType;
  /** Whether libvirt must hand out addresses on it (a `<dhcp>` range). */
  dhcp: boolean;
  /** Whether the host has an address on the bridge (an `<ip>` element). */
  hostAddress: boolean;
  /** Accepted libvirt names; the first is the course's default (`red-nat`), then variants (`red_nat`). */
  names: string[];
  /**
   * How VMs attach to it. `network` (default): a libvirt network, by name. `bridge`: an external
   * host bridge (`<interface type='bridge'>`, e.g. br0) and `direct`: a macvtap on a host device
   * (`<interface type='direct'>`, e.g. eth0); for these two `names` are the bridge or device names.
   */
  attachment?: NetworkAttachment;
}

export type NetworkAttachment = 'network' | 'bridge' | 'direct';

export interface SpecVm {
  role: string;
  title: Text;
  os: OsFamily;
  /** The domain name used in the course (`debian12`, `win10`); the lab file may say otherwise. */
  defaultDomain: string;
}

/** The shape of an answer. */
export type AnswerKind = 'config-method' | 'yes-no' | 'ipv4' | 'ipv4-config';

export interface SpecQuestion {
  id: string;
  /** Short title for reports (falls back to the id). */
  title?: Text;
  prompt: Text;
  kind: AnswerKind;
  /**
   * Name of the question check (checks/questions/) that derives the observed answer from the
   * measured facts. Each question is graded once per VM of the task.
   */
  check: string;
  /** Points for the whole question (shared equally between the task's VMs). */
  points: number;
  /** Student-facing hint texts keyed by explanation code (see Verdict.codes). */
  hints: Record<string, Text>;
  /** Parameters of the check (validated by the check's `validateParams`); the loader always sets it. */
  params?: Record<string, unknown>;
}

export interface SpecTask {
  id: string;
  title: Text;
  /** Network key the task connects the VMs to. */
  network: string;
  /** VM roles connected to that network in this task. */
  vms: string[];
  /** Question ids asked in this task, in order. */
  questions: string[];
  /** What theory expects for each question on this network type (question id -> expectation). */
  theory: Record<string, Theory>;
  /** Question id -> the VM roles it is asked of (default: every VM of the task). */
  ask?: Record<string, string[]>;
  /**
   * VM role -> every network key it must have a NIC on in this task (a VM with several NICs, e.g.
   * a router). The task's own network is implied. Empty when the task asks nothing more.
   */
  nics?: Record<string, string[]>;
}

/**
 * Symbolic addresses are resolved against the host snapshot of the task's network and the measured
 * guests: `host-address` (the host's address on the network), `vm:<role>` (the address VM <role>
 * has on the task's network, e.g. a Linux VM acting as router), `none`, `any`.
 */
export type TheoryAddress = 'host-address' | 'none' | 'any' | `vm:${string}`;

export type Theory =
  | { kind: 'config-method'; value: 'static' | 'dynamic' }
  | { kind: 'yes-no'; value: boolean }
  | { kind: 'ipv4'; value: TheoryAddress }
  | {
      kind: 'ipv4-config';
      /** dhcp-range: inside the network's DHCP range; network-subnet: inside the host's subnet; any. */
      address: 'dhcp-range' | 'network-subnet' | 'any';
      gateway: TheoryAddress;
      dns: TheoryAddress;
    };

export interface ProbeTargets {
  /** An IPv4 address or hostname outside the lab ("the Internet"). */
  outsideHost: string;
  /** A name on the Internet to resolve. */
  resolveName: string;
  /** Bound for each negative probe (ping, DNS), in ms. */
  timeoutMs: number;
}

// ---------------------------------------------------------------- lab file

/** A secret is referenced, never required inline; inline values are redacted from every output. */
export type SecretRef = { env: string } | { file: string } | { value: string };

export interface LabFile {
  file: string;
  /** libvirt URI: `qemu:///system` (default) or `qemu+ssh://user@host/system`. */
  uri: string;
  /**
   * Open connections to guests from inside this Linux network namespace (labs whose bridges live in
   * a namespace, such as the bundled demo lab). Unset on a normal host.
   */
  netns?: string;
  /** Network key -> the student's libvirt network name. */
  networks: Record<string, string>;
  /** VM role -> how to find and reach it. */
  vms: Record<string, LabVm>;
  /** Overrides of the spec's probe targets (a lab with its own "Internet"). */
  probes?: Partial<ProbeTargets>;
  /** SSH settings for the libvirt host itself (qemu+ssh URIs, and jumps to guests). */
  hostSsh?: SshAccess;
  /**
   * `student`: the file was handed in by a student (loaded with trust 'student'). Its access methods
   * carry no teacher credential; those come from `credentials`, each used only towards the hosts
   * the teacher named in it (grader/transports/credentials.ts).
   */
  trust?: 'student';
  /** The teacher's credentials for a student's lab (the roster's `credentials`). */
  credentials?: TeacherCredential[];
}

/** Credentials the teacher gives for students' machines, bound to the hosts the teacher names. */
export interface TeacherCredential {
  /** Where it was written (roster:line), for messages. */
  origin: string;
  /** Host names and IPv4 addresses or CIDR blocks every connection using it must go to (and through). */
  hosts: string[];
  /** `port` binds it (default 22); a password is sent only to a host key already pinned. */
  ssh?: Partial<Pick<SshAccess, 'user' | 'keyFile' | 'password' | 'useAgent' | 'knownHostsFile' | 'acceptNewHostKey' | 'port'>>;
  /** `scheme` and `port` bind it (default https, 5986; http: 5985). */
  winrm?: Partial<Pick<WinRmAccess, 'user' | 'password' | 'caFile' | 'insecureSkipVerify' | 'port' | 'scheme'>>;
}

export interface LabVm {
  role: string;
  domain: string;
  /** Overrides the spec's OS family (e.g. a Linux guest standing in for the Windows role). */
  os?: OsFamily;
  /** Access methods in order of preference; the first that works is used. */
  access: AccessMethod[];
}

export interface SshAccess {
  kind: 'ssh';
  user: string;
  /** Address or name to connect to; unset = discover the guest's address (agent, then leases). */
  host?: string;
  port: number;
  keyFile?: string;
  password?: SecretRef;
  /** Use the running ssh-agent (SSH_AUTH_SOCK). */
  useAgent: boolean;
  /** A `Host` entry of ~/.ssh/config to take settings from. */
  configHost?: string;
  knownHostsFile?: string;
  /** Accept and pin an unknown host key (never a changed one). */
  acceptNewHostKey: boolean;
  /** Reach the guest through the libvirt host of a qemu+ssh URI ('auto' = when the URI is remote). */
  jump: 'auto' | 'none' | 'libvirt-host';
}

export interface WinRmAccess {
  kind: 'winrm';
  user: string;
  /** Unset only in a student's lab file (the teacher's credentials give it). */
  password?: SecretRef;
  host?: string;
  scheme: 'http' | 'https';
  port: number;
  auth: 'ntlm' | 'basic';
  caFile?: string;
  insecureSkipVerify: boolean;
  jump: 'auto' | 'none' | 'libvirt-host';
}

export interface AgentAccess {
  kind: 'agent';
}

export type AccessMethod = SshAccess | WinRmAccess | AgentAccess;

// ---------------------------------------------------------------- answers file

export interface StudentIdentity {
  name: string;
  id?: string;
  email?: string;
}

/** An address the student named instead of writing it ("el host", "la puerta de enlace"). */
export type AddressRef = 'host' | 'gateway';

export type AnswerValue =
  | { kind: 'config-method'; value: 'static' | 'dynamic' }
  | { kind: 'yes-no'; value: boolean }
  /**
   * null = the student answered "none" (or named an address, `ref`, not resolved yet / not
   * resolvable: the engine resolves refs against the measured host and gateway addresses).
   * `others`: further addresses written after the first ("192.168.101.1 y 8.8.8.8").
   */
  | { kind: 'ipv4'; value: string | null; ref?: AddressRef; others?: string[] }
  | {
      kind: 'ipv4-config';
      address: string | null;
      prefix: number | null;
      gateway: string | null;
      dns: string[];
      /** The gateway was named ("el host"); `gateway` holds its address once resolved. */
      gatewayRef?: AddressRef;
      /** DNS servers named ("el host"); their addresses join `dns` once resolved. */
      dnsRefs?: AddressRef[];
      /** Named addresses that could not be resolved (the host has no address on the network...). */
      unresolved?: AddressRef[];
    };

export interface Answer {
  /** What was understood; null = the answer could not be read (`problem` says why). */
  value: AnswerValue | null;
  /** What the student wrote, as text (as written: may be long or hold anything). */
  raw: string;
  /** Words written but not understood, left out of the reading (as written; capped). */
  ignored?: string[];
  /** Command output recognised in the answer (read field by field). */
  pasted?: 'ipconfig' | 'ip' | 'nmcli' | 'resolv';
  /** Why the answer could not be read, and an example of what would be (in the loader's language). */
  problem?: { reason: string; example: string };
  /** The same as messages (grader/i18n/messages.ts), so the verdict says it in either language. */
  problemWords?: { reason: Msg; example: Msg };
  /** The answer says the student does not know ("no lo sé", "N/A"): unreadable, graded as such (never "no"). */
  unsure?: boolean;
  line?: number;
  column?: number;
}

export interface AnswersFile {
  file: string;
  student: StudentIdentity;
  /** task id -> question id -> VM role (or '*' for every VM of the task) -> answer. */
  tasks: Record<string, Record<string, Record<string, Answer>>>;
  /** Answers under keys that name no task, question or VM of the exercise (not graded; reported). */
  strayKeys?: InputIssue[];
}

// ---------------------------------------------------------------- host snapshot (virsh)

export interface HostSnapshot {
  uri: string;
  takenAt: string;
  networks: NetworkInfo[];
  domains: DomainInfo[];
  /** DHCP leases of every active network. A hint, never proof (they outlive moves). */
  leases: LeaseInfo[];
  /** What could not be read, per object; the rest of the snapshot is still valid. */
  problems: string[];
  /** Every domain name on the host, also those not inspected (for did-you-mean). */
  domainNames?: string[];
  /** Read through libvirt's read-only socket (no permission for more): agent pings not possible. */
  readOnly?: boolean;
}

export interface NetworkIp {
  family: 'ipv4' | 'ipv6';
  address: string;
  prefix: number;
  dhcpRanges: { start: string; end: string }[];
  dhcpHosts: { mac?: string; name?: string; ip: string }[];
}

export interface NetworkInfo {
  name: string;
  uuid?: string;
  active: boolean;
  autostart: boolean;
  persistent: boolean;
  /** The `<forward mode>`: null when there is no `<forward>` element; 'nat' for a bare `<forward/>`. */
  forwardMode: string | null;
  type: NetworkType;
  bridge: string | null;
  ips: NetworkIp[];
  dns: { enabled: boolean; forwarders: string[]; domain?: string };
  /**
   * Not a libvirt network: a host bridge (`bridge`) or host device (`direct`, macvtap) that NICs
   * attach to directly, named by `name`. Built from the domains' NICs (libvirt lists no host bridges).
   */
  external?: 'bridge' | 'direct';
}

export interface DomainInterface {
  /** libvirt interface type: network, bridge, direct, user, ... */
  type: string;
  /** The `<source network|bridge|dev>` value. */
  source: string;
  /** Network owning this NIC (for bridge-type NICs, the network whose bridge it is), or null. */
  network: string | null;
  model?: string;
  /** Lower-case, colon separated: 52:54:00:22:fa:b7. */
  mac: string;
  /** Host-side device (vnet0) when running. */
  target?: string;
  linkState?: 'up' | 'down';
}

export interface DomainInfo {
  name: string;
  uuid?: string;
  /** running, paused, shut off, ... (libvirt's state words, not localized). */
  state: string;
  /** libosinfo id from virt-manager metadata, e.g. http://microsoft.com/win/10. */
  osinfo?: string;
  interfaces: DomainInterface[];
  /** The domain has a virtio channel org.qemu.guest_agent.0. */
  agentChannel: boolean;
  /** The agent answered guest-ping (null = not asked, e.g. domain not running). */
  agentConnected: boolean | null;
}

export interface LeaseInfo {
  network: string;
  mac: string;
  address: string;
  prefix: number;
  hostname?: string;
  /** Unix seconds. */
  expiryTime?: number;
  /**
   * The MAC is not attached to this network now (its VM moved to another network or is gone):
   * the address is history, not the guest's address.
   */
  stale?: boolean;
  /** The domain that has a NIC with this MAC (on any network), when known. */
  domain?: string;
}

// ---------------------------------------------------------------- transports

export interface RunOptions {
  /** Deadline for the whole command, ms (default 10 000). */
  timeoutMs?: number;
  /** Cap on each of stdout and stderr, bytes (default 1 MiB); beyond it output is cut and flagged. */
  maxOutputBytes?: number;
}

/** A command that ran (whatever its exit code). A broken channel throws TransportError instead. */
export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  truncated: boolean;
  timedOut: boolean;
}

export type TransportKind = 'ssh' | 'agent' | 'winrm' | 'local';

export type TransportErrorCode =
  | 'unreachable'
  | 'refused'
  | 'timeout'
  | 'auth'
  | 'hostkey-unknown'
  | 'hostkey-changed'
  | 'agent-missing'
  | 'agent-not-connected'
  | 'domain-not-running'
  | 'protocol'
  | 'config';

export class TransportError extends Error {
  readonly code: TransportErrorCode;
  /** Where: `ssh root@192.168.101.130:22`, `agent debian12`; never a secret. */
  readonly target: string;
  constructor(code: TransportErrorCode, target: string, message: string) {
    super(message);
    this.name = 'TransportError';
    this.code = code;
    this.target = target;
  }
}

/**
 * Why an access method was not used (or, with outcome `used`, a caveat): auth refused, no address
 * found, the address is another machine (identity-mismatch), the identity could not be checked
 * (identity-unverified: a tool missing in the guest...), timeout, and the transport codes.
 */
export type AccessReason =
  | 'auth'
  | 'no-address'
  | 'identity-mismatch'
  | 'identity-unverified'
  | 'very-isolated'
  | 'timeout'
  | 'refused'
  | 'unreachable'
  | 'host-key'
  | 'agent-missing'
  | 'agent-not-connected'
  | 'domain-not-running'
  | 'config'
  | 'protocol'
  /** With outcome `used`: a later method that measured what the first one was not permitted to run. */
  | 'permission-denied';

/** One access method tried on one guest, in order. */
export interface AccessAttempt {
  /** `ssh usuario@192.168.101.218:22`, `winrm https://...`, `agent`, `libvirt`. Never a secret. */
  method: string;
  outcome: 'used' | 'failed' | 'skipped';
  reason: AccessReason | null;
  /** Why, in the result's language (for `used`: where the address came from). */
  detail: string;
}

/** How one guest was reached, and why the other methods were not used. */
export interface GuestAccess {
  role: string;
  domain: string;
  /** The method used, null when none worked. */
  via: string | null;
  trail: AccessAttempt[];
}

/** One way into one guest. Resources never see which transport they use. */
export interface Connection {
  readonly kind: TransportKind;
  /** For evidence and messages; never contains a secret. */
  readonly target: string;
  /**
   * Run a script of the guest's shell (POSIX sh on Linux, PowerShell on Windows) with positional
   * arguments passed as data ($1.. in sh, $args in PowerShell), never spliced into the script text.
   */
  runScript(script: string, args: string[], opts?: RunOptions): Promise<CommandResult>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- measured facts

export interface CommandEvidence {
  /**
   * Unique within one guest's evidence (`e1`, `e2`...): facts name the entry that produced them
   * (`evidence` on GuestConfig, Reachability, Resolution, Measured), and checks cite by this id.
   */
  id?: string;
  guest: string;
  transport: TransportKind;
  /** What was run, short and readable (e.g. `ip -j -4 addr`). */
  command: string;
  exitCode: number | null;
  /** Excerpts, capped (a few KiB). */
  stdout: string;
  stderr: string;
  durationMs: number;
  error?: string;
}

/**
 * Why a measurement could not be made (a failed command is never a fact):
 * tool-missing: not installed / not on PATH (exit 127); permission-denied: the user may not run or
 * read it; cut-off: a configuration probe killed by its bound; unparseable: output that says
 * nothing readable; failed: any other non-zero exit; transport: the channel broke.
 */
export type MeasureCause = 'tool-missing' | 'permission-denied' | 'cut-off' | 'unparseable' | 'failed' | 'transport';

/** "Could not measure": what ran, on which guest, what happened. The fix is derived from the cause. */
export interface MeasurementError {
  command: string;
  /** The guest as the connection names it (`ssh usuario@192.168.101.218:22`, `agent debian12`). */
  guest: string;
  /** The program that had to run (`ip`, `getent`, `ping`). */
  tool: string;
  cause: MeasureCause;
  /** What happened, from the guest's own words (first stderr line) or the exit code. */
  detail: string;
  exitCode: number | null;
  /**
   * A denied ping on Linux: the guest's net.ipv4.ping_group_range and whether the user's groups
   * fall in it. The advice to open it is given only when they do not (facts/describe.ts).
   */
  pingGroupRange?: { range: string; userInRange: boolean };
}

export type AddressOrigin = 'dhcp' | 'static' | 'link-local' | 'unknown';

export interface GuestAddress {
  address: string;
  prefix: number;
  origin: AddressOrigin;
  /** Seconds left, null = forever (static). */
  validLifetimeSec: number | null;
}

export interface GuestInterface {
  name: string;
  mac: string;
  up: boolean;
  ipv4: GuestAddress[];
  /** Has IPv6 link-local only and no IPv4 (Linux left on DHCP where there is none). */
  ipv6LinkLocalOnly: boolean;
  /** Windows: DHCP enabled on the interface; Linux: a DHCP client is configured (null = unknown). */
  dhcpEnabled: boolean | null;
}

/** The DNS part of a guest's configuration. */
export interface DnsConfig {
  servers: string[];
  search: string[];
}

/**
 * A guest's configuration, each part measured on its own: a part that could not be read is
 * `{ ok: false, error }` (the command, the cause, the guest's own words), so no consumer can read
 * an empty list or a null gateway as a fact without first checking `ok` (docs/ARCHITECTURE.md).
 */
export interface GuestConfig {
  /** Interfaces with their addresses and methods. */
  interfaces: Measured<GuestInterface[]>;
  /** The default gateway; `{ ok: true, value: null }` is the fact "no default route". */
  gateway: Measured<string | null>;
  dns: Measured<DnsConfig>;
  /** Windows firewall profiles enabled (null = not applicable/unknown). */
  firewallEnabled: boolean | null;
  /** The id of the evidence entry that measured it (CommandEvidence.id). */
  evidence?: string;
}

/**
 * replied: echo reply. filtered: no reply but the neighbour (ARP) resolved, e.g. a firewall.
 * no-neighbour: same subnet, ARP unresolved (no link). no-route: network unreachable.
 * no-reply: no reply from a target behind a gateway whose neighbour resolved. A probe that could
 * not be made, or did not finish (cause `cut-off`), is not a status: it is `{ ok: false, error }`.
 */
export type ReachStatus = 'replied' | 'filtered' | 'no-neighbour' | 'no-route' | 'no-reply';

/** What a ping that ran showed. */
export interface ReachObservation {
  status: ReachStatus;
  detail?: string;
}

/**
 * One target's probe: measured (`value`), or "could not measure" (`error`), with the target and
 * the probe as a person would type it for this target alone (`ping -c 1 -W 1 192.168.101.1`).
 */
export type Reachability = Measured<ReachObservation> & { target: string; command?: string };

/**
 * resolved: addresses came back. not-found: the server answered that the name has no address
 * (NXDOMAIN / no A records). server-failure: the server answered SERVFAIL (it could not resolve the
 * name itself, e.g. it cannot reach the servers that know it). no-server: no DNS server to ask.
 * timeout: the lookup ran and no answer came in time. A lookup that could not be measured is not a
 * status: it is `{ ok: false, error }`.
 */
export type ResolveStatus = 'resolved' | 'not-found' | 'server-failure' | 'no-server' | 'timeout';

/** What a lookup that ran showed. */
export interface ResolveObservation {
  status: ResolveStatus;
  addresses: string[];
  /** The server that answered or was asked, when known. */
  server: string | null;
}

/**
 * The name lookup: measured (`value`), or "could not measure" (`error`), with the name, the lookup
 * tool that ran (`getent`, `nslookup`, `host`, `resolvectl`, `dig`, `Resolve-DnsName`) and the
 * lookup as a person would type it (`getent ahostsv4 www.example.com`), for citing.
 */
export type Resolution = Measured<ResolveObservation> & { name: string; tool?: string; command?: string };

export interface GuestFacts {
  role: string;
  domain: string;
  os: OsFamily;
  transport: TransportKind;
  /** Address used to reach it, or 'agent'. */
  reachedVia: string;
  config: GuestConfig;
  /** Keyed by target as given (address or name). */
  reach: Record<string, Reachability>;
  resolve: Resolution | null;
  evidence: CommandEvidence[];
  /** Kernel parameters asked for by the task's checks (key -> fact). */
  sysctl?: Record<string, SysctlFact>;
  /** Source-NAT rules, when a check asked for them. */
  nat?: NatFacts;
}

/** A guest fact a question check needs beyond the configuration and the probes. */
export type FactRequest = { kind: 'sysctl'; key: string } | { kind: 'nat'; savedFiles: string[] };

/**
 * A measured value, or "could not measure" with its cause (never a guess; the words come from the
 * catalogs), each with the id of the evidence entry that produced it (CommandEvidence.id).
 */
export type Measured<T> = ({ ok: true; value: T } | { ok: false; error: MeasurementError }) & { evidence?: string };
/** The same shape under its older name. */
export type MeasuredFact<T> = Measured<T>;

export interface SysctlSetting {
  file: string;
  line: number;
  value: string;
}

export interface SysctlFact {
  key: string;
  /** The running kernel's value (/proc/sys). */
  live: MeasuredFact<string>;
  /** Every assignment of the key in the files read at boot, in the order they apply (the last wins). */
  persisted: MeasuredFact<SysctlSetting[]>;
  /**
   * Assignments in files that are NOT read at boot on this system: /etc/sysctl.conf where
   * systemd-sysctl applies only sysctl.d and no sysctl.d entry links to it (Debian 13).
   */
  ignored?: SysctlSetting[];
  /** The id of the evidence entry that measured it. */
  evidence?: string;
}

/** One source-NAT rule (iptables MASQUERADE/SNAT, or nftables masquerade/snat). */
export interface NatRule {
  /** Output interface (`-o`, `oifname`), null = any. */
  outInterface: string | null;
  /** Source (`-s`, `ip saddr`), null = any. */
  source: string | null;
  action: 'masquerade' | 'snat';
  /** The rule as written. */
  text: string;
}

export interface NatSaved {
  file: string;
  /** null: the file does not exist. */
  rules: NatRule[] | null;
}

export interface NatFacts {
  /** The running ruleset (`iptables-save -t nat`, else `nft list ruleset`). */
  live: MeasuredFact<NatRule[]>;
  /** The files restored at boot. */
  saved: MeasuredFact<NatSaved[]>;
  /** The id of the evidence entry that measured it. */
  evidence?: string;
}

/** Per-OS probe set; runs commands through a Connection and parses locale-independent output. */
export interface GuestProber {
  os: OsFamily;
  config(conn: Connection, ev: CommandEvidence[]): Promise<GuestConfig>;
  /** Targets are validated (IPv4 literal or hostname) before use; probes run in parallel in the guest. */
  reach(conn: Connection, targets: string[], timeoutMs: number, ev: CommandEvidence[]): Promise<Reachability[]>;
  resolve(conn: Connection, name: string, timeoutMs: number, ev: CommandEvidence[]): Promise<Resolution>;
  /** Optional: the extra facts checks declare they need (sysctl values, NAT rules: Linux's router facts). */
  extra?(conn: Connection, requests: FactRequest[], ev: CommandEvidence[]): Promise<Pick<GuestFacts, 'sysctl' | 'nat'>>;
  /**
   * Optional: the configuration, the name lookup and the pings of the targets known before any peer
   * is measured, as one script (one round trip). The engine may hand the plan to openGuest, which
   * then runs it as its identity check (its output holds the addresses) and gives the result back.
   */
  survey?: {
    plan(req: SurveyRequest): PlannedScript;
    read(result: CommandResult, req: SurveyRequest, guest: string): SurveyFacts;
    /** The result as the separate probes' evidence (configuration, lookup, pings), each cited apart. */
    parts?(result: CommandResult, req: SurveyRequest): SurveyPart[];
  };
}

/** One probe of a survey's result, as its own evidence: which facts it holds, how it is cited, its output. */
export interface SurveyPart {
  key: 'config' | 'lookup' | 'reach';
  label: string;
  stdout: string;
}

/** What a survey asks: the name to look up and the targets to ping, each bounded by timeoutMs. */
export interface SurveyRequest {
  name: string;
  targets: string[];
  timeoutMs: number;
}

export interface SurveyFacts {
  config: GuestConfig;
  resolve: Resolution;
  /** One entry per requested target, in order. */
  reach: Reachability[];
}

/**
 * How to tell, from inside a guest, whether an address is really this VM (per OS, built by
 * grader/probes/identity.ts and handed to openGuest by the engine: transports know no OS's commands).
 */
export interface IdentityCheck {
  plan: PlannedScript;
  /** The plan is the guest's first probe script (a survey): its result is handed back to the caller. */
  handsBack: boolean;
  /** The (IPv4 address, MAC) pairs the guest's interfaces hold, or why they could not be read. */
  read(result: CommandResult, guest: string): MeasuredFact<{ address: string; mac: string }[]>;
}

/** A constant script with its inputs as positional arguments, and how it is cited as evidence. */
export interface PlannedScript {
  label: string;
  script: string;
  args: string[];
  timeoutMs: number;
}

// ---------------------------------------------------------------- verdicts and the result

export type Outcome = 'pass' | 'fail' | 'error' | 'skip';

export interface Verdict {
  /** Stable id: `<task>.<question>.<role>` or `<task>.host.<check>.<subject>`. */
  id: string;
  task: string;
  /** Question id (question verdicts) or undefined (host checks). */
  question?: string;
  /** The question's short title from the spec (`questions.<id>.title`), localized, when it has one. */
  questionTitle?: string;
  check: string;
  role?: string;
  /** What a host check is about: a network or domain name. */
  subject?: string;
  outcome: Outcome;
  /** warning: reported, never costs points. */
  severity: 'error' | 'warning';
  points: number;
  maxPoints: number;
  /** Rendered, human-readable values (already localized where words). studentAnswer: the answer as read. */
  studentAnswer: string | null;
  /** The answer as the student wrote it (question verdicts; long text shortened). */
  answerWritten?: string | null;
  /** Words of the answer that were not understood and were left out of the reading. */
  answerIgnored?: string[];
  observed: string | null;
  theory: string | null;
  /** The explanation, in the result's language, citing the evidence. */
  message: string;
  hints: string[];
  /** Machine codes of what was recognised: apipa, firewall-filtered, stale-lease, lab-contradicts-theory... */
  codes: string[];
  evidence: CommandEvidence[];
  /**
   * The displayed fields above as words not yet put into a language (grader/i18n/messages.ts), so the
   * result renders in either language (reports/model.ts). The string fields are the same words in
   * the result's `lang`, for readers of the JSON; renderers use these when present.
   */
  words?: VerdictWords;
}

export interface VerdictWords {
  message: Msg;
  studentAnswer: Msg | null;
  observed: Msg | null;
  theory: Msg | null;
  hints: Msg[];
  questionTitle?: Msg;
}

export interface TaskResult {
  id: string;
  title: string;
  /** The title in both languages (the spec's). */
  titleWords?: Msg;
  network: { key: string; name: string | null; type: NetworkType | null };
  hostChecks: Verdict[];
  questions: Verdict[];
  points: number;
  maxPoints: number;
}

export interface Totals {
  points: number;
  maxPoints: number;
  /** 0..100, one decimal. */
  percent: number;
  pass: number;
  fail: number;
  error: number;
  skip: number;
}

/** The canonical, versioned record of one grading run (reports/result.schema.json). */
export interface GradeResult {
  schemaVersion: 1;
  tool: { name: 'labgrade'; version: string };
  lang: Lang;
  exercise: { id: string; title: string; file: string };
  student: StudentIdentity;
  lab: { uri: string; file: string };
  startedAt: string;
  finishedAt: string;
  timings: { inspectMs: number; connectMs: number; probeMs: number; gradeMs: number };
  tasks: TaskResult[];
  totals: Totals;
  /** Problems that stopped part of the run (host unreachable...), already localized. */
  errors: string[];
  /** Answers the file holds under keys the exercise does not have (not graded), already localized. */
  answerNotices?: string[];
  /** Per guest measured: every access method tried, in order, and why each failed or was skipped. */
  access?: GuestAccess[];
  /** 0 all passed, 1 something failed or could not be measured. */
  exitCode: 0 | 1;
  /** Host keys trusted for the first time during this run (accept_new_host_key) and pinned. */
  trustedHostKeys?: TrustedHostKey[];
  /** `exercise.title`, `errors` and `answerNotices` as words in no language yet (see Verdict.words). */
  words?: { exerciseTitle: Msg; errors: Msg[]; answerNotices?: Msg[] };
}

/** A host key pinned on first use: which host, which key, in which known_hosts file. */
export interface TrustedHostKey {
  host: string;
  port: number;
  keyType: string;
  /** SHA256:... as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  file: string;
}
