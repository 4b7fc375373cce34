// Terminal report: per task the host checks, then per question and VM the verdict, the student's
// answer, the observed fact, the explanation and hints; a score line at the end. Colour only when
// the caller says so (a TTY without NO_COLOR).
import type { GradeResult, Verdict } from '../grader/types.js';
import { oneLine, stripControls } from './escape.js';
import { visible } from '../grader/util/visible.js';
import { defineRenderer } from './types.js';
import {
  accessLine,
  fmtPercent,
  fmtPoints,
  groupByQuestion,
  labelsFor,
  outcomeLabel,
  questionLabel,
  shownOutcome,
  skippedTaskReason,
  studentLine,
  type Labels,
  type Shown,
} from './labels.js';

const SYMBOL: Record<Shown, string> = { pass: '✔', fail: '✘', error: '?', skip: '-', warning: '!' };
const CODES = { red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36, bold: 1, dim: 2 } as const;
type Style = keyof typeof CODES;
const OUTCOME_STYLE: Record<Shown, Style> = { pass: 'green', fail: 'red', error: 'magenta', skip: 'dim', warning: 'yellow' };

export const text = defineRenderer('text', 'txt', 'text/plain; charset=utf-8', (r, opts) => {
  const { t } = labelsFor(r, opts);
  const paint = (style: Style, s: string) => (opts.color ? `\u001b[${CODES[style]}m${s}\u001b[0m` : s);
  const out: string[] = [];

  out.push(paint('bold', `${oneLine(r.exercise.title || r.exercise.id)} (${oneLine(r.exercise.id)})`));
  out.push(`${t('student')}: ${oneLine(studentLine(r))}`);
  out.push(`${t('lab')}: ${oneLine(r.lab.uri)}${r.lab.file ? ` (${oneLine(r.lab.file)})` : ''}`);

  // What stopped the grading comes first: it is the cause of everything skipped below.
  if (r.errors.length) {
    out.push('', paint('bold', `${t('errors')}:`));
    for (const e of r.errors) out.push(`  - ${oneLine(e)}`);
  }

  if (r.tasks.length === 0) out.push('', t('noTasks'));
  for (const task of r.tasks) {
    const net = task.network;
    const netText = net.name ? `${oneLine(net.name)}${net.type ? ` [${net.type}]` : ''}` : t('networkMissing');
    out.push('');
    out.push(
      paint('bold', `== ${oneLine(task.title || task.id)} (${oneLine(task.id)}) — ${t('network')}: ${netText}`) +
        `  ${fmtPoints(task.points, t.lang)}/${fmtPoints(task.maxPoints, t.lang)}`,
    );
    const skipped = skippedTaskReason(task);
    if (skipped !== null) {
      out.push(`  ${paint('dim', `${SYMBOL.skip} ${outcomeLabel(t, 'skip')}: ${oneLine(skipped)}`)}`);
      continue;
    }
    if (task.hostChecks.length) {
      out.push(`  ${paint('cyan', t('hostChecks'))}`);
      for (const v of task.hostChecks) {
        const shown = shownOutcome(v);
        const what = [v.check, v.subject].filter(Boolean).map((s) => oneLine(s!)).join(' ');
        out.push(`    ${paint(OUTCOME_STYLE[shown], SYMBOL[shown])} ${what}: ${oneLine(v.message)}`);
        pushDetails(out, v, t, '      ', paint);
      }
    }
    for (const group of groupByQuestion(task.questions)) {
      out.push(`  ${paint('cyan', `${questionLabel(t, group.question, group.verdicts[0]?.questionTitle)} (${oneLine(group.question)})`)}`);
      for (const v of group.verdicts) {
        const shown = shownOutcome(v);
        const who = v.role ? oneLine(v.role) : '';
        const label = paint(OUTCOME_STYLE[shown], `${SYMBOL[shown]} ${outcomeLabel(t, shown)}`);
        out.push(`    ${label}  ${who}  ${fmtPoints(v.points, t.lang)}/${fmtPoints(v.maxPoints, t.lang)}`);
        out.push(...answerLines(v, t, '      '));
        if (v.observed !== null) out.push(`      ${t('observed')}: ${oneLine(v.observed)}`);
        if (v.theory !== null && shown !== 'pass') out.push(`      ${t('theory')}: ${oneLine(v.theory)}`);
        if (v.message) out.push(...wrap(oneLine(v.message), '      '));
        pushDetails(out, v, t, '      ', paint);
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
  if (r.answerNotices?.length) {
    out.push('', paint('bold', `${t('answerNotices')}:`));
    for (const e of r.answerNotices) out.push(`  - ${visible(oneLine(e))}`);
  }

  const tot = r.totals;
  out.push('');
  if (nothingGraded(r)) {
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

/** Nothing was graded because of a run problem (libvirt unreachable...): a score would mislead. */
export function nothingGraded(r: GradeResult): boolean {
  return r.errors.length > 0 && r.totals.pass + r.totals.fail + r.totals.error === 0;
}

function pushDetails(out: string[], v: Verdict, t: Labels, indent: string, paint: (s: Style, x: string) => string): void {
  for (const h of v.hints) out.push(...wrap(`${t('hint')}: ${oneLine(h)}`, indent).map((l) => paint('yellow', l)));
  // For what went wrong, name the commands the explanation rests on (the HTML report has their output).
  if (v.outcome === 'fail' || v.outcome === 'error') {
    for (const e of v.evidence) {
      const status = e.error ? `${t('commandError')}: ${oneLine(e.error)}` : `${t('exitCode')} ${e.exitCode ?? '-'}`;
      out.push(paint('dim', `${indent}$ ${oneLine(e.command)}  (${t('on')} ${oneLine(e.guest)} ${t('via')} ${e.transport}; ${status})`));
    }
  }
}

/** The answer as written (controls made visible, one line, shortened) and as read. */
function answerLines(v: Verdict, t: Labels, indent: string): string[] {
  const written = v.answerWritten ?? null;
  if (written === null) return [`${indent}${t('answerShort')}: ${v.studentAnswer === null ? t('noAnswer') : oneLine(v.studentAnswer)}`];
  const lines = [`${indent}${t('answerWritten')}: ${visible(written.trim(), 160)}`];
  lines.push(`${indent}${t('answerRead')}: ${v.studentAnswer === null ? t('answerUnreadable') : oneLine(v.studentAnswer)}`);
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
