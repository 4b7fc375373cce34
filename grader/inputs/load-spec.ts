// Loads an exercise spec (exercises/*.yaml): YAML -> JSON Schema -> semantic checks -> ExerciseSpec.
import { say, type Msg } from '../i18n/messages.js';
import type { ExerciseSpec, SpecNetwork, SpecQuestion, SpecTask, SpecVm, Text, Theory, AnswerKind, NetworkAttachment, NetworkType, OsFamily, Lang } from '../types.js';
import { didYouMean } from './did-you-mean.js';
import { bundledExerciseIds, resolveExerciseArg } from './exercises.js';
import { isProbeTarget } from './parse-answer.js';
import { Issues, entries, langOf, own, readYaml, requireTopMap, validateSchema, type LoadOptions, type PathSeg, type SpecMsg } from './yaml-source.js';

const DEFAULT_TIMEOUT_MS = 2000;

function text(v: unknown): Text {
  return { es: String(own(v, 'es') ?? ''), en: String(own(v, 'en') ?? '') };
}

const THEORY_EXPECTED: Record<AnswerKind, SpecMsg> = {
  'config-method': 'kindConfigMethod',
  'yes-no': 'kindYesNo',
  ipv4: 'kindIpv4',
  'ipv4-config': 'kindIpv4Config',
};
const THEORY_FORMS: Record<AnswerKind, string> = {
  'config-method': 'static | dynamic',
  'yes-no': 'true | false',
  ipv4: 'host-address | vm:<role> | none | any',
  'ipv4-config': '{ address: dhcp-range | network-subnet | any, gateway: host-address | vm:<role> | none | any, dns: host-address | vm:<role> | none | any }',
};

function theoryOf(kind: AnswerKind, v: unknown): Theory | undefined {
  switch (kind) {
    case 'config-method':
      return v === 'static' || v === 'dynamic' ? { kind, value: v } : undefined;
    case 'yes-no':
      return typeof v === 'boolean' ? { kind, value: v } : undefined;
    case 'ipv4':
      return v === 'host-address' || v === 'none' || v === 'any' || isVmAddress(v) ? { kind, value: v } : undefined;
    case 'ipv4-config': {
      // The schema already checked the object's fields.
      const address = own<string>(v, 'address');
      const gateway = own<string>(v, 'gateway');
      const dns = own<string>(v, 'dns');
      if (address === undefined || gateway === undefined || dns === undefined) return undefined;
      return { kind, address, gateway, dns } as Theory;
    }
  }
}

function isVmAddress(v: unknown): v is `vm:${string}` {
  return typeof v === 'string' && /^vm:[a-z][a-z0-9_]*$/.test(v);
}

/** The `vm:<role>` roles a theory names. */
function theoryRoles(th: Theory): string[] {
  const addrs = th.kind === 'ipv4' ? [th.value] : th.kind === 'ipv4-config' ? [th.gateway, th.dns] : [];
  return addrs.filter(isVmAddress).map((a) => a.slice(3));
}

/** What a check's parameter validator may refer to. */
export interface ParamsContext {
  networks: string[];
  roles: string[];
  lang: Lang;
}

export interface LoadSpecOptions extends LoadOptions {
  /**
   * The question checks available (name -> answer kind), e.g. checks/questions' registry: when
   * given, each question's `check` must exist and observe answers of the question's kind, and its
   * `params` must satisfy the check's validator.
   */
  checks?: Record<string, { kind: AnswerKind; validateParams?: (params: Record<string, unknown>, ctx: ParamsContext) => Msg[] }>;
}

