// Loads a lab file (the student's or teacher's libvirt host): YAML -> JSON Schema -> semantic
// checks -> LabFile with defaults applied, paths made absolute (relative to the lab file, `~`
// expanded) and inline secrets registered for redaction.
import { dirname, resolve } from 'node:path';
import type { AccessMethod, AgentAccess, ExerciseSpec, LabFile, LabVm, OsFamily, ProbeTargets, SecretRef, SshAccess, WinRmAccess } from '../types.js';
import { didYouMean } from './did-you-mean.js';
import { parseUri } from '../libvirt/uri.js';
import { isProbeTarget } from './parse-answer.js';
import { expandPath, teacherSecrets, type Secrets } from './secrets.js';
import { Issues, entries, formatPath, isRecord, langOf, own, parseYamlText, readYaml, requireTopMap, validateSchema, type LoadOptions, type PathSeg } from './yaml-source.js';

export const DEFAULT_URI = 'qemu:///system';
export const DEFAULT_SSH_USER = 'root';
export const DEFAULT_SSH_PORT = 22;
export const WINRM_PORTS = { http: 5985, https: 5986 } as const;

const URI_RE = /^(qemu(\+(ssh|libssh|libssh2|unix|tls|tcp))?:\/\/[^\s/?#]*\/(system|session)(\?[^\s#]*)?|test:\/\/\/[^\s?#]+)$/;

export interface LoadLabOptions extends LoadOptions {
  /** Also check network keys and VM roles against this exercise. */
  spec?: ExerciseSpec;
  /**
   * Who wrote the file. `teacher` (default: `check`, `validate`, a roster's inline lab) may name
   * local files, environment variables, URI parameters and trust-lowering options; `student` (a lab
   * file collected from a student, named per student in a roster) may not: every such field is an
   * error, found before anything is read or any connection is opened.
   */
  trust?: 'teacher' | 'student';
  /** The file's text, already in memory (a roster's inline lab): `path` then only names it and anchors relative paths. */
  text?: string;
  /** Where its inline secrets are registered for redaction: the run's registry (default: the process's, for one-run commands). */
  secrets?: Secrets;
}

/** Loads and validates a lab file; throws InputError listing every problem. */
export async function loadLab(path: string, opts: LoadLabOptions = {}): Promise<LabFile> {
  const lang = langOf(opts);
  const trust = opts.trust ?? 'teacher';
  const src =
    opts.text !== undefined
      ? parseYamlText(Buffer.from(opts.text, 'utf8'), path, resolve(path), lang, trust)
      : await readYaml(path, lang, {
          trust,
          noFollow: opts.noFollow ?? trust === 'student',
          ...(opts.within !== undefined ? { within: opts.within } : {}),
          ...(opts.bytes ? { bytes: opts.bytes } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
  const issues = new Issues(lang, src.display, src);
  requireTopMap(src, issues);
  // Register inline secrets before anything could be printed.
  for (const [, vm] of entries(own(src.data, 'vms'))) {
    const access = own(vm, 'access');
    if (Array.isArray(access)) for (const a of access) registerInline(own(own(a, 'ssh') ?? own(a, 'winrm'), 'password'), opts.secrets);
  }
  registerInline(own(own(src.data, 'host_ssh'), 'password'), opts.secrets);
  await validateSchema(src, 'lab', issues);
  issues.throwIfAny();
  const d = src.data as Record<string, unknown>;
  const baseDir = dirname(src.file);
  const student = opts.trust === 'student';
  if (student) {
    studentChecks(d, issues);
    issues.throwIfAny();
  }

  const uri = String(own(d, 'uri') ?? DEFAULT_URI);
  if (!URI_RE.test(uri)) issues.error(['uri'], issues.msg('labUri', { value: uri }));

  const networks: Record<string, string> = {};
  for (const [key, name] of entries(d.networks)) networks[key] = String(name);

  const vms: Record<string, LabVm> = {};
  const domains = new Map<string, string>();
  for (const [role, v] of entries(d.vms)) {
    const domain = String(own(v, 'domain'));
    const other = domains.get(domain);
    if (other !== undefined) issues.error(['vms', role, 'domain'], issues.msg('labDuplicateDomain', { domain, other }));
    domains.set(domain, role);
    const access: AccessMethod[] = [];
    const raw = own<unknown[]>(v, 'access') ?? [];
    raw.forEach((a, i) => {
      const at: PathSeg[] = ['vms', role, 'access', i];
      if (typeof a === 'string') {
        if (a === 'agent') access.push({ kind: 'agent' });
        else issues.error(at, issues.withGuess(issues.msg('labAccessString', { value: a }), didYouMean(a, ['ssh', 'winrm', 'agent'])));
        return;
      }
      if (Object.hasOwn(a as object, 'agent')) access.push({ kind: 'agent' } satisfies AgentAccess);
      else if (Object.hasOwn(a as object, 'ssh')) access.push(sshAccess(own(a, 'ssh'), [...at, 'ssh'], baseDir, issues, student));
      else if (Object.hasOwn(a as object, 'winrm')) access.push(winrmAccess(own(a, 'winrm'), [...at, 'winrm'], baseDir, issues, student));
    });
    const vm: LabVm = { role, domain, access };
    const os = own<OsFamily>(v, 'os');
    if (os) vm.os = os;
    vms[role] = vm;
  }

  const lab: LabFile = { file: src.file, uri, networks, vms };
  if (student) lab.trust = 'student';
  const netns = own<string>(d, 'netns');
  if (netns !== undefined) lab.netns = netns;
  if (isRecord(d.probes)) {
    const probes: Partial<ProbeTargets> = {};
    for (const [k, field] of [['outside_host', 'outsideHost'], ['resolve_name', 'resolveName']] as const) {
      const val = own<string>(d.probes, k);
      if (val === undefined) continue;
      if (!isProbeTarget(val)) issues.error(['probes', k], issues.msg('labHost', { value: val }));
      probes[field] = val;
    }
    const tmo = own<number>(d.probes, 'timeout_ms');
    if (tmo !== undefined) probes.timeoutMs = tmo;
    lab.probes = probes;
  }
  if (isRecord(d.host_ssh)) lab.hostSsh = sshAccess(d.host_ssh, ['host_ssh'], baseDir, issues, student);

  if (opts.spec) checkAgainstSpec(lab, opts.spec, issues);
  issues.throwIfAny();
  issues.flushWarnings(opts);
  return lab;
}

function registerInline(secret: unknown, into: Secrets = teacherSecrets): void {
  if (typeof secret === 'string') into.add(secret);
  else if (isRecord(secret) && typeof secret.value === 'string') into.add(secret.value);
}

function secretRef(v: unknown, at: PathSeg[], baseDir: string, issues: Issues): SecretRef {
  if (typeof v === 'string') {
    issues.warn(at, issues.msg('labInlineSecret'));
    return { value: v };
  }
  const env = own<string>(v, 'env');
  if (env !== undefined) return { env };
  const file = own<string>(v, 'file');
  if (file !== undefined) return { file: expandPath(file, baseDir) };
  issues.warn(at, issues.msg('labInlineSecret'));
  return { value: String(own(v, 'value')) };
}

function checkHost(v: unknown, at: PathSeg[], issues: Issues): string | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (!isProbeTarget(s)) issues.error(at, issues.msg('labHost', { value: s }));
  return s;
}

function sshAccess(v: unknown, at: PathSeg[], baseDir: string, issues: Issues, student = false): SshAccess {
  const key = own<string>(v, 'key');
  const password = own(v, 'password');
  const agent = own<boolean>(v, 'agent');
  const ssh: SshAccess = {
    kind: 'ssh',
    user: own<string>(v, 'user') ?? DEFAULT_SSH_USER,
    port: own<number>(v, 'port') ?? DEFAULT_SSH_PORT,
    // With neither key nor password, the running ssh-agent is the way in (never for a student's
    // file: the teacher's agent is the teacher's credential, given in the roster if at all).
    useAgent: student ? false : (agent ?? (key === undefined && password === undefined)),
    acceptNewHostKey: own<boolean>(v, 'accept_new_host_key') ?? false,
    jump: own<SshAccess['jump']>(v, 'jump') ?? 'auto',
  };
  const host = checkHost(own(v, 'host'), [...at, 'host'], issues);
  if (host !== undefined) ssh.host = host;
  if (key !== undefined) ssh.keyFile = expandPath(key, baseDir);
  if (password !== undefined) ssh.password = secretRef(password, [...at, 'password'], baseDir, issues);
  const configHost = own<string>(v, 'config_host');
  if (configHost !== undefined) ssh.configHost = configHost;
  const kh = own<string>(v, 'known_hosts');
  if (kh !== undefined) ssh.knownHostsFile = expandPath(kh, baseDir);
  return ssh;
}

function winrmAccess(v: unknown, at: PathSeg[], baseDir: string, issues: Issues, student = false): WinRmAccess {
  const scheme = own<'http' | 'https'>(v, 'scheme') ?? 'https';
  const auth = own<'ntlm' | 'basic'>(v, 'auth') ?? 'ntlm';
  const insecure = own<boolean>(v, 'insecure_skip_verify') ?? false;
  const w: WinRmAccess = {
    kind: 'winrm',
    user: String(own(v, 'user')),
    scheme,
    port: own<number>(v, 'port') ?? WINRM_PORTS[scheme],
    auth,
    insecureSkipVerify: insecure,
    jump: own<WinRmAccess['jump']>(v, 'jump') ?? 'auto',
  };
  const password = own(v, 'password');
  // Without one (as init writes it): a student's file gets the teacher's credentials (roster); one's
  // own lab, LABGRADE_<ROLE>_PASSWORD or the terminal prompt (transports/self-password.ts).
  if (password !== undefined) w.password = secretRef(password, [...at, 'password'], baseDir, issues);
  const host = checkHost(own(v, 'host'), [...at, 'host'], issues);
  if (host !== undefined) w.host = host;
  const ca = own<string>(v, 'ca_file');
  if (ca !== undefined) w.caFile = expandPath(ca, baseDir);
  if (scheme === 'http' && auth === 'basic') issues.warn([...at, 'auth'], issues.msg('labBasicOverHttp'));
  if (insecure && ca !== undefined) issues.warn([...at, 'insecure_skip_verify'], issues.msg('labInsecureWithCa'));
  return w;
}

/**
 * Fields a student's lab file may not use (see LoadLabOptions.trust): each one names the field and
 * why. Runs on the raw data, before any value is used.
 */
function studentChecks(d: Record<string, unknown>, issues: Issues): void {
  const refuse = (at: PathSeg[], reason: Parameters<Issues['msg']>[0], params?: Record<string, string>) =>
    issues.error(at, issues.msg('labStudentField', { field: formatPath(at), reason: issues.msg(reason, params) }));
  const uri = own<string>(d, 'uri');
  if (typeof uri === 'string') {
    const q = uri.indexOf('?');
    if (q >= 0) {
      const params = [...new URLSearchParams(uri.slice(q + 1)).keys()].map((k) => `${k}=`);
      refuse(['uri'], 'labStudentUriParams', { params: params.join(', ') || '?' });
    }
    // test:///<path> loads an XML file of the grading machine; only the built-in test:///default is a name.
    if (uri.startsWith('test:') && uri.split('?')[0] !== 'test:///default') refuse(['uri'], 'labStudentUriLocal');
    // The host and user reach ssh's command line through libvirt: plain names and addresses only.
    // A URI the parser cannot read (an empty or non-numeric port: `qemu+ssh://-oProxyCommand=...:/system`)
    // is refused too: no host check is ever skipped.
    const u = parseUri(uri);
    const local = uri.startsWith('test:');
    if ((!u && !local) || (u && ((u.host !== null && !isProbeTarget(u.host)) || (u.user !== null && !/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(u.user))))) refuse(['uri'], 'labStudentUriHost');
  }
  if (own(d, 'netns') !== undefined) refuse(['netns'], 'labStudentNetns');
  const secret = (s: unknown, at: PathSeg[]) => {
    if (!isRecord(s)) return;
    if (own(s, 'file') !== undefined) refuse([...at, 'file'], 'labStudentPath');
    if (own(s, 'env') !== undefined) refuse([...at, 'env'], 'labStudentEnv');
  };
  const ssh = (s: unknown, at: PathSeg[]) => {
    if (!isRecord(s)) return;
    if (own(s, 'key') !== undefined) refuse([...at, 'key'], 'labStudentPath');
    if (own(s, 'known_hosts') !== undefined) refuse([...at, 'known_hosts'], 'labStudentPath');
    if (own(s, 'config_host') !== undefined) refuse([...at, 'config_host'], 'labStudentConfigHost');
    if (own(s, 'agent') === true) refuse([...at, 'agent'], 'labStudentAgent');
    if (own(s, 'accept_new_host_key') === true) refuse([...at, 'accept_new_host_key'], 'labStudentAcceptNew');
    secret(own(s, 'password'), [...at, 'password']);
  };
  const winrm = (w: unknown, at: PathSeg[]) => {
    if (!isRecord(w)) return;
    if (own(w, 'ca_file') !== undefined) refuse([...at, 'ca_file'], 'labStudentPath');
    if (own(w, 'insecure_skip_verify') === true) refuse([...at, 'insecure_skip_verify'], 'labStudentInsecure');
    if (own(w, 'auth') === 'basic' && own(w, 'scheme') === 'http') refuse([...at, 'auth'], 'labStudentBasicHttp');
    secret(own(w, 'password'), [...at, 'password']);
  };
  ssh(own(d, 'host_ssh'), ['host_ssh']);
  for (const [role, vm] of entries(own(d, 'vms'))) {
    const access = own(vm, 'access');
    if (!Array.isArray(access)) continue;
    access.forEach((a, i) => {
      if (!isRecord(a)) return;
      if (Object.hasOwn(a, 'ssh')) ssh(own(a, 'ssh'), ['vms', role, 'access', i, 'ssh']);
      if (Object.hasOwn(a, 'winrm')) winrm(own(a, 'winrm'), ['vms', role, 'access', i, 'winrm']);
    });
  }
}

function checkAgainstSpec(lab: LabFile, spec: ExerciseSpec, issues: Issues): void {
  const specName = spec.id;
  const netKeys = Object.keys(spec.networks);
  for (const key of Object.keys(lab.networks)) {
    if (!Object.hasOwn(spec.networks, key)) {
      issues.error(['networks', key], issues.withGuess(issues.msg('labUnknownNetwork', { id: key, spec: specName, known: netKeys.join(', ') }), didYouMean(key, netKeys)), { onKey: true });
    }
  }
  const roles = Object.keys(spec.vms);
  for (const role of Object.keys(lab.vms)) {
    if (!Object.hasOwn(spec.vms, role)) {
      issues.error(['vms', role], issues.withGuess(issues.msg('labUnknownRole', { id: role, spec: specName, known: roles.join(', ') }), didYouMean(role, roles)), { onKey: true });
    }
  }
  for (const role of roles) {
    if (!Object.hasOwn(lab.vms, role)) issues.warn(['vms'], issues.msg('labMissingRole', { id: role }), { onKey: true });
  }
}
