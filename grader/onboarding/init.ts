// `labgrade init`: inspect the libvirt host, propose a lab file (propose.ts), write it with its
// notes as comments (render-lab.ts) and print the notes that need the user's attention.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import pLimit from 'p-limit';
import { InputError, type ExerciseSpec, type HostSnapshot, type Lang, type ProbeTargets } from '../types.js';
import { loadSpec } from '../inputs/load-spec.js';
import { inspectHost } from '../libvirt/snapshot.js';
import { Virsh, LibvirtError } from '../libvirt/virsh.js';
import { isRemoteUri, withSshDefaults } from '../libvirt/uri.js';
import { defaultIdentityFiles } from '../transports/ssh.js';
import { detectNetns } from '../transports/netns-detect.js';
import { writeFileAtomic } from '../util/fs.js';
import { proposeLab, type InitOptions, type Note, type Proposal } from './propose.js';
import { renderLabYaml } from './render-lab.js';
import { schemaRefFor } from '../inputs/paths.js';
import { noteText, t } from './notes.js';
import type { AgentOsInfo } from './os-detect.js';

export interface RunInitOptions {
  lang: Lang;
  specPath: string;
  uri: string;
  /** Output path, or `-` for stdout. */
  output: string;
  force: boolean;
  netns?: string;
  sshUser?: string;
  sshKey?: string;
  knownHosts?: string;
  acceptNewHostKeys?: boolean;
  winrmUser?: string;
  probes?: Partial<ProbeTargets>;
  /** KEY=NAME strings from --network / --vm. */
  networks?: string[];
  vms?: string[];
  /** Ask running guest agents which OS they run (default true). */
  agentOsinfo?: boolean;
}

export interface InitResult {
  file: string | null;
  yaml: string;
  proposal: Proposal;
}

/** `key=name` pairs, each key known to the spec. */
export function parseMappings(lang: Lang, option: string, values: string[], known: string[], what: 'network' | 'vm'): Record<string, string> {
  const out: Record<string, string> = {};
  const issues: { file: string; message: string }[] = [];
  for (const v of values) {
    const m = /^([^=\s]+)=(\S.*)$/.exec(v);
    if (!m) {
      issues.push({ file: option, message: t(lang, 'init.badMapping', { option, value: v }) });
      continue;
    }
    if (!known.includes(m[1]!)) {
      issues.push({ file: option, message: t(lang, what === 'network' ? 'init.unknownNetworkKey' : 'init.unknownRole', { option, key: m[1]!, known: known.join(', ') }) });
      continue;
    }
    out[m[1]!] = m[2]!;
  }
  if (issues.length > 0) throw new InputError(issues.map((i) => i.message).join('\n'));
  return out;
}

export { detectNetns };

/** `guest-get-osinfo` of every running domain whose agent answered. */
export async function agentOsInfo(virsh: Virsh, snap: HostSnapshot): Promise<Record<string, AgentOsInfo | null>> {
  const out: Record<string, AgentOsInfo | null> = {};
  const limit = pLimit(4);
  await Promise.all(
    snap.domains
      .filter((d) => d.state === 'running' && d.agentConnected === true)
      .map((d) =>
        limit(async () => {
          try {
            const raw = await virsh.run(
              ['qemu-agent-command', '--domain', d.name, '--timeout', '5', '--cmd', '{"execute":"guest-get-osinfo"}'],
              { subject: d.name, timeoutMs: 15_000 },
            );
            const parsed = JSON.parse(raw) as { return?: AgentOsInfo };
            out[d.name] = parsed.return && typeof parsed.return === 'object' ? parsed.return : null;
          } catch (e) {
            if (e instanceof LibvirtError && e.isConnectionError) throw e;
            out[d.name] = null;
          }
        }),
      ),
  );
  return out;
}

export function defaultSshUser(): string {
  const sudo = process.env.SUDO_USER;
  if (sudo && sudo !== 'root' && /^[^\s@:/\\]+$/.test(sudo)) return sudo;
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}

export async function runInit(o: RunInitOptions, spec?: ExerciseSpec): Promise<InitResult> {
  const lang = o.lang;
  const toStdout = o.output === '-';
  const file = toStdout ? null : resolve(o.output);
  if (file && existsSync(file) && !o.force) {
    throw new InputError(t(lang, 'init.exists', { file: o.output }));
  }
  const theSpec = spec ?? (await loadSpec(o.specPath, { lang }));
  const networkOverrides = parseMappings(lang, '--network', o.networks ?? [], Object.keys(theSpec.networks), 'network');
  const vmOverrides = parseMappings(lang, '--vm', o.vms ?? [], Object.keys(theSpec.vms), 'vm');

  const uri = withSshDefaults(o.uri);
  const virsh = new Virsh({ uri, lang });
  const snap = await inspectHost(uri, { lang, virsh });
  const agentOs = o.agentOsinfo === false || snap.readOnly ? {} : await agentOsInfo(virsh, snap);

  // A namespace found here is not written: it is a fact of this machine, found again when checking
  // (transports/netns-detect.ts), and a file naming one cannot be handed in. --netns writes it.
  const detectedNetns = o.netns === undefined && !isRemoteUri(o.uri) ? await detectNetns(snap) : undefined;
  // Only what the user names is written: the default SSH keys are found again when checking.
  const opts: InitOptions = {
    uri: o.uri,
    netns: o.netns,
    sshUser: o.sshUser ?? defaultSshUser(),
    sshKeyFile: o.sshKey ? resolve(o.sshKey) : undefined,
    sshKeyFound: o.sshKey !== undefined || defaultIdentityFiles().length > 0,
    knownHostsFile: o.knownHosts ? resolve(o.knownHosts) : undefined,
    sshAgent: Boolean(process.env.SSH_AUTH_SOCK),
    acceptNewHostKey: o.acceptNewHostKeys ?? false,
    winrmUser: o.winrmUser ?? 'Administrador',
    probes: o.probes,
    networkOverrides,
    vmOverrides,
    agentOs,
  };
  const proposal = proposeLab(theSpec, snap, opts);
  if (detectedNetns) proposal.notes.push({ path: 'uri', code: 'netns-detected', severity: 'info', params: { netns: detectedNetns } });
  const yaml = renderLabYaml(proposal.lab, proposal.notes, {
    lang,
    exerciseId: theSpec.id,
    file: o.output === '-' ? 'lab.yaml' : o.output,
    specProbes: theSpec.probes,
    schemaRef: schemaRefFor('lab', file ?? undefined),
  });
  if (file) await writeFileAtomic(file, yaml, 0o644);
  return { file, yaml, proposal };
}

/** What init prints on the terminal (stderr when the file goes to stdout). */
export function initSummary(lang: Lang, r: InitResult, output: string, opts: { quiet?: boolean } = {}): string {
  const warnings: Note[] = r.proposal.notes.filter((n) => n.severity === 'warning');
  const lines: string[] = [];
  // -q: the warnings only (what to review), no notes.
  if (opts.quiet) return warnings.length ? `${warnings.map((n) => `${n.path}: ${noteText(lang, n)}`).join('\n')}\n` : '';
  if (r.file) lines.push(t(lang, 'init.written', { file: output }));
  if (warnings.length === 0) lines.push(t(lang, 'init.noWarnings'));
  else {
    lines.push(t(lang, 'init.warnings', { count: warnings.length }));
    for (const n of warnings) lines.push(`  - ${n.path}: ${noteText(lang, n)}`);
  }
  lines.push(t(lang, 'init.next', { file: output === '-' ? 'lab.yaml' : output }));
  return `${lines.join('\n')}\n`;
}
