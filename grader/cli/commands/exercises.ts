// `labgrade exercises [--format text|json]`: the bundled exercises with their ids, titles and tasks.
// Exit 0; 2 on bad usage or an exercise that does not load.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatOption } from '../format-option.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/cli.js';
import en from '../../i18n/en/cli.js';

const t = translator(es, en);

export function register(program: Command, ctx: CliContext): void {
  program
    .command('exercises')
    .description(t(ctx.lang, 'exercisesDesc'))
    .option('--format <text|json>', t(ctx.lang, 'exercisesFormat'), 'text')
    .action(async (opts: { format: string }) => {
      process.exitCode = await runExercises(opts, ctx);
    });
}

export async function runExercises(opts: { format: string }, ctx: CliContext): Promise<number> {
  const lang = ctx.lang;
  const format = formatOption('listing', opts.format, lang);
  const [{ bundledExerciseIds, bundledExercisePath }, { loadSpec }] = await Promise.all([import('../../inputs/exercises.js'), import('../../inputs/load-spec.js')]);
  const list = [];
  for (const id of bundledExerciseIds()) {
    const path = bundledExercisePath(id);
    const spec = await loadSpec(path, { lang });
    list.push({ id, title: spec.title[lang] ?? spec.title.en ?? id, path, tasks: spec.tasks.map((x) => x.id) });
  }
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  const lines = [t(lang, 'exercisesHeader')];
  for (const x of list) lines.push(`  ${x.id.padEnd(16)} ${x.title}`, `  ${''.padEnd(16)} ${t(lang, 'exercisesTasks', { tasks: x.tasks.join(', ') })}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
