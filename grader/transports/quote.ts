// POSIX shell quoting for the one place labgrade builds a command line for a remote shell: the
// SSH exec request. The script is a constant of labgrade; arguments (validated targets) are passed
// as positional parameters, each single-quoted, so nothing is ever interpreted by the remote shell.

/** `abc` -> `'abc'`; `it's` -> `'it'\''s'`. Safe for any byte string except NUL. */
export function shQuote(s: string): string {
  if (s.includes('\0')) throw new Error('NUL byte in a shell argument');
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `sh -c '<script>' sh 'arg1' 'arg2'`: the script sees the arguments as $1, $2, ... */
export function shCommand(script: string, args: readonly string[]): string {
  return ['sh', '-c', shQuote(script), 'sh', ...args.map(shQuote)].join(' ');
}
