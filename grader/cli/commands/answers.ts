// `labgrade answers init [spec] [-o FILE] [--force]`: writes an answers template with every task
// and question of the exercise as comments in the chosen language (--lang), values empty.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { InputError } from '../../types.js';
import { checkOutputPath } from '../output-path.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/spec.js';
import en from '../../i18n/en/spec.js';

const t = translator(es, en);

interface InitOptions {
  output?: string;
  force?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  const L = ctx.lang;
  const answers = program.command('answers').description(t(L, 'answersDesc'));
  answers
    .command('init')
    .description(t(L, 'answersInitDesc'))
    .argument('[spec]', t(L, 'answersInitArgSpec'))
    .option('-o, --output <file>', t(L, 'answersInitOptOut'))
    .option('-f, --force', t(L, 'answersInitOptForce'))
    .action(async (specPath: string | undefined, opts: InitOptions) => {
      process.exitCode = await runAnswersInit(specPath, opts, ctx);
    });
}

export async function runAnswersInit(specPath: string | undefined, opts: InitOptions, ctx: CliContext): Promise<number> {
  const lang = ctx.lang;
  const [{ loadSpec }, { answersTemplate }, { shippedSpecPath, schemaRefFor }, fs, { writeOutput }] = await Promise.all([
    import('../../inputs/load-spec.js'),
    import('../../inputs/answers-template.js'),
    import('../../inputs/paths.js'),
    import('node:fs'),
    import('../io.js'),
  ]);
  const spec = await loadSpec(specPath ?? shippedSpecPath(), { lang });
  const out = opts.output && opts.output !== '-' ? opts.output : undefined;
  checkOutputPath(out, '-o', lang);
  if (out && fs.existsSync(out) && !opts.force) throw new InputError(t(lang, 'answersInitExists', { file: out }));
  const schemaRef = schemaRefFor('answers', out);
  const text = answersTemplate(spec, lang, { schemaRef, ...(out ? { fileHint: out } : {}) });
  await writeOutput(out, text);
  if (out) process.stderr.write(`${t(lang, 'answersInitWritten', { file: out })}\n`);
  return 0;
}
