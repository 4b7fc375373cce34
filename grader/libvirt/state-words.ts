// A domain's state (virsh domstate, always in English: virsh runs under LC_ALL=C) in the user's
// language, for inspect and `lab status`. A state libvirt adds later is shown as virsh says it.
import type { Lang } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/inspect.js';
import en from '../i18n/en/inspect.js';

const t = translator(es, en);

export const DOMAIN_STATES = ['running', 'idle', 'paused', 'in shutdown', 'shut off', 'crashed', 'pmsuspended', 'blocked', 'dying'] as const;

export function domainStateWord(lang: Lang, state: string): string {
  const key = `domState.${state.trim().replace(/\s+/g, '-')}`;
  return Object.hasOwn(es, key) ? t(lang, key as keyof typeof es) : state;
}
