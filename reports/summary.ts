// The class summary's renderers (registered in reports/index.ts): the aggregate JSON (class.json),
// the summary page (index.html) and the Moodle gradebook CSV (grades.csv), from the ClassSummary
// that grader/batch/summary.ts builds. Nothing here regrades.
import type { Lang } from '../grader/types.js';
import { csvField, escapeHtml as h } from './escape.js';
import { BASE_CSS, CSP } from './html-style.js';
import { formatNumber, formatPercent, translator } from '../grader/i18n/translate.js';
import es from '../grader/i18n/es/batch.js';
import en from '../grader/i18n/en/batch.js';
import esReport from '../grader/i18n/es/report.js';
import enReport from '../grader/i18n/en/report.js';
import type { ExportOptions } from '../grader/batch/roster.js';
import type { StudentStatus } from '../grader/batch/types.js';
import { defineRenderer } from './types.js';
import { CELL_CSS, CELL_OUTCOMES, CELL_SYMBOL, cellClass, cellLabel, cellSymbol } from './cells.js';
import { MOODLE_MAP, questionTitle, type ClassStudent, type ClassSummary } from '../grader/batch/summary.js';

const t = translator(es, en);
const tr = translator(esReport, enReport);

export function questionShort(lang: Lang, q: string): string {
  const key = `qs_${q}` as keyof typeof esReport;
  return key in esReport ? tr(lang, key) : q;
}

/** identity value of a student for the CSV. */
function identityOf(s: ClassStudent, identity: ExportOptions['identity']): string | undefined {
  return identity === 'id' ? s.id : s[identity];
}

/**
 * The Moodle gradebook CSV: a header line, then one line per exported student with the identity
 * column and the grade (decimal point). Students not exported are left out (a blank grade would
 * clear their Moodle grade).
 */
export const summaryCsv = defineRenderer<ClassSummary, object, 'csv'>('csv', 'csv', 'text/csv; charset=utf-8', (summary) => {
  const exp = summary.export;
  const sep = exp.separator;
  const lines = [[MOODLE_MAP[exp.identity].header[summary.lang], exp.column].map((x) => csvField(x, sep)).join(sep)];
  for (const s of summary.students) {
    if (s.grade === null) continue;
    const who = identityOf(s, exp.identity);
    if (!who) continue;
    lines.push([csvField(who, sep), s.grade.toFixed(exp.decimals)].join(sep));
  }
  return `${lines.join('\r\n')}\r\n`;
});

export const summaryJson = defineRenderer<ClassSummary, object, 'json'>('json', 'json', 'application/json', (summary) => `${JSON.stringify(summary, null, 2)}\n`);


