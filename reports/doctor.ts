// `labgrade doctor` output (registered in reports/index.ts): every prerequisite with its status and,
// for a failure or warning, the exact fix. JSON is the DoctorReport itself.
import type { Lang } from '../grader/types.js';
import type { CheckStatus, DoctorReport } from '../grader/onboarding/doctor.js';
import { defineRenderer } from './types.js';
import { t } from '../grader/onboarding/notes.js';

/** `quiet` (-q): only what needs attention (the summary still counts every check). */
export const doctorText = defineRenderer<DoctorReport, { lang: Lang; quiet?: boolean }, 'text'>('text', 'txt', 'text/plain; charset=utf-8', (rep, { lang, quiet }) => {
  const word = (s: CheckStatus): string => t(lang, `doctor.status.${s}`);
  const width = Math.max(...(['ok', 'warn', 'fail', 'skip'] as const).map((s) => word(s).length));
  const out: string[] = [t(lang, 'doctor.title'), ''];
  const pad = ' '.repeat(width + 4);
  for (const c of rep.checks) {
    if (quiet && (c.status === 'ok' || c.status === 'skip')) continue;
    const msg = c.message.split('\n');
    out.push(`  ${word(c.status).padEnd(width)}  ${c.title}: ${msg[0]}`);
    for (const l of msg.slice(1)) out.push(`${pad}${l}`);
    if (c.fix && (c.status === 'fail' || c.status === 'warn')) {
      const fix = c.fix.split('\n');
      out.push(`${pad}${t(lang, 'doctor.fix')} ${fix[0]}`);
      for (const l of fix.slice(1)) out.push(`${pad}  ${l}`);
    }
  }
  const n = (s: CheckStatus) => rep.checks.filter((c) => c.status === s).length;
  out.push('');
  const anyFail = rep.checks.some((c) => c.status === 'fail');
  out.push(t(lang, rep.canGrade ? 'doctor.summary.ok' : anyFail ? 'doctor.summary.fail' : 'doctor.summary.noLab', { ok: n('ok'), warn: n('warn'), fail: n('fail'), skip: n('skip') }));
  return `${out.join('\n')}\n`;
});

export const doctorJson = defineRenderer<DoctorReport, object, 'json'>('json', 'json', 'application/json', (rep) => `${JSON.stringify(rep, null, 2)}\n`);
