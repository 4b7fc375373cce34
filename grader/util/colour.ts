// Colour on a terminal, in one place: the text report (reports/text.ts is told by its caller), the
// progress lines of check and batch. On only when the stream is a TTY, NO_COLOR is not set (any
// value, even empty, turns it off: https://no-color.org) and TERM is not "dumb"; --color /
// --no-color (the CLI's global options) override the guess.
export const COLOUR_CODES = { red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36, bold: 1, dim: 2 } as const;
export type ColourStyle = keyof typeof COLOUR_CODES;

/** What a status means on screen: passed / failed / could not measure / skipped or warned. */
export const STATUS_STYLE = { pass: 'green', fail: 'red', unmeasured: 'magenta', warning: 'yellow', skip: 'dim' } as const satisfies Record<string, ColourStyle>;

/** --color / --no-color as given on the command line (undefined: decide from the stream). */
let forced: boolean | undefined;

export function forceColour(on: boolean | undefined): void {
  forced = on;
}

export function wantColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env, flag: boolean | undefined = forced): boolean {
  if (flag !== undefined) return flag;
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

export function paint(style: ColourStyle, s: string, on: boolean): string {
  return on ? `\u001b[${COLOUR_CODES[style]}m${s}\u001b[0m` : s;
}
