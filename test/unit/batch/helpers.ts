// Shared helpers of the batch unit tests: temporary class folders and fake grading results.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GradeResult, Verdict } from '../../../grader/types.js';
import { loadSample } from '../reports/samples.js';

export async function tempClass(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'labgrade-batch-'));
}

/** Writes files (relative path -> content) under dir. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    await mkdir(join(p, '..'), { recursive: true });
    await writeFile(p, content);
  }
}

/**
 * A result shaped like the engine's, from the passing sample: `failing` question verdict ids
 * become failures and `unmeasured` become errors; totals are recomputed the way the engine does
 * (this fake plays the engine).
 */
export function fakeResult(name: string, opts: { failing?: string[]; partial?: string[]; unmeasured?: string[]; errors?: string[] } = {}): GradeResult {
  const r = structuredClone(loadSample('pass'));
  r.student = { name };
  const all: Verdict[] = [];
  for (const task of r.tasks) {
    for (const v of task.questions) {
      if (opts.failing?.includes(v.id)) {
        v.outcome = 'fail';
        v.points = 0;
        v.codes = ['answer-mismatch'];
        v.hints = ['Revise the DHCP range.'];
        v.message = `wrong: ${v.id}`;
      }
      if (opts.partial?.includes(v.id)) {
        v.outcome = 'fail';
        v.points = v.maxPoints / 2;
        v.message = `partly right: ${v.id}`;
      }
      if (opts.unmeasured?.includes(v.id)) {
        v.outcome = 'error';
        v.points = 0;
        v.message = `could not measure ${v.id}`;
      }
      all.push(v);
    }
    task.points = task.questions.reduce((n, v) => n + v.points, 0);
  }
  const points = all.reduce((n, v) => n + v.points, 0);
  const max = all.reduce((n, v) => n + v.maxPoints, 0);
  const hostVerdicts = r.tasks.flatMap((t) => t.hostChecks);
  const every = [...hostVerdicts, ...all];
  r.totals = {
    points,
    maxPoints: max,
    percent: Math.round((points / max) * 1000) / 10,
    pass: every.filter((v) => v.outcome === 'pass').length,
    fail: every.filter((v) => v.outcome === 'fail').length,
    error: every.filter((v) => v.outcome === 'error').length,
    skip: every.filter((v) => v.outcome === 'skip').length,
  };
  r.errors = opts.errors ?? [];
  r.exitCode = r.totals.fail || r.totals.error || r.errors.length ? 1 : 0;
  return r;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
