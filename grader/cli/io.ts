// How the CLI reports failures: input errors (exit 2) list every positioned issue;
// anything else is an internal error with the stack only under LABGRADE_DEBUG=1 (or -v).
// Under --format json a failure is one JSON object on stdout instead (docs/en/conventions.md):
//   {"error": {"code": "usage"|"input"|"connection"|"lab"|"internal", "message", "exitCode",
//              "file"?, "line"?, "column"?, "path"?, "issues"?: [...], "target"?, "reason"?}}
import { InputError, TransportError, type InputIssue, type Lang } from '../types.js';
import { visible } from '../util/visible.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/cli.js';
import en from '../i18n/en/cli.js';

const t = translator(es, en);

export const exitCodes = { ok: 0, failed: 1, input: 2 } as const;

/** One issue on one line, every control character made visible (messages quote untrusted text). */
export function formatIssue(i: InputIssue, label?: string): string {
  const where = [i.file, i.line, i.column].filter((x) => x !== undefined && x !== '').join(':');
  return visible(`${where}${i.path ? ` (${i.path})` : ''}: ${label ? `${label}: ` : ''}${i.message}`);
}

export function formatIssues(err: InputError): string {
  const lines = [visible(err.message)];
  for (const i of err.issues) lines.push(`  ${formatIssue(i)}`);
  return lines.join('\n');
}

/** A failure as --format json reports it (its `message` is the text the plain output would print). */
export interface ErrorObject {
  code: 'usage' | 'input' | 'connection' | 'lab' | 'internal';
  message: string;
  exitCode: number;
  file?: string;
  line?: number;
  column?: number;
  path?: string;
  issues?: InputIssue[];
  target?: string;
  reason?: string;
}

/** How failures are shown in this run: JSON on stdout (--format json), else text on stderr. */
export const errorOutput = { json: false, debug: false };

/** Prints one failure: a JSON object on stdout under --format json, else `text` on stderr. */
export function emitError(obj: ErrorObject, text: string = obj.message): void {
  if (errorOutput.json) process.stdout.write(`${JSON.stringify({ error: obj }, null, 2)}\n`);
  else process.stderr.write(`${text.endsWith('\n') ? text : `${text}\n`}`);
}

/** Prints the failure and returns the exit code to use. */
export function reportFailure(err: unknown, lang: Lang): number {
  if (err instanceof InputError) {
    const first = err.issues[0];
    const where = first ? { file: first.file, ...(first.line !== undefined ? { line: first.line } : {}), ...(first.column !== undefined ? { column: first.column } : {}), ...(first.path ? { path: first.path } : {}) } : {};
    emitError({ code: 'input', message: visible(err.message), exitCode: exitCodes.input, ...where, ...(err.issues.length ? { issues: err.issues } : {}) }, formatIssues(err));
    return exitCodes.input;
  }
  if (err instanceof TransportError) {
    const message = t(lang, 'transportFailed', { target: err.target, message: err.message });
    emitError({ code: 'connection', message, exitCode: exitCodes.failed, target: err.target, reason: err.code });
    return exitCodes.failed;
  }
  const e = err as Error;
  emitError({ code: 'internal', message: t(lang, 'internalError', { message: e?.message ?? String(err) }), exitCode: exitCodes.input });
  if ((errorOutput.debug || process.env.LABGRADE_DEBUG === '1') && e?.stack) process.stderr.write(`${e.stack}\n`);
  return exitCodes.input;
}

/** Write to a file or stdout; files are written atomically (temp + rename). */
export async function writeOutput(path: string | undefined, content: string): Promise<void> {
  if (!path || path === '-') {
    process.stdout.write(content.endsWith('\n') ? content : `${content}\n`);
    return;
  }
  const { writeFileAtomic } = await import('../util/fs.js');
  await writeFileAtomic(path, content);
}
