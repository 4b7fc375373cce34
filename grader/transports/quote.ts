// POSIX shell quoting, the one copy: the SSH exec request, virsh's interactive shell (it parses
// quotes like sh) and the commands shown in fix texts. The script is a constant of labgrade; arguments (validated targets) are passed
// as positional parameters, each single-quoted, so nothing is ever interpreted by the remote shell.

/** `abc` -> `'abc'`; `it's` -> `'it'\''s'`. Safe for any byte string except NUL. */
export function shQuote(s: string): string {
  if (s.includes('\0')) throw new Error('NUL byte in a shell argument');
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** For texts a person pastes into a shell (fix hints): a plain word as it is, anything else quoted. */
export function shWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : shQuote(s);
}

/** `sh -c '<script>' sh 'arg1' 'arg2'`: the script sees the arguments as $1, $2, ... */
export function shCommand(script: string, args: readonly string[]): string {
  return ['sh', '-c', shQuote(script), 'sh', ...args.map(shQuote)].join(' ');
}
