// The one stylesheet of labgrade's HTML pages (student report and class summary), inlined into
// each page so a report is a single file that works offline and prints well.
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export const BASE_CSS = `
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --card: #ffffff;
  --accent: #0b5cad;
  --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9;
  --error: #8250df; --error-bg: #fbefff; --skip: #6e7781; --skip-bg: #eaeef2;
  --warning: #9a6700; --warning-bg: #fff8c5;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.55rem; margin: 0 0 4px; line-height: 1.25; }
h2 { font-size: 1.2rem; margin: 0; }
h3 { font-size: 1rem; margin: 0; }
a { color: var(--accent); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85em; }
header.top { background: #0d2538; color: #fff; padding: 22px 0 20px; }
header.top .inner { max-width: 1040px; margin: 0 auto; padding: 0 20px; }
header.top .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .75rem; opacity: .75; }
header.top .meta { display: flex; flex-wrap: wrap; gap: 4px 22px; margin-top: 8px; font-size: .9rem; opacity: .92; }
header.top .meta b { font-weight: 600; opacity: .75; margin-right: 4px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin: 16px 0; }
.muted { color: var(--muted); }
.small { font-size: .85rem; }
.pill { display: inline-block; min-width: 6.5em; text-align: center; padding: 1px 10px; border-radius: 999px;
  font-size: .78rem; font-weight: 600; border: 1px solid transparent; white-space: nowrap; }
.pill.pass { color: var(--pass); background: var(--pass-bg); border-color: #aceebb; }
.pill.fail { color: var(--fail); background: var(--fail-bg); border-color: #ffcecb; }
.pill.error { color: var(--error); background: var(--error-bg); border-color: #ecd8ff; }
.pill.skip { color: var(--skip); background: var(--skip-bg); border-color: #d0d7de; }
.pill.warning { color: var(--warning); background: var(--warning-bg); border-color: #f5e0a0; }
.bar { height: 10px; background: var(--skip-bg); border-radius: 999px; overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--pass); border-radius: 999px; }
.bar.mid > span { background: #bf8700; }
.bar.low > span { background: var(--fail); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; }
details > summary { cursor: pointer; color: var(--accent); font-size: .85rem; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 6px 0;
  white-space: pre-wrap; word-break: break-word; max-height: 22em; overflow: auto; }
dd.written pre { margin: 0; padding: 2px 6px; max-height: 8em; }
.unreadable { color: var(--fail); font-weight: 600; }
.alert { border-left: 4px solid var(--fail); background: var(--fail-bg); padding: 10px 14px; border-radius: 6px; margin: 16px 0; }
footer { color: var(--muted); font-size: .8rem; margin-top: 28px; }
@media print {
  body { background: #fff; font-size: 11pt; }
  header.top { background: #fff; color: #000; border-bottom: 2px solid #000; padding: 0 0 8px; }
  main { max-width: none; padding: 8px 0; }
  .card { border: 1px solid #999; box-shadow: none; }
  .verdict, tr, .row, .alert { break-inside: avoid; page-break-inside: avoid; }
  h2, h3, .section-label { break-after: avoid; page-break-after: avoid; }
  .pill, .bar > span, .cell { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  details > summary { color: #000; }
  a { color: #000; text-decoration: none; }
  @page { margin: 14mm; }
}
`;
