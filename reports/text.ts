// Terminal report: per task the host checks, then per question and VM the verdict, the student's
// answer, the observed fact, the explanation and hints; a score line at the end. Colour only when
// the caller says so (a TTY without NO_COLOR).
import type { Verdict } from '../grader/types.js';
import { oneLine, stripControls } from './escape.js';
import { visible } from '../grader/util/visible.js';
import { defineRenderer } from './types.js';
import { accessLine, studentLine } from './labels.js';
import { fmtPercent, fmtPoints, outcomeLabel, present, type Labels, type Shown, type VerdictView } from './model.js';

const SYMBOL: Record<Shown, string> = { pass: '✔', fail: '✘', error: '?', skip: '-', warning: '!' };
const CODES = { red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36, bold: 1, dim: 2 } as const;
type Style = keyof typeof CODES;
const OUTCOME_STYLE: Record<Shown, Style> = { pass: 'green', fail: 'red', error: 'magenta', skip: 'dim', warning: 'yellow' };

export const text = defineRenderer('text', 'txt', 'text/plain; charset=utf-8', (r, opts) => {
  const m = present(r, opts.lang);
  const { t } = m;
  const paint = (style: Style, s: string) => (opts.color ? `\u001b[${CODES[style]}m${s}\u001b[0m` : s);
  const out: string[] = [];

  out.push(paint('bold', `${oneLine(m.exerciseTitle)} (${oneLine(r.exercise.id)})`));
  out.push(`${t('student')}: ${oneLine(studentLine(r))}`);
  out.push(`${t('lab')}: ${oneLine(r.lab.uri)}${r.lab.file ? ` (${oneLine(r.lab.file)})` : ''}`);

  // What stopped the grading comes first: it is the cause of everything skipped below.
  if (m.errors.length) {
    out.push('', paint('bold', `${t('errors')}:`));
    for (const e of m.errors) out.push(`  - ${oneLine(e)}`);
  }

  if (m.tasks.length === 0) out.push('', t('noTasks'));
  for (const tv of m.tasks) {
    const task = tv.task;
    const net = task.network;
    const netText = net.name ? `${oneLine(net.name)}${net.type ? ` [${net.type}]` : ''}` : t('networkMissing');
    out.push('');
    out.push(
      paint('bold', `== ${oneLine(tv.title)} (${oneLine(task.id)}) — ${t('network')}: ${netText}`) +
        `  ${fmtPoints(task.points, t.lang)}/${fmtPoints(task.maxPoints, t.lang)}`,
    );
    const skipped = tv.skippedReason;
    if (skipped !== null) {
      out.push(`  ${paint('dim', `${SYMBOL.skip} ${outcomeLabel(t, 'skip')}: ${oneLine(skipped)}`)}`);
      continue;
    }
    if (tv.hostChecks.length) {
      out.push(`  ${paint('cyan', t('hostChecks'))}`);
      for (const vv of tv.hostChecks) {
        const v = vv.verdict;
        const shown = vv.shown;
        const what = [v.check, v.subject].filter(Boolean).map((s) => oneLine(s!)).join(' ');
        out.push(`    ${paint(OUTCOME_STYLE[shown], SYMBOL[shown])} ${what}: ${oneLine(vv.message)}`);
        pushDetails(out, vv, t, '      ', paint);
      }
    }
    for (const group of tv.questions) {
      out.push(`  ${paint('cyan', `${group.label} (${oneLine(group.question)})`)}`);
      for (const vv of group.verdicts) {
        const v = vv.verdict;
        const shown = vv.shown;
        const who = v.role ? oneLine(v.role) : '';
        const label = paint(OUTCOME_STYLE[shown], `${SYMBOL[shown]} ${vv.outcomeLabel}`);
        out.push(`    ${label}  ${who}  ${fmtPoints(v.points, t.lang)}/${fmtPoints(v.maxPoints, t.lang)}`);
        out.push(...answerLines(vv, t, '      '));
        if (vv.observed !== null) out.push(`      ${t('observed')}: ${oneLine(vv.observed)}`);
        if (vv.theory !== null && shown !== 'pass') out.push(`      ${t('theory')}: ${oneLine(vv.theory)}`);
        if (vv.message) out.push(...wrap(oneLine(vv.message), '      '));
        pushDetails(out, vv, t, '      ', paint);
      }
    }
  }

  if (r.access?.length) {
    const mark = { used: '✔', failed: '✘', skipped: '-' } as const;
    out.push('', paint('bold', `${t('accessTitle')}:`));
    for (const g of r.access) {
      out.push(`  ${oneLine(g.role)} (${oneLine(g.domain)}): ${g.via ? oneLine(g.via) : t('accessNone')}`);
      for (const a of g.trail) {
        const l = accessLine(t, a);
        out.push(`    ${mark[a.outcome]} ${oneLine(l.head)}`);
        if (l.detail) out.push(...wrap(oneLine(l.detail), '      ').map((x) => paint('dim', x)));
      }
    }
  }

  if (r.trustedHostKeys?.length) {
    out.push('', paint('bold', `${t('trustedHostKeys')}:`));
    for (const k of r.trustedHostKeys) out.push(`  - ${oneLine(t('trustedHostKey', { host: k.host, port: k.port, type: k.keyType, fingerprint: k.fingerprint, file: k.file }))}`);
  }
  if (m.answerNotices.length) {
    out.push('', paint('bold', `${t('answerNotices')}:`));
    for (const e of m.answerNotices) out.push(`  - ${visible(oneLine(e))}`);
  }

  const tot = m.totals;
  out.push('');
  if (m.nothingGraded) {
    out.push(paint('bold', t('noScore')));
    return `${out.join('\n')}\n`;
  }
  out.push(
    paint(
      'bold',
      `${t('scoreLine', { points: fmtPoints(tot.points), max: fmtPoints(tot.maxPoints), percent: fmtPercent(tot.percent) })}` +
        ` — ${t('countsLine', { pass: tot.pass, fail: tot.fail, error: tot.error, skip: tot.skip })}`,
    ),
  );
  return `${out.join('\n')}\n`;
});

