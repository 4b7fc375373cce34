// Finds PowerShell syntax, parameters, cmdlets and variables that Windows PowerShell 5.1 (the one
// Windows 10 ships) does not have: they appeared in PowerShell 6/7. Strings, here-strings and
// comments are blanked first, so text inside them is never taken for code. Commands built through
// the API ([PowerShell]::Create().AddCommand('X').AddParameter('P')) are checked as `X -P`.
//
// No Microsoft PowerShell parser can be installed from this machine's package sources (see
// docs/en/windows.md, "How the scripts are checked"), hence this list-based check.

export interface Finding {
  rule: string;
  line: number;
  excerpt: string;
}

/** Same length and line breaks as `src`, with the contents of strings and comments replaced by spaces. */
export function blankStringsAndComments(src: string): string {
  const out = src.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const two = src.slice(i, i + 2);
    if (two === '<#') {
      const end = src.indexOf('#>', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '#' && (i === 0 || /[\s;({]/.test(src[i - 1]!))) {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      blank(i, stop);
      i = stop;
    } else if (two === "@'" || two === '@"') {
      const close = `\n${two[1]}@`;
      const end = src.indexOf(close, i + 2);
      const stop = end < 0 ? src.length : end + close.length;
      blank(i + 2, stop - 2);
      i = stop;
    } else if (c === "'" || c === '\u2018' || c === '\u2019') {
      let j = i + 1;
      while (j < src.length) {
        if (/['\u2018\u2019]/.test(src[j]!)) {
          if (/['\u2018\u2019]/.test(src[j + 1] ?? '')) j += 2;
          else break;
        } else j++;
      }
      blank(i + 1, j);
      i = j + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length) {
        if (src[j] === '`') j += 2;
        else if (src[j] === '"' && src[j + 1] === '"') j += 2;
        else if (src[j] === '"') break;
        else j++;
      }
      blank(i + 1, j);
      i = j + 1;
    } else i++;
  }
  return out.join('');
}

/** Parameters that only PowerShell 6/7 cmdlets take. */
const PS7_PARAMETERS: Record<string, string[]> = {
  'ConvertTo-Json': ['AsArray', 'EnumsAsStrings', 'EscapeHandling'],
  'ConvertFrom-Json': ['AsHashtable', 'NoEnumerate', 'Depth', 'DateKind'],
  'ForEach-Object': ['Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob', 'UseNewRunspace'],
  'Test-Connection': ['TargetName', 'Ping', 'TcpPort', 'TimeoutSeconds', 'IPv4', 'IPv6', 'Traceroute', 'MtuSize', 'Detailed', 'Repeat', 'ResolveDestination'],
  'Get-Content': ['AsByteStream'],
  'Set-Content': ['AsByteStream'],
  'Select-String': ['Raw', 'NoEmphasis'],
  'Split-Path': ['LeafBase', 'Extension'],
  'Sort-Object': ['Top', 'Bottom', 'Stable'],
  'Get-Date': ['AsUTC', 'UnixTimeSeconds'],
  'Join-Path': ['AdditionalChildPath'],
  'Get-ChildItem': ['FollowSymlink'],
  'Invoke-WebRequest': ['SkipCertificateCheck', 'Authentication', 'SslProtocol', 'StatusCodeVariable', 'SkipHttpErrorCheck', 'NoProxy', 'MaximumRetryCount', 'RetryIntervalSec', 'Resume'],
  'Invoke-RestMethod': ['SkipCertificateCheck', 'Authentication', 'SslProtocol', 'StatusCodeVariable', 'SkipHttpErrorCheck', 'NoProxy', 'MaximumRetryCount', 'RetryIntervalSec', 'Resume'],
  'Start-Process': ['Environment'],
  'Import-Module': ['UseWindowsPowerShell', 'SkipEditionCheck'],
  'Get-Random': ['Shuffle'],
};

/** Cmdlets that exist only in PowerShell 6/7. */
const PS7_CMDLETS = [
  'Get-Error',
  'Test-Json',
  'Join-String',
  'ConvertFrom-Markdown',
  'Show-Markdown',
  'Get-MarkdownOption',
  'Set-MarkdownOption',
  'Get-Uptime',
  'Remove-Alias',
  'Remove-Service',
  'Get-ExperimentalFeature',
  'Enable-ExperimentalFeature',
  'Disable-ExperimentalFeature',
  'Get-PSSubsystem',
  'Enable-PSSubsystem',
  'Disable-PSSubsystem',
  'Start-ThreadJob',
];

/** Automatic variables and .NET types that Windows PowerShell 5.1 (.NET Framework 4.x) lacks. */
const PS7_VARIABLES = ['IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR', 'PSStyle', 'EnabledExperimentalFeatures'];
const CORE_ONLY_TYPES = ['System.Text.Json', 'System.HashCode', 'System.Range', 'System.Index', 'System.Threading.Channels', 'System.Net.Http.SocketsHttpHandler'];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text of one command from `at` to the end of its pipeline element (`|`, `;`, line end, or a closing bracket). */
function commandText(code: string, at: number): string {
  let depth = 0;
  let j = at;
  for (; j < code.length; j++) {
    const ch = code[j]!;
    if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === ')' || ch === '}' || ch === ']') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (ch === '|' || ch === ';' || ch === '\n')) break;
  }
  return code.slice(at, j);
}

export function lintPs51(src: string): Finding[] {
  const code = blankStringsAndComments(src);
  const findings: Finding[] = [];
  const add = (rule: string, index: number) => {
    const line = code.slice(0, index).split('\n').length;
    findings.push({ rule, line, excerpt: src.split('\n')[line - 1]!.trim().slice(0, 120) });
  };
  const each = (re: RegExp, rule: string) => {
    for (const m of code.matchAll(re)) add(rule, m.index ?? 0);
  };
  each(/\?\?/g, 'null-coalescing operator ?? / ??= (PowerShell 7)');
  each(/\?\.|\?\[/g, 'null-conditional member access ?. / ?[] (PowerShell 7)');
  each(/&&|\|\|/g, 'pipeline chain operator && / || (PowerShell 7)');
  // `?` standing alone is Where-Object after a pipe; anywhere else it is the ternary operator.
  each(/[^\s|?]\s+\?\s+(?![?.[])/g, 'ternary operator a ? b : c (PowerShell 7)');
  each(/\bclean\s*\{/gi, 'clean block (PowerShell 7.3)');
  each(/-ErrorAction\s+Break\b/gi, '-ErrorAction Break (PowerShell 7)');
  for (const v of PS7_VARIABLES) each(new RegExp(`\\$${v}\\b`, 'gi'), `automatic variable $${v} (PowerShell 6/7)`);
  for (const t of CORE_ONLY_TYPES) each(new RegExp(`\\[${escapeRe(t)}\\b`, 'gi'), `.NET type ${t} (not in .NET Framework 4.x)`);
  for (const c of PS7_CMDLETS) each(new RegExp(`(?<![\\w-])${escapeRe(c)}\\b`, 'gi'), `cmdlet ${c} (PowerShell 6/7)`);
  for (const [cmdlet, params] of Object.entries(PS7_PARAMETERS)) {
    for (const m of code.matchAll(new RegExp(`(?<![\\w-])${escapeRe(cmdlet)}\\b`, 'gi'))) {
      const text = commandText(code, m.index ?? 0);
      for (const p of params) {
        if (new RegExp(`(^|\\s)-${p}\\b`, 'i').test(text)) add(`${cmdlet} -${p} (PowerShell 6/7)`, m.index ?? 0);
      }
    }
  }
  // Commands built through the API: AddCommand('X').AddParameter('P', ...)...
  for (const m of src.matchAll(/\.AddCommand\(\s*'([^']+)'\s*\)((?:\s*\.AddParameter\(\s*'[^']+'[^)]*\))*)/g)) {
    const cmdlet = m[1]!;
    const params = [...m[2]!.matchAll(/\.AddParameter\(\s*'([^']+)'/g)].map((x) => x[1]!);
    if (PS7_CMDLETS.some((c) => c.toLowerCase() === cmdlet.toLowerCase())) add(`cmdlet ${cmdlet} (PowerShell 6/7)`, m.index ?? 0);
    const bad = Object.entries(PS7_PARAMETERS).find(([c]) => c.toLowerCase() === cmdlet.toLowerCase())?.[1] ?? [];
    for (const p of params) if (bad.some((b) => b.toLowerCase() === p.toLowerCase())) add(`${cmdlet} -${p} (PowerShell 6/7)`, m.index ?? 0);
  }
  return findings;
}
