// labgrade's entry point. Each command lives in grader/cli/commands/<name>.ts and exports
// `register(program, ctx)`; command modules import only light things at the top and load the
// engine inside their action, so `labgrade --version` stays fast.
import { Command, CommanderError } from 'commander';
import { toolVersion } from '../version.js';
import { detectLang } from '../i18n/lang.js';
import { reportFailure, exitCodes } from './io.js';
import type { CliContext } from './context.js';

const COMMANDS = ['validate', 'answers', 'lab', 'inspect', 'check', 'demo', 'batch', 'batch-merge', 'init', 'doctor'] as const;

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
  const program = new Command('labgrade')
    .version(toolVersion(), '-V, --version')
    .description(ctx.lang === 'es'
      ? 'Corrector automático de prácticas de redes con KVM/libvirt'
      : 'Automated grader for KVM/libvirt lab exercises')
    .option('--lang <es|en>', ctx.lang === 'es' ? 'idioma de los mensajes' : 'language of messages')
    .showHelpAfterError()
    .exitOverride();
  // Only the command asked for is loaded (all of them for help or an unknown word).
  const asked = argv[commandIndex(argv)];
  const load = (COMMANDS as readonly string[]).includes(asked ?? '') ? [asked!] : COMMANDS;
  for (const name of load) {
    const mod = (await import(`./commands/${name}.js`)) as { register: (p: Command, c: CliContext) => void };
    mod.register(program, ctx);
  }
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
