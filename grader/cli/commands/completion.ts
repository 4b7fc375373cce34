// `labgrade completion bash|zsh`: prints the shell completion script (grader/cli/completion.ts) for
// the commands, options and bundled exercises of this labgrade. Exit 0; 2 for another shell.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { InputError } from '../../types.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/cli.js';
import en from '../../i18n/en/cli.js';

const t = translator(es, en);
const SHELLS = ['bash', 'zsh'] as const;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('completion')
    .description(t(ctx.lang, 'completionDesc'))
    .argument('<bash|zsh>', t(ctx.lang, 'completionArgShell'))
    .action(async (shell: string) => {
      process.exitCode = await runCompletion(shell, ctx);
    });
}

export async function runCompletion(shell: string, ctx: CliContext): Promise<number> {
  if (!(SHELLS as readonly string[]).includes(shell)) throw new InputError(t(ctx.lang, 'completionBadShell', { shell, valid: SHELLS.join(', ') }));
  const [{ buildProgram }, { bashCompletion, zshCompletion }, { bundledExerciseIds }, { reportFormats }] = await Promise.all([
    import('../main.js'),
    import('../completion.js'),
    import('../../inputs/exercises.js'),
    import('../../../reports/index.js'),
  ]);
  const program = await buildProgram({ lang: 'en' });
  const extra = { format: [...reportFormats] };
  process.stdout.write((shell === 'bash' ? bashCompletion : zshCompletion)(program, bundledExerciseIds(), extra));
  return 0;
}
