// The class summary of a batch (the model), built from the per-student records and result digests.
// Its renderers (class.json, the summary page index.html, the Moodle CSV grades.csv) are in
// reports/summary.ts. Scores are the engine's (each result's totals); nothing here regrades.
import type { Lang, TrustedHostKey } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/batch.js';
import en from '../i18n/en/batch.js';
import esReport from '../i18n/es/report.js';
import enReport from '../i18n/en/report.js';
import type { ExportOptions, Roster } from './roster.js';
import type { BatchOutcome } from './run.js';
import { studentFiles } from './files.js';
import type { DigestVerdict, StudentStatus } from './types.js';

const t = translator(es, en);
const tr = translator(esReport, enReport);

export interface MatrixColumn {
  id: string;
  task: string;
  taskTitle: string;
  question: string;
  /** The spec's own title of the question, when it has one (else the seed's vocabulary, else the id). */
  questionTitle?: string;
  role: string;
}

export interface ClassStudent {
  id: string;
  name: string;
  email?: string;
  idNumber?: string;
  username?: string;
  status: StudentStatus;
  reused: boolean;
  percent: number | null;
  points: number | null;
  maxPoints: number | null;
  /** The exported grade (percent scaled to export.scale), null when not exported. */
  grade: number | null;
  /** Question verdict id -> outcome ("warning" for failed warnings, "partial" for a failure with partial credit). */
  verdicts: Record<string, string>;
  error: { code: string; message: string } | null;
  durationMs: number | null;
  /** Relative to the output folder; null when nothing was written (pending). */
  report: string | null;
  result: string | null;
  /** Host keys trusted for the first time while grading this student (to review). */
  trustedHostKeys: TrustedHostKey[];
}

export interface Mistake {
  id: string;
  task: string;
  label: string;
  count: number;
  students: string[];
  codes: { code: string; count: number }[];
  hint: string | null;
  example: string;
}

export interface ClassSummary {
  schemaVersion: 1;
  kind: 'labgrade-class';
  tool: { name: 'labgrade'; version: string };
  lang: Lang;
  exercise: { id: string; title: string; file: string };
  roster: string;
  startedAt: string;
  finishedAt: string;
  wallMs: number;
  interrupted: boolean;
  counts: Record<StudentStatus, number> & { students: number };
  stats: { mean: number | null; median: number | null; min: number | null; max: number | null };
  /** Ten buckets of 10 % (the last includes 100 %), over students with a score. */
  distribution: { from: number; to: number; count: number }[];
  columns: MatrixColumn[];
  students: ClassStudent[];
  mistakes: Mistake[];
  export: ExportOptions & { file: string; column: string; mapTo: string };
}

export const MOODLE_MAP: Record<ExportOptions['identity'], { header: Record<Lang, string>; mapTo: string }> = {
  email: { header: { es: 'Dirección de correo', en: 'Email address' }, mapTo: 'useremail' },
  idNumber: { header: { es: 'Número de ID', en: 'ID number' }, mapTo: 'useridnumber' },
  username: { header: { es: 'Nombre de usuario', en: 'Username' }, mapTo: 'username' },
  id: { header: { es: 'ID', en: 'ID' }, mapTo: 'useridnumber' },
};

/** The exported grade from the raw points (never from the percentage, which is already rounded). */
export function scaleGrade(points: number, maxPoints: number, exp: Pick<ExportOptions, 'scale' | 'decimals'>): number {
  const f = 10 ** exp.decimals;
  const ratio = maxPoints > 0 ? points / maxPoints : 0;
  return Math.round((ratio * exp.scale + Number.EPSILON) * f) / f;
}

/** A question verdict as a matrix cell: its outcome, "warning" for a failed warning, "partial" for a failure with partial credit. */
export function cellOutcome(v: Pick<DigestVerdict, 'outcome' | 'severity' | 'points'>): string {
  return v.outcome === 'fail' && v.severity === 'warning' ? 'warning' : v.outcome === 'fail' && v.points > 0 ? 'partial' : v.outcome;
}

