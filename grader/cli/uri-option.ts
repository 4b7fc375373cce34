// `--uri`, the same on every command that takes it (doctor, init, inspect): one option, one check,
// one rule for which URI is used. It is teacher/student command-line input: a value libvirt cannot
// parse at all is bad usage (exit 2), found before anything runs, with the same message virsh's
// refusal would give. Given on the command line it wins over the lab file's `uri`, then
// qemu:///system.
import { Option } from 'commander';
import { InputError, type Lang } from '../types.js';
import { parseUri } from '../libvirt/uri.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/inspect.js';
import en from '../i18n/en/inspect.js';

const t = translator(es, en);

export const DEFAULT_URI = 'qemu:///system';

/** The --uri option (each command gives its own description). */
export function uriOption(description: string): Option {
  return new Option('--uri <uri>', description);
}

export function checkUriOption(uri: string | undefined, lang: Lang): void {
  if (uri === undefined || parseUri(uri) !== null) return;
  throw new InputError(`--uri: ${t(lang, 'err.bad-uri', { uri, detail: t(lang, 'uriNotUri') })}`);
}

/** The URI to use and whether it came from the command line (checked: exit 2 when libvirt cannot parse it). */
export function resolveUri(cliUri: string | undefined, lang: Lang, labUri?: string): { uri: string; fromCli: boolean } {
  checkUriOption(cliUri, lang);
  if (cliUri !== undefined) return { uri: cliUri, fromCli: true };
  return { uri: labUri ?? DEFAULT_URI, fromCli: false };
}
