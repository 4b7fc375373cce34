// `--format`: checked once, against the report registry's formats (reports/formats.ts), with one
// wording for every command. Unknown -> usage error (exit 2).
import { InputError, type Lang } from '../types.js';
import { FORMATS, isFormatOf, type FormatOf, type ReportKind } from '../../reports/formats.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/cli.js';
import en from '../i18n/en/cli.js';

const t = translator(es, en);

/** The format asked for (default `text`), or InputError naming the valid ones. */
export function formatOption<K extends ReportKind>(kind: K, value: string | undefined, lang: Lang): FormatOf<K> {
  const format = value ?? 'text';
  if (isFormatOf(kind, format)) return format;
  throw new InputError(t(lang, 'badFormat', { format, valid: FORMATS[kind].join(', ') }));
}

/** For the option's help: `text|json`. */
export function formatChoices(kind: ReportKind): string {
  return FORMATS[kind].join('|');
}