export function buildSummary(
  roster: Roster,
  outcome: BatchOutcome,
  meta: { exercise: ClassSummary['exercise']; lang: Lang; version: string; exportOverrides?: Partial<ExportOptions> },
): ClassSummary {
  const exp: ExportOptions = { ...roster.export, ...(meta.exportOverrides ?? {}) };
  const columns: MatrixColumn[] = [];
  const seenCol = new Set<string>();
  const mistakeMap = new Map<string, Mistake & { codeCounts: Map<string, number> }>();
  const students: ClassStudent[] = [];

  for (const o of outcome.students) {
    const s = o.student;
    const rec = o.record;
    const status: StudentStatus = rec?.status ?? 'pending';
    const d = o.digest;
    const verdicts: Record<string, string> = {};
    if (d && status !== 'failed') {
      for (const v of d.verdicts) {
        if (v.question !== undefined) {
          if (!seenCol.has(v.id)) {
            seenCol.add(v.id);
            columns.push({ id: v.id, task: v.task, taskTitle: v.taskTitle, question: v.question, ...(v.questionTitle ? { questionTitle: v.questionTitle } : {}), role: v.role ?? '' });
          }
          verdicts[v.id] = cellOutcome(v);
        }
        if (v.outcome === 'fail' && v.severity === 'error') {
          let m = mistakeMap.get(v.id);
          if (!m) {
            const label =
              v.question !== undefined
                ? `${v.taskTitle} · ${v.questionTitle ?? questionTitle(meta.lang, v.question)} · ${v.role ?? ''}`
                : `${v.taskTitle} · ${v.check}${v.subject ? ` · ${v.subject}` : ''}`;
            m = { id: v.id, task: v.task, label, count: 0, students: [], codes: [], hint: v.hint ?? null, example: v.message, codeCounts: new Map() };
            mistakeMap.set(v.id, m);
          }
          m.count++;
          m.students.push(s.id);
          for (const c of v.codes) m.codeCounts.set(c, (m.codeCounts.get(c) ?? 0) + 1);
        }
      }
    }
    const exported = status === 'graded' || (status === 'incomplete' && exp.includeIncomplete);
    const percent = d && status !== 'failed' ? d.percent : null;
    const cs: ClassStudent = {
      id: s.id,
      name: s.name,
      status,
      reused: o.reused,
      percent,
      points: d && status !== 'failed' ? d.points : null,
      maxPoints: d && status !== 'failed' ? d.maxPoints : null,
      grade: exported && d ? scaleGrade(d.points, d.maxPoints, exp) : null,
      verdicts,
      error: rec?.error ?? null,
      durationMs: rec?.durationMs ?? null,
      // Links are built from the student's id (roster-validated), never from what a file on disk says.
      report: rec ? studentFiles(s.id).html : null,
      result: rec ? studentFiles(s.id).json : null,
      trustedHostKeys: d?.trustedHostKeys ?? [],
    };
    for (const k of ['email', 'idNumber', 'username'] as const) if (s[k] !== undefined) cs[k] = s[k];
    students.push(cs);
  }

  // Columns nobody was graded on (tasks not selected for anyone) would only add noise.
  const useful = new Set(students.flatMap((st) => Object.entries(st.verdicts).filter(([, o]) => o !== 'skip').map(([id]) => id)));
  for (let i = columns.length - 1; i >= 0; i--) if (!useful.has(columns[i]!.id)) columns.splice(i, 1);
  const counts = { students: students.length, graded: 0, incomplete: 0, failed: 0, pending: 0 } as ClassSummary['counts'];
  for (const s of students) counts[s.status]++;
  const scored = students.filter((s) => s.percent !== null && s.status !== 'pending').map((s) => s.percent!) ;
  const sorted = [...scored].sort((a, b) => a - b);
  const mean = scored.length ? round1(scored.reduce((a, b) => a + b, 0) / scored.length) : null;
  const median = sorted.length ? round1(sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2) : null;
  const distribution = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, count: 0 }));
  for (const p of scored) distribution[Math.min(9, Math.floor(p / 10))]!.count++;
  const mistakes = [...mistakeMap.values()]
    .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id))
    .slice(0, 12)
    .map(({ codeCounts, ...m }) => ({ ...m, codes: [...codeCounts].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count) }));

  const map = MOODLE_MAP[exp.identity];
  return {
    schemaVersion: 1,
    kind: 'labgrade-class',
    tool: { name: 'labgrade', version: meta.version },
    lang: meta.lang,
    exercise: meta.exercise,
    roster: roster.file,
    startedAt: outcome.startedAt,
    finishedAt: outcome.finishedAt,
    wallMs: outcome.wallMs,
    interrupted: outcome.interrupted,
    counts,
    stats: { mean, median, min: sorted.length ? sorted[0]! : null, max: sorted.length ? sorted[sorted.length - 1]! : null },
    distribution,
    columns,
    students,
    mistakes,
    export: { ...exp, file: 'grades.csv', column: exp.column ?? `labgrade ${meta.exercise.id}`, mapTo: map.mapTo },
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

export function questionTitle(lang: Lang, q: string): string {
  const key = `q_${q}` as keyof typeof esReport;
  return key in esReport ? tr(lang, key) : q;
}

