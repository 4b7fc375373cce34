// PowerShell over WinRM: a constant script plus arguments become
//   powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand <base64 UTF-16LE>
// where the encoded text is a short prelude and `& { <script> } 'arg1' 'arg2' ...`: the arguments
// are PowerShell single-quoted literals (no expansion of $, `, or subexpressions inside them; the only
// special character is the quote itself, doubled, and PowerShell also treats the typographic quotes
// U+2018..U+201B as quotes, so those are doubled too). Quoted tokens are never taken as parameter
// names, so `-oProxyCommand=...` stays a plain string in $args.
// The error stream of powershell.exe arrives as CLIXML (`#< CLIXML` + <Objs>); it is decoded to
// readable text and progress records are dropped.

/** CreateProcess limit on a command line (characters, including the terminating NUL). */
export const MAX_COMMAND_LINE = 32767;

export const POWERSHELL = 'powershell.exe';
export const POWERSHELL_FLAGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand'];

/** `it's` -> `'it''s'` (PowerShell single-quoted string literal). */
export function psQuote(s: string): string {
  if (s.includes('\0')) throw new Error('NUL character in a PowerShell argument');
  return `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/**
 * The prelude: no progress records (they pollute stderr), UTF-8 console output (non-ASCII names
 * survive; the shell is also created with code page 65001), errors stay non-terminating as usual.
 */
export const PRELUDE = [
  "$ProgressPreference = 'SilentlyContinue'",
  'try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { }',
].join('\n');

/** The full PowerShell text sent for `runScript(script, args)`. */
export function wrapScript(script: string, args: readonly string[]): string {
  const quoted = args.map(psQuote).join(' ');
  return `${PRELUDE}\n& {\n${script}\n}${quoted ? ` ${quoted}` : ''}\n`;
}

export function encodeCommand(text: string): string {
  return Buffer.from(text, 'utf16le').toString('base64');
}

/** The argument vector for the WinRM Command (`powershell.exe` + flags + encoded text). */
export function powershellCommand(script: string, args: readonly string[]): { command: string; args: string[]; length: number } {
  const encoded = encodeCommand(wrapScript(script, args));
  const argv = [...POWERSHELL_FLAGS, encoded];
  return { command: POWERSHELL, args: argv, length: [POWERSHELL, ...argv].join(' ').length };
}

/** A code point XML can name but a string cannot hold (beyond U+10FFFF, or a surrogate) reads as U+FFFD. */
function codePointText(cp: number): string {
  if (!Number.isInteger(cp) || cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(cp);
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) => {
    switch (e) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return codePointText(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

/** Unpaired UTF-16 surrogates (a pair split by a bad escape) become U+FFFD. */
function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * CLIXML escapes characters XML cannot carry as `_xHHHH_` UTF-16 code units (CR LF are
 * `_x000D__x000A_`, a character beyond the BMP is a surrogate pair `_xD83C__xDFB5_`).
 */
function unescapeClixml(s: string): string {
  return wellFormed(s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
}

const STREAM_PREFIX: Record<string, string> = { warning: 'WARNING: ', verbose: 'VERBOSE: ', debug: 'DEBUG: ' };

/**
 * `#< CLIXML\r\n<Objs ...><S S="Error">text_x000D__x000A_</S>...</Objs>` -> `text\n`. Error strings
 * are kept as they are, warnings/verbose/debug get their usual prefix, progress (<Obj S="progress">)
 * and information records are dropped. Anything that is not CLIXML is returned unchanged.
 */
export function decodeClixml(stderr: string): string {
  if (!stderr.trimStart().startsWith('#< CLIXML')) return stderr;
  const out: string[] = [];
  const re = /<S S="(\w+)"\s*(?:\/>|>([\s\S]*?)<\/S>)/g;
  let m: RegExpExecArray | null;
  let any = false;
  // Each record is its own line: one that does not end with a line break (e.g. the last record of
  // one <Objs> document followed by another document) gets one before the next record.
  const push = (text: string) => {
    const prev = out[out.length - 1];
    if (prev !== undefined && prev !== '' && !/\n$/.test(prev)) out.push('\n');
    out.push(text);
  };
  for (const block of stderr.split('#< CLIXML')) {
    re.lastIndex = 0;
    while ((m = re.exec(block))) {
      any = true;
      const stream = m[1]!.toLowerCase();
      const textPart = unescapeClixml(unescapeXml(m[2] ?? ''));
      if (stream === 'error') push(textPart);
      else if (STREAM_PREFIX[stream]) push(STREAM_PREFIX[stream] + textPart + (/\n$/.test(textPart) ? '' : '\n'));
    }
  }
  if (!any) {
    // Only progress records (or an empty document): nothing readable to report.
    return stderr.replace(/#< CLIXML[\s\S]*$/, '').trim();
  }
  return out.join('').replace(/\r\n/g, '\n');
}
