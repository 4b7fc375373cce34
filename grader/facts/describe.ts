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

/** Just the fix for a cause; ping denied to an unprivileged user has its own (a sysctl). */
export function measurementFix(lang: Lang, err: MeasurementError): string {
  const p = { tool: err.tool, detail: err.detail };
  if (err.cause === 'permission-denied' && /(^|\s)ping$/.test(err.tool)) return t(lang, 'fix_permission_denied_ping', p);
  return t(lang, `fix_${err.cause.replace(/-/g, '_')}` as Key, p);
}
