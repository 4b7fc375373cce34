// `batch EXERCISE --roster clase.yaml --hand-ins DIR|ZIP --out notas/`: grade a class from its
// hand-ins, contacting no guest. The hand-ins come as a folder (one folder or one zip per student)
// or as Moodle's "Download all submissions" zip as it is. Each is matched to the roster (Moodle
// participant id, else the full name, else the roster id as the folder or file name), read as
// student-supplied input (zip.ts bounds; a refused zip refuses that student only), re-graded and
// verified (regrade.ts), then copies are looked for across the class. Outputs: students/<id>.json
// and .html, class.json (with trust and reasons), index.html, grades.csv (only grades that are not
// withheld) and feedback.zip for Moodle's "Upload multiple feedback files in a zip".
import { lstat, readdir, rm } from 'node:fs/promises';
import { readInput, ReadInputError } from '../inputs/read.js';
import { basename, join } from 'node:path';
import type { ExerciseSpec, GradeResult, Lang } from '../types.js';
import type { Roster, RosterStudent } from '../batch/roster.js';
import type { ClassSummary } from '../batch/summary.js';
import { scaleGrade } from '../batch/summary.js';
import { registry } from '../../reports/index.js';
import { renderers } from '../../reports/index.js';
import { escapeHtml as h } from '../../reports/escape.js';
import { PRIVATE_MODES, writeFileAtomic, type OutputModes } from '../util/fs.js';
import { walkZip, writeZip, type ZipLimits, ZipRefused } from './zip.js';
import { readHandIn, HandInRefused, zipRefusedText } from './read.js';
import { regradeHandIn, duplicates, type Flag, type LabFingerprint, type RegradeOptions } from './regrade.js';
import { feedbackFolder, nameKey, parseMoodleName } from './moodle.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/handin.js';
import en from '../i18n/en/handin.js';

const t = translator(es, en);

/** The class download: many entries, each student's hand-in a compressed zip of its own. */
const DOWNLOAD_LIMITS: ZipLimits = { maxEntries: 50_000, maxEntryBytes: 64 * 1024 * 1024, maxTotalBytes: 8 * 1024 * 1024 * 1024, maxRatio: 1000 };
const MAX_HANDIN_FILE = 64 * 1024 * 1024;

export interface Submission {
  /** Folder (or file) name as it came: what the student is matched by. */
  label: string;
  moodle: { fullName: string; participant: string } | null;
  /** The hand-in itself, or why there is none. */
  data: Buffer | null;
  problem?: string;
}

export type Trust = 'ok' | 'review' | 'withheld' | 'missing';

export interface HandInStudent {
  id: string;
  name: string;
  participant?: string;
  email?: string;
  idNumber?: string;
  username?: string;
  source: string | null;
  trust: Trust;
  flags: Flag[];
  percent: number | null;
  points: number | null;
  maxPoints: number | null;
  grade: number | null;
  report: string | null;
  result: string | null;
}

export interface HandInClass {
  schemaVersion: 1;
  kind: 'hand-ins';
  exercise: { id: string; title: string };
  lang: Lang;
  students: HandInStudent[];
  /** Submissions that match no roster student (with the name they came under). */
  unmatched: string[];
}

