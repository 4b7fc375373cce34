// The page of `labgrade watch`: the students × questions matrix (each cell's outcome, since when it
// has held, "stuck" after --stuck rounds with the same failure), the class's most common current
// mistakes with their hint, a link to each student's latest report. One self-contained page: the
// first state is inside it, updates arrive by Server-Sent Events from the same origin; the
// Content-Security-Policy (sent as a header by grader/watch/server.ts) allows only this page's own
// nonce'd script and style and connections to 'self'. Every string from the class is set as
// text (textContent), never as markup.
import type { Lang } from '../grader/types.js';
import type { WatchSnapshot } from '../grader/watch/state.js';
import { escapeHtml as h } from './escape.js';
import { BASE_CSS, CSP } from './html-style.js';
import { translator } from '../grader/i18n/translate.js';
import esWatch from '../grader/i18n/es/watch.js';
import enWatch from '../grader/i18n/en/watch.js';
import esBatch from '../grader/i18n/es/batch.js';
import enBatch from '../grader/i18n/en/batch.js';
import esReport from '../grader/i18n/es/report.js';
import esHandin from '../grader/i18n/es/handin.js';
import enHandin from '../grader/i18n/en/handin.js';
import { questionTitle } from '../grader/batch/summary.js';
import { questionShort } from './summary.js';
import { CELL_CSS, CELL_OUTCOMES, CELL_SYMBOL, cellLabel, cellLabels } from './cells.js';

const tw = translator(esWatch, enWatch);
const tb = translator(esBatch, enBatch);
const th = translator(esHandin, enHandin);

/** The page's Content-Security-Policy for one response's nonce. */
/** The CSP a served student report (reports/html.ts) is sent with: the report's own, from one place. */
export const REPORT_CSP = CSP;

