// Addresses, names and the words shared by the answer readers (grader/inputs/answers/: how students
// write each kind of answer). No I/O, no i18n: problems are codes with parameters, translated by
// the caller (grader/i18n/<lang>/spec.ts, keys `ans*`). The words (yes, no, none, unsure) are in
// grader/inputs/answers/vocabulary.ts.
import { isHostname, isIpv4 } from '../net/ipv4.js';
import { isNoneAnswer } from './answers/vocabulary.js';

export type ParseErrorCode =
  | 'ansEmpty'
  | 'ansYesNoAmbiguous'
  | 'ansYesNoUnknown'
  | 'ansMethodAmbiguous'
  | 'ansMethodUnknown'
  | 'ansIpv4Invalid'
  | 'ansIpv4LeadingZero'
  | 'ansIpv4One'
  | 'ansPrefixRange'
  | 'ansNetmaskInvalid'
  | 'ansNetmaskNotContiguous'
  | 'ansPrefixConflict'
  | 'ansAddressForm'
  | 'ansNotText'
  | 'ansTooLong'
  | 'ansControlChars'
  | 'ansMarkup'
  | 'ansShellChars'
  | 'ansConfigShape'
  | 'ansConfigUnknownField'
  | 'ansScalarExpected'
  | 'ansShortNoAddress'
  | 'ansSeveral'
  | 'ansConfigNoAddress'
  | 'ansConfigUnknown'
  | 'ansAddressUnknown'
  | 'ansMixedConfig'
  | 'ansUnsure';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseErrorCode; params?: Record<string, string> };

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const bad = <T>(error: ParseErrorCode, params?: Record<string, string>): ParseResult<T> =>
  params ? { ok: false, error, params } : { ok: false, error };

/** Lower case, accents removed, whitespace collapsed: `  Sí ` -> `si`. */
export function normalizeWords(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------- addresses and names

// What an address and a name are: grader/net/ipv4.ts (the one definition).
export { isHostname, isIpv4 };

/** IPv4 literal or hostname: what a probe target may be. */
export function isProbeTarget(s: string): boolean {
  return isIpv4(s) || isHostname(s);
}

/** Parses an IPv4 address, explaining what is wrong (leading zeros, octet out of range...). */
export function parseIpv4(input: string): ParseResult<string> {
  const s = input.trim();
  if (s === '') return bad('ansEmpty');
  if (isIpv4(s)) return ok(s);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const octets = s.split('.');
    if (octets.every((o) => Number(o) <= 255)) return bad('ansIpv4LeadingZero', { value: s });
  }
  return bad('ansIpv4Invalid', { value: s });
}

/** "none" in its human spellings (`ninguno`, `ninguna`, `none`, `no hay`, `-`...). */
export function isNone(input: string): boolean {
  return isNoneAnswer(input);
}

// ---------------------------------------------------------------- per-VM IPv4 configuration

/** Field of an IPv4 configuration a key names (accepting Spanish spellings), or undefined. */
export function configField(key: string): 'address' | 'netmask' | 'prefix' | 'gateway' | 'dns' | undefined {
  const k = normalizeWords(key).replace(/[\s-]+/g, '_');
  if (['address', 'ip', 'ipv4', 'ip_address', 'direccion', 'direccion_ip'].includes(k)) return 'address';
  if (['netmask', 'mask', 'mascara', 'mascara_de_red'].includes(k)) return 'netmask';
  if (['prefix', 'prefijo', 'prefix_length'].includes(k)) return 'prefix';
  if (['gateway', 'gw', 'router', 'puerta_de_enlace', 'puerta_enlace', 'default_gateway'].includes(k)) return 'gateway';
  if (['dns', 'dns_servers', 'nameservers', 'servidores_dns', 'servidor_dns', 'dns_server'].includes(k)) return 'dns';
  return undefined;
}
