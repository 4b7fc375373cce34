// "Could not measure", in words: the command, the guest, what happened and the fix, in one
// language. Shared by the question checks (error verdicts) and the transports (the identity check
// of an address, shown in the access trail and by `doctor`).
import type { Lang, MeasurementError } from '../types.js';
import { msg, say, type Msg, type MsgArg } from '../i18n/messages.js';

/** The words of "could not measure" (a message: grader/i18n/messages.ts), for a verdict. */
export function measurementWords(err: MeasurementError, what: MsgArg, guest?: string): Msg {
  const cause = err.cause.replace(/-/g, '_');
  const p = { tool: err.tool, detail: err.detail || (err.exitCode === null ? '-' : `exit ${err.exitCode}`) };
  return msg('grade', 'obsNotMeasured', {
    what,
    guest: guest ?? err.guest,
    command: err.command,
    happened: msg('grade', `cause_${cause}`, p),
    fix: measurementFixWords(err),
  });
}

/** The same, said in a language (the access trail, `doctor`). */
export function measurementText(lang: Lang, err: MeasurementError, what: string, guest?: string): string {
  return say(lang, measurementWords(err, what, guest));
}

/**
 * Just the fix for a cause. A ping denied to an unprivileged user: open ping_group_range only when
 * the guest's evidence shows it closed to the user's groups; when it is open, that is not the cause.
 */
export function measurementFixWords(err: MeasurementError): Msg {
  const p = { tool: err.tool, detail: err.detail };
  if (err.cause === 'permission-denied' && /(^|\s|\/)ping$/.test(err.tool) && err.pingGroupRange) {
    const q = { ...p, range: err.pingGroupRange.range, command: err.command };
    return msg('grade', err.pingGroupRange.userInRange ? 'fix_permission_denied_ping_open' : 'fix_permission_denied_ping', q);
  }
  return msg('grade', `fix_${err.cause.replace(/-/g, '_')}`, p);
}

export function measurementFix(lang: Lang, err: MeasurementError): string {
  return say(lang, measurementFixWords(err));
}
