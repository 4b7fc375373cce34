// Per-OS probers behind one interface (GuestProber), chosen once per guest.
import type { OsFamily, GuestProber, Lang } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/probes.js';
import en from '../i18n/en/probes.js';
import { linuxProber } from './linux/collector.js';
import { windowsProber } from './windows.js';

export const probers: Record<OsFamily, GuestProber> = { linux: linuxProber, windows: windowsProber };

const t = translator(es, en);

export function proberFor(os: OsFamily, lang: Lang = 'en'): GuestProber {
  const p = Object.hasOwn(probers, os) ? probers[os] : undefined;
  if (!p) throw new Error(t(lang, 'unsupportedOs', { os: String(os) }));
  return p;
}

export { checkTarget, assertTarget, assertTargets, isIpv4 } from './targets.js';
