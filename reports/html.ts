// One self-contained HTML page per result: summary first (student, score, a bar per task), then per
// task the host checks and per question and VM the verdict, the student's answer, the observed
// fact, the explanation and hints, with the evidence folded away. No scripts; a strict CSP meta
// forbids any script or external fetch even if an escape were missed. Every string from files or
// guests goes through escapeHtml.
import { visible } from '../grader/util/visible.js';
import type { CommandEvidence, GradeResult, Verdict } from '../grader/types.js';
import { escapeHtml as h } from './escape.js';
import { BASE_CSS, CSP } from './html-style.js';
import { defineRenderer } from './types.js';
import { accessLine } from './labels.js';
import { fmtPercent, fmtPoints, outcomeLabel, present, type Labels, type ReportModel, type Shown, type TaskView, type VerdictView } from './model.js';

const REPORT_CSS = `
.access-guest ul { margin: 4px 0 12px; padding-left: 20px; } .access-guest li { margin: 3px 0; } .access-failed code { text-decoration: line-through; text-decoration-thickness: 1px; }
.scoreboard { display: grid; grid-template-columns: 190px 1fr; gap: 24px; align-items: center; }
.big { font-size: 2.6rem; font-weight: 700; line-height: 1; }
.big small { font-size: 1.1rem; font-weight: 600; color: var(--muted); }
.counts { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 10px; }
.tasks-summary { display: grid; gap: 10px; }
.tasks-summary .row { display: grid; grid-template-columns: minmax(160px, 1.3fr) 2fr 70px; gap: 12px; align-items: center; }
.tasks-summary a { text-decoration: none; color: inherit; font-weight: 600; }
.tasks-summary .pts { text-align: right; font-variant-numeric: tabular-nums; }
.task-head { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; flex-wrap: wrap;
  border-bottom: 1px solid var(--line); padding-bottom: 10px; margin-bottom: 12px; }
.task-head .net { color: var(--muted); font-size: .9rem; }
.task-head .pts { font-weight: 700; font-variant-numeric: tabular-nums; }
.section-label { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 14px 0 6px; font-weight: 600; }
.hostchecks td.what { white-space: nowrap; font-size: .85rem; color: var(--muted); }
.hostchecks td.what b { color: var(--fg); font-weight: 600; display: block; }
.hostchecks td.msg { width: 100%; }
.attention { margin: 14px 0 0; padding: 10px 0 0; border-top: 1px solid var(--line); }
.attention ul { margin: 4px 0 0; padding: 0; list-style: none; display: grid; gap: 4px; }
.attention li { display: flex; gap: 10px; align-items: baseline; font-size: .92rem; }
.attention a { text-decoration: none; }
.question { border-top: 1px solid var(--line); padding-top: 12px; margin-top: 12px; }
.question:first-of-type { border-top: 0; }
.verdict { display: grid; grid-template-columns: 110px 1fr; gap: 6px 14px; padding: 10px 0 10px 12px; border-left: 3px solid var(--line); margin: 10px 0; }
.verdict.pass { border-left-color: var(--pass); }
.verdict.fail { border-left-color: var(--fail); }
.verdict.error { border-left-color: var(--error); }
.verdict.warning { border-left-color: var(--warning); }
.verdict .who { font-weight: 600; }
.verdict .who .pts { display: block; font-weight: 400; color: var(--muted); font-size: .85rem; font-variant-numeric: tabular-nums; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
.facts dt { color: var(--muted); font-size: .85rem; }
.facts dd { margin: 0; font-weight: 500; word-break: break-word; }
.explain { margin: 6px 0 0; }
.hints { margin: 6px 0 0; padding: 6px 12px; background: var(--warning-bg); border-radius: 6px; font-size: .92rem; }
.hints ul { margin: 0; padding-left: 18px; }
.ev-head { font-size: .85rem; margin-top: 8px; }
.ev-head code { font-weight: 600; }
@media (max-width: 640px) { .scoreboard, .verdict { grid-template-columns: 1fr; } .tasks-summary .row { grid-template-columns: 1fr 70px; } .tasks-summary .bar { grid-column: 1 / -1; } }
@media print { .hints { border: 1px solid #d4c27a; } }
`;

