// `labgrade validate <file...> [--kind spec|lab|answers|roster] [--spec FILE] [--format text|json]`:
// checks exercise specs, lab files, answers files and rosters. Exit 0 when every file is valid
// (warnings are printed), 2 when any is not (every problem printed with file:line:column and the
// key path; with --format json, one record per file on stdout).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatOption } from '../format-option.js';
import { InputError } from '../../types.js';
import { visible } from '../../util/visible.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/spec.js';
import en from '../../i18n/en/spec.js';

const t = translator(es, en);
const KINDS = ['spec', 'lab', 'answers', 'roster'] as const;

interface ValidateCliOptions {
  kind?: string;
  spec?: string;
  format?: string;
  student?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  const L = ctx.lang;
  program
    .command('validate')
    .description(t(L, 'validateDesc'))
    .argument('<files...>', t(L, 'validateArgFiles'))
    .option('--kind <spec|lab|answers|roster>', t(L, 'validateOptKind'))
    .option('--spec <file>', t(L, 'validateOptSpec'))
    .option('--format <text|json>', t(L, 'validateOptFormat'), 'text')
    .option('--student', t(L, 'validateOptStudent'))
    .action(async (files: string[], opts: ValidateCliOptions) => {
      process.exitCode = await runValidate(files, opts, ctx);
    });
}

export async function runValidate(files: string[], opts: ValidateCliOptions, ctx: CliContext): Promise<number> {
  const lang = ctx.lang;
  if (opts.kind !== undefined && !(KINDS as readonly string[]).includes(opts.kind)) throw new InputError(t(lang, 'validateBadKind'));
  const format = formatOption('listing', opts.format, lang);
  const [{ validateFiles }, { formatIssues, formatIssue }] = await Promise.all([import('../../inputs/validate-files.js'), import('../io.js')]);
  const results = await validateFiles(files, {
    lang,
    ...(opts.kind ? { kind: opts.kind as (typeof KINDS)[number] } : {}),
    ...(opts.spec ? { specPath: opts.spec } : {}),
    ...(opts.student ? { student: true } : {}),
  });
  let bad = 0;
  if (format === 'json') {
    const records = results.map((r) => ({ file: r.file, kind: r.kind, ok: r.ok, warnings: r.warnings, errors: r.error ? r.error.issues : [] }));
    process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
    return results.some((r) => !r.ok) ? 2 : 0;
  }
  for (const r of results) {
    for (const w of r.warnings) process.stdout.write(`${formatIssue(w, t(lang, 'validateWarning'))}\n`);
    if (r.ok) {
      process.stdout.write(`${visible(t(lang, 'validateOk', { file: r.file, kind: t(lang, `kindName_${r.kind!}`) }))}\n`);
    } else {
      bad++;
      if (r.error) process.stderr.write(`${formatIssues(r.error)}\n`);
    }
  }
  if (results.length > 1) process.stdout.write(`${t(lang, 'validateSummary', { ok: results.length - bad, bad })}\n`);
  return bad > 0 ? 2 : 0;
}
