// labgrade's entry point. Each command lives in grader/cli/commands/<name>.ts and exports
// `register(program, ctx)`; command modules import only light things at the top and load the
// engine inside their action, so `labgrade --version` stays fast.
import { Command, CommanderError } from 'commander';
import { toolVersion } from '../version.js';
import { detectLang } from '../i18n/lang.js';
import { reportFailure, exitCodes } from './io.js';
import type { CliContext } from './context.js';

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
  init: () => import('./commands/init.js'),
  doctor: () => import('./commands/doctor.js'),
};

export async function main(argv: string[]): Promise<void> {
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
  for (const mod of await Promise.all(Object.values(COMMANDS).map((load) => load()))) mod.register(program, ctx);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage errors were already printed by commander.
      process.exitCode = err.exitCode === 0 ? 0 : exitCodes.input;
      return;
    }
    process.exitCode = reportFailure(err, ctx.lang);
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
