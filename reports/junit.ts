// JUnit XML for CI systems: <testsuites> > <testsuite> per task > <testcase> per host check and per
// question per VM. The suite counters are the number of elements this renderer emits (JUnit's own
// bookkeeping); the score itself is copied from the result's totals, never recomputed. Names are
// ids (task ids, verdict ids), never translated titles, so switching the language does not create new
// tests in a CI's history; the titles travel as properties and in the output. Times are measured:
// a testcase's is the time of the commands behind it, a suite's the sum of its testcases, the
// whole run's from the result's start and end.
import { visible } from '../grader/util/visible.js';
import type { CommandEvidence, GradeResult } from '../grader/types.js';
import { escapeXml, escapeXmlText } from './escape.js';
import { defineRenderer } from './types.js';
import { accessLine, studentLine } from './labels.js';
import { fmtPercent, fmtPoints, outcomeLabel, present, type Labels, type ReportModel, type TaskView, type VerdictView } from './model.js';

export const junit = defineRenderer('junit', 'xml', 'application/xml', (r, opts) => {
  const m = present(r, opts.lang);
  const { t } = m;
  const suites = m.tasks.map((tv) => suite(m, tv));
  if (m.errors.length || m.tasks.length === 0) {
    // Problems that stopped part of the run are an errored testcase, so CI never reads "0 tests" as green.
    suites.push({
      counts: { tests: 1, failures: 0, errors: 1, skipped: 0 },
      lines: [
        `  <testsuite name="labgrade" tests="1" failures="0" errors="1" skipped="0" time="${runTime(r)}" timestamp="${escapeXml(r.startedAt)}">`,
        `    <testcase classname="labgrade.run" name="run-errors" time="${runTime(r)}">`,
        `      <error message="${escapeXml(m.errors[0] ?? t('noTasks'))}" type="run">${escapeXmlText(m.errors.join('\n') || t('noTasks'))}</error>`,
        '    </testcase>',
        '  </testsuite>',
      ],
    });
  }
  const sum = (k: 'tests' | 'failures' | 'errors' | 'skipped') => suites.reduce((n, s) => n + s.counts[k], 0);
  const time = runTime(r);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(`labgrade ${r.exercise.id}`)}" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" skipped="${sum('skipped')}" time="${time}" timestamp="${escapeXml(r.startedAt)}">`,
    ...suites.flatMap((s) => s.lines),
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
});

function suite(m: ReportModel, tv: TaskView) {
  const { result: r, t } = m;
  const task = tv.task;
  const counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const cases: string[] = [];
  const all = tv.verdicts;
  const ms = all.reduce((n, vv) => n + evidenceMs(vv.verdict.evidence), 0);
  for (const vv of all) {
    counts.tests++;
    const shown = vv.shown;
    if (shown === 'fail') counts.failures++;
    else if (shown === 'error') counts.errors++;
    else if (shown === 'skip') counts.skipped++;
    cases.push(...testcase(tv, vv, t));
  }
  const net = task.network.name ?? t('networkMissing');
  const lines = [
    `  <testsuite name="${escapeXml(`labgrade.${task.id}`)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(ms)}" timestamp="${escapeXml(r.startedAt)}">`,
    '    <properties>',
    prop('title', tv.title),
    prop('student', studentLine(r)),
    prop('exercise', r.exercise.id),
    prop('task', task.id),
    prop('network', `${net}${task.network.type ? ` (${task.network.type})` : ''}`),
    prop('points', `${fmtPoints(task.points, t.lang)}/${fmtPoints(task.maxPoints, t.lang)}`),
    prop('score', `${fmtPoints(r.totals.points, t.lang)}/${fmtPoints(r.totals.maxPoints, t.lang)} (${fmtPercent(r.totals.percent, t.lang)} %)`),
    ...(r.trustedHostKeys ?? []).map((k) => prop('trusted-host-key', t('trustedHostKey', { host: k.host, port: k.port, type: k.keyType, fingerprint: k.fingerprint, file: k.file }))),
    // How each guest was reached (or why not): every access method tried, in order.
    ...(r.access ?? []).map((g) => prop(`access.${g.role}`, accessText(g, t))),
    '    </properties>',
    ...cases,
    '  </testsuite>',
  ];
  return { counts, lines };
}

function accessText(g: NonNullable<GradeResult['access']>[number], t: Labels): string {
  const tried = g.trail.map((a) => {
    const l = accessLine(t, a);
    return l.detail ? `${l.head}: ${l.detail}` : l.head;
  });
  return `${g.domain}: ${g.via ?? t('accessNone')}${tried.length ? ` [${tried.join('; ')}]` : ''}`;
}

function prop(name: string, value: string): string {
  return `      <property name="${escapeXml(name)}" value="${escapeXml(value)}"/>`;
}

function testcase(tv: TaskView, vv: VerdictView, t: Labels): string[] {
  const task = tv.task;
  const v = vv.verdict;
  const isQuestion = v.question !== undefined;
  const classname = isQuestion ? `labgrade.${task.id}.${v.question}` : `labgrade.${task.id}.host`;
  const name = v.id;
  const title = isQuestion ? `${vv.questionLabel}${v.role ? ` [${v.role}]` : ''}` : `${v.check}${v.subject ? ` ${v.subject}` : ''}`;
  const shown = vv.shown;
  const detail = details(vv, t);
  const lines = [`    <testcase classname="${escapeXml(classname)}" name="${escapeXml(name)}" time="${seconds(evidenceMs(v.evidence))}">`];
  if (shown === 'fail') lines.push(`      <failure message="${escapeXml(vv.message)}" type="${escapeXml(v.codes[0] ?? 'fail')}">${escapeXmlText(detail)}</failure>`);
  else if (shown === 'error') lines.push(`      <error message="${escapeXml(vv.message)}" type="${escapeXml(v.codes[0] ?? 'error')}">${escapeXmlText(detail)}</error>`);
  else if (shown === 'skip') lines.push(`      <skipped message="${escapeXml(vv.message)}"/>`);
  const out = [
    title,
    shown === 'warning' ? `${outcomeLabel(t, 'warning')}: ${vv.message}` : '',
    shown === 'pass' ? detail : '',
    evidenceText(v.evidence, t),
  ].filter(Boolean).join('\n\n');
  if (out) lines.push(`      <system-out>${escapeXmlText(out)}</system-out>`);
  lines.push('    </testcase>');
  return lines;
}

function details(vv: VerdictView, t: Labels): string {
  const v = vv.verdict;
  const rows = [
    ...(v.answerWritten === undefined || v.answerWritten === null
      ? [`${t('answer')}: ${vv.studentAnswer ?? t('noAnswer')}`]
      : [
          `${t('answerWritten')}: ${visible(v.answerWritten.trim(), 400)}`,
          `${t('answerRead')}: ${vv.studentAnswer ?? t('answerUnreadable')}`,
          v.answerIgnored?.length ? `${t('answerIgnored')}: ${v.answerIgnored.join(', ')}` : '',
        ]),
    vv.observed !== null ? `${t('observed')}: ${vv.observed}` : '',
    vv.theory !== null ? `${t('theory')}: ${vv.theory}` : '',
    `${t('points')}: ${fmtPoints(v.points, t.lang)}/${fmtPoints(v.maxPoints, t.lang)}`,
    `${t('explanation')}: ${vv.message}`,
    ...vv.hints.map((h) => `${t('hint')}: ${h}`),
  ];
  return rows.filter(Boolean).join('\n');
}

function evidenceText(ev: CommandEvidence[], t: Labels): string {
  return ev
    .map((e) => {
      const head = `$ ${e.command}   (${t('on')} ${e.guest} ${t('via')} ${e.transport}, ${t('exitCode')} ${e.exitCode ?? '-'}, ${e.durationMs} ms)`;
      return [head, e.error ? `${t('commandError')}: ${e.error}` : '', e.stdout, e.stderr ? `[stderr] ${e.stderr}` : '']
        .filter(Boolean)
        .join('\n');
    })
    .join('\n\n');
}

function evidenceMs(ev: CommandEvidence[]): number {
  return ev.reduce((n, e) => n + (Number.isFinite(e.durationMs) ? e.durationMs : 0), 0);
}

function runTime(r: GradeResult): string {
  return seconds(Date.parse(r.finishedAt) - Date.parse(r.startedAt));
}

function seconds(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? (ms / 1000).toFixed(3) : '0';
}
