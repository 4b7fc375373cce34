// sysctl: does a kernel parameter have the wanted value now and, when `persistent` (default), also
// after a reboot (the last assignment in the files read at boot: /etc/sysctl.d/*.conf ... then
// /etc/sysctl.conf)? E.g. forwarding for a Linux router: { key: net.ipv4.ip_forward, value: "1" }.
import type { QuestionCheck, Observation } from '../types.js';
import type { MeasurementError, SysctlSetting } from '../../grader/types.js';
import { SYSCTL_KEY } from '../../grader/facts/needs.js';
import { paramsFor, readParams, tc, type ParamRules } from './params.js';
import { data, guestLabel, join, measurementWords, tr, onMeasuredGuest, yesNo, evidenceOf, type Msg } from './util.js';

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
    return typeof key === 'string' && SYSCTL_KEY.test(key) ? [{ kind: 'sysctl', key }] : [];
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
    const fail = (error: Msg, cause?: MeasurementError['cause']): Observation => ({
      value: null,
      display: tr(ctx, 'displayUnknown'),
      codes: cause ? ['sysctl-not-measured', `not-measured-${cause}`] : ['sysctl-not-measured'],
      explanation: error,
      evidence,
      error,
    });
    // "Could not measure": the command, what happened and the fix, all in the report's language.
    const notMeasured = (err: MeasurementError, what: 'whatSysLive' | 'whatSysPersisted', before?: Msg): Observation => {
      const m = measurementWords(err, tc(what, { key }), guest);
      return fail(before ? join([before, m], '. ') : m, err.cause);
    };
    if (!fact) return fail(tc('sysNotMeasured', { key, guest }));
    if (!fact.live.ok) return notMeasured(fact.live.error, 'whatSysLive');
    const liveOk = norm(fact.live.value) === want;
    const codes: string[] = [];
    const parts: Msg[] = [tc('sysLive', { guest, key, live: fact.live.value })];
    const stop = (): void => {
      parts[0] = join([parts[0]!, data('.')], '');
    };
    let value = liveOk;
    if (!liveOk) codes.push('sysctl-not-live');
    if (persistent) {
      if (!fact.persisted.ok) {
        // The running value alone already says "no"; otherwise persistence decides and is unknown.
        if (liveOk) return notMeasured(fact.persisted.error, 'whatSysPersisted', parts[0]);
        stop();
      } else {
        const last = fact.persisted.value[fact.persisted.value.length - 1];
        const unread = (fact.ignored ?? []).filter((s) => norm(s.value) === want).at(-1);
        if (!last) {
          parts.push(tc('sysNotPersisted', { files: tc('sysFiles', {}) }));
          codes.push('sysctl-not-persistent');
          value = false;
          if (unread) {
            codes.push('sysctl-file-not-read');
            parts.push(tc('sysFileNotRead', { where: where(unread) }));
          }
        } else if (norm(last.value) !== want) {
          parts.push(tc('sysPersistedOther', { value: last.value, where: where(last), want }));
          codes.push('sysctl-not-persistent');
          value = false;
        } else parts.push(tc('sysPersisted', { value: last.value, where: where(last) }));
      }
    } else stop();
    if (!liveOk) parts.push(tc('sysWantLive', { want }));
    return { value: { kind: 'yes-no', value }, display: yesNo(ctx, value), codes, explanation: join(parts), evidence };
  },
});
