// labgrade's entry point. Each command lives in grader/cli/commands/<name>.ts and exports
// `register(program, ctx)`; command modules import only light things at the top and load the
// engine inside their action, so `labgrade --version` stays fast.
import { Command, CommanderError } from 'commander';
import { toolVersion } from '../version.js';
import { detectLang, isLang } from '../i18n/lang.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/cli.js';
import en from '../i18n/en/cli.js';
import { localizeCommander } from './commander-i18n.js';
import { reportFailure, exitCodes } from './io.js';
import type { CliContext } from './context.js';

const t = translator(es, en);

type CommandModule = { register: (p: Command, c: CliContext) => void };
/** One loader per command, written out (not a computed path) so bundlers can follow them. */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  validate: () => import('./commands/validate.js'),
  answers: () => import('./commands/answers.js'),
  lab: () => import('./commands/lab.js'),
  inspect: () => import('./commands/inspect.js'),
  check: () => import('./commands/check.js'),
  demo: () => import('./commands/demo.js'),
  batch: () => import('./commands/batch.js'),
  'batch-merge': () => import('./commands/batch-merge.js'),
  init: () => import('./commands/init.js'),
  doctor: () => import('./commands/doctor.js'),
  exercises: () => import('./commands/exercises.js'),
  report: () => import('./commands/report.js'),
};

/**
 * The command tree in one language (also used by tests that check option names): every command,
 * or only `only` (the command being run: nothing loaded that it does not use).
 */
export async function buildProgram(ctx: CliContext, only?: string): Promise<Command> {
  const program = new Command('labgrade');
  localizeCommander(program, ctx.lang);
  program
    .version(toolVersion(), '-V, --version', t(ctx.lang, 'cmd.version'))
    .description(t(ctx.lang, 'programDesc'))
    .option('--lang <es|en>', t(ctx.lang, 'optLang'))
    .showHelpAfterError()
    .exitOverride();
  const loaders = only !== undefined && Object.hasOwn(COMMANDS, only) ? [COMMANDS[only]!] : Object.values(COMMANDS);
  for (const mod of await Promise.all(loaders.map((load) => load()))) mod.register(program, ctx);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // `batch merge ...` is the `batch-merge` command (commander cannot nest it under `batch <spec>`).
  const cmdAt = commandIndex(argv);
  if (argv[cmdAt] === 'batch' && argv[cmdAt + 1] === 'merge') argv = [...argv.slice(0, cmdAt), 'batch-merge', ...argv.slice(cmdAt + 2)];
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${toolVersion()}\n`);
    return;
  }
  const langFlag = flagValue(args, '--lang');
  const ctx: CliContext = { lang: detectLang(langFlag) };
  if (langFlag !== undefined && !isLang(langFlag)) {
    process.stderr.write(`${t(ctx.lang, 'badLang', { value: langFlag })}\n`);
    process.exitCode = exitCodes.input;
    return;
  }
  const program = await buildProgram(ctx, argv[commandIndex(argv)]);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage errors were already printed by commander.
      process.exitCode = err.exitCode === 0 ? 0 : exitCodes.input;
      return;
    }
    process.exitCode = reportFailure(err, ctx.lang);
  } finally {
    // Pooled connections (SSH to libvirt hosts) end with the command.
    await (await import('../util/cleanup.js')).runEnd();
  }
}

function flagValue(args: string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === flag) return args[i + 1];
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return undefined;
}

/** Index in argv of the command name (after the global --lang option). */
function commandIndex(argv: string[]): number {
  let i = 2;
  while (i < argv.length && argv[i]!.startsWith('-')) i += argv[i] === '--lang' ? 2 : 1;
  return i;
}