/** Loads and validates an exercise spec; throws InputError listing every problem. */
/** `pathOrId`: a spec file, or the id of a bundled exercise (`clase2-redes`; see exercises.ts). */
export async function loadSpec(pathOrId: string, opts: LoadSpecOptions = {}): Promise<ExerciseSpec> {
  const lang = langOf(opts);
  const { path, unknownId } = resolveExerciseArg(pathOrId);
  if (unknownId) {
    const ids = bundledExerciseIds();
    const guess = didYouMean(pathOrId, ids);
    const issues = new Issues(lang, pathOrId);
    issues.error([], issues.withGuess(issues.msg('specUnknownId', { id: pathOrId, ids: ids.join(', ') }), guess));
    issues.throwIfAny();
  }
  const src = await readYaml(path, lang);
  const issues = new Issues(lang, src.display, src);
  requireTopMap(src, issues);
  await validateSchema(src, 'spec', issues);
  issues.throwIfAny();
  const d = src.data as Record<string, unknown>;

  const networks: Record<string, SpecNetwork> = {};
  const nameOwner = new Map<string, string>();
  for (const [key, n] of entries(d.networks)) {
    const names = (own<string[]>(n, 'names') ?? []).map(String);
    names.forEach((name, i) => {
      const other = nameOwner.get(name);
      if (other !== undefined && other !== key) issues.error(['networks', key, 'names', i], issues.msg('specDuplicateName', { name, other }));
      nameOwner.set(name, key);
    });
    networks[key] = {
      key,
      title: text(own(n, 'title')),
      type: own<NetworkType>(n, 'type')!,
      dhcp: own<boolean>(n, 'dhcp')!,
      hostAddress: own<boolean>(n, 'host_address')!,
      names,
      attachment: own<NetworkAttachment>(n, 'attachment') ?? 'network',
    };
  }

  const vms: Record<string, SpecVm> = {};
  for (const [role, v] of entries(d.vms)) {
    vms[role] = { role, title: text(own(v, 'title')), os: own<OsFamily>(v, 'os')!, defaultDomain: String(own(v, 'default_domain')) };
  }

  const shared: Record<string, Text> = {};
  for (const [code, h] of entries(d.hints)) shared[code] = text(h);
  const questions: Record<string, SpecQuestion> = {};
  for (const [id, q] of entries(d.questions)) {
    const hints: Record<string, Text> = { ...shared };
    for (const [code, h] of entries(own(q, 'hints'))) hints[code] = text(h);
    const check = String(own(q, 'check'));
    const kind = own<AnswerKind>(q, 'kind')!;
    if (opts.checks) {
      const known = Object.keys(opts.checks);
      const c = Object.hasOwn(opts.checks, check) ? opts.checks[check] : undefined;
      if (!c) issues.error(['questions', id, 'check'], issues.withGuess(issues.msg('specUnknownCheck', { check, known: known.join(', ') }), didYouMean(check, known)));
      else if (c.kind !== kind) issues.error(['questions', id, 'check'], issues.msg('specCheckKind', { check, checkKind: c.kind, kind }));
      else if (c.validateParams) {
        const ctx: ParamsContext = { networks: Object.keys(networks), roles: Object.keys(vms), lang };
        for (const problem of c.validateParams(own<Record<string, unknown>>(q, 'params') ?? {}, ctx)) {
          issues.error(['questions', id, 'params'], issues.msg('specParams', { check, problem: say(lang, problem) }));
        }
      }
    }
    const title = own(q, 'title');
    questions[id] = {
      id,
      ...(title !== undefined ? { title: text(title) } : {}),
      prompt: text(own(q, 'prompt')),
      kind: own<AnswerKind>(q, 'kind')!,
      check: String(own(q, 'check')),
      points: Number(own(q, 'points')),
      hints,
      params: { ...(own<Record<string, unknown>>(q, 'params') ?? {}) },
    };
  }

  const tasks: SpecTask[] = [];
  const taskIds = new Map<string, number>();
  const asked = new Set<string>();
  const tasksRaw = Array.isArray(d.tasks) ? d.tasks : [];
  tasksRaw.forEach((tr: unknown, ti: number) => {
    const at = (...p: PathSeg[]): PathSeg[] => ['tasks', ti, ...p];
    const id = String(own(tr, 'id'));
    if (taskIds.has(id)) issues.error(at('id'), issues.msg('specDuplicateTask', { id }));
    taskIds.set(id, ti);
    const network = String(own(tr, 'network'));
    if (!Object.hasOwn(networks, network)) unknownRef(issues, at('network'), 'specUnknownNetwork', network, Object.keys(networks));
    const taskVms = (own<string[]>(tr, 'vms') ?? []).map(String);
    taskVms.forEach((r, i) => {
      if (!Object.hasOwn(vms, r)) unknownRef(issues, at('vms', i), 'specUnknownVm', r, Object.keys(vms));
    });
    const qs = (own<string[]>(tr, 'questions') ?? []).map(String);
    qs.forEach((q, i) => {
      asked.add(q);
      if (!Object.hasOwn(questions, q)) unknownRef(issues, at('questions', i), 'specUnknownQuestion', q, Object.keys(questions));
    });
    const theory: Record<string, Theory> = {};
    const theoryRaw = own(tr, 'theory');
    for (const [qid, tv] of entries(theoryRaw)) {
      if (!qs.includes(qid)) {
        const guess = didYouMean(qid, qs);
        issues.error(at('theory', qid), issues.withGuess(issues.msg('specTheoryNotAsked', { question: qid }), guess), { onKey: true });
        continue;
      }
      const q = Object.hasOwn(questions, qid) ? questions[qid] : undefined;
      if (!q) continue;
      const th = theoryOf(q.kind, tv);
      if (!th) {
        issues.error(at('theory', qid), issues.msg('specTheoryKind', { question: qid, kind: q.kind, expected: `${issues.msg(THEORY_EXPECTED[q.kind])}: ${THEORY_FORMS[q.kind]}` }));
        continue;
      }
      for (const r of theoryRoles(th)) {
        if (!taskVms.includes(r)) issues.error(at('theory', qid), issues.withGuess(issues.msg('specTheoryVm', { id: r, known: taskVms.join(', ') }), didYouMean(r, taskVms)));
      }
      theory[qid] = th;
    }
    for (const q of qs) {
      if (!Object.hasOwn(theory, q) && !(isRecordWith(theoryRaw, q))) issues.error(at('theory'), issues.msg('specTheoryMissing', { question: q }), { onKey: true });
    }
    const ask: Record<string, string[]> = {};
    for (const [qid, roles] of entries(own(tr, 'ask'))) {
      if (!qs.includes(qid)) {
        issues.error(at('ask', qid), issues.withGuess(issues.msg('specAskNotAsked', { question: qid }), didYouMean(qid, qs)), { onKey: true });
        continue;
      }
      ask[qid] = (Array.isArray(roles) ? roles : []).map(String);
      ask[qid].forEach((r, i) => {
        if (!taskVms.includes(r)) issues.error(at('ask', qid, i), issues.withGuess(issues.msg('specRoleNotInTask', { id: r, known: taskVms.join(', ') }), didYouMean(r, taskVms)));
      });
    }
    const nics: Record<string, string[]> = {};
    for (const [role, keys] of entries(own(tr, 'nics'))) {
      if (!taskVms.includes(role)) {
        issues.error(at('nics', role), issues.withGuess(issues.msg('specRoleNotInTask', { id: role, known: taskVms.join(', ') }), didYouMean(role, taskVms)), { onKey: true });
        continue;
      }
      nics[role] = (Array.isArray(keys) ? keys : []).map(String);
      nics[role].forEach((k, i) => {
        if (!Object.hasOwn(networks, k)) unknownRef(issues, at('nics', role, i), 'specUnknownNetwork', k, Object.keys(networks));
      });
    }
    tasks.push({ id, title: text(own(tr, 'title')), network, vms: taskVms, questions: qs, theory, ask, nics });
  });
  for (const id of Object.keys(questions)) {
    if (!asked.has(id)) issues.warn(['questions', id], issues.msg('specQuestionUnused', { id }), { onKey: true });
  }

  const probesRaw = d.probes;
  for (const k of ['outside_host', 'resolve_name'] as const) {
    const v = String(own(probesRaw, k));
    if (!isProbeTarget(v)) issues.error(['probes', k], issues.msg('specProbeTarget', { value: v }));
  }
  const probes = {
    outsideHost: String(own(probesRaw, 'outside_host')),
    resolveName: String(own(probesRaw, 'resolve_name')),
    timeoutMs: Number(own(probesRaw, 'timeout_ms') ?? DEFAULT_TIMEOUT_MS),
  };

  issues.throwIfAny();
  issues.flushWarnings(opts);
  return {
    file: src.file,
    id: String(d.id),
    title: text(d.title),
    networks,
    vms,
    questions,
    tasks,
    probes,
  };
}

function isRecordWith(v: unknown, key: string): boolean {
  return typeof v === 'object' && v !== null && Object.hasOwn(v, key);
}

function unknownRef(issues: Issues, path: PathSeg[], key: SpecMsg, id: string, known: string[]): void {
  const guess = didYouMean(id, known);
  issues.error(path, issues.withGuess(issues.msg(key, { id }), guess));
}
