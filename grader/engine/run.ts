// gradeStudent: one grading run for one student — inspect the host, pick the tasks, run the host
// checks, measure the VMs, observe and grade every question per VM, and total up. Everything a
// renderer needs is in the returned GradeResult; totals and the exit code are decided here.
import type { Answer, AnswersFile, ExerciseSpec, GradeResult, GuestAccess, HostSnapshot, LabFile, Lang, SpecTask, TaskResult, Verdict } from '../types.js';
import type { GuestOutcome, HostCheck, Observation, QuestionCheck } from '../../checks/types.js';
import type { EngineDeps } from './deps.js';
import { withHostKeyLog } from '../transports/host-key-log.js';
import { ConnectionPool, measureTask } from './measure.js';
import { attachedNetworks, domainName, expectedNetworkName, findDomain, findNetwork, isAttached } from './lookup.js';
import { selectTasks, type TaskSelection } from './select-tasks.js';
import { gradeQuestion, skipVerdict } from './grade.js';
import { roundPoints, verdict } from '../verdict.js';
import { diagnoseNetwork } from './network.js';
import { resolveRefs } from './answer-refs.js';
import { computeExitCode, computeTotals, taskPoints } from './totals.js';
import { interfaceOn, normMac } from '../facts/interfaces.js';
import { toolVersion } from '../version.js';
import { both, data, msg, say, type Msg } from '../i18n/messages.js';
import { rolesAsked } from '../inputs/asked.js';
import { taskAddresses } from './addresses.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/grade.js';
import en from '../i18n/en/grade.js';

const t = translator(es, en);

export type ProgressStage = 'inspect' | 'select' | 'connect' | 'grade' | 'done';
export type ProgressFn = (stage: ProgressStage, detail: string) => void;

export interface GradeInput {
  spec: ExerciseSpec;
  lab: LabFile;
  answers: AnswersFile;
  /** `auto` (default): the tasks whose network the VMs are attached to now; `all`; or a task id. */
  task?: TaskSelection;
  lang: Lang;
  /** Real modules by default (grader/engine/default-deps.ts); tests inject fakes. */
  deps: EngineDeps;
  /** Progress lines for a terminal (already localized). */
  onProgress?: ProgressFn;
  /** An inspection started earlier (startInspection), e.g. while the answers were being read. */
  inspection?: Inspection;
}

/** A host inspection in flight, with its own timing. */
export interface Inspection {
  result: Promise<{ snapshot: HostSnapshot; ms: number }>;
}

/** Starts inspecting the host now; pass it to gradeStudent as `inspection`. */
export function startInspection(deps: Pick<EngineDeps, 'inspect'>, lab: LabFile): Inspection {
  const t0 = Date.now();
  const result = deps.inspect(lab).then((snapshot) => ({ snapshot, ms: Date.now() - t0 }));
  result.catch(() => undefined);
  return { result };
}

function emptySnapshot(lab: LabFile, now: Date, problem: string): HostSnapshot {
  return { uri: lab.uri, takenAt: now.toISOString(), networks: [], domains: [], leases: [], problems: [problem] };
}

export function answerFor(answers: AnswersFile, task: string, question: string, role: string): Answer | undefined {
  const q = answers.tasks[task]?.[question];
  return q?.[role] ?? q?.['*'];
}

function errorVerdict(task: SpecTask, check: string, message: Msg, lang: Lang): Verdict {
  return verdict({ task: task.id, check, subject: 'check', outcome: 'error', message, codes: ['check-crashed'], lang });
}

function safeObserve(check: QuestionCheck | undefined, ctx: Parameters<QuestionCheck['observe']>[0]): Observation {
  if (!check) {
    const error = msg('grade', 'unknownCheck', { check: ctx.question.check });
    return { value: null, display: data(''), codes: ['unknown-check'], explanation: error, evidence: [], error };
  }
  try {
    return check.observe(ctx);
  } catch (err) {
    const error = msg('grade', 'checkCrashed', { check: check.name, message: (err as Error)?.message ?? String(err) });
    return { value: null, display: data(''), codes: ['check-crashed'], explanation: error, evidence: [], error };
  }
}

function runHostChecks(checks: HostCheck[], ctx: Parameters<HostCheck['run']>[0]): Verdict[] {
  const out: Verdict[] = [];
  for (const hc of checks) {
    try {
      out.push(...hc.run(ctx));
    } catch (err) {
      out.push(errorVerdict(ctx.task, hc.name, msg('grade', 'checkCrashed', { check: hc.name, message: (err as Error)?.message ?? String(err) }), ctx.lang));
    }
  }
  return out;
}

export async function gradeStudent(input: GradeInput): Promise<GradeResult> {
  // Host keys pinned while grading are part of the result: trusting one is a decision to review.
  const { value: result, keys } = await withHostKeyLog(() => gradeOnce(input));
  if (keys.length > 0) result.trustedHostKeys = keys;
  return result;
}

