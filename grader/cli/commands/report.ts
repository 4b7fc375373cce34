// `labgrade report <result.json> [--format text|json|junit|html] [-o FILE]`: renders a stored result
// (`check --format json`, a batch's students/*.json) again, in the language of the run (`--lang`),
// from the words the result keeps (reports/model.ts). Exit 0 rendered, 2 not a result.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { InputError } from '../../types.js';
import { formatOption } from '../format-option.js';
import { checkOutputPath } from '../output-path.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/report.js';
import en from '../../i18n/en/report.js';

const t = translator(es, en);

interface ReportCliOptions {
  format?: string;
  output?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const L = ctx.lang;
  program
    .command('report')
    .description(t(L, 'cliReportDesc'))
    .argument('<result.json>', t(L, 'cliReportArg'))
    .option('--format <text|json|junit|html>', t(L, 'cliReportFormat'), 'text')
    .option('-o, --output <file>', t(L, 'cliReportOutput'))
    .action(async (file: string, opts: ReportCliOptions) => {
      process.exitCode = await runReport(file, opts, ctx);
    });
}

export async function runReport(file: string, opts: ReportCliOptions, ctx: CliContext): Promise<number> {
  const lang = ctx.lang;
  const format = formatOption('result', opts.format, lang);
  checkOutputPath(opts.output, '-o', lang);
  const [{ readInputText, ReadInputError, describeReadInputError }, { resultProblems }, { renderers, wantColor }, { writeOutput }] = await Promise.all([
    import('../../inputs/read.js'),
    import('../../../reports/validate.js'),
    import('../../../reports/index.js'),
    import('../io.js'),
  ]);
  let data: unknown;
  try {
    data = JSON.parse(await readInputText(file, 'result'));
  } catch (err) {
    if (err instanceof SyntaxError) throw new InputError(t(lang, 'cliReportNotJson', { file }));
    if (err instanceof ReadInputError) throw new InputError(await describeReadInputError(err, lang));
    throw err;
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== 1) throw new InputError(t(lang, 'cliReportVersion', { file, version: String(version ?? '-') }));
  const problems = await resultProblems(data);
  if (problems.length > 0) throw new InputError(t(lang, 'cliReportInvalid', { file, problems: problems.slice(0, 5).join('; ') }));
  const result = data as import('../../types.js').GradeResult;
  // A result written before it kept its words: its explanations stay in the language it was graded in.
  if (result.lang !== lang && result.tasks.some((task) => [...task.hostChecks, ...task.questions].some((v) => v.words === undefined))) {
    process.stderr.write(`${t(lang, 'cliReportOldWords', { lang: result.lang })}\n`);
  }
  const toFile = opts.output !== undefined && opts.output !== '-';
  await writeOutput(opts.output, renderers[format](result, { lang, color: format === 'text' && !toFile && wantColor(process.stdout) }));
  return 0;
}
