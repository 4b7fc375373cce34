// Every probe target (an address or name from a spec, a lab file or an answers file) is checked
// here before it is used: an IPv4 literal in dotted-decimal form (no leading zeros, which some tools
// read as octal) or a DNS hostname (RFC 1123 labels). Anything else — `1.1.1.1; reboot`, `$(id)`,
// `-oProxyCommand=...`, spaces, quotes, leading dashes, NUL — is rejected. Validated targets still
// travel only as positional arguments of constant scripts.
import { InputError } from '../types.js';
import type { Lang } from '../types.js';
import { translator } from '../i18n/translate.js';
import { hostnameProblem, isIpv4 } from '../net/ipv4.js';
import es from '../i18n/es/probes.js';
import en from '../i18n/en/probes.js';

const t = translator(es, en);

export type TargetKind = 'ipv4' | 'hostname';

export type TargetCheck =
  | { ok: true; kind: TargetKind; value: string }
  | { ok: false; reason: 'empty' | 'too-long' | 'bad-ipv4' | 'bad-char' | 'bad-label' | 'leading-dash' };

export { isIpv4 };

export function checkTarget(raw: unknown): TargetCheck {
  if (typeof raw !== 'string' || raw.length === 0) return { ok: false, reason: 'empty' };
  const s = raw;
  if (s.length > 253) return { ok: false, reason: 'too-long' };
  if (s.startsWith('-')) return { ok: false, reason: 'leading-dash' };
  if (!/^[A-Za-z0-9.-]+$/.test(s)) return { ok: false, reason: 'bad-char' };
  if (isIpv4(s)) return { ok: true, kind: 'ipv4', value: s };
  // Looks numeric but is not a valid address (300.1.1.1, 010.0.0.1, 1.2.3): not a hostname either.
  if (/^[0-9.]+$/.test(s)) return { ok: false, reason: 'bad-ipv4' };
  const problem = hostnameProblem(s);
  if (problem === null) return { ok: true, kind: 'hostname', value: s };
  // The last label of a name is never all-numeric (RFC 3696 2): that reads as a bad address.
  return { ok: false, reason: problem === 'numeric' ? 'bad-ipv4' : 'bad-label' };
}

/** Throws InputError (exit 2) naming the target, where it came from and why. */
export function assertTarget(raw: unknown, where: string, lang: Lang = 'en'): string {
  const c = checkTarget(raw);
  if (c.ok) return c.value;
  const shown = JSON.stringify(typeof raw === 'string' ? raw.slice(0, 80) : raw);
  throw new InputError(t(lang, 'badTarget', { target: shown, where, reason: t(lang, `reason.${c.reason}`) }), [
    { file: where, message: t(lang, 'badTarget', { target: shown, where, reason: t(lang, `reason.${c.reason}`) }) },
  ]);
}

export function assertTargets(raw: readonly unknown[], where: string, lang: Lang = 'en'): string[] {
  return raw.map((r) => assertTarget(r, where, lang));
}
