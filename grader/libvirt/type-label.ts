// The words for a network type (NAT, routed, isolated...), from one catalogue (grader/i18n/*/inspect.ts):
// inspect, the host checks and init all say them the same way.
import type { Lang, NetworkType } from '../types.js';
import { data, msg, say, type Msg } from '../i18n/messages.js';

const TYPES: readonly string[] = ['nat', 'route', 'open', 'isolated', 'very-isolated', 'bridge', 'macvtap', 'other'] satisfies NetworkType[];

/** `nat` -> `NAT`, `very-isolated` -> `muy aislada`; null -> `-`; a word that is no type comes back as it is. */
export function networkTypeLabel(lang: Lang, type: NetworkType | string | null): string {
  return say(lang, networkTypeWords(type));
}

/** The same as a message (a verdict's words). */
export function networkTypeWords(type: NetworkType | string | null): Msg {
  if (type === null) return data('-');
  return TYPES.includes(type) ? msg('inspect', `type.${type}`) : data(type);
}
