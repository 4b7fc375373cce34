// -q / -v, the same on every long-running command (check, batch, batch-merge, doctor, init, inspect,
// lab, demo), set once before the command's action runs (main.ts):
//   -q, --quiet    no progress or notes on stderr; the results (stdout, written files), warnings
//                  and errors are unchanged
//   -v, --verbose  progress even when stderr is not a terminal, and the stack of an unexpected
//                  error (as LABGRADE_DEBUG=1 does)
import type { Command } from 'commander';
import { InputError, type Lang } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/cli.js';
import en from '../i18n/en/cli.js';

const t = translator(es, en);

export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** Adds -q/-v to a command (its action reads ctx.verbosity, not these options). */
export function withVerbosity(cmd: Command, lang: Lang): Command {
  return cmd.option('-q, --quiet', t(lang, 'optQuiet')).option('-v, --verbose', t(lang, 'optVerbose'));
}

/** From a command's parsed options; both at once is bad usage. */
export function verbosityOf(opts: { quiet?: unknown; verbose?: unknown }, lang: Lang): Verbosity {
  if (opts.quiet === true && opts.verbose === true) throw new InputError(t(lang, 'quietAndVerbose'));
  return opts.quiet === true ? 'quiet' : opts.verbose === true ? 'verbose' : 'normal';
}

/** Stacks of unexpected errors: LABGRADE_DEBUG=1 or -v. */
export function debugging(v: Verbosity | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LABGRADE_DEBUG === '1' || v === 'verbose';
}
