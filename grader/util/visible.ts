// Untrusted text shown on one line in a terminal or a message: every control character becomes a
// visible symbol (ESC -> ␛, BEL -> ␇, newline -> ↵; C1, bidi and zero-width characters -> ⟨U+202E⟩),
// so an answer holding `ESC]0;title BEL ESC[2J` is read, never obeyed. Long text is shortened.

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

function symbol(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (ch === '\n') return '↵';
  if (ch === '\t') return '⇥';
  if (c < 0x20) return String.fromCodePoint(0x2400 + c);
  if (c === 0x7f) return '␡';
  return `⟨U+${c.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/**
 * C1 controls (U+0080-U+009F: U+009B is a terminal's CSI) and bidirectional overrides, embeddings,
 * isolates and marks (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C): text that changes how
 * the text around it is shown or obeyed. Every report format shows them as `⟨U+202E⟩`.
 */
const REORDERING = /[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** `s` with C1 controls and bidi controls shown as visible symbols (everything else as is). */
export function inert(s: string): string {
  return s.replace(REORDERING, symbol);
}

/** One visible line: controls shown as symbols, CRLF as one ↵, at most `max` characters (then "… (+N)"). */
export function visible(s: string, max = Infinity): string {
  const shown = s.replace(/\r\n/g, '\n').replace(INVISIBLE, symbol);
  if (shown.length <= max) return shown;
  const cut = [...shown.slice(0, max)].join('');
  return `${cut}… (+${shown.length - cut.length})`;
}
