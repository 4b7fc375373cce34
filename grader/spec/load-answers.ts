// Loads a student's answers file against an exercise spec: YAML -> JSON Schema -> every task,
// question and VM role checked against the spec (did-you-mean for typos) -> each answer parsed
// leniently (grader/spec/parse-answer.ts). Unanswered questions are allowed: they are reported
// as warnings (graded as unanswered later).
import type { Answer, AnswerKind, AnswerValue, AnswersFile, ExerciseSpec, SpecTask, StudentIdentity } from '../types.js';
import { didYouMean } from './did-you-mean.js';
import { rolesAsked } from './asked.js';
import {
  configField,
  parseConfigMethod,
  parseIpv4Config,
  parseIpv4OrNone,
  parseYesNo,
  type ConfigInput,
  type ParseErrorCode,
  type ParseResult,
} from './parse-answer.js';
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

function typeWord(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (isRecord(v)) return 'map';
  return typeof v;
}

/** Loads and validates an answers file against `spec`; throws InputError listing every problem. */
export async function loadAnswers(path: string, spec: ExerciseSpec, opts: LoadOptions = {}): Promise<AnswersFile> {
  const lang = langOf(opts);
  const src = await readYaml(path, lang);
  const issues = new Issues(lang, src.display, src);
  requireTopMap(src, issues);
  await validateSchema(src, 'answers', issues);
  issues.throwIfAny();
  const d = src.data as Record<string, unknown>;

  const student = readStudent(src, d.student, issues);
  const exercise = own(d, 'exercise');
  if (typeof exercise === 'string' && exercise !== spec.id) issues.warn(['exercise'], issues.msg('ansExerciseMismatch', { got: exercise, id: spec.id }));
  const tasks: AnswersFile['tasks'] = {};
  const answered = own(d, 'answers');
  const taskIds = spec.tasks.map((t) => t.id);

  for (const [taskId, qa] of entries(answered)) {
    const task = spec.tasks.find((t) => t.id === taskId);
    if (!task) {
      issues.error(['answers', taskId], issues.withGuess(issues.msg('ansUnknownTask', { id: taskId, known: taskIds.join(', ') }), didYouMean(taskId, taskIds)), { onKey: true });
      continue;
    }
    const out: Record<string, Record<string, Answer>> = {};
    for (const [qid, value] of entries(qa)) {
      const at: PathSeg[] = ['answers', taskId, qid];
      if (!task.questions.includes(qid) || !Object.hasOwn(spec.questions, qid)) {
        issues.error(at, issues.withGuess(issues.msg('ansUnknownQuestion', { id: qid, task: taskId, known: task.questions.join(', ') }), didYouMean(qid, task.questions)), { onKey: true });
        continue;
      }
      const q = spec.questions[qid]!;
      const byRole = readQuestion(src, issues, task, q.kind, value, at);
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

  issues.throwIfAny();
  issues.flushWarnings(opts);
  return { file: src.file, student, tasks };
}

function readStudent(src: YamlSource, v: unknown, issues: Issues): StudentIdentity {
  const name = own(v, 'name');
  if (typeof name !== 'string' || name.trim() === '') issues.error(['student', 'name'], issues.msg('ansStudentName'), { onKey: true });
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

/** One question of one task: role ('*' or a VM role) -> answer. */
function readQuestion(src: YamlSource, issues: Issues, task: SpecTask, kind: AnswerKind, value: unknown, at: PathSeg[]): Record<string, Answer> {
  const out: Record<string, Answer> = {};
  if (isEmpty(value)) return out;
  if (kind === 'ipv4-config') {
    if (!isRecord(value)) {
      issues.error(at, issues.msg('ansConfigNeedsMap', { example: '{ address: 192.168.1.10/24, gateway: 192.168.1.1, dns: 192.168.1.1 }' }));
      return out;
    }
    const keys = Object.keys(value);
    const fields = keys.filter((k) => configField(k) !== undefined);
    const roles = keys.filter((k) => task.vms.includes(k));
    if (fields.length > 0 && roles.length > 0) {
      issues.error(at, issues.msg('ansMixedConfig', { fields: fields.join(', '), roles: roles.join(', ') }));
      return out;
    }
    if (roles.length === 0 && fields.length > 0) {
      const a = readConfig(src, issues, value, at);
      if (a) out['*'] = a;
      return out;
    }
    for (const k of keys) {
      if (!task.vms.includes(k)) {
        unknownRole(issues, task, k, [...at, k]);
        continue;
      }
      const v = value[k];
      if (isEmpty(v)) continue;
      if (typeof v === 'string') {
        const a = readConfig(src, issues, { address: v }, [...at, k], true);
        if (a) out[k] = a;
      } else if (isRecord(v)) {
        const a = readConfig(src, issues, v, [...at, k]);
        if (a) out[k] = a;
      } else {
        issues.error([...at, k], issues.msg('ansConfigNeedsMap', { example: '{ address: 192.168.1.10/24, gateway: 192.168.1.1, dns: 192.168.1.1 }' }));
      }
    }
    return out;
  }
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (!task.vms.includes(k)) {
        unknownRole(issues, task, k, [...at, k]);
        continue;
      }
      if (isEmpty(v)) continue;
      const a = readScalar(src, issues, kind, v, [...at, k]);
      if (a) out[k] = a;
    }
    return out;
  }
  const a = readScalar(src, issues, kind, value, at);
  if (a) out[ALL_VMS] = a;
  return out;
}

function unknownRole(issues: Issues, task: SpecTask, role: string, at: PathSeg[]): void {
  issues.error(at, issues.withGuess(issues.msg('ansUnknownRole', { id: role, task: task.id, known: task.vms.join(', ') }), didYouMean(role, task.vms)), { onKey: true });
}

function positioned(src: YamlSource, at: PathSeg[], value: AnswerValue, fallbackRaw: string): Answer {
  const answer: Answer = { value, raw: sourceText(src, at) ?? fallbackRaw };
  const pos = locate(src, at);
  if (pos) {
    answer.line = pos.line;
    answer.column = pos.column;
  }
  return answer;
}

function parseError(issues: Issues, at: PathSeg[], r: { error: ParseErrorCode; params?: Record<string, string> }): void {
  issues.error(at, issues.msg(r.error, r.params));
}

function readScalar(src: YamlSource, issues: Issues, kind: AnswerKind, v: unknown, at: PathSeg[]): Answer | undefined {
  const expected = issues.msg(KIND_MSG[kind]);
  if (kind === 'yes-no' && typeof v === 'boolean') return positioned(src, at, { kind, value: v }, String(v));
  if (typeof v !== 'string') {
    issues.error(at, issues.msg('ansScalarExpected', { expected, actual: typeWord(v) === 'number' ? String(v) : typeWord(v) }));
    return undefined;
  }
  const r: ParseResult<AnswerValue> =
    kind === 'yes-no'
      ? mapOk(parseYesNo(v), (value) => ({ kind, value }))
      : kind === 'config-method'
        ? mapOk(parseConfigMethod(v), (value) => ({ kind, value }))
        : mapOk(parseIpv4OrNone(v), (value) => ({ kind: 'ipv4', value }));
  if (!r.ok) {
    parseError(issues, at, r);
    return undefined;
  }
  return positioned(src, at, r.value, v);
}

function mapOk<T, U>(r: ParseResult<T>, f: (v: T) => U): ParseResult<U> {
  return r.ok ? { ok: true, value: f(r.value) } : r;
}

function readConfig(src: YamlSource, issues: Issues, v: Record<string, unknown>, at: PathSeg[], addressOnly = false): Answer | undefined {
  const input: ConfigInput = {};
  const keyOf: Partial<Record<keyof ConfigInput, string>> = {};
  let bad = false;
  for (const [k, val] of Object.entries(v)) {
    const f = configField(k);
    if (!f) {
      issues.error([...at, k], issues.withGuess(issues.msg('ansConfigUnknownField', { key: k }), didYouMean(k, ['address', 'gateway', 'dns', 'netmask', 'prefix'])), { onKey: true });
      bad = true;
      continue;
    }
    if (isRecord(val) || typeof val === 'boolean') {
      issues.error([...at, k], issues.msg('ansScalarExpected', { expected: f, actual: typeWord(val) }));
      bad = true;
      continue;
    }
    if (Array.isArray(val) && f !== 'dns') {
      issues.error([...at, k], issues.msg('ansScalarExpected', { expected: f, actual: 'list' }));
      bad = true;
      continue;
    }
    input[f] = val as ConfigInput[typeof f];
    keyOf[f] = k;
  }
  if (bad) return undefined;
  const r = parseIpv4Config(input);
  if (!r.ok) {
    for (const e of r.errors) issues.error(addressOnly ? at : [...at, keyOf[e.field] ?? e.field], issues.msg(e.error, e.params));
    return undefined;
  }
  const c = r.value;
  return positioned(src, at, { kind: 'ipv4-config', address: c.address, prefix: c.prefix, gateway: c.gateway, dns: c.dns }, JSON.stringify(v));
}