/** Reads the submissions of a folder or a Moodle download zip. */
export async function collectSubmissions(source: string, lang: Lang): Promise<Submission[]> {
  const st = await lstat(source);
  const subs = new Map<string, Submission>();
  const add = (label: string, data: Buffer | null, problem?: string): void => {
    const prior = subs.get(label);
    // One hand-in per folder: a second .zip in the same folder makes the folder ambiguous.
    if (prior) {
      prior.data = null;
      prior.problem = t(lang, 'twoHandIns', { folder: label });
      return;
    }
    const mn = parseMoodleName(label);
    subs.set(label, { label, moodle: mn ? { fullName: mn.fullName, participant: mn.participant } : null, data, ...(problem ? { problem } : {}) });
  };
  if (st.isFile()) {
    await walkZip(
      source,
      DOWNLOAD_LIMITS,
      (e) => e.name.toLowerCase().endsWith('.zip'),
      (e, data) => {
        const parts = e.name.split('/');
        // Folders per participant, or Moodle's flat layout (`Name_123_assignsubmission_file_x.zip`).
        add(parts.length > 1 ? parts[0]! : flatLabel(parts[0]!), data);
      },
    ).catch((err: unknown) => {
      if (err instanceof ZipRefused) throw new HandInRefused(err.problem, zipRefusedText(lang, err));
      throw err;
    });
    return [...subs.values()];
  }
  for (const d of (await readdir(source, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(source, d.name);
    if (d.isDirectory()) {
      const zips = (await readdir(p, { withFileTypes: true })).filter((x) => x.name.toLowerCase().endsWith('.zip'));
      if (zips.length === 0) add(d.name, null, t(lang, 'noHandInInFolder', { folder: d.name }));
      for (const z of zips) add(d.name, ...(await readRegular(join(p, z.name), source, lang)));
    } else if (d.name.toLowerCase().endsWith('.zip')) {
      add(flatLabel(d.name), ...(await readRegular(p, source, lang)));
    }
  }
  return [...subs.values()];
}

function flatLabel(file: string): string {
  const m = parseMoodleName(file);
  return m ? `${m.fullName}_${m.participant}_assignsubmission_file` : basename(file, '.zip').replace(/\.zip$/i, '');
}

/**
 * A hand-in file from a folder, through the project's bounded reader as a student's file: a regular
 * file (no symlink, FIFO, device), inside the hand-ins folder, of a bounded size.
 */
async function readRegular(path: string, within: string, lang: Lang): Promise<[Buffer | null, string?]> {
  try {
    return [await readInput(path, 'result', { trust: 'student', within, maxBytes: MAX_HANDIN_FILE })];
  } catch (e) {
    if (!(e instanceof ReadInputError)) throw e;
    if (e.code === 'too-big') return [null, t(lang, 'handInTooBig', { file: basename(path), size: e.size ?? MAX_HANDIN_FILE + 1 })];
    if (e.code === 'not-regular' || e.code === 'directory' || e.code === 'outside') return [null, t(lang, 'notRegular', { file: basename(path) })];
    throw e;
  }
}

/** Which roster student a submission is: participant id, else full name, else roster id. */
export function matchSubmission(sub: Submission, roster: RosterStudent[]): RosterStudent | null {
  if (sub.moodle) {
    const byId = roster.filter((s) => s.participant !== undefined && s.participant === sub.moodle!.participant);
    if (byId.length === 1) return byId[0]!;
    const byName = roster.filter((s) => nameKey(s.name) === nameKey(sub.moodle!.fullName));
    if (byName.length === 1 && byName[0]!.participant === undefined) return byName[0]!;
    return null;
  }
  const byId = roster.filter((s) => s.id === sub.label);
  return byId.length === 1 ? byId[0]! : null;
}

export interface HandInBatchOptions extends Omit<RegradeOptions, 'spec'> {
  spec: ExerciseSpec;
  roster: Roster;
  source: string;
  outDir: string;
  modes?: OutputModes;
  onStudent?: (s: HandInStudent) => void;
}

export async function gradeHandIns(o: HandInBatchOptions): Promise<HandInClass> {
  const subs = await collectSubmissions(o.source, o.lang);
  const matched = matchSubmissions(subs, o.roster.students, o.lang);
  const graded = new Map<string, GradedSubmission>();
  for (const [id, sub] of matched.byStudent) graded.set(id, await gradeSubmission(sub, o));
  const { cls, results } = assembleClass(o, matched, graded);
  await writeHandInOutputs(o, cls, results, matched, o.onStudent);
  return cls;
}

/** The submissions matched to the roster (one per student); the others by the name they came under. */
export interface MatchedSubmissions {
  byStudent: Map<string, Submission>;
  unmatched: string[];
}

export function matchSubmissions(subs: Submission[], roster: RosterStudent[], lang: Lang): MatchedSubmissions {
  const byStudent = new Map<string, Submission>();
  const unmatched: string[] = [];
  for (const s of subs) {
    const st = matchSubmission(s, roster);
    if (!st) unmatched.push(s.label);
    else if (byStudent.has(st.id)) unmatched.push(t(lang, 'secondSubmission', { label: s.label, id: st.id }));
    else byStudent.set(st.id, s);
  }
  return { byStudent, unmatched };
}

/** One submission read and re-graded (regrade.ts), on its own: the class-level checks come after. */
export interface GradedSubmission {
  flags: Flag[];
  fingerprint: LabFingerprint | null;
  result: GradeResult | null;
}

export async function gradeSubmission(sub: Submission, o: RegradeOptions): Promise<GradedSubmission> {
  if (!sub.data) return { flags: [{ code: 'refused', severity: 'withhold', reason: sub.problem ?? '' }], fingerprint: null, result: null };
  try {
    const hi = await readHandIn(sub.data, sub.label, o.lang);
    const g = await regradeHandIn(hi, o);
    return { flags: [...g.flags], fingerprint: g.fingerprint, result: g.result ?? null };
  } catch (e) {
    if (!(e instanceof HandInRefused)) throw e;
    return { flags: [{ code: 'refused', severity: 'withhold', reason: e.message }], fingerprint: null, result: null };
  }
}

/**
 * The class from its graded submissions: copies looked for across the whole class, then each
 * student's trust and grade. Pure (writes nothing): `watch --hand-ins` calls it after every change.
 */
export function assembleClass(
  o: { spec: ExerciseSpec; roster: Roster; lang: Lang },
  matched: MatchedSubmissions,
  graded: ReadonlyMap<string, GradedSubmission>,
): { cls: HandInClass; results: Map<string, GradeResult> } {
  const { lang } = o;
  const students: HandInStudent[] = [];
  const fps: { id: string; fp: LabFingerprint }[] = [];
  const results = new Map<string, GradeResult>();
  for (const rs of o.roster.students) {
    const base: HandInStudent = {
      id: rs.id,
      name: rs.name,
      ...(rs.participant ? { participant: rs.participant } : {}),
      ...(rs.email ? { email: rs.email } : {}),
      ...(rs.idNumber ? { idNumber: rs.idNumber } : {}),
      ...(rs.username ? { username: rs.username } : {}),
      source: null,
      trust: 'missing',
      flags: [],
      percent: null,
      points: null,
      maxPoints: null,
      grade: null,
      report: null,
      result: null,
    };
    students.push(base);
    const sub = matched.byStudent.get(rs.id);
    const g = graded.get(rs.id);
    if (!sub || !g) continue;
    base.source = sub.label;
    base.flags.push(...g.flags);
    if (g.fingerprint) fps.push({ id: rs.id, fp: g.fingerprint });
    if (g.result) {
      results.set(rs.id, g.result);
      base.percent = g.result.totals.percent;
      base.points = g.result.totals.points;
      base.maxPoints = g.result.totals.maxPoints;
    }
  }
  for (const [id, flags] of duplicates(fps, lang)) students.find((s) => s.id === id)?.flags.push(...flags);

  for (const s of students) {
    const r = results.get(s.id);
    if (s.source !== null) s.trust = s.flags.some((f) => f.severity === 'withhold') || !r ? 'withheld' : s.flags.length > 0 ? 'review' : 'ok';
    if (r) {
      s.result = `students/${s.id}.json`;
      s.report = `students/${s.id}.html`;
      if (s.trust !== 'withheld' && s.points !== null && s.maxPoints !== null) s.grade = scaleGrade(s.points, s.maxPoints, o.roster.export);
    }
  }
  const cls: HandInClass = { schemaVersion: 1, kind: 'hand-ins', exercise: { id: o.spec.id, title: o.spec.title[lang] }, lang, students, unmatched: [...matched.unmatched] };
  return { cls, results };
}

/** batch --hand-ins's outputs: each report, class.json, grades.csv, index.html, feedback.zip. */
export async function writeHandInOutputs(
  o: { spec: ExerciseSpec; roster: Roster; lang: Lang; outDir: string; modes?: OutputModes },
  cls: HandInClass,
  results: ReadonlyMap<string, GradeResult>,
  matched: MatchedSubmissions,
  onStudent?: (s: HandInStudent) => void,
): Promise<void> {
  const { lang } = o;
  const m = o.modes ?? PRIVATE_MODES;
  const { students } = cls;
  for (const s of students) {
    const r = results.get(s.id);
    if (r && s.result && s.report) {
      await writeFileAtomic(join(o.outDir, s.result), renderers.json(r, { lang, color: false }), m.file, m.dir);
      await writeFileAtomic(join(o.outDir, s.report), renderers.html(r, { lang, color: false }), m.file, m.dir);
    }
    onStudent?.(s);
  }
  await writeFileAtomic(join(o.outDir, 'class.json'), `${JSON.stringify(cls, null, 2)}\n`, m.file, m.dir);
  // The gradebook CSV through batch's one writer; withheld grades are left out (never a blank grade).
  const csvInput = { lang, students, export: { ...o.roster.export, column: o.roster.export.column ?? o.spec.title[lang], file: 'grades.csv', mapTo: '' } } as unknown as ClassSummary;
  await writeFileAtomic(join(o.outDir, 'grades.csv'), registry.summary.csv(csvInput), m.file, m.dir);
  await writeFileAtomic(join(o.outDir, 'index.html'), renderClassHtml(cls), m.file, m.dir);
  // Moodle's feedback zip: each report in its participant's folder.
  const fb: { name: string; data: Buffer }[] = [];
  for (const s of students) {
    const r = results.get(s.id);
    const sub = matched.byStudent.get(s.id);
    const participant = sub?.moodle?.participant ?? s.participant;
    if (!r || !participant) continue;
    fb.push({ name: `${feedbackFolder(sub?.moodle?.fullName ?? s.name, participant)}/report.html`, data: Buffer.from(renderers.html(r, { lang, color: false }), 'utf8') });
  }
  if (fb.length > 0) await writeFileAtomic(join(o.outDir, 'feedback.zip'), await writeZip(fb, new Date()), m.file, m.dir);
  // Written again over a folder (watch --hand-ins): no feedback left from reports that are gone.
  else await rm(join(o.outDir, 'feedback.zip'), { force: true });
}

function renderClassHtml(c: HandInClass): string {
  const L = (k: Parameters<typeof t>[1], p?: Parameters<typeof t>[2]) => t(c.lang, k, p);
  const rows = c.students
    .map(
      (s) =>
        `<tr class="${h(s.trust)}"><td>${h(s.id)}</td><td>${h(s.name)}</td><td>${s.percent === null ? '—' : h(`${s.percent} %`)}</td><td>${h(L(`trust_${s.trust}`))}</td><td>${
          s.flags.length ? `<ul>${s.flags.map((f) => `<li>${h(f.reason)}</li>`).join('')}</ul>` : ''
        }</td><td>${s.report ? `<a href="${h(s.report)}">${h(L('reportLink'))}</a>` : ''}</td></tr>`,
    )
    .join('\n');
  const unmatched = c.unmatched.length ? `<h2>${h(L('unmatchedTitle'))}</h2><ul>${c.unmatched.map((u) => `<li>${h(u)}</li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="${c.lang}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${h(L('classTitle', { exercise: c.exercise.title }))}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}tr.withheld{background:#fdd}tr.review{background:#ffd}tr.missing{color:#777}</style></head>
<body><h1>${h(L('classTitle', { exercise: c.exercise.title }))}</h1>
<p>${h(L('classIntro'))}</p>
<table><thead><tr><th>${h(L('colId'))}</th><th>${h(L('colName'))}</th><th>${h(L('colScore'))}</th><th>${h(L('colTrust'))}</th><th>${h(L('colReasons'))}</th><th></th></tr></thead>
<tbody>
${rows}
</tbody></table>
${unmatched}
</body></html>
`;
}
