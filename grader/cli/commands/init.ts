// `labgrade init [spec] [--uri URI] [-o lab.yaml] [--force] ...`: inspects the libvirt host and
// writes a lab file for the exercise (grader/onboarding/). Exit 0 written (ambiguities are listed,
// not fatal), 1 libvirt unreachable, 2 bad usage / the file exists without --force.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { resolveUri, uriOption } from '../uri-option.js';
import { withVerbosity } from '../verbosity.js';
import { checkOutputPath } from '../output-path.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/onboarding.js';
import en from '../../i18n/en/onboarding.js';

const t = translator(es, en);

export interface InitCliOptions {
  uri?: string;
  output: string;
  force?: boolean;
  netns?: string;
  sshUser?: string;
  sshKey?: string;
  knownHosts?: string;
  acceptNewHostKeys?: boolean;
  winrmUser?: string;
  network: string[];
  vm: string[];
  outsideHost?: string;
  resolveName?: string;
  agentOs?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function register(program: Command, ctx: CliContext): void {
  const L = ctx.lang;
  const cmd = program
    .command('init')
    .description(t(L, 'cli.init.desc'))
    .argument('[spec]', t(L, 'cli.init.argSpec'))
    .addOption(uriOption(t(L, 'cli.init.optUri')))
    .option('-o, --output <file>', t(L, 'cli.init.optOutput'), 'lab.yaml')
    .option('--force', t(L, 'cli.init.optForce'))
    .option('--netns <name>', t(L, 'cli.init.optNetns'))
    .option('--ssh-user <user>', t(L, 'cli.init.optSshUser'))
    .option('--ssh-key <file>', t(L, 'cli.init.optSshKey'))
    .option('--known-hosts <file>', t(L, 'cli.init.optKnownHosts'))
    .option('--accept-new-host-keys', t(L, 'cli.init.optAccept'))
    .option('--winrm-user <user>', t(L, 'cli.init.optWinrmUser'))
    .option('--network <key=name>', t(L, 'cli.init.optNetwork'), collect, [])
    .option('--vm <role=domain>', t(L, 'cli.init.optVm'), collect, [])
    .option('--outside-host <host>', t(L, 'cli.init.optOutsideHost'))
    .option('--resolve-name <name>', t(L, 'cli.init.optResolveName'))
    .option('--no-agent-os', t(L, 'cli.init.optNoAgentOs'));
  withVerbosity(cmd, L).action(async (spec: string | undefined, opts: InitCliOptions) => {
      process.exitCode = await runInitCli(spec, opts, ctx);
    });
}

export async function runInitCli(specArg: string | undefined, opts: InitCliOptions, ctx: CliContext): Promise<number> {
  const { uri } = resolveUri(opts.uri, ctx.lang);
  checkOutputPath(opts.output, '-o', ctx.lang);
  const [{ runInit, initSummary }, { shippedSpecPath }] = await Promise.all([
    import('../../onboarding/init.js'),
    import('../../inputs/paths.js'),
  ]);
  const probes: Record<string, string> = {};
  if (opts.outsideHost) probes.outsideHost = opts.outsideHost;
  if (opts.resolveName) probes.resolveName = opts.resolveName;
  const r = await runInit({
    lang: ctx.lang,
    specPath: specArg ?? shippedSpecPath(),
    uri,
    output: opts.output,
    force: opts.force ?? false,
    ...(opts.netns ? { netns: opts.netns } : {}),
    ...(opts.sshUser ? { sshUser: opts.sshUser } : {}),
    ...(opts.sshKey ? { sshKey: opts.sshKey } : {}),
    ...(opts.knownHosts ? { knownHosts: opts.knownHosts } : {}),
    acceptNewHostKeys: opts.acceptNewHostKeys ?? false,
    ...(opts.winrmUser ? { winrmUser: opts.winrmUser } : {}),
    probes,
    networks: opts.network,
    vms: opts.vm,
    agentOsinfo: opts.agentOs !== false,
  });
  if (r.file === null) process.stdout.write(r.yaml);
  process.stderr.write(initSummary(ctx.lang, r, opts.output, { quiet: ctx.verbosity === 'quiet' }));
  return 0;
}