export const html = defineRenderer('html', 'html', 'text/html; charset=utf-8', (r, opts) => {
  const m = present(r, opts.lang);
  const { lang, t } = m;
  const title = `${t('reportTitle')} — ${r.student.name} — ${m.exerciseTitle}`;
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="labgrade ${h(r.tool.version)}">
<title>${h(title)}</title>
<style>${BASE_CSS}${REPORT_CSS}</style>
</head>
<body>
${header(m)}
<main>
${m.errors.length ? `<div class="alert" role="alert"><strong>${h(t('errors'))}</strong><ul>${m.errors.map((e) => `<li>${h(e)}</li>`).join('')}</ul></div>` : ''}
${summary(m)}
${r.trustedHostKeys?.length ? `<div class="alert" role="note"><strong>${h(t('trustedHostKeys'))}</strong><ul>${r.trustedHostKeys.map((k) => `<li>${h(t('trustedHostKey', { host: k.host, port: k.port, type: k.keyType, fingerprint: k.fingerprint, file: k.file }))}</li>`).join('')}</ul></div>` : ''}${m.answerNotices.length ? `<div class="alert notices"><strong>${h(t('answerNotices'))}</strong><ul>${m.answerNotices.map((e) => `<li>${h(visible(e))}</li>`).join('')}</ul></div>` : ''}
${m.tasks.length === 0 ? `<div class="card muted">${h(t('noTasks'))}</div>` : m.tasks.map((tv) => taskSection(tv, t)).join('\n')}
${accessSection(r, t)}
<footer>
  <div>${h(t('generatedBy', { tool: r.tool.name, version: r.tool.version, date: fmtDate(r.finishedAt) }))}</div>
  <div>${h(t('timings', { inspect: r.timings.inspectMs, connect: r.timings.connectMs, probe: r.timings.probeMs, grade: r.timings.gradeMs }))}</div>
</footer>
</main>
</body>
</html>
`;
});

/** How each guest was reached: every access method tried, in order, and why it was not used. */
function accessSection(r: GradeResult, t: Labels): string {
  if (!r.access?.length) return '';
  const guests = r.access
    .map((g) => {
      const rows = g.trail
        .map((a) => {
          const l = accessLine(t, a);
          return `<li class="access-${h(a.outcome)}"><code>${h(l.head)}</code>${l.detail ? `<div class="muted small">${h(l.detail)}</div>` : ''}</li>`;
        })
        .join('');
      return `<div class="access-guest"><strong>${h(g.role)} (${h(g.domain)})</strong>: ${h(g.via ?? t('accessNone'))}<ul>${rows}</ul></div>`;
    })
    .join('\n');
  return `<section class="card" id="access" aria-label="${h(t('accessTitle'))}"><div class="section-label">${h(t('accessTitle'))}</div>${guests}</section>`;
}

function header(m: ReportModel): string {
  const { result: r, t } = m;
  const s = r.student;
  const meta = [
    [t('exercise'), `${m.exerciseTitle} (${r.exercise.id})`],
    s.id ? [t('studentId'), s.id] : null,
    s.email ? [t('email'), s.email] : null,
    [t('lab'), r.lab.uri],
    [t('startedAt'), fmtDate(r.startedAt)],
  ].filter((x): x is [string, string] => x !== null);
  return `<header class="top"><div class="inner">
  <div class="kicker">${h(t('reportTitle'))}</div>
  <h1 id="student-name">${h(s.name)}</h1>
  <div class="meta">${meta.map(([k, v]) => `<span><b>${h(k)}</b>${h(v)}</span>`).join('')}</div>
</div></header>`;
}

function barClass(pct: number): string {
  return pct >= 80 ? 'bar' : pct >= 50 ? 'bar mid' : 'bar low';
}

function ratio(points: number, max: number): number {
  return max > 0 ? Math.max(0, Math.min(100, (points / max) * 100)) : 0;
}

function summary(m: ReportModel): string {
  const { t } = m;
  const tot = m.totals;
  const chips = (['pass', 'fail', 'error', 'skip'] as const)
    .map((o) => `<span class="pill ${o}" data-count="${o}">${h(outcomeLabel(t, o))}: ${tot[o]}</span>`)
    .join('');
  const rows = m.tasks
    .map((tv) => {
      const task = tv.task;
      const pct = ratio(task.points, task.maxPoints);
      if (tv.skippedReason !== null) {
        return `<div class="row muted"><a href="#task-${h(task.id)}">${h(tv.title)}</a><div class="small">${h(outcomeLabel(t, 'skip'))}</div><div class="pts">–</div></div>`;
      }
      return `<div class="row"><a href="#task-${h(task.id)}">${h(tv.title)}</a>
  <div class="${barClass(pct)}" role="img" aria-label="${fmtPercent(pct, t.lang)} %"><span style="width:${pct.toFixed(1)}%"></span></div>
  <div class="pts">${fmtPoints(task.points, t.lang)}/${fmtPoints(task.maxPoints, t.lang)}</div></div>`;
    })
    .join('\n');
  return `<section class="card" id="summary" aria-label="${h(t('summary'))}">
<div class="scoreboard">
  <div><div class="muted small">${h(t('score'))}</div>
    <div class="big" id="score-percent">${tot.maxPoints > 0 && !m.nothingGraded ? `${fmtPercent(tot.percent, t.lang)}<small> %</small>` : '–'}</div>
    <div class="muted">${m.nothingGraded ? h(t('noScore')) : `${fmtPoints(tot.points, t.lang)} / ${fmtPoints(tot.maxPoints, t.lang)} ${h(t('points').toLowerCase())}`}</div></div>
  <div><div class="tasks-summary">${rows}</div><div class="counts">${chips}</div></div>
</div>
${attention(m)}
</section>`;
}

function taskSection(tv: TaskView, t: Labels): string {
  const task = tv.task;
  const net = task.network;
  const netText = net.name ? `${net.name}${net.type ? ` · ${net.type}` : ''}` : t('networkMissing');
  const host = tv.hostChecks.length
    ? `<div class="section-label">${h(t('hostChecks'))}</div>
<table class="hostchecks"><tbody>
${tv.hostChecks.map((v) => hostRow(v, t)).join('\n')}
</tbody></table>`
    : '';
  const skipped = tv.skippedReason;
  if (skipped !== null) {
    return `<section class="card task skipped-task" id="task-${h(task.id)}">
<div class="task-head"><div><h2>${h(tv.title)}</h2><div class="net">${h(t('network'))}: ${h(netText)}</div></div>
<div class="pts">${fmtPoints(task.points, t.lang)} / ${fmtPoints(task.maxPoints, t.lang)}</div></div>
<p class="muted"><span class="pill skip">${h(outcomeLabel(t, 'skip'))}</span> ${h(skipped)}</p>
</section>`;
  }
  const questions = tv.questions
    .map(
      (g) => `<div class="question" id="q-${h(task.id)}-${h(g.question)}">
<h3>${h(g.label)} <span class="muted small mono">${h(g.question)}</span></h3>
${g.verdicts.map((v) => verdictBlock(v, t)).join('\n')}
</div>`,
    )
    .join('\n');
  return `<section class="card task" id="task-${h(task.id)}">
<div class="task-head"><div><h2>${h(tv.title)}</h2><div class="net">${h(t('network'))}: ${h(netText)}</div></div>
<div class="pts">${fmtPoints(task.points, t.lang)} / ${fmtPoints(task.maxPoints, t.lang)}</div></div>
${host}
${questions ? `<div class="section-label">${h(t('questions'))}</div>${questions}` : ''}
</section>`;
}

function pill(shown: Shown, label: string): string {
  return `<span class="pill ${shown}" data-outcome="${shown}">${h(label)}</span>`;
}

function hostRow(vv: VerdictView, t: Labels): string {
  const v = vv.verdict;
  const extra = [
    vv.hints.length ? `<div class="hints">${vv.hints.map((x) => h(x)).join('<br>')}</div>` : '',
    v.evidence.length ? evidence(v.evidence, t) : '',
  ].join('');
  return `<tr data-verdict="${h(v.id)}" id="${anchor(v)}"><td>${pill(vv.shown, vv.outcomeLabel)}</td><td class="what"><b>${h(v.subject ?? '')}</b>${h(v.check)}</td><td class="msg">${h(vv.message)}${extra}</td></tr>`;
}

function verdictBlock(vv: VerdictView, t: Labels): string {
  const v = vv.verdict;
  const shown = vv.shown;
  const facts = [
    ...answerFacts(vv, t),
    vv.observed !== null ? `<dt>${h(t('observed'))}</dt><dd class="observed">${h(vv.observed)}</dd>` : '',
    vv.theory !== null ? `<dt>${h(t('theory'))}</dt><dd class="theory">${h(vv.theory)}</dd>` : '',
  ].join('');
  const hints = vv.hints.length
    ? `<div class="hints"><strong>${h(t('hints'))}</strong><ul>${vv.hints.map((x) => `<li>${h(x)}</li>`).join('')}</ul></div>`
    : '';
  return `<div class="verdict ${shown}" data-verdict="${h(v.id)}" id="${anchor(v)}">
  <div class="who">${pill(shown, vv.outcomeLabel)}<div>${h(v.role ?? '')}</div><span class="pts">${fmtPoints(v.points, t.lang)} / ${fmtPoints(v.maxPoints, t.lang)}</span></div>
  <div><dl class="facts">${facts}</dl>
  ${vv.message ? `<p class="explain">${h(vv.message)}</p>` : ''}
  ${hints}
  ${evidence(v.evidence, t)}</div>
</div>`;
}

/** The answer as written (escaped, controls shown as symbols, lines kept) and as read. */
function answerFacts(vv: VerdictView, t: Labels): string[] {
  const v = vv.verdict;
  const written = v.answerWritten ?? null;
  if (written === null) {
    return [`<dt>${h(t('answer'))}</dt><dd class="answer">${vv.studentAnswer === null ? `<span class="muted">${h(t('noAnswer'))}</span>` : h(vv.studentAnswer)}</dd>`];
  }
  const shown = written
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => visible(l))
    .join('\n')
    .trim();
  return [
    `<dt>${h(t('answerWritten'))}</dt><dd class="written"><pre>${h(shown)}</pre></dd>`,
    `<dt>${h(t('answerRead'))}</dt><dd class="answer">${vv.studentAnswer === null ? `<span class="unreadable">${h(t('answerUnreadable'))}</span>` : h(vv.studentAnswer)}</dd>`,
    v.answerIgnored?.length ? `<dt>${h(t('answerIgnored'))}</dt><dd class="ignored">${h(v.answerIgnored.map((w) => visible(w)).join(', '))}</dd>` : '',
  ];
}

function evidence(ev: CommandEvidence[], t: Labels): string {
  if (ev.length === 0) return `<details class="evidence"><summary>${h(t('evidence'))}</summary><p class="muted small">${h(t('noEvidence'))}</p></details>`;
  const items = ev
    .map((e) => {
      const status = `${t('exitCode')} ${e.exitCode ?? '-'} · ${t('duration', { ms: e.durationMs })}`;
      return `<div class="ev-head"><code>${h(e.command)}</code> <span class="muted">${h(t('on'))} ${h(e.guest)} ${h(t('via'))} ${h(e.transport)} · ${h(status)}</span></div>
${e.error ? `<pre class="ev-error">${h(`${t('commandError')}: ${e.error}`)}</pre>` : ''}${e.stdout ? `<pre>${h(e.stdout)}</pre>` : ''}${e.stderr ? `<pre class="ev-stderr">${h(e.stderr)}</pre>` : ''}`;
    })
    .join('\n');
  return `<details class="evidence"><summary>${h(t('evidenceCount', { count: ev.length }))}</summary>${items}</details>`;
}

/** Links to every failed or unmeasured item, so the reader goes straight to what matters. */
function attention(m: ReportModel): string {
  const { t } = m;
  const items = m.tasks.flatMap((tv) =>
    tv.verdicts
      .filter((vv) => vv.verdict.outcome === 'fail' || vv.verdict.outcome === 'error')
      .map((vv) => {
        const v = vv.verdict;
        const what = vv.questionLabel !== null ? `${vv.questionLabel} · ${v.role ?? ''}` : `${v.check} · ${v.subject ?? ''}`;
        return `<li>${pill(vv.shown, vv.outcomeLabel)}<a href="#${anchor(v)}">${h(tv.title)}: ${h(what)}</a></li>`;
      }),
  );
  if (items.length === 0) return '';
  return `<div class="attention"><div class="section-label">${h(t('attention'))}</div><ul>${items.join('')}</ul></div>`;
}

/** A fragment id derived from the verdict id (only safe characters). */
function anchor(v: Verdict): string {
  return `v-${v.id.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/** ISO timestamp as "2025-03-14 10:00 UTC" (no locale, deterministic). */
export function fmtDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
