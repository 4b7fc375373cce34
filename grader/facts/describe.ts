// "Could not measure", in words: the command, the guest, what happened and the fix, in one
// language. Shared by the question checks (error verdicts) and the transports (the identity check
// of an address, shown in the access trail and by `doctor`).
import type { Lang, MeasurementError } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/grade.js';
import en from '../i18n/en/grade.js';

const t = translator(es, en);
type Key = keyof typeof es;

export function measurementText(lang: Lang, err: MeasurementError, what: string, guest?: string): string {
  const cause = err.cause.replace(/-/g, '_');
  const p = { tool: err.tool, detail: err.detail || (err.exitCode === null ? '-' : `exit ${err.exitCode}`) };
  return t(lang, 'obsNotMeasured', {
    what,
    guest: guest ?? err.guest,
    command: err.command,
    happened: t(lang, `cause_${cause}` as Key, p),
    fix: measurementFix(lang, err),
  });
}

/**
 * Just the fix for a cause. A ping denied to an unprivileged user: open ping_group_range only when
 * the guest's evidence shows it closed to the user's groups; when it is open, that is not the cause.
 */
export function measurementFix(lang: Lang, err: MeasurementError): string {
  const p = { tool: err.tool, detail: err.detail };
  if (err.cause === 'permission-denied' && /(^|\s|\/)ping$/.test(err.tool) && err.pingGroupRange) {
    const q = { ...p, range: err.pingGroupRange.range, command: err.command };
    return t(lang, err.pingGroupRange.userInRange ? 'fix_permission_denied_ping_open' : 'fix_permission_denied_ping', q);
  }
  return t(lang, `fix_${err.cause.replace(/-/g, '_')}` as Key, p);
}
