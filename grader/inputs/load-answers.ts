// Loads a student's answers file against an exercise spec: YAML -> JSON Schema -> every task,
// question and VM role checked against the spec (did-you-mean for typos) -> each answer parsed
// leniently (grader/inputs/parse-answer.ts). Unanswered questions are allowed: they are reported
// as warnings (graded as unanswered later).
import type { Answer, AnswerKind, AnswersFile, ExerciseSpec, InputIssue, SpecTask, StudentIdentity } from '../types.js';
import { didYouMean } from './did-you-mean.js';
import { rolesAsked } from './asked.js';
import { configField } from './parse-answer.js';
import { readAnswer, type Problem } from './answers/index.js';
import { data, join, msg, type Msg, type MsgArg } from '../i18n/messages.js';
import { visible } from '../util/visible.js';
import {
  Issues,
  entries,
  isRecord,
  langOf,
  locate,
  own,
  readYaml,
  requireTopMap,
  sourceText,
  validateSchema,
  type LoadOptions,
  type PathSeg,
  type SpecMsg,
  type YamlSource,
} from './yaml-source.js';

/** The key under which an answer given once for every VM of the task is stored. */
export const ALL_VMS = '*';

const EXAMPLE_MSG: Record<AnswerKind, SpecMsg> = {
  'yes-no': 'exampleYesNo',
  'config-method': 'exampleConfigMethod',
  ipv4: 'exampleIpv4',
  'ipv4-config': 'exampleIpv4Config',
};

const KIND_MSG: Record<AnswerKind, SpecMsg> = {
  'yes-no': 'kindYesNo',
  'config-method': 'kindConfigMethod',
  ipv4: 'kindIpv4',
  'ipv4-config': 'kindIpv4Config',
};

/** Nothing written: null, blank text, an empty list, or a map whose values are all empty. */
function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (isRecord(v)) return Object.values(v).every(isEmpty);
  return false;
}

export interface LoadAnswersOptions extends LoadOptions {
  /**
   * Validation (`labgrade validate`): every answer that cannot be read, and every unknown task,
   * question or VM, is an error. Otherwise (check, batch) an unreadable answer is kept as such
   * (graded as unreadable, costing only its own points) and unknown ids are warnings; only a file
   * that is not an answers file for this exercise is an error.
   */
  strict?: boolean;
}

