// Every option naming where to write (-o/--output files, --out folders) follows one rule: the
// folder that holds it must exist already. labgrade creates the file or the --out folder itself,
// never the folders above it: a typo (/hom/ana/a.yaml) is bad usage (exit 2), not a new tree.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, type Lang } from '../types.js';
import { shQuote } from '../transports/quote.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/cli.js';
import en from '../i18n/en/cli.js';

const t = translator(es, en);

/** Throws the usage error when the folder that would hold `path` is missing or not a folder. `-` (stdout) passes. */
export function checkOutputPath(path: string | undefined, option: string, lang: Lang): void {
  if (path === undefined || path === '-' || path === '') return;
  const dir = dirname(resolve(path));
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st) throw new InputError(t(lang, 'outputNoFolder', { option, path, dir, mkdir: `mkdir -p ${shQuote(dir)}` }));
  if (!st.isDirectory()) throw new InputError(t(lang, 'outputNotFolder', { option, path, dir }));
}
