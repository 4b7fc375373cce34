// The password for a guest login that the lab file does not hold. A lab file written by `labgrade
// init` names no password, no variable and no path, so a student can hand it in; for the student's
// own check the password comes from the environment variable LABGRADE_<ROLE>_PASSWORD
// (LABGRADE_LINUX_PASSWORD, LABGRADE_WINDOWS_PASSWORD, LABGRADE_ROUTER_PASSWORD), or from a
// prompt on the terminal (the CLI asks, without echo, and remembers it here for the run). Only
// for labs the one running labgrade owns: a lab file collected from a student (trust 'student')
// never gets it; there the teacher's credentials come from the roster (credentials.ts).
import type { LabFile } from '../types.js';
import { registerSecret } from '../inputs/secrets.js';

/** The environment variable a role's password is read from: LABGRADE_WINDOWS_PASSWORD. */
export function passwordEnvName(role: string): string {
  return `LABGRADE_${role.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_PASSWORD`;
}

const prompted = new Map<string, string>();

/** A password the user typed at the prompt for this role (kept for this process only). */
export function rememberPassword(role: string, password: string): void {
  registerSecret(password);
  prompted.set(role, password);
}

/** The role's password from LABGRADE_<ROLE>_PASSWORD or the prompt; undefined for a student's lab or when none. */
export function selfCheckPassword(role: string, lab: Pick<LabFile, 'trust'>): string | undefined {
  if (lab.trust === 'student') return undefined;
  const v = process.env[passwordEnvName(role)];
  const value = v !== undefined && v !== '' ? v : prompted.get(role);
  if (value !== undefined) registerSecret(value);
  return value;
}