async function gradeOnce(input: GradeInput): Promise<GradeResult> {
  const { spec, lab, answers, lang, deps } = input;
  const progress: ProgressFn = input.onProgress ?? (() => undefined);
  const sel = input.task ?? 'auto';
  const startedAt = deps.now();
  const errors: string[] = [];
  const timings = { inspectMs: 0, connectMs: 0, probeMs: 0, gradeMs: 0 };
  // Answers under keys the exercise does not have (a typo in a question id): said in the report,
  // without stopping anything (the question meant is graded as unanswered).
  const noticeWords = (answers.strayKeys ?? []).map((k) => {
    const where = [k.line, k.column].filter((x) => x !== undefined).join(':');
    return msg('grade', 'answerKeyIgnored', { where: `${k.path ?? ''}${where ? ` (${where})` : ''}`, message: k.message });
  });
  const answerNotices = noticeWords.map((m) => say(lang, m));
  const errorWords: Msg[] = [];
  const error = (m: Msg) => {
    errorWords.push(m);
    errors.push(say(lang, m));
  };

  // 1. Inspect the host.
  progress('inspect', t(lang, 'progressInspect', { uri: lab.uri }));
  let t0 = Date.now();
  let snapshot: HostSnapshot;
  let inspected = true;
  let inspectMs: number | null = null;
  try {
    const r = await (input.inspection ?? startInspection(deps, lab)).result;
    snapshot = r.snapshot;
    inspectMs = r.ms;
  } catch (err) {
    inspected = false;
    const m = msg('grade', 'inspectFailed', { uri: lab.uri, message: deps.redact((err as Error)?.message ?? String(err)) });
    error(m);
    snapshot = emptySnapshot(lab, deps.now(), say(lang, m));
  }
  timings.inspectMs = inspectMs ?? Date.now() - t0;

  // 2. Which tasks.
  const { selected, skipped } = selectTasks(spec, lab, snapshot, sel);
  if (sel === 'auto' && selected.length === 0 && inspected) {
    const where = Object.keys(spec.vms)
      .map((role) => `${domainName(spec, lab, role)}: ${attachedNetworks(findDomain(spec, lab, snapshot, role)).join(', ') || '-'}`)
      .join('; ');
    error(msg('grade', 'noTaskDetected', { where }));
  }
  progress('select', t(lang, 'progressTasks', { tasks: selected.map((x) => x.id).join(', ') || '-' }));

  const pool = new ConnectionPool(deps, spec, lab, snapshot);
  const tasks: TaskResult[] = [];
  const access: GuestAccess[] = [];
  try {
    for (const task of spec.tasks) {
      const network = findNetwork(spec, lab, snapshot, task.network);
      const netName = network?.name ?? expectedNetworkName(spec, lab, task.network);
      const taskResult: TaskResult = {
        id: task.id,
        title: task.title[lang],
        titleWords: both(task.title.es, task.title.en),
        network: { key: task.network, name: network?.name ?? (lab.networks[task.network] ?? null), type: network?.type ?? null },
        hostChecks: [],
        questions: [],
        points: 0,
        maxPoints: 0,
      };
      const maxPer = (q: { id: string; points: number }): number => {
        const n = rolesAsked(task, q.id).length;
        return n > 0 ? q.points / n : 0;
      };
      const skip = skipped.find((s) => s.task.id === task.id);
      if (skip || !selected.includes(task)) {
        const reason = !inspected
          ? msg('grade', 'skipNoSnapshot')
          : skip?.reason === 'not-detected'
            ? msg('grade', 'skipNotDetected', { network: netName })
            : msg('grade', 'skipNotSelected', { selection: sel });
        for (const qid of task.questions) {
          const q = spec.questions[qid];
          if (!q) continue;
          for (const role of rolesAsked(task, qid)) {
            const answer = answerFor(answers, task.id, qid, role);
            taskResult.questions.push(skipVerdict(task, q, role, maxPer(q), answer, reason, skip?.reason ?? 'not-selected', lang));
          }
        }
        tasks.push(taskResult);
        continue;
      }

      // 3. Host checks of the task.
      t0 = Date.now();
      if (inspected) taskResult.hostChecks = runHostChecks(deps.hostChecks, { spec, task, lab, snapshot, lang });
      timings.gradeMs += Date.now() - t0;

      // 4. Measure the VMs attached to the task's network.
      const attached = task.vms.filter((role) => isAttached(findDomain(spec, lab, snapshot, role), network));
      let guests: Record<string, GuestOutcome> = {};
      if (attached.length > 0) {
        progress('connect', t(lang, 'progressMeasure', { task: task.id, guests: attached.map((r) => domainName(spec, lab, r)).join(', '), network: netName }));
        const m = await measureTask({ spec, lab, task, snapshot, network, roles: attached, lang, deps, pool });
        guests = m.guests;
        timings.connectMs += m.connectMs;
        timings.probeMs += m.probeMs;
      }

      // 5. Observe and grade every question for every VM.
      t0 = Date.now();
      progress('grade', t(lang, 'progressGrade', { task: task.id }));
      const diagnosis = diagnoseNetwork(spec.networks[task.network], network, netName);
      const title = spec.networks[task.network]?.title;
      const networkTitle = title ? both(title.es, title.en) : data(task.network);
      const vmAddresses = taskAddresses(spec, lab, snapshot, task, network, guests);
      for (const qid of task.questions) {
        const question = spec.questions[qid];
        if (!question) continue;
        for (const role of rolesAsked(task, qid)) {
          const guest = guests[role];
          const answer = resolveRefs(answerFor(answers, task.id, qid, role), {
            host: network?.ips.find((i) => i.family === 'ipv4')?.address ?? null,
            // A gateway that could not be read names no address (the answer's reference stays unresolved).
            gateway: guest && guest.ok && guest.facts.config.gateway.ok ? guest.facts.config.gateway.value : null,
          });
          const dom = findDomain(spec, lab, snapshot, role);
          if (!attached.includes(role)) {
            const reason = !inspected
              ? msg('grade', 'skipNoSnapshot')
              : !dom
                ? msg('grade', 'skipNoDomain', { domain: domainName(spec, lab, role) })
                : !network
                  ? msg('grade', 'skipNoNetwork', { network: netName })
                  : msg('grade', 'skipNotAttached', { domain: dom.name, network: netName, where: attachedNetworks(dom).join(', ') || '-' });
            taskResult.questions.push(skipVerdict(task, question, role, maxPer(question), answer, reason, 'vm-not-on-network', lang));
            continue;
          }
          const observation = safeObserve(deps.questionChecks[question.check], { spec, task, question, role, lab, snapshot, network, guests, lang });
          const g = guests[role];
          const have = new Set(
            g && g.ok && g.facts.config.interfaces.ok ? (interfaceOn(snapshot, g.facts.domain, network, g.facts.config.interfaces.value)?.ipv4 ?? []).map((a) => a.address) : [],
          );
          const macs = (dom?.interfaces ?? []).map((i) => normMac(i.mac));
          // A lease is stale only against addresses that were measured: unread interfaces prove nothing.
          const measured = g !== undefined && g.ok && g.facts.config.interfaces.ok;
          const staleLeases = !measured ? [] : snapshot.leases
            .filter((l) => macs.includes(normMac(l.mac)) && !have.has(l.address))
            .map((l) => ({ address: l.address, network: l.network }));
          const vmNames = Object.fromEntries(task.vms.map((r) => [r, domainName(spec, lab, r)]));
          taskResult.questions.push(
            gradeQuestion({
              task,
              question,
              role,
              answer,
              observation,
              theory: task.theory[qid],
              network,
              networkTitle,
              diagnosis,
              staleLeases,
              allNetworks: snapshot.networks,
              maxPoints: maxPer(question),
              lang,
              vmAddresses,
              vmNames,
            }),
          );
        }
      }
      timings.gradeMs += Date.now() - t0;
      tasks.push(taskResult);
    }
  } finally {
    // How each guest was reached (or not), in the lab file's role order; secrets redacted.
    for (const role of Object.keys(lab.vms)) {
      const trail = pool.trails.get(role);
      if (!trail) continue;
      access.push({
        role,
        domain: domainName(spec, lab, role),
        via: trail.find((a) => a.outcome === 'used')?.method ?? null,
        trail: trail.map((a) => ({ ...a, method: deps.redact(a.method), detail: deps.redact(a.detail) })),
      });
    }
    await pool.closeAll();
  }

  for (const tr of tasks) {
    const p = taskPoints([...tr.hostChecks, ...tr.questions]);
    tr.points = p.points;
    tr.maxPoints = roundPoints(p.maxPoints);
  }
  const result: GradeResult = {
    schemaVersion: 1,
    tool: { name: 'labgrade', version: toolVersion() },
    lang,
    exercise: { id: spec.id, title: spec.title[lang], file: spec.file },
    student: answers.student,
    lab: { uri: lab.uri, file: lab.file },
    startedAt: startedAt.toISOString(),
    finishedAt: deps.now().toISOString(),
    timings,
    tasks,
    totals: computeTotals(tasks),
    errors,
    ...(answerNotices.length > 0 ? { answerNotices } : {}),
    access,
    exitCode: computeExitCode(tasks, errors),
    words: { exerciseTitle: both(spec.title.es, spec.title.en), errors: errorWords, ...(noticeWords.length > 0 ? { answerNotices: noticeWords } : {}) },
  };
  progress('done', t(lang, 'progressDone', { points: result.totals.points, max: result.totals.maxPoints, percent: result.totals.percent }));
  return result;
}
