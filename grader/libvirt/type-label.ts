// The words for a network type (NAT, routed, isolated...), from one catalogue (grader/i18n/*/inspect.ts):
// inspect, the host checks and init all say them the same way.
import type { Lang, NetworkType } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/inspect.js';
import en from '../i18n/en/inspect.js';

const t = translator(es, en);
const TYPES: readonly string[] = ['nat', 'route', 'open', 'isolated', 'very-isolated', 'bridge', 'macvtap', 'other'] satisfies NetworkType[];

/** `nat` -> `NAT`, `very-isolated` -> `muy aislada`; null -> `-`; a word that is no type comes back as it is. */
export function networkTypeLabel(lang: Lang, type: NetworkType | string | null): string {
  if (type === null) return '-';
  return TYPES.includes(type) ? t(lang, `type.${type as NetworkType}`) : type;
}
