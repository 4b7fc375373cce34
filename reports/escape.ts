// Escaping shared by every renderer. Every string that comes from a file or a guest (names,
// answers, command output) passes through one of these before it reaches a report. C1 and bidi
// controls are shown as visible symbols (`⟨U+202E⟩`) by grader/util/visible.ts's `inert`, in
// every format.
import { inert } from '../grader/util/visible.js';

/** C0/C1 controls except tab and newline, DEL, and ANSI escape sequences. */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
/** Characters XML 1.0 cannot carry at all (even escaped), including lone surrogates. */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Removes terminal escape sequences and C0 controls (keeps \n and \t); CRLF -> LF; C1 and bidi controls made visible. */
export function stripControls(s: string): string {
  return inert(s.replace(/\r\n?/g, '\n').replace(ANSI, '').replace(CONTROLS, ''));
}

/** Text for HTML element content and attribute values (always quoted with "). */
export function escapeHtml(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  return stripControls(String(s))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Text for XML element content and attribute values; characters XML cannot hold are dropped. */
export function escapeXml(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  return inert(String(s)
    .replace(/\r\n?/g, '\n')
    .replace(ANSI, '')
    .replace(XML_INVALID, ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/** XML element content: like escapeXml but keeps newlines and tabs literal (readable system-out). */
export function escapeXmlText(s: string | null | undefined): string {
  if (s === null || s === undefined) return '';
  return inert(String(s)
    .replace(/\r\n?/g, '\n')
    .replace(ANSI, '')
    .replace(XML_INVALID, ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A single line for a terminal: controls removed, newlines folded into spaces. */
export function oneLine(s: string): string {
  return stripControls(s).replace(/\s*\n\s*/g, ' ').trim();
}

/** A CSV field (RFC 4180): quoted when it holds a separator, quote or line break. */
export function csvField(value: string | number | null | undefined, separator = ','): string {
  if (value === null || value === undefined) return '';
  const s = stripControls(String(value)).replace(/\n/g, ' ');
  // Spreadsheets execute cells starting with = + - @ as formulas: neutralize text that would.
  const safe = typeof value === 'string' && /^[=+\-@]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return safe.includes(separator) || safe.includes('"') || /[\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