const SUMMARY_CSS = `
main { max-width: 1280px; }
header.top .inner { max-width: 1280px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; }
.kpi .v { font-size: 1.7rem; font-weight: 700; line-height: 1.2; font-variant-numeric: tabular-nums; }
.kpi .k { color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; }
.kpi.bad .v { color: var(--fail); }
.hist { display: grid; grid-template-columns: repeat(10, 1fr); gap: 6px; align-items: end; height: 150px; padding-top: 8px; }
.hist .col { display: flex; flex-direction: column; justify-content: flex-end; align-items: center; height: 100%; }
.hist .b { width: 100%; background: var(--accent); border-radius: 4px 4px 0 0; min-height: 2px; }
.hist .n { font-size: .8rem; font-weight: 600; margin-bottom: 2px; }
.hist-labels { display: grid; grid-template-columns: repeat(10, 1fr); gap: 6px; font-size: .72rem; color: var(--muted); text-align: center; margin-top: 4px; }
.matrix-wrap { overflow-x: auto; }
table.matrix { font-size: .85rem; }
table.matrix thead th { vertical-align: bottom; }
table.matrix th.taskgroup { text-align: center; border-left: 2px solid var(--line); text-transform: none; font-size: .82rem; color: var(--fg); letter-spacing: 0; }
table.matrix th.qgroup { text-align: center; text-transform: none; letter-spacing: 0; font-size: .72rem; line-height: 1.2; padding: 4px 2px; border-left: 1px solid var(--line); min-width: 52px; }
table.matrix th.qgroup.first { border-left: 2px solid var(--line); }
table.matrix th.role { writing-mode: vertical-rl; transform: rotate(180deg); text-transform: none; letter-spacing: 0; font-size: .7rem; font-weight: 500; padding: 4px 2px; height: 64px; text-align: left; }
table.matrix td.cell.qfirst { border-left: 1px solid var(--line); }
table.matrix td.cell { text-align: center; padding: 4px 2px; min-width: 26px; font-weight: 700; border-left: 1px solid #fff; }
table.matrix td.cell.first { border-left: 2px solid var(--line); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.name { white-space: nowrap; }
td.name small { display: block; color: var(--muted); font-weight: 400; }
.status { font-size: .78rem; font-weight: 600; }
.status.graded { color: var(--pass); } .status.incomplete { color: var(--warning); }
.status.failed { color: var(--fail); } .status.pending { color: var(--skip); }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: .8rem; color: var(--muted); margin-top: 10px; }
.legend span.sw { display: inline-block; width: 14px; height: 14px; border-radius: 3px; vertical-align: -2px; margin-right: 4px; }
.mistake { display: grid; grid-template-columns: 1fr 180px; gap: 6px 16px; padding: 10px 0; border-bottom: 1px solid var(--line); }
.mistake:last-child { border-bottom: 0; }
.mistake .meter { align-self: center; }
.mistake .codes { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 4px; }
.mistake .codes code { background: var(--skip-bg); border-radius: 4px; padding: 0 6px; }
.mistake .ex { color: var(--muted); font-size: .88rem; margin-top: 4px; }
.mistake .hint { font-size: .88rem; margin-top: 4px; background: var(--warning-bg); border-radius: 6px; padding: 4px 8px; }
@media print { .matrix-wrap { overflow: visible; } table.matrix td.cell { min-width: 0; } }
`;

export const summaryHtml = defineRenderer<ClassSummary, object, 'html'>('html', 'html', 'text/html; charset=utf-8', (s) => renderSummaryHtml(s));