export function liveCsp(nonce: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/** JSON inside a <script type="application/json">: nothing in it can close the element. */
function embed(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function labels(lang: Lang, snap: Pick<WatchSnapshot, 'stuckAfter'>): Record<string, unknown> {
  const W = (k: keyof typeof esWatch, p?: Record<string, number>) => tw(lang, k, p);
  const B = (k: keyof typeof esBatch) => tb(lang, k);
  const H = (k: keyof typeof esHandin) => th(lang, k);
  // Question labels by question id (the report's catalogue), for columns that appear later too.
  const qShort: Record<string, string> = {};
  const qTitle: Record<string, string> = {};
  for (const k of Object.keys(esReport)) {
    if (k.startsWith('qs_')) qShort[k.slice(3)] = questionShort(lang, k.slice(3));
    else if (k.startsWith('q_')) qTitle[k.slice(2)] = questionTitle(lang, k.slice(2));
  }
  return {
    lang,
    round: W('round'),
    nextRound: W('nextRound'),
    roundRunning: W('roundRunning'),
    updated: W('updated'),
    stuck: W('stuck'),
    stuckHelp: W('stuckHelp', { n: snap.stuckAfter }),
    stale: W('stale'),
    staleHelp: W('staleHelp'),
    queued: W('queued'),
    running: W('running'),
    since: W('since'),
    rounds: W('rounds'),
    connected: W('connected'),
    disconnected: W('disconnected'),
    noData: W('noData'),
    hint: W('hint'),
    student: B('student'),
    status: B('status'),
    students: B('students'),
    report: B('report'),
    openReport: B('openReport'),
    noMistakes: B('noMistakes'),
    mean: B('mean'),
    status_graded: B('statusGraded'),
    status_incomplete: B('statusIncomplete'),
    status_failed: B('statusFailed'),
    status_pending: B('statusPending'),
    outcome: cellLabels(lang),
    symbol: CELL_SYMBOL,
    waiting: W('waiting'),
    waitingHelp: W('waitingHelp'),
    trust: { ok: H('trust_ok'), review: H('trust_review'), withheld: H('trust_withheld'), missing: H('trust_missing') },
    trustTitle: H('colTrust'),
    unmatchedTitle: H('unmatchedTitle'),
    qShort,
    qTitle,
  };
}

const LIVE_CSS = `
main { max-width: 1400px; }
header.top .inner { max-width: 1400px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 12px; }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; }
.kpi .v { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.kpi .k { color: var(--muted); font-size: .78rem; text-transform: uppercase; letter-spacing: .05em; }
.kpi.bad .v { color: var(--fail); }
.conn { font-weight: 600; }
.conn.on::before { content: "●"; color: #5fd37a; margin-right: 4px; }
.conn.off::before { content: "●"; color: #ff8a80; margin-right: 4px; }
.matrix-wrap { overflow-x: auto; }
table.matrix { font-size: .84rem; border-collapse: collapse; }
table.matrix th.col { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: 500; text-transform: none; letter-spacing: 0; font-size: .72rem; height: 150px; text-align: left; padding: 4px 2px; }
table.matrix td.cell { text-align: center; padding: 3px 2px; min-width: 34px; font-weight: 700; border-left: 1px solid #fff; cursor: pointer; }
table.matrix td.cell a { color: inherit; text-decoration: none; display: block; }
table.matrix td.cell small { display: block; font-weight: 400; font-size: .66rem; opacity: .8; }
td.cell.stuck { outline: 3px solid var(--fail); outline-offset: -3px; }
tr.stale td { opacity: .6; }
td.name { white-space: nowrap; }
td.name small { display: block; color: var(--muted); }
.badge { display: inline-block; font-size: .68rem; font-weight: 700; border-radius: 999px; padding: 0 7px; margin-left: 4px; vertical-align: 1px; }
.badge.stuck { background: var(--fail); color: #fff; }
.badge.stale { background: var(--skip-bg); color: var(--skip); border: 1px solid var(--line); }
.badge.running, .badge.queued { background: #ddf4ff; color: var(--accent); }
.badge.waiting, .badge.trust-missing { background: var(--skip-bg); color: var(--skip); border: 1px solid var(--line); }
.badge.trust-ok { background: var(--pass-bg); color: var(--pass); }
.badge.trust-review { background: var(--warning-bg); color: var(--warning); }
.badge.trust-withheld { background: var(--fail); color: #fff; }
td.name ul.reasons { margin: 2px 0 0 1em; padding: 0; font-size: .72rem; color: var(--muted); white-space: normal; max-width: 28em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: .8rem; color: var(--muted); margin-top: 10px; }
.mistake { padding: 10px 0; border-bottom: 1px solid var(--line); }
.mistake:last-child { border-bottom: 0; }
.mistake .count { float: right; font-variant-numeric: tabular-nums; color: var(--muted); }
.mistake .ex { color: var(--muted); font-size: .88rem; margin-top: 4px; }
.mistake .hint { font-size: .88rem; margin-top: 4px; background: var(--warning-bg); border-radius: 6px; padding: 4px 8px; }
`;

// The page's script (no framework, no network beyond EventSource on this origin).
const CLIENT = String.raw`
(function () {
  'use strict';
  var L = JSON.parse(document.getElementById('labels').textContent);
  var state = JSON.parse(document.getElementById('initial').textContent);
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function time(iso) {
    if (!iso) return '–';
    var d = new Date(iso);
    return isNaN(d.getTime()) ? '–' : d.toLocaleTimeString(L.lang === 'es' ? 'es-ES' : 'en-GB');
  }
  function num(n, digits) {
    return n === null || n === undefined ? '–' : Number(n).toLocaleString(L.lang === 'es' ? 'es-ES' : 'en-GB', { maximumFractionDigits: digits });
  }
  function colLabel(c) {
    var role = c.role ? ' · ' + c.role : '';
    return { short: (c.questionTitle || L.qShort[c.question] || c.question) + role, title: c.taskTitle + ' · ' + (c.questionTitle || L.qTitle[c.question] || c.question) + role };
  }
  function reportHref(id) { return 'students/' + encodeURIComponent(id) + '.html'; }
  function renderHeader(s) {
    var r = document.getElementById('round');
    r.textContent = s.round > 0 ? L.round + ' ' + s.round : L.noData;
    document.body.setAttribute('data-round', String(s.round));
    var c = document.getElementById('current');
    c.textContent = s.current ? L.roundRunning + ' ' + time(s.current.startedAt) + ' (' + L.round + ' ' + s.current.round + ')' : (s.nextAt ? L.nextRound + ': ' + time(s.nextAt) : '');
  }
  function renderKpis(s) {
    var box = document.getElementById('kpis');
    box.replaceChildren();
    var stuck = s.students.filter(function (x) { return x.stuck; }).length;
    var k = s.class.counts;
    [[L.students, k.students, ''], [L.status_graded, k.graded, ''], [L.status_incomplete, k.incomplete, k.incomplete ? 'bad' : ''],
     [L.status_failed, k.failed, k.failed ? 'bad' : ''], [L.stuck, stuck, stuck ? 'bad' : ''], [L.mean, s.class.stats.mean === null ? '–' : num(s.class.stats.mean, 1) + (L.lang === 'es' ? ' %' : '%'), '']]
      .forEach(function (x) {
        var d = el('div', 'kpi ' + x[2]);
        d.appendChild(el('div', 'k', x[0]));
        var v = el('div', 'v', x[1]);
        d.appendChild(v);
        box.appendChild(d);
      });
    box.lastChild && box.children[4].setAttribute('id', 'kpi-stuck');
  }
  function renderMatrix(s) {
    var table = document.getElementById('matrix-table');
    var head = el('thead');
    var tr = el('tr');
    tr.appendChild(el('th', '', L.student));
    tr.appendChild(el('th', '', L.status));
    tr.appendChild(el('th', 'num', '%'));
    s.class.columns.forEach(function (c) {
      var lab = colLabel(c);
      var th = el('th', 'col', lab.short);
      th.title = lab.title;
      th.setAttribute('data-col', c.id);
      tr.appendChild(th);
    });
    head.appendChild(tr);
    var body = el('tbody');
    var live = {};
    s.students.forEach(function (x) { live[x.id] = x; });
    var hand = {};
    if (s.handIns) s.handIns.students.forEach(function (x) { hand[x.id] = x; });
    s.class.students.forEach(function (st) {
      var w = live[st.id] || { cells: {}, grading: 'idle', stale: false, stuck: false };
      var row = el('tr');
      row.setAttribute('data-student', st.id);
      row.setAttribute('data-status', st.status);
      row.setAttribute('data-grading', w.grading);
      if (w.stale) row.className = 'stale';
      var name = el('td', 'name');
      var a = el('a', '', st.name);
      a.href = reportHref(st.id);
      a.target = '_blank';
      a.rel = 'noopener';
      a.setAttribute('data-report', st.id);
      name.appendChild(a);
      if (w.stuck) { var b = el('span', 'badge stuck', L.stuck); b.title = L.stuckHelp; b.setAttribute('data-stuck', st.id); name.appendChild(b); }
      if (w.stale) { var b2 = el('span', 'badge stale', L.stale); b2.title = L.staleHelp; b2.setAttribute('data-stale', st.id); name.appendChild(b2); }
      if (w.grading !== 'idle') name.appendChild(el('span', 'badge ' + w.grading, w.grading === 'running' ? L.running : L.queued));
      var hi = hand[st.id];
      if (hi && hi.trust === 'missing') { var bw = el('span', 'badge waiting', L.waiting); bw.title = L.waitingHelp; bw.setAttribute('data-waiting', st.id); name.appendChild(bw); }
      else if (hi) { var bt = el('span', 'badge trust-' + hi.trust, L.trust[hi.trust] || hi.trust); bt.title = L.trustTitle; bt.setAttribute('data-trust', hi.trust); name.appendChild(bt); }
      else if (!s.handIns && st.status === 'pending' && w.grading === 'idle') { var bp = el('span', 'badge waiting', L.waiting); bp.setAttribute('data-waiting', st.id); name.appendChild(bp); }
      name.appendChild(el('small', '', st.id));
      if (hi && hi.flags.length) {
        var ul = el('ul', 'reasons');
        hi.flags.forEach(function (f) { var li = el('li', '', f.reason); li.setAttribute('data-flag', f.code); ul.appendChild(li); });
        name.appendChild(ul);
      }
      row.appendChild(name);
      var status = el('td', '', L['status_' + st.status] || st.status);
      row.appendChild(status);
      row.appendChild(el('td', 'num', num(st.percent, 1)));
      s.class.columns.forEach(function (c) {
        var cell = w.cells[c.id];
        var o = st.verdicts[c.id] || (cell ? cell.outcome : '');
        var td = el('td', 'cell ' + (L.symbol[o] ? o : 'none'));
        td.setAttribute('data-cell', st.id + '|' + c.id);
        td.setAttribute('data-outcome', o);
        var link = el('a', '', o ? (L.symbol[o] || '') : '·');
        link.href = reportHref(st.id);
        link.target = '_blank';
        link.rel = 'noopener';
        td.appendChild(link);
        var title = colLabel(c).title + ': ' + (o ? (L.outcome[o] || o) : '');
        if (cell) {
          td.setAttribute('data-rounds', String(cell.rounds));
          td.setAttribute('data-since', cell.since);
          link.appendChild(el('small', '', time(cell.since)));
          title += ' — ' + L.since + ' ' + time(cell.since) + ' (' + cell.rounds + ' ' + L.rounds + ')';
          if (cell.stuck) { td.className += ' stuck'; td.setAttribute('data-stuck', '1'); title += ' — ' + L.stuck; }
        }
        td.title = title;
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    table.replaceChildren(head, body);
  }
  function renderMistakes(s) {
    var box = document.getElementById('mistake-list');
    box.replaceChildren();
    var total = s.class.students.filter(function (x) { return x.status === 'graded' || x.status === 'incomplete'; }).length;
    if (!s.class.mistakes.length) { box.appendChild(el('p', 'muted', L.noMistakes)); return; }
    s.class.mistakes.forEach(function (m) {
      var d = el('div', 'mistake');
      d.setAttribute('data-mistake', m.id);
      d.appendChild(el('span', 'count', m.count + ' / ' + total));
      d.appendChild(el('strong', '', m.label));
      if (m.example) d.appendChild(el('div', 'ex', m.example));
      if (m.hint) { var hnt = el('div', 'hint', L.hint + ': ' + m.hint); d.appendChild(hnt); }
      box.appendChild(d);
    });
  }
  function renderUnmatched(s) {
    var box = document.getElementById('unmatched');
    box.replaceChildren();
    if (!s.handIns || !s.handIns.unmatched.length) { box.hidden = true; return; }
    box.hidden = false;
    box.appendChild(el('h2', '', L.unmatchedTitle));
    var ul = el('ul');
    s.handIns.unmatched.forEach(function (u) { var li = el('li', '', u); li.setAttribute('data-unmatched', u); ul.appendChild(li); });
    box.appendChild(ul);
  }
  function render(s) {
    renderHeader(s);
    renderKpis(s);
    renderMatrix(s);
    renderUnmatched(s);
    renderMistakes(s);
    document.getElementById('updated').textContent = L.updated + ': ' + time(new Date().toISOString());
  }
  render(state);
  var conn = document.getElementById('conn');
  function setConn(on) { conn.className = 'conn ' + (on ? 'on' : 'off'); conn.textContent = on ? L.connected : L.disconnected; }
  if (window.EventSource) {
    var src = new EventSource('events');
    var onState = function (e) {
      state = JSON.parse(e.data);
      render(state);
      document.body.setAttribute('data-events', String(Number(document.body.getAttribute('data-events') || '0') + 1));
    };
    src.addEventListener('state', onState);
    src.addEventListener('round', onState);
    src.onopen = function () { setConn(true); };
    src.onerror = function () { setConn(false); };
  }
})();
`;

/** The whole page for the state `snap`; `nonce` must be the one of the response's CSP header. */
export function renderLivePage(snap: WatchSnapshot, opts: { lang: Lang; nonce: string }): string {
  const lang = opts.lang;
  const title = snap.class.exercise.title || snap.class.exercise.id;
  const nonce = h(opts.nonce);
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${h(`${tw(lang, 'pageTitle')} — ${title}`)}</title>
<style nonce="${nonce}">${BASE_CSS}${LIVE_CSS}${CELL_CSS}</style>
</head>
<body data-round="${snap.round}" data-events="0">
<header class="top"><div class="inner">
<div class="kicker">${h(tw(lang, 'pageTitle'))}</div>
<h1>${h(title)}</h1>
<div class="meta"><span id="round"></span><span id="current"></span><span id="updated"></span><span id="conn" class="conn"></span></div>
</div></header>
<main>
<section class="kpis" id="kpis"></section>
<section class="card" id="matrix"><h2>${h(tb(lang, 'matrix'))}</h2>
<div class="matrix-wrap"><table class="matrix" id="matrix-table"></table></div>
<div class="legend">${CELL_OUTCOMES.map((o) => `<span>${CELL_SYMBOL[o]} ${h(cellLabel(lang, o))}</span>`).join('')}<span>${h(`${tw(lang, 'stuck')}: ${tw(lang, 'stuckHelp', { n: snap.stuckAfter })}`)}</span></div>
</section>
<section class="card" id="unmatched" hidden></section>
<section class="card" id="mistakes"><h2>${h(tb(lang, 'mistakes'))}</h2><div id="mistake-list"></div></section>
</main>
<script type="application/json" id="labels">${embed(labels(lang, snap))}</script>
<script type="application/json" id="initial">${embed(snap)}</script>
<script nonce="${nonce}">${CLIENT}</script>
</body>
</html>
`;
}
