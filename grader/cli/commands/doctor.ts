// `labgrade doctor [--lab lab.yaml] [--spec FILE] [--uri URI] [--format text|json]`: checks every
// prerequisite of grading in order and prints the exact fix of each failure (grader/onboarding/).
// Exit 0 grading can run, 1 it cannot, 2 bad usage. Never a stack trace.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatOption } from '../format-option.js';
import { resolveUri, uriOption } from '../uri-option.js';
import { withVerbosity } from '../verbosity.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/onboarding.js';
import en from '../../i18n/en/onboarding.js';

const t = translator(es, en);

export interface DoctorCliOptions {
  lab?: string;
  spec?: string;
  uri?: string;
  format: string;
  connect?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  const L = ctx.lang;
  const cmd = program
    .command('doctor')
    .description(t(L, 'cli.doctor.desc'))
    .option('--lab <file>', t(L, 'cli.doctor.optLab'))
    .option('--spec <file>', t(L, 'cli.doctor.optSpec'))
    .addOption(uriOption(t(L, 'cli.doctor.optUri')))
    .option('--format <text|json>', t(L, 'cli.doctor.optFormat'), 'text')
    .option('--no-connect', t(L, 'cli.doctor.optNoConnect'));
  withVerbosity(cmd, L).action(async (opts: DoctorCliOptions) => {
      process.exitCode = await runDoctorCli(opts, ctx);
    });
}

export async function runDoctorCli(opts: DoctorCliOptions, ctx: CliContext): Promise<number> {
  const lang = ctx.lang;
  const format = formatOption('doctor', opts.format, lang);
  const { uri, fromCli } = resolveUri(opts.uri, lang);
  const [{ runDoctor }, { realDoctorDeps }, { shippedSpecPath }, { resolveExerciseArg }, { registry }] = await Promise.all([
    import('../../onboarding/doctor.js'),
    import('../../onboarding/doctor-deps.js'),
    import('../../inputs/paths.js'),
    import('../../inputs/exercises.js'),
    import('../../../reports/index.js'),
  ]);
  const report = await runDoctor(realDoctorDeps(lang), {
    lang,
    labPath: opts.lab ?? 'lab.yaml',
    labExplicit: opts.lab !== undefined,
    // A bundled exercise's id (clase7-router-nat) works as everywhere an exercise is asked.
    specPath: opts.spec ? resolveExerciseArg(opts.spec).path : shippedSpecPath(),
    uri,
    uriFromCli: fromCli,
    noConnect: opts.connect === false,
  });
  process.stdout.write(registry.doctor[format](report, { lang, quiet: ctx.verbosity === 'quiet' }));
  return report.exitCode;
}
