// `--uri` is teacher/student command-line input: a value libvirt cannot parse at all is bad usage
// (exit 2), found before anything runs, with the same message virsh's refusal would give.
import { InputError, type Lang } from '../types.js';
import { parseUri } from '../libvirt/uri.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/inspect.js';
import en from '../i18n/en/inspect.js';

const t = translator(es, en);

export function checkUriOption(uri: string | undefined, lang: Lang): void {
  if (uri === undefined || parseUri(uri) !== null) return;
  throw new InputError(`--uri: ${t(lang, 'err.bad-uri', { uri, detail: t(lang, 'uriNotUri') })}`);
}
