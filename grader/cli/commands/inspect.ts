// `labgrade inspect [--lab FILE] [--uri URI] [--format text|json] [--no-agent]`: what labgrade
// sees on the libvirt host (networks with type/bridge/addresses/DHCP, VMs with state/NICs/agent,
// DHCP leases with stale ones flagged), so students can debug their setup before grading.
// Exit 0: everything read and every name in the lab file exists; 1: something missing or unreadable
// (or libvirt unreachable); 2: bad usage or lab file.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatOption } from '../format-option.js';
import { resolveUri, uriOption } from '../uri-option.js';
import { withVerbosity } from '../verbosity.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/inspect.js';
import en from '../../i18n/en/inspect.js';

const t = translator(es, en);

export interface InspectCliOptions {
  lab?: string;
  uri?: string;
  format?: string;
  agent?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  const L = ctx.lang;
  const cmd = program
    .command('inspect')
    .description(t(L, 'cli.desc'))
    .option('--lab <file>', t(L, 'cli.optLab'))
    .addOption(uriOption(t(L, 'cli.optUri')))
    .option('--format <text|json>', t(L, 'cli.optFormat'), 'text')
    .option('--no-agent', t(L, 'cli.optNoAgent'));
  withVerbosity(cmd, L).action(async (opts: InspectCliOptions) => {
      process.exitCode = await runInspect(opts, ctx);
    });
}

export async function runInspect(opts: InspectCliOptions, ctx: CliContext): Promise<number> {
  const lang = ctx.lang;
  const format = formatOption('inspect', opts.format, lang);
  resolveUri(opts.uri, lang);
  const [{ inspectHost }, { summarizeLab, inspectExitCode }, { writeOutput }, { registry }] = await Promise.all([
    import('../../libvirt/snapshot.js'),
    import('../../libvirt/lab-summary.js'),
    import('../io.js'),
    import('../../../reports/index.js'),
  ]);
  let lab = null;
  if (opts.lab) {
    const { loadLab } = await import('../../inputs/load-lab.js');
    lab = await loadLab(opts.lab, { lang });
  }
  const { uri } = resolveUri(opts.uri, lang, lab?.uri);
  const { virshFor } = await import('../../libvirt/remote.js');
  const virsh = virshFor(lab ? { ...lab, uri } : { uri, file: `${process.cwd()}/-` }, lang);
  const snapshot = await inspectHost(uri, { lang, agentPing: opts.agent !== false, virsh, concurrency: virsh.remote ? 8 : 4 });
  const summary = lab ? summarizeLab(snapshot, lab) : null;
  await writeOutput(undefined, registry.inspect[format](snapshot, { lang, lab }));
  return inspectExitCode(snapshot, summary);
}
