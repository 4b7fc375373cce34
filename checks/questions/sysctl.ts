// sysctl: does a kernel parameter have the wanted value now and, when `persistent` (default), also
// after a reboot (the last assignment in the files read at boot: /etc/sysctl.d/*.conf ... then
// /etc/sysctl.conf)? E.g. forwarding for a Linux router: { key: net.ipv4.ip_forward, value: "1" }.
import type { QuestionCheck, Observation } from '../types.js';
import type { MeasurementError, SysctlSetting } from '../../grader/types.js';
import { SYSCTL_KEY } from '../../grader/facts/needs.js';
import { paramsFor, readParams, tc, type ParamRules } from './params.js';
import { guestLabel, measurementText, tr, onMeasuredGuest, yesNo, evidenceOf } from './util.js';

const RULES: ParamRules = {
  key: { type: 'string', pattern: SYSCTL_KEY, what: 'whatSysctlKey', required: true },
  value: { type: 'string', pattern: /^[^\n]{1,64}$/, what: 'whatSysctlValue', required: true },
  persistent: { type: 'boolean', required: false, default: true },
};

const norm = (v: string): string => v.trim().replace(/\s+/g, ' ');
const where = (s: SysctlSetting): string => `${s.file}:${s.line}`;

export const sysctl: QuestionCheck = onMeasuredGuest({
  name: 'sysctl',
  kind: 'yes-no',
  validateParams: (params, ctx) => readParams(RULES, params, ctx).problems,
  needs(q) {
    const key = q.params?.key;
    return [{ kind: 'config' }, ...(typeof key === 'string' && SYSCTL_KEY.test(key) ? [{ kind: 'sysctl' as const, key }] : [])];
  },
  observe(ctx, facts) {
    const p = paramsFor(ctx, RULES, 'sysctl');
    if ('observation' in p) return p.observation;
    const key = p.values.key as string;
    const want = norm(p.values.value as string);
    const persistent = p.values.persistent as boolean;
    const guest = guestLabel(facts);
    const evidence = evidenceOf(facts, facts.sysctl?.[key]?.evidence);
    const fact = facts.sysctl?.[key];
    const fail = (error: string, cause?: MeasurementError['cause']): Observation => ({
      value: null,
      display: tr(ctx, 'displayUnknown'),
      codes: cause ? ['sysctl-not-measured', `not-measured-${cause}`] : ['sysctl-not-measured'],
      explanation: error,
      evidence,
      error,
    });
    // "Could not measure": the command, what happened and the fix, all in the report's language.
    const notMeasured = (err: MeasurementError, what: 'whatSysLive' | 'whatSysPersisted', before = ''): Observation =>
      fail(`${before}${measurementText(ctx, err, tc(ctx.lang, what, { key }), guest)}`, err.cause);
    if (!fact) return fail(tc(ctx.lang, 'sysNotMeasured', { key, guest }));
    if (!fact.live.ok) return notMeasured(fact.live.error, 'whatSysLive');
    const liveOk = norm(fact.live.value) === want;
    const codes: string[] = [];
    const parts = [tc(ctx.lang, 'sysLive', { guest, key, live: fact.live.value })];
    let value = liveOk;
    if (!liveOk) codes.push('sysctl-not-live');
    if (persistent) {
      if (!fact.persisted.ok) {
        // The running value alone already says "no"; otherwise persistence decides and is unknown.
        if (liveOk) return notMeasured(fact.persisted.error, 'whatSysPersisted', `${parts[0]}. `);
        parts[0] += '.';
      } else {
        const last = fact.persisted.value[fact.persisted.value.length - 1];
        const unread = (fact.ignored ?? []).filter((s) => norm(s.value) === want).at(-1);
        if (!last) {
          parts.push(tc(ctx.lang, 'sysNotPersisted', { files: tc(ctx.lang, 'sysFiles', {}) }));
          codes.push('sysctl-not-persistent');
          value = false;
          if (unread) {
            codes.push('sysctl-file-not-read');
            parts.push(tc(ctx.lang, 'sysFileNotRead', { where: where(unread) }));
          }
        } else if (norm(last.value) !== want) {
          parts.push(tc(ctx.lang, 'sysPersistedOther', { value: last.value, where: where(last), want }));
          codes.push('sysctl-not-persistent');
          value = false;
        } else parts.push(tc(ctx.lang, 'sysPersisted', { value: last.value, where: where(last) }));
      }
    } else parts[0] += '.';
    if (!liveOk) parts.push(tc(ctx.lang, 'sysWantLive', { want }));
    return { value: { kind: 'yes-no', value }, display: yesNo(ctx, value), codes, explanation: parts.join(' '), evidence };
  },
});
