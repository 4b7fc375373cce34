// Pure parsers for how humans answer (and for addresses and names used elsewhere): lenient with
// spelling (accents, case, sí/si/yes, /24 or a dotted netmask, "ninguno"), strict with what is
// ambiguous ("sí y no", a non-contiguous netmask, 999.1.1.1). No I/O, no i18n: errors are codes
// with parameters, translated by the caller (grader/i18n/<lang>/spec.ts, keys `ans*`).

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
  | 'ansMixedConfig';

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

function words(s: string): string[] {
  return normalizeWords(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

// ---------------------------------------------------------------- addresses and names

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_RE = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

/** A dotted-quad IPv4 address, each octet 0-255 without leading zeros (`192.168.1.1`). */
export function isIpv4(s: string): boolean {
  return typeof s === 'string' && s.length <= 15 && IPV4_RE.test(s);
}

/**
 * A DNS hostname (RFC 1123 labels: letters, digits, inner hyphens; at most 253 characters). A
 * name whose last label is numeric is not a hostname (so `999.1.1.1` is rejected, not resolved).
 */
export function isHostname(s: string): boolean {
  if (typeof s !== 'string' || s.length === 0 || s.length > 253) return false;
  const labels = (s.endsWith('.') ? s.slice(0, -1) : s).split('.');
  if (labels.some((l) => !/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l))) return false;
  return !/^\d+$/.test(labels[labels.length - 1]!);
}

/** IPv4 literal or hostname: what a probe target may be. */
export function isProbeTarget(s: string): boolean {
  return isIpv4(s) || isHostname(s);
}

export function ipv4ToInt(s: string): number {
  return s.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
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

/** Prefix length of a dotted netmask (`255.255.255.0` -> 24); non-contiguous masks are errors. */
export function parseNetmask(input: string): ParseResult<number> {
  const ip = parseIpv4(input);
  if (!ip.ok) return bad('ansNetmaskInvalid', { value: input.trim() });
  const n = ipv4ToInt(ip.value);
  const bits = n.toString(2).padStart(32, '0');
  if (!/^1*0*$/.test(bits)) return bad('ansNetmaskNotContiguous', { value: ip.value });
  const prefix = bits.indexOf('0') === -1 ? 32 : bits.indexOf('0');
  if (prefix === 0) return bad('ansPrefixRange', { value: ip.value });
  return ok(prefix);
}

function parsePrefix(s: string): ParseResult<number> {
  if (!/^\d{1,2}$/.test(s)) return bad('ansPrefixRange', { value: s });
  const n = Number(s);
  if (n < 1 || n > 32) return bad('ansPrefixRange', { value: s });
  return ok(n);
}

const NONE_PHRASES = new Set([
  'none',
  'no',
  'nothing',
  'n/a',
  'na',
  '-',
  'ninguna',
  'ninguno',
  'ningun',
  'nada',
  'sin',
  'no tiene',
  'no hay',
  'no lo tiene',
  'no has',
  'there is none',
  'sin puerta de enlace',
  'sin gateway',
  'sin servidor',
  'sin servidor dns',
  'sin dns',
  'no gateway',
  'no dns',
  'no server',
  'no dns server',
]);

/** "none" in its human spellings (`ninguno`, `ninguna`, `none`, `no hay`, `-`...). */
export function isNone(input: string): boolean {
  return NONE_PHRASES.has(normalizeWords(input).replace(/[.!]+$/, ''));
}

/** An IPv4 address or "none" (null). */
export function parseIpv4OrNone(input: string): ParseResult<string | null> {
  if (isNone(input)) return ok(null);
  const s = input.trim();
  if (s !== '' && /[\s,;]/.test(s) && s.split(/[\s,;]+/).filter(Boolean).every((p) => isIpv4(p))) return bad('ansIpv4One', { value: s });
  return parseIpv4(s);
}

/**
 * An address with optional prefix: `192.168.1.10/24`, `192.168.1.10/255.255.255.0`,
 * `192.168.1.10 255.255.255.0`, `192.168.1.10 netmask 255.255.255.0`, `192.168.1.10` (prefix null).
 */
export function parseAddressWithPrefix(input: string): ParseResult<{ address: string; prefix: number | null }> {
  const s = input.trim().replace(/\s*\/\s*/, '/');
  if (s === '') return bad('ansEmpty');
  let addr: string;
  let mask: string | undefined;
  const slash = s.indexOf('/');
  if (slash >= 0) {
    addr = s.slice(0, slash);
    mask = s.slice(slash + 1);
  } else {
    const parts = s.split(/[\s,;]+/).filter((p) => !/^(net)?mask:?$|^m[aá]scara:?$/i.test(p));
    if (parts.length > 2) return bad('ansAddressForm', { value: s });
    addr = parts[0] ?? '';
    mask = parts[1];
  }
  const ip = parseIpv4(addr);
  if (!ip.ok) return ip as ParseResult<never>;
  if (mask === undefined) return ok({ address: ip.value, prefix: null });
  const prefix = mask.includes('.') ? parseNetmask(mask) : parsePrefix(mask);
  if (!prefix.ok) return prefix as ParseResult<never>;
  return ok({ address: ip.value, prefix: prefix.value });
}

/** DNS servers: a list, or text separated by commas/spaces, or "none" (empty list). */
export function parseDnsList(input: string | readonly string[]): ParseResult<string[]> {
  const items = typeof input === 'string' ? (isNone(input) ? [] : input.split(/[\s,;]+/).filter(Boolean)) : [...input];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') return bad('ansNotText');
    if (items.length === 1 && isNone(item)) return ok([]);
    const ip = parseIpv4(item);
    if (!ip.ok) return ip as ParseResult<never>;
    if (!out.includes(ip.value)) out.push(ip.value);
  }
  return ok(out);
}

// ---------------------------------------------------------------- words

const YES = new Set(['si', 's', 'yes', 'y', 'true', 'verdadero', 'cierto', 'afirmativo']);
const NO = new Set(['no', 'n', 'false', 'falso', 'negativo']);

/**
 * `sí`/`si`/`yes`/`y`/`true` or `no`/`n`/`false`, possibly followed by words ("sí, sin problema");
 * the answer must start with one of them and must not contain the other ("sí y no" is ambiguous).
 */
export function parseYesNo(input: string | boolean): ParseResult<boolean> {
  if (typeof input === 'boolean') return ok(input);
  const w = words(input);
  if (w.length === 0) return bad('ansEmpty');
  const first = w[0]!;
  const isYes = YES.has(first);
  const isNo = NO.has(first);
  if (!isYes && !isNo) {
    if (w.some((x) => YES.has(x)) && w.some((x) => NO.has(x))) return bad('ansYesNoAmbiguous', { value: input.trim() });
    return bad('ansYesNoUnknown', { value: input.trim() });
  }
  const rest = w.slice(1);
  if (isYes && rest.some((x) => NO.has(x))) return bad('ansYesNoAmbiguous', { value: input.trim() });
  if (isNo && rest.some((x) => YES.has(x))) return bad('ansYesNoAmbiguous', { value: input.trim() });
  return ok(isYes);
}

const DYNAMIC = new Set(['dinamica', 'dinamico', 'dynamic', 'dynamically', 'dinamicamente', 'dhcp', 'automatica', 'automatico', 'automatic', 'automatically', 'automaticamente', 'auto']);
const STATIC = new Set(['estatica', 'estatico', 'static', 'statically', 'estaticamente', 'manual', 'manually', 'manualmente', 'fija', 'fijo', 'fixed']);
const NEGATIONS = new Set(['sin', 'no', 'not', 'without', 'ni']);

/**
 * `dinámica`/`dynamic`/`DHCP`/`automática` or `estática`/`static`/`manual`/`fija`; a negated word
 * counts as the other ("sin DHCP" is static); both at once is ambiguous.
 */
export function parseConfigMethod(input: string): ParseResult<'static' | 'dynamic'> {
  const w = words(input);
  if (w.length === 0) return bad('ansEmpty');
  let dyn = false;
  let stat = false;
  for (let i = 0; i < w.length; i++) {
    const x = w[i]!;
    const negated = i > 0 && NEGATIONS.has(w[i - 1]!);
    if (DYNAMIC.has(x)) negated ? (stat = true) : (dyn = true);
    else if (STATIC.has(x)) negated ? (dyn = true) : (stat = true);
  }
  if (dyn && stat) return bad('ansMethodAmbiguous', { value: input.trim() });
  if (!dyn && !stat) return bad('ansMethodUnknown', { value: input.trim() });
  return ok(dyn ? 'dynamic' : 'static');
}

// ---------------------------------------------------------------- per-VM IPv4 configuration

export interface Ipv4Config {
  address: string | null;
  prefix: number | null;
  gateway: string | null;
  dns: string[];
}

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

export type ConfigInput = Partial<Record<'address' | 'netmask' | 'prefix' | 'gateway' | 'dns', string | number | readonly string[] | null>>;

/** Per-field result of an IPv4 configuration (the caller positions each field's error). */
export type ConfigFieldError = { field: keyof ConfigInput; error: ParseErrorCode; params?: Record<string, string> };

/**
 * Builds an IPv4 configuration from its fields. Missing gateway / DNS mean none; a netmask or
 * prefix field may complement an address without one (conflicting values are an error).
 */
export function parseIpv4Config(input: ConfigInput): { ok: true; value: Ipv4Config } | { ok: false; errors: ConfigFieldError[] } {
  const errors: ConfigFieldError[] = [];
  const out: Ipv4Config = { address: null, prefix: null, gateway: null, dns: [] };
  const text = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

  const a = text(input.address);
  if (a !== undefined && a.trim() !== '' && !isNone(a)) {
    const r = parseAddressWithPrefix(a);
    if (r.ok) {
      out.address = r.value.address;
      out.prefix = r.value.prefix;
    } else errors.push({ field: 'address', error: r.error, ...(r.params ? { params: r.params } : {}) });
  } else if (input.address !== undefined && input.address !== null && typeof input.address !== 'string') {
    errors.push({ field: 'address', error: 'ansNotText' });
  }
  for (const field of ['netmask', 'prefix'] as const) {
    const v = text(input[field]);
    if (v === undefined || v.trim() === '') continue;
    const r = field === 'netmask' && v.includes('.') ? parseNetmask(v) : parsePrefix(v.trim().replace(/^\//, ''));
    if (!r.ok) {
      errors.push({ field, error: r.error, ...(r.params ? { params: r.params } : {}) });
      continue;
    }
    if (out.prefix !== null && out.prefix !== r.value) errors.push({ field, error: 'ansPrefixConflict', params: { a: String(out.prefix), b: String(r.value) } });
    else out.prefix = r.value;
  }
  const g = text(input.gateway);
  if (g !== undefined && g.trim() !== '') {
    const r = parseIpv4OrNone(g);
    if (r.ok) out.gateway = r.value;
    else errors.push({ field: 'gateway', error: r.error, ...(r.params ? { params: r.params } : {}) });
  }
  const d = input.dns;
  if (d !== undefined && d !== null && !(typeof d === 'string' && d.trim() === '')) {
    const r = typeof d === 'number' ? parseDnsList(String(d)) : parseDnsList(d);
    if (r.ok) out.dns = r.value;
    else errors.push({ field: 'dns', error: r.error, ...(r.params ? { params: r.params } : {}) });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: out };
}

/** `192.168.1.10/24, gw 192.168.1.1, dns 192.168.1.1` (for messages and reports). */
export function formatIpv4Config(c: Ipv4Config, none = 'none'): string {
  const addr = c.address === null ? none : c.prefix === null ? c.address : `${c.address}/${c.prefix}`;
  return `${addr}, gw ${c.gateway ?? none}, dns ${c.dns.length > 0 ? c.dns.join(' ') : none}`;
}
