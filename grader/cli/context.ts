import type { Lang } from '../types.js';

/** What every command gets from the top-level parser. */
export interface CliContext {
  /** From --lang, else the locale. */
  lang: Lang;
}
