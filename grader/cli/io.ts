// How the CLI reports failures: input errors (exit 2) list every positioned issue;
// anything else is an internal error with the stack only under LABGRADE_DEBUG=1.
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

/** Prints the failure to stderr and returns the exit code to use. */
export function reportFailure(err: unknown, lang: Lang): number {
  if (err instanceof InputError) {
    process.stderr.write(`${formatIssues(err)}\n`);
    return exitCodes.input;
  }
  if (err instanceof TransportError) {
    process.stderr.write(`${t(lang, 'transportFailed', { target: err.target, message: err.message })}\n`);
    return exitCodes.failed;
  }
  const e = err as Error;
  process.stderr.write(`${t(lang, 'internalError', { message: e?.message ?? String(err) })}\n`);
  if (process.env.LABGRADE_DEBUG === '1' && e?.stack) process.stderr.write(`${e.stack}\n`);
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
