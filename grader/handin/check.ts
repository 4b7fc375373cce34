// `check --hand-in FILE`: after the usual grading, the hand-in (create.ts) from the run's recorder.
import { readFile } from 'node:fs/promises';
import type { GradeResult, Lang } from '../types.js';
import { readInput } from '../inputs/read.js';
import { renderers } from '../../reports/index.js';
import { sha256, type EvidenceRecorder } from './evidence.js';
import { buildHash, labForHandIn, toolInfo, type Manifest } from './format.js';
import { writeHandIn } from './create.js';

export interface CheckHandInInput {
  path: string;
  specFile: string;
  specId: string;
  labPath: string;
  answersPath: string;
  task: string;
  result: GradeResult;
  recorder: EvidenceRecorder;
  redact: (s: string) => string;
  lang: Lang;
}

export async function writeCheckHandIn(o: CheckHandInInput): Promise<{ manifest: Manifest; replaced: boolean }> {
  const [answers, lab, spec, build] = await Promise.all([readInput(o.answersPath, 'yaml'), readInput(o.labPath, 'yaml'), readFile(o.specFile), buildHash()]);
  const w = await writeHandIn({
    path: o.path,
    answers,
    exercise: { id: o.specId, sha256: sha256(spec) },
    student: o.result.student,
    tool: toolInfo(build),
    run: {
      task: o.task,
      lab: labForHandIn(lab.toString('utf8'), o.redact),
      evidence: o.recorder.entries,
      result: o.result,
      reportHtml: renderers.html(o.result, { lang: o.lang, color: false }),
    },
    redact: o.redact,
    lang: o.lang,
    now: new Date(),
  });
  return { manifest: w.manifest, replaced: w.replaced };
}
