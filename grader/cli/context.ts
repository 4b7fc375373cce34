import type { Lang } from '../types.js';
import type { Verbosity } from './verbosity.js';

/** What every command gets from the top-level parser. */
export interface CliContext {
  /** From --lang, else the locale. */
  lang: Lang;
  /** -q / -v of the command being run (set before its action; grader/cli/verbosity.ts). */
  verbosity?: Verbosity;
}
