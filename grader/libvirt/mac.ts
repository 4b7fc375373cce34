// MAC addresses come spelled in many ways: virsh `52:54:00:22:fa:b7`, Windows `52-54-00-22-FA-B7`,
// Cisco-style `5254.0022.fab7`, or bare `52540022fab7`. Everything in labgrade compares the
// normalized form: lower-case, colon separated.

/** Returns the MAC lower-case and colon separated, or null when `raw` is not a 48-bit MAC. */
export function normalizeMac(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  let hex: string;
  if (/^[0-9a-fA-F]{1,2}([:-][0-9a-fA-F]{1,2}){5}$/.test(s)) {
    hex = s
      .split(/[:-]/)
      .map((p) => p.padStart(2, '0'))
      .join('');
  } else if (/^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4}){2}$/.test(s)) {
    hex = s.replace(/\./g, '');
  } else if (/^[0-9a-fA-F]{12}$/.test(s)) {
    hex = s;
  } else {
    return null;
  }
  return hex.toLowerCase().match(/../g)!.join(':');
}

/** True when both spellings denote the same MAC. */
export function sameMac(a: string | null | undefined, b: string | null | undefined): boolean {
  const x = normalizeMac(a);
  return x !== null && x === normalizeMac(b);
}
