// labgrade's entry point. Each command lives in grader/cli/commands/<name>.ts and exports
// `register(program, ctx)`; command modules import only light things at the top and load the
// engine inside their action, so `labgrade --version` stays fast.
import { Command, CommanderError } from 'commander';
import { toolVersion } from '../version.js';
import { detectLang, parseLang } from '../i18n/lang.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/cli.js';
import en from '../i18n/en/cli.js';
import { localizeCommander } from './commander-i18n.js';
import { reportFailure, exitCodes, emitError, errorOutput } from './io.js';
import { localizeError } from './commander-i18n.js';
import { verbosityOf, debugging } from './verbosity.js';
import { forceColour } from '../util/colour.js';
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
  watch: () => import('./commands/watch.js'),
  report: () => import('./commands/report.js'),
  handin: () => import('./commands/handin.js'),
  completion: () => import('./commands/completion.js'),
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
    .option('--color', t(ctx.lang, 'optColor'))
    .option('--no-color', t(ctx.lang, 'optNoColor'))
    .exitOverride();
  const loaders = only !== undefined && Object.hasOwn(COMMANDS, only) ? [COMMANDS[only]!] : Object.values(COMMANDS);
  for (const mod of await Promise.all(loaders.map((load) => load()))) mod.register(program, ctx);
  // A usage error is one line (plus commander's "did you mean"), then where the help is; not the whole help.
  const pointTo = (cmd: Command, path: string): void => {
    cmd.showHelpAfterError(t(ctx.lang, 'cmd.seeHelpFor', { command: `${path} --help` }));
    for (const sub of cmd.commands) pointTo(sub, `${path} ${sub.name()}`);
  };
  pointTo(program, 'labgrade');
  // -q / -v of the command about to run (only commands that have them: grader/cli/verbosity.ts).
  program.hook('preAction', (_root, action) => {
    ctx.verbosity = verbosityOf(action.opts(), ctx.lang);
    errorOutput.debug = debugging(ctx.verbosity);
  });
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
  const lang = langFlag === undefined ? undefined : parseLang(langFlag);
  const ctx: CliContext = { lang: detectLang(lang ?? undefined) };
  // Under --format json (or lab's old --json) failures are a JSON object on stdout (io.ts).
  errorOutput.json = flagValue(args, '--format') === 'json' || args.includes('--json');
  forceColour(args.includes('--no-color') ? false : args.includes('--color') ? true : undefined);
  if (langFlag !== undefined && lang === null) {
    const message = t(ctx.lang, 'badLang', { value: langFlag });
    emitError({ code: 'usage', message, exitCode: exitCodes.input });
    process.exitCode = exitCodes.input;
    return;
  }
  // Ctrl-C / SIGTERM: every child process goes with labgrade (grader/util/cleanup.ts).
  (await import('../util/cleanup.js')).installSignalStop();
  const program = await buildProgram(ctx, argv[commandIndex(argv)]);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage errors were already printed by commander (as text), or are
      // printed here as JSON.
      if (err.exitCode !== 0 && errorOutput.json) {
        emitError({ code: 'usage', message: localizeError(err.message, ctx.lang).trim(), exitCode: exitCodes.input });
      }
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
