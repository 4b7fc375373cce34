// Reading and validating the `params` of a question check. Each check declares its parameters
// once (name -> rule); the same description validates the spec at load time and reads the values
// when grading (a spec loaded without validation still cannot feed a check a bad value).
import type { Lang } from '../../grader/types.js';
import type { Observation, QuestionContext } from '../types.js';
import { join, msg, type Msg, type MsgArg } from '../../grader/i18n/messages.js';
import type es from '../../grader/i18n/es/checks.js';

export type ChecksKey = keyof typeof es;

/** A message of the checks' catalog (grader/i18n/{es,en}/checks.ts), with its parameters. */
export function tc(key: ChecksKey, params?: Record<string, MsgArg>): Msg {
  return msg('checks', key, params);
}

export type ParamRule =
  | { type: 'string'; pattern: RegExp; what: ChecksKey; required: boolean; default?: string }
  | { type: 'boolean'; required: boolean; default?: boolean }
  | { type: 'network' | 'role'; what: ChecksKey; required: boolean }
  | { type: 'files'; pattern: RegExp; what: ChecksKey; default: string[] };

export type ParamRules = Record<string, ParamRule>;
export type ParamValues = Record<string, string | boolean | string[] | undefined>;

export interface ParamsCtx {
  networks: string[];
  roles: string[];
  lang: Lang;
}

/** Problems (as messages) and the values read, defaults applied. */
export function readParams(rules: ParamRules, raw: Record<string, unknown> | undefined, ctx: ParamsCtx): { problems: Msg[]; values: ParamValues } {
  const params = raw ?? {};
  const problems: Msg[] = [];
  const values: ParamValues = {};
  const t = (key: ChecksKey, p: Record<string, MsgArg>): Msg => tc(key, p);
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(rules, name)) problems.push(t('paramUnknown', { name, known: Object.keys(rules).join(', ') }));
  }
  for (const [name, rule] of Object.entries(rules)) {
    const v = params[name];
    if (v === undefined || v === null) {
      if (rule.type === 'files') values[name] = rule.default;
      else if ('default' in rule && rule.default !== undefined) values[name] = rule.default;
      else if (rule.required) problems.push(t('paramRequired', { name, what: 'what' in rule ? t(rule.what, {}) : 'true | false' }));
      continue;
    }
    switch (rule.type) {
      case 'boolean':
        if (typeof v === 'boolean') values[name] = v;
        else problems.push(t('paramBoolean', { name }));
        break;
      case 'string': {
        const s = typeof v === 'number' ? String(v) : v;
        if (typeof s === 'string' && rule.pattern.test(s)) values[name] = s;
        else problems.push(t('paramString', { name, what: t(rule.what, {}) }));
        break;
      }
      case 'network':
      case 'role': {
        const known = rule.type === 'network' ? ctx.networks : ctx.roles;
        if (typeof v === 'string' && known.includes(v)) values[name] = v;
        else problems.push(t(rule.type === 'network' ? 'paramNetwork' : 'paramRole', { name, value: String(v), known: known.join(', ') }));
        break;
      }
      case 'files':
        if (Array.isArray(v) && v.length > 0 && v.every((f) => typeof f === 'string' && rule.pattern.test(f) && !f.includes('..'))) values[name] = v as string[];
        else problems.push(t('paramString', { name, what: t(rule.what, {}) }));
        break;
    }
  }
  return { problems, values };
}

/** The question's parameters when grading, or the `error` observation naming the bad ones. */
export function paramsFor(ctx: QuestionContext, rules: ParamRules, check: string): { values: Record<string, unknown> } | { observation: Observation } {
  const r = readParams(rules, ctx.question.params, { networks: Object.keys(ctx.spec.networks), roles: Object.keys(ctx.spec.vms), lang: ctx.lang });
  if (r.problems.length === 0) return { values: r.values };
  const error = tc('badParams', { check, problem: join(r.problems, '; ') });
  return { observation: { value: null, display: tc('unknownValue'), codes: ['bad-params'], explanation: error, evidence: [], error } };
}