function renderSummaryHtml(s: ClassSummary): string {
  const lang = s.lang;
  const L = (k: Parameters<typeof t>[1], p?: Parameters<typeof t>[2]) => t(lang, k, p);
  const R = (k: keyof typeof esReport, p?: Parameters<typeof tr>[2]) => tr(lang, k, p);
  const statusLabel = (st: StudentStatus) => L(st === 'graded' ? 'statusGraded' : st === 'incomplete' ? 'statusIncomplete' : st === 'failed' ? 'statusFailed' : 'statusPending');

  const kpis = [
    [L('students'), String(s.counts.students), ''],
    [L('statusGraded'), String(s.counts.graded), ''],
    [L('statusIncomplete'), String(s.counts.incomplete), s.counts.incomplete ? 'bad' : ''],
    [L('statusFailed'), String(s.counts.failed), s.counts.failed ? 'bad' : ''],
    [L('mean'), s.stats.mean === null ? '–' : formatPercent(lang, s.stats.mean), ''],
    [L('median'), s.stats.median === null ? '–' : formatPercent(lang, s.stats.median), ''],
  ]
    .map(([k, v, cls]) => `<div class="kpi ${cls}"><div class="k">${h(k)}</div><div class="v">${h(v)}</div></div>`)
    .join('');

  const maxBucket = Math.max(1, ...s.distribution.map((b) => b.count));
  const hist = `<div class="hist" role="img" aria-label="${h(L('distribution'))}">${s.distribution
    .map((b) => `<div class="col"><div class="n">${b.count || ''}</div><div class="b" style="height:${((b.count / maxBucket) * 100).toFixed(1)}%"></div></div>`)
    .join('')}</div><div class="hist-labels">${s.distribution.map((b) => `<div>${b.from}–${b.to}</div>`).join('')}</div>`;

  // Matrix header: task groups, then questions (short labels), then one narrow column per VM.
  const groups: { task: string; title: string; span: number }[] = [];
  const qgroups: { key: string; question: string; title: string | undefined; span: number }[] = [];
  for (const c of s.columns) {
    const last = groups[groups.length - 1];
    if (last && last.task === c.task) last.span++;
    else groups.push({ task: c.task, title: c.taskTitle, span: 1 });
    const lq = qgroups[qgroups.length - 1];
    if (lq && lq.key === `${c.task}.${c.question}`) lq.span++;
    else qgroups.push({ key: `${c.task}.${c.question}`, question: c.question, title: c.questionTitle, span: 1 });
  }
  const firstOfTask = new Set(groups.map((g) => s.columns.find((c) => c.task === g.task)!.id));
  const firstOfQuestion = new Set(qgroups.map((g) => s.columns.find((c) => `${c.task}.${c.question}` === g.key)!.id));
  const head1 = `<tr><th rowspan="3">${h(L('student'))}</th><th rowspan="3">${h(L('status'))}</th><th rowspan="3" class="num">${h(L('score'))}</th><th rowspan="3" class="num">%</th>${groups
    .map((g) => `<th class="taskgroup" colspan="${g.span}">${h(g.title)}</th>`)
    .join('')}<th rowspan="3">${h(L('report'))}</th></tr>`;
  const head2 = `<tr>${qgroups.map((g, i) => `<th class="qgroup${firstOfTask.has(s.columns.find((c) => `${c.task}.${c.question}` === g.key)!.id) ? ' first' : ''}" colspan="${g.span}" title="${h(g.title ?? questionTitle(lang, g.question))}" data-q="${i}">${h(g.title ?? questionShort(lang, g.question))}</th>`).join('')}</tr>`;
  const head3 = `<tr>${s.columns.map((c) => `<th class="role${firstOfQuestion.has(c.id) ? ' qfirst' : ''}" title="${h(c.id)}">${h(c.role)}</th>`).join('')}</tr>`;
  const rows = s.students
    .map((st) => {
      const cells = s.columns
        .map((c) => {
          const o = st.verdicts[c.id];
          return `<td class="cell ${cellClass(o)}${firstOfTask.has(c.id) ? ' first' : firstOfQuestion.has(c.id) ? ' qfirst' : ''}" title="${h(`${c.id}: ${cellLabel(lang, o)}`)}" data-cell="${h(`${st.id}|${c.id}`)}" data-outcome="${h(o ?? '')}">${cellSymbol(o)}</td>`;
        })
        .join('');
      const sub = [st.email, st.idNumber].filter(Boolean).join(' · ');
      const grade = st.grade !== null ? formatNumber(lang, st.grade, s.export.decimals) : '–';
      const link = st.report ? `<a href="${h(encodeURI(st.report))}">${h(L('openReport'))}</a>` : '';
      return `<tr data-student="${h(st.id)}"><td class="name">${h(st.name)}<small>${h(st.id)}${sub ? ` · ${h(sub)}` : ''}</small></td><td><span class="status ${st.status}">${h(statusLabel(st.status))}</span>${st.reused ? ` <span class="muted small">(${h(L('reused'))})</span>` : ''}</td><td class="num">${h(grade)}</td><td class="num">${st.percent === null ? '–' : formatNumber(lang, st.percent, 1)}</td>${cells}<td>${link}</td></tr>`;
    })
    .join('\n');
  const legend = `<div class="legend"><strong>${h(L('legend'))}:</strong>${CELL_OUTCOMES.map((o) => `<span><span class="sw ${o}"></span>${CELL_SYMBOL[o]} ${h(cellLabel(lang, o))}</span>`).join('')}</div>`;
  const gradedTotal = s.students.filter((x) => x.status === 'graded' || x.status === 'incomplete').length;
  const mistakes = s.mistakes.length
    ? s.mistakes
        .map((m) => {
          const pct = gradedTotal ? (m.count / gradedTotal) * 100 : 0;
          return `<div class="mistake" data-mistake="${h(m.id)}"><div><strong>${h(m.label)}</strong>
<div class="codes">${m.codes.map((c) => `<code>${h(c.code)} × ${c.count}</code>`).join('')}</div>
${m.example ? `<div class="ex">${h(m.example)}</div>` : ''}${m.hint ? `<div class="hint">${h(m.hint)}</div>` : ''}</div>
<div class="meter"><div class="small">${h(L('mistakeCount', { count: m.count, total: gradedTotal }))}</div><div class="bar low"><span style="width:${pct.toFixed(1)}%"></span></div></div></div>`;
        })
        .join('\n')
    : `<p class="muted">${h(L('noMistakes'))}</p>`;

  const problems = s.students.filter((x) => x.status !== 'graded');
  const notExported = s.students.filter((x) => x.grade === null).map((x) => x.id);
  const problemBlock = problems.length
    ? `<section class="card" id="problems"><h2>${h(L('notGraded'))}</h2>
<table><thead><tr><th>${h(L('student'))}</th><th>${h(L('status'))}</th><th>${h(L('reason'))}</th><th>${h(L('report'))}</th></tr></thead><tbody>
${problems
  .map((p) => `<tr data-problem="${h(p.id)}"><td class="name">${h(p.name)}<small>${h(p.id)}</small></td><td><span class="status ${p.status}">${h(statusLabel(p.status))}</span></td><td>${h(p.error?.message ?? '')}</td><td>${p.report ? `<a href="${h(encodeURI(p.report))}">${h(L('openReport'))}</a>` : ''}</td></tr>`)
  .join('\n')}
</tbody></table>
${notExported.length ? `<p class="small muted">${h(L('notInCsv', { ids: notExported.join(', ') }))}</p>` : ''}</section>`
    : '';

  const pinned = s.students.filter((x) => x.trustedHostKeys.length > 0);
  const pinBlock = pinned.length
    ? `<section class="card" id="host-keys"><h2>${h(L('trustedHostKeys'))}</h2>
<table><thead><tr><th>${h(L('student'))}</th><th>${h(L('hostKey'))}</th></tr></thead><tbody>
${pinned.map((p) => `<tr data-pinned="${h(p.id)}"><td class="name">${h(p.name)}<small>${h(p.id)}</small></td><td>${p.trustedHostKeys.map((k) => h(`${k.host}:${k.port} ${k.keyType} ${k.fingerprint} → ${k.file}`)).join('<br>')}</td></tr>`).join('\n')}
</tbody></table></section>`
    : '';

  const csvHelp = L('csvHelp', { column: MOODLE_MAP[s.export.identity].header[lang], mapTo: s.export.mapTo, grade: s.export.column });
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`${L('summaryTitle')} — ${s.exercise.title || s.exercise.id}`)}</title>
<style>${BASE_CSS}${SUMMARY_CSS}${CELL_CSS}</style>
</head>
<body>
<header class="top"><div class="inner">
<div class="kicker">${h(L('summaryTitle'))}</div>
<h1>${h(s.exercise.title || s.exercise.id)}</h1>
<div class="meta"><span><b>${h(L('exercise'))}</b>${h(s.exercise.id)}</span><span><b>${h(L('students'))}</b>${s.counts.students}</span><span><b>CSV</b><a style="color:#fff" href="grades.csv">grades.csv</a></span></div>
</div></header>
<main>
<section class="kpis" id="kpis">${kpis}</section>
${problemBlock}
${pinBlock}
<section class="card" id="distribution"><h2>${h(L('distribution'))}</h2>${hist}</section>
<section class="card" id="matrix"><h2>${h(L('matrix'))}</h2>
<div class="matrix-wrap"><table class="matrix"><thead>${head1}${head2}${head3}</thead><tbody>
${rows}
</tbody></table></div>${legend}</section>
<section class="card" id="mistakes"><h2>${h(L('mistakes'))}</h2>${mistakes}</section>
<footer><div>${h(csvHelp)}</div><div>${h(L('generated', { version: s.tool.version, date: `${s.finishedAt.slice(0, 16).replace('T', ' ')} UTC` }))}</div></footer>
</main>
</body>
</html>
`;
}
