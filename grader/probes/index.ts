// Per-OS probers behind one interface (GuestProber), chosen once per guest.
import type { OsFamily, GuestProber } from '../types.js';
import { linuxProber } from './linux.js';
import { windowsProber } from './windows.js';

export const probers: Record<OsFamily, GuestProber> = { linux: linuxProber, windows: windowsProber };

export function proberFor(os: OsFamily): GuestProber {
  const p = probers[os];
  if (!p) throw new Error(`no prober for ${String(os)}`);
  return p;
}

export { checkTarget, assertTarget, assertTargets, isIpv4 } from './targets.js';
