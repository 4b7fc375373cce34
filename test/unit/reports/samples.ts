// The sample GradeResults of test/fixtures/reports/ (hand-written: one passing, one with failures,
// errors, skips, warnings and hostile strings).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradeResult } from '../../../grader/types.js';

export const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'reports');
export const SAMPLES = ['pass', 'mixed'] as const;
export type SampleName = (typeof SAMPLES)[number];

export function loadSample(name: SampleName): GradeResult {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.result.json`), 'utf8')) as GradeResult;
}

export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

export function allVerdicts(r: GradeResult) {
  return r.tasks.flatMap((t) => [...t.hostChecks, ...t.questions]);
}
