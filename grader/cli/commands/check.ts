// `labgrade check <spec> --lab <lab.yaml> --answers <answers.yaml> [--task ID|all|auto]
//  [--format text|json|junit|html] [-o FILE]`: grade one student. Exit 0 all passed, 1 something
// failed or could not be measured, 2 input error. The engine loads only inside the action.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatOption } from '../format-option.js';
import { withVerbosity } from '../verbosity.js';
import { checkOutputPath } from '../output-path.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/grade.js';
import en from '../../i18n/en/grade.js';
import esHandin from '../../i18n/es/handin.js';
import enHandin from '../../i18n/en/handin.js';

const t = translator(es, en);
const th = translator(esHandin, enHandin);

interface CheckOptions {
  lab: string;
  answers: string;
  task: string;
  format: string;
  output?: string;
  handIn?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const L = ctx.lang;
  const cmd = program
    .command('check')
    .description(t(L, 'cliCheckDesc'))
    .argument('<spec>', t(L, 'cliCheckSpec'))
    .requiredOption('--lab <file>', t(L, 'cliCheckLab'))
    .requiredOption('--answers <file>', t(L, 'cliCheckAnswers'))
    .option('--task <id|all|auto>', t(L, 'cliCheckTask'), 'auto')
    .option('--format <format>', t(L, 'cliCheckFormat'), 'text')
    .option('-o, --output <file>', t(L, 'cliCheckOutput'))
    .option('--hand-in <zip>', th(L, 'cliHandInOpt'));
  withVerbosity(cmd, L).action(async (specPath: string, opts: CheckOptions) => {
      process.exitCode = await runCheck(specPath, opts, ctx);
    });
}

export async function runCheck(specPath: string, opts: CheckOptions, ctx: CliContext): Promise<number> {
  const lang = ctx.lang;
  const format = formatOption('result', opts.format, lang);
  checkOutputPath(opts.output, '-o', lang);
  // Load the engine while the input files are read; start inspecting the host (virsh, mostly
  // waiting) as soon as the lab file is known, while the answers are still being validated.
  const enginePromise = Promise.all([
    import('../../engine/run.js'),
    import('../../engine/default-deps.js'),
    import('../../../reports/index.js'),
    import('../io.js'),
  ]);
  enginePromise.catch(() => undefined);
  const [{ loadSpec }, { loadLab }, { loadAnswers }, { checkSelection }, { questionChecks }] = await Promise.all([
    import('../../inputs/load-spec.js'),
    import('../../inputs/load-lab.js'),
    import('../../inputs/load-answers.js'),
    import('../../engine/select-tasks.js'),
    import('../../../checks/questions/index.js'),
  ]);
  // With the checks: a question's bad `params` stop the run here, as `validate` says them, not per verdict.
  const spec = await loadSpec(specPath, { lang, checks: questionChecks });
  checkSelection(spec, opts.task, (task, valid) => t(lang, 'unknownTask', { task, valid }));
  const lab = await loadLab(opts.lab, { lang });
  // A WinRM password the file does not hold (init writes none): asked on a terminal, never echoed.
  await (await import('../../transports/password-prompt.js')).askMissingPasswords(lab, lang);
  const [{ gradeStudent, startInspection }, { defaultDeps }, { renderers, wantColor }, { writeOutput }] = await enginePromise;
  // A hand-in keeps the raw evidence of every measurement (grader/handin/evidence.ts).
  const handin = opts.handIn ? await import('../../handin/evidence.js') : null;
  const recorder = handin ? new handin.EvidenceRecorder() : undefined;
  const deps = defaultDeps(lang, recorder ? { recorder } : {});
  const inspection = startInspection(deps, lab);
  const answers = await loadAnswers(opts.answers, spec, { lang });
  const showProgress = ctx.verbosity === 'verbose' || (ctx.verbosity !== 'quiet' && Boolean(process.stderr.isTTY));
  const result = await gradeStudent({
    spec,
    lab,
    answers,
    task: opts.task,
    lang,
    deps,
    inspection,
    ...(showProgress ? { onProgress: (_stage, line) => process.stderr.write(`${line}\n`) } : {}),
  });
  const toFile = opts.output !== undefined && opts.output !== '-';
  const content = renderers[format](result, { lang, color: format === 'text' && !toFile && wantColor(process.stdout) });
  await writeOutput(opts.output, content);
  if (toFile && ctx.verbosity !== 'quiet') process.stderr.write(`${t(lang, 'cliWrote', { file: opts.output })}\n`);
  if (opts.handIn && recorder) {
    const { writeCheckHandIn } = await import('../../handin/check.js');
    const w = await writeCheckHandIn({ path: opts.handIn, specFile: spec.file, specId: spec.id, labPath: opts.lab, answersPath: opts.answers, task: opts.task, result, recorder, redact: deps.redact, lang });
    if (w.replaced && ctx.verbosity !== 'quiet') process.stderr.write(`${th(lang, 'cliHandInReplaced', { task: opts.task })}\n`);
    if (ctx.verbosity !== 'quiet') process.stderr.write(`${th(lang, 'cliWroteHandIn', { file: opts.handIn, runs: w.manifest.runs.length, tasks: w.manifest.runs.map((r) => r.task).join(', ') })}\n`);
  }
  return result.exitCode;
}
