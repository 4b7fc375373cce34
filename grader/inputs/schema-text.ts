// Schema errors in the user's language: the JSON Schemas describe patterns in English (for editors);
// each description maps to a catalog entry here (test/unit/inputs/schema-text.test.ts checks that every
// pattern of exercises/schema/*.json has one), and type names come from the catalogs too.
import type { Lang } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/spec.js';
import en from '../i18n/en/spec.js';

const t = translator(es, en);

export const PATTERN_TEXT: Record<string, keyof typeof es> = {
  'lowercase letters, digits and \'_\', starting with a letter': 'pattern.key',
  'lowercase letters, digits, \'-\', \'_\' or \'.\'': 'pattern.slug',
  'lowercase letters, digits and \'-\', starting with a letter': 'pattern.code',
  'an IPv4 address or hostname': 'pattern.host',
  'a host name, an IPv4 address or an IPv4 CIDR block': 'pattern.hostOrCidr',
  'a libvirt network name': 'pattern.network',
  'a libvirt domain name': 'pattern.domain',
  'a task id, all or auto': 'pattern.task',
  'letters, digits, \'.\', \'_\' or \'-\' (up to 64), starting with a letter or digit; names the output files and fills {id}': 'pattern.rosterId',
  'an email address (not starting with = + - which spreadsheets run as formulas)': 'pattern.email',
  'text without tabs or line breaks, not starting with a space or = + - @ (spreadsheet formulas)': 'pattern.csvText',
  'a network namespace name': 'pattern.netns',
  'a user name without spaces, @, : or slashes': 'pattern.sshUser',
  'an environment variable name': 'pattern.envVar',
  'a Host entry of ~/.ssh/config': 'pattern.configHost',
  'vm:<role>: the address VM <role> has on the task\'s network': 'pattern.vmAddress',
  'a user name (DOMAIN\\\\user or user@domain allowed) without spaces or \':\'': 'pattern.winrmUser',
  'sha256: and 64 hexadecimal digits': 'pattern.build',
  '64 hexadecimal digits (a sha256)': 'pattern.sha256',
  'answers.yaml or runs/<n>/ lab.yaml, evidence.jsonl, result.json or report.html': 'pattern.handinPath',
  "Moodle's participant id: digits": 'pattern.participant',
};

/** What a pattern expects, from its schema description; a generic phrase if it has no entry. */
export function patternText(lang: Lang, description: string | undefined): string {
  const key = description === undefined ? undefined : PATTERN_TEXT[description];
  return t(lang, key ?? 'schemaPatternOther');
}

/** A JSON type name ("integer") in words ("número entero"). */
export function typeText(lang: Lang, type: string): string {
  const key = `type.${type}` as keyof typeof es;
  return key in es ? t(lang, key) : type;
}