function pushDetails(out: string[], vv: VerdictView, t: Labels, indent: string, paint: (s: Style, x: string) => string): void {
  const v: Verdict = vv.verdict;
  for (const h of vv.hints) out.push(...wrap(`${t('hint')}: ${oneLine(h)}`, indent).map((l) => paint('yellow', l)));
  // For what went wrong, name the commands the explanation rests on (the HTML report has their output).
  if (v.outcome === 'fail' || v.outcome === 'error') {
    for (const e of v.evidence) {
      const status = e.error ? `${t('commandError')}: ${oneLine(e.error)}` : `${t('exitCode')} ${e.exitCode ?? '-'}`;
      out.push(paint('dim', `${indent}$ ${oneLine(e.command)}  (${t('on')} ${oneLine(e.guest)} ${t('via')} ${e.transport}; ${status})`));
    }
  }
}

/** The answer as written (controls made visible, one line, shortened) and as read. */
function answerLines(vv: VerdictView, t: Labels, indent: string): string[] {
  const v = vv.verdict;
  const written = v.answerWritten ?? null;
  if (written === null) return [`${indent}${t('answerShort')}: ${vv.studentAnswer === null ? t('noAnswer') : oneLine(vv.studentAnswer)}`];
  const lines = [`${indent}${t('answerWritten')}: ${visible(written.trim(), 160)}`];
  lines.push(`${indent}${t('answerRead')}: ${vv.studentAnswer === null ? t('answerUnreadable') : oneLine(vv.studentAnswer)}`);
  if (v.answerIgnored?.length) lines.push(`${indent}${t('answerIgnored')}: ${v.answerIgnored.map((w) => visible(w, 40)).join(', ')}`);
  return lines;
}

/** Wraps long explanations at ~100 columns for readability. */
function wrap(s: string, indent: string, width = 100): string[] {
  const words = stripControls(s).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && indent.length + line.length + 1 + w.length > width) {
      lines.push(indent + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(indent + line);
  return lines;
}