/** Loads an answers file against `spec`; throws InputError listing every problem. */
export async function loadAnswers(path: string, spec: ExerciseSpec, opts: LoadAnswersOptions = {}): Promise<AnswersFile> {
  const strict = opts.strict ?? false;
  const strays: InputIssue[] = [];
  const lang = langOf(opts);
  // Answers are always the student's (trust 'student': the student item limit; no-follow and
  // `within` when batch names the folder).
  const src = await readYaml(path, lang, {
    trust: opts.noFollow || opts.within !== undefined ? 'student' : 'teacher',
    ...(opts.noFollow ? { noFollow: true } : {}),
    ...(opts.within !== undefined ? { within: opts.within } : {}),
    ...(opts.bytes ? { bytes: opts.bytes } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const issues = new Issues(lang, src.display, src);
  requireTopMap(src, issues);
  await validateSchema(src, 'answers', issues);
  issues.throwIfAny();
  const d = src.data as Record<string, unknown>;

  const student = readStudent(src, d.student, issues);
  const exercise = own(d, 'exercise');
  if (typeof exercise === 'string' && exercise !== spec.id) {
    // Answers for another exercise: that is the whole problem (every task would be "unknown" too).
    issues.error(['exercise'], issues.msg('ansExerciseMismatch', { got: visible(exercise, 64), id: spec.id }));
    issues.throwIfAny();
  }
  const tasks: AnswersFile['tasks'] = {};
  const answered = own(d, 'answers');
  const taskIds = spec.tasks.map((t) => t.id);

  for (const [taskId, qa] of entries(answered)) {
    const task = spec.tasks.find((t) => t.id === taskId);
    if (!task) {
      const m = issues.withGuess(issues.msg('ansUnknownTask', { id: visible(taskId, 64), known: taskIds.join(', ') }), didYouMean(taskId, taskIds));
      stray(issues, strict, ['answers', taskId], m, strays);
      continue;
    }
    const out: Record<string, Record<string, Answer>> = {};
    for (const [qid, value] of entries(qa)) {
      const at: PathSeg[] = ['answers', taskId, qid];
      if (!task.questions.includes(qid) || !Object.hasOwn(spec.questions, qid)) {
        const m = issues.withGuess(issues.msg('ansUnknownQuestion', { id: visible(qid, 64), task: taskId, known: task.questions.join(', ') }), didYouMean(qid, task.questions));
        stray(issues, strict, at, m, strays);
        continue;
      }
      const q = spec.questions[qid]!;
      const byRole = readQuestion({ src, issues, strict, task, kind: q.kind, strays }, value, at);
      if (Object.keys(byRole).length > 0) out[qid] = byRole;
    }
    tasks[taskId] = out;
  }

  // Unanswered: warnings, in the spec's order.
  for (const task of spec.tasks) {
    const got = Object.hasOwn(tasks, task.id) ? tasks[task.id]! : undefined;
    if (!got || Object.keys(got).length === 0) {
      const present = isRecord(answered) && Object.hasOwn(answered, task.id);
      issues.warn(present ? ['answers', task.id] : ['answers'], issues.msg('ansUnansweredTask', { task: task.id }), { onKey: true });
      continue;
    }
    for (const qid of task.questions) {
      const byRole = Object.hasOwn(got, qid) ? got[qid]! : undefined;
      if (!byRole) {
        issues.warn(['answers', task.id], issues.msg('ansUnanswered', { task: task.id, question: qid }), { onKey: true });
      } else if (!Object.hasOwn(byRole, ALL_VMS)) {
        for (const role of rolesAsked(task, qid)) {
          if (!Object.hasOwn(byRole, role)) issues.warn(['answers', task.id, qid], issues.msg('ansUnansweredRole', { task: task.id, question: qid, role }), { onKey: true });
        }
      }
    }
  }

  // Warnings first: validate shows what was ignored even in a file with errors.
  issues.flushWarnings(opts);
  issues.throwIfAny();
  return { file: src.file, student, tasks, ...(strays.length > 0 ? { strayKeys: strays } : {}) };
}

function readStudent(src: YamlSource, v: unknown, issues: Issues): StudentIdentity {
  const name = own(v, 'name');
  // A warning: the template `answers init` writes validates as it is; a report then carries no name
  // (in `batch`, the roster's name is the one used).
  if (typeof name !== 'string' || name.trim() === '') issues.warn(['student', 'name'], issues.msg('ansStudentName'), { onKey: true });
  const student: StudentIdentity = { name: typeof name === 'string' ? name.trim() : '' };
  const id = own(v, 'id');
  if (id !== null && id !== undefined && String(id).trim() !== '') {
    // The text as written: `id: 0123` keeps its leading zero.
    const raw = typeof id === 'number' ? sourceText(src, ['student', 'id']) ?? String(id) : String(id);
    student.id = raw.trim();
  }
  const email = own(v, 'email');
  if (typeof email === 'string' && email.trim() !== '') {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      issues.error(['student', 'email'], issues.msg('schemaPattern', { value: email, expected: 'name@example.org' }));
    }
    student.email = email.trim();
  }
  return student;
}

/** How one answers file is read: `strict` (validate) turns every unreadable answer into an error. */
interface ReadCtx {
  src: YamlSource;
  issues: Issues;
  strict: boolean;
  task: SpecTask;
  kind: AnswerKind;
  /** Keys naming no task, question or VM (not strict): reported with the result. */
  strays: InputIssue[];
}

/** One question of one task: role ('*' or a VM role) -> answer (readable or not). */
function readQuestion(c: ReadCtx, value: unknown, at: PathSeg[]): Record<string, Answer> {
  const out: Record<string, Answer> = {};
  if (isEmpty(value)) return out;
  if (isRecord(value)) {
    const keys = Object.keys(value);
    const roles = keys.filter((k) => c.task.vms.includes(k));
    if (c.kind === 'ipv4-config') {
      const fields = keys.filter((k) => configField(k) !== undefined);
      if (fields.length > 0 && roles.length > 0) {
        const a = unreadable(c, at, value, { code: 'ansMixedConfig', params: { fields: fields.join(', '), roles: roles.join(', ') } });
        if (a) out[ALL_VMS] = a;
        return out;
      }
      if (roles.length === 0 && fields.length > 0) {
        const a = readOne(c, value, at);
        if (a) out[ALL_VMS] = a;
        return out;
      }
    }
    for (const k of keys) {
      if (!c.task.vms.includes(k)) {
        unknownRole(c, k, [...at, k]);
        continue;
      }
      const v = value[k];
      if (isEmpty(v)) continue;
      const a = readOne(c, v, [...at, k]);
      if (a) out[k] = a;
    }
    return out;
  }
  const a = readOne(c, value, at);
  if (a) out[ALL_VMS] = a;
  return out;
}

function unknownRole(c: ReadCtx, role: string, at: PathSeg[]): void {
  const m = c.issues.withGuess(c.issues.msg('ansUnknownRole', { id: role, task: c.task.id, known: c.task.vms.join(', ') }), didYouMean(role, c.task.vms));
  stray(c.issues, c.strict, at, m, c.strays);
}

/** A key naming no task, question or VM: an error when validating, else a warning kept for the report. */
function stray(issues: Issues, strict: boolean, at: PathSeg[], message: string, strays: InputIssue[]): void {
  if (strict) {
    issues.error(at, message, { onKey: true });
    return;
  }
  const before = issues.warnings.length;
  issues.warn(at, message, { onKey: true });
  if (issues.warnings.length > before) strays.push(issues.warnings.at(-1)!);
}

/** What the student wrote, as text: strings exactly as written, other values as in the file. */
function rawOf(src: YamlSource, at: PathSeg[], v: unknown): string {
  if (typeof v === 'string') return v;
  return sourceText(src, at) ?? (JSON.stringify(v) ?? String(v));
}

function positioned(src: YamlSource, at: PathSeg[], answer: Answer): Answer {
  const pos = locate(src, at);
  if (pos) {
    answer.line = pos.line;
    answer.column = pos.column;
  }
  return answer;
}

const FIELD_MSG: Record<string, SpecMsg> = { address: 'ansFieldAddress', gateway: 'ansFieldGateway', dns: 'ansFieldDns' };

function problemText(c: ReadCtx, p: Problem): string {
  const params: Record<string, string> = { ...(p.params ?? {}) };
  if (p.code === 'ansScalarExpected') params.expected = c.issues.msg(KIND_MSG[c.kind]);
  if (params.field && FIELD_MSG[params.field]) params.field = c.issues.msg(FIELD_MSG[params.field]!);
  if (params.values) params.values = params.values.replace(/\bnone\b/, c.issues.msg('ansNoneWord'));
  if (params.value !== undefined) params.value = visible(params.value, 80);
  if (params.key !== undefined) params.key = visible(params.key, 64);
  return c.issues.msg(p.code as SpecMsg, params);
}

/** The same problem as a message, for the verdict (said in either language). */
function problemWords(c: ReadCtx, p: Problem): Msg {
  const params: Record<string, MsgArg> = { ...(p.params ?? {}) };
  if (p.code === 'ansScalarExpected') params.expected = msg('spec', KIND_MSG[c.kind]);
  const field = p.params?.field;
  if (field && FIELD_MSG[field]) params.field = msg('spec', FIELD_MSG[field]!);
  const values = p.params?.values;
  const none = values !== undefined ? /\bnone\b/.exec(values) : null;
  if (values !== undefined && none) params.values = join([data(values.slice(0, none.index)), msg('spec', 'ansNoneWord'), data(values.slice(none.index + 4))], '');
  if (p.params?.value !== undefined) params.value = visible(p.params.value, 80);
  if (p.params?.key !== undefined) params.key = visible(p.params.key, 64);
  return msg('spec', p.code, params);
}

/** An answer that cannot be read: an error when validating, an `unreadable` answer otherwise. */
function unreadable(c: ReadCtx, at: PathSeg[], v: unknown, p: Problem): Answer | undefined {
  const reason = problemText(c, p);
  const example = c.issues.msg(EXAMPLE_MSG[c.kind]);
  const problemWordsOf = { reason: problemWords(c, p), example: msg('spec', EXAMPLE_MSG[c.kind]) };
  if (p.code === 'ansUnsure') {
    // A deliberate answer, not a typo: the file is valid, and validate (and check) flag it at its
    // line; it is graded as its own 0-point verdict ("you wrote that you did not know").
    c.issues.warn(at, reason);
    return positioned(c.src, at, { value: null, raw: rawOf(c.src, at, v), problem: { reason, example }, problemWords: problemWordsOf, unsure: true });
  }
  if (c.strict) {
    c.issues.error(at, c.issues.msg('ansUnreadable', { reason, example }));
    return undefined;
  }
  return positioned(c.src, at, { value: null, raw: rawOf(c.src, at, v), problem: { reason, example }, problemWords: problemWordsOf });
}

function readOne(c: ReadCtx, v: unknown, at: PathSeg[]): Answer | undefined {
  const r = readAnswer(c.kind, v);
  if (!r.ok) return unreadable(c, at, v, r);
  const answer: Answer = { value: r.value, raw: rawOf(c.src, at, v) };
  if (r.ignored.length > 0) {
    answer.ignored = r.ignored;
    c.issues.warn(at, c.issues.msg('ansIgnoredWords', { words: r.ignored.map((w) => visible(w, 40)).join(', ') }));
  }
  if (r.pasted) answer.pasted = r.pasted;
  return positioned(c.src, at, answer);
}
