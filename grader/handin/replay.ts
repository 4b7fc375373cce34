// Re-grading from the evidence: the same engine run, with dependencies that answer each virsh
// call and each guest script from the recorded entries (in order, matched by the exact command)
// instead of contacting anything. A call the evidence does not hold is a failed call ("could not
// measure", and listed in `missing`): never a fabricated fact.
import { TransportError, type AccessAttempt, type CommandResult, type Connection, type LabFile, type Lang, type TransportErrorCode } from '../types.js';
import type { EngineDeps } from '../engine/deps.js';
import { Virsh, type VirshExec } from '../libvirt/virsh.js';
import { inspectHost } from '../libvirt/snapshot.js';
import { GuestUnreachableError, type TriedAccess } from '../transports/open.js';
import { REASON_OF } from '../transports/access-reason.js';
import { proberFor } from '../probes/index.js';
import { extraFacts } from '../probes/extra.js';
import { hostChecks } from '../../checks/host/index.js';
import { questionChecks } from '../../checks/questions/index.js';
import type { CommandEntry, EvidenceEntry, OpenEntry, VirshEntry } from './evidence.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/handin.js';
import en from '../i18n/en/handin.js';

const t = translator(es, en);

export interface Replay {
  deps: EngineDeps;
  /** Calls the re-grade made that the evidence does not hold (each a "could not measure"). */
  missing: string[];
}

const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function shortScript(script: string): string {
  const line = script.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  return line.trim().slice(0, 60);
}

/** Replaying dependencies over one run's evidence; `redact` is the run's redactor. */
export function replayDeps(lang: Lang, entries: EvidenceEntry[], redact: (s: string) => string): Replay {
  const missing: string[] = [];
  const used = new Set<number>();
  const take = <E extends EvidenceEntry>(pred: (e: EvidenceEntry) => e is E): E | undefined => {
    const e = entries.find((x): x is E => !used.has(x.seq) && pred(x));
    if (e) used.add(e.seq);
    return e;
  };

  const exec: VirshExec = async (argv) => {
    const c = argv.indexOf('-c');
    const args = c >= 0 ? argv.slice(c + 2) : argv;
    const e = take((x): x is VirshEntry & EvidenceEntry => x.kind === 'virsh' && same(x.args, args));
    if (!e) {
      const what = `virsh ${args.join(' ')}`;
      missing.push(what);
      throw new TransportError('protocol', 'hand-in', t(lang, 'notInEvidence', { what }));
    }
    if (e.error) throw new TransportError(e.error.code, 'hand-in', e.error.message);
    return e.result!;
  };

  const connection = (open: OpenEntry): Connection => ({
    kind: open.transport ?? 'ssh',
    target: open.target ?? open.role,
    async runScript(script: string, args: string[]): Promise<CommandResult> {
      const e = take((x): x is CommandEntry & EvidenceEntry => x.kind === 'command' && x.role === open.role && x.script === script && same(x.args, args));
      if (!e) {
        const what = `${open.target ?? open.role}: ${shortScript(script)}${args.length ? ` ${args.join(' ')}` : ''}`;
        missing.push(what);
        throw new TransportError('protocol', open.target ?? open.role, t(lang, 'notInEvidence', { what }));
      }
      if (e.error) throw new TransportError(e.error.code, e.target, e.error.message);
      return e.result!;
    },
    close: async () => undefined,
  });

  const tried = (trail: AccessAttempt[], code: TransportErrorCode): TriedAccess[] =>
    trail.map((a) => ({ ...a, code: a.outcome === 'used' ? null : code, error: a.outcome === 'used' ? '' : a.detail }));

  const deps: EngineDeps = {
    inspect: (lab: LabFile) => {
      const virsh = new Virsh({ uri: lab.uri, lang, exec, execUri: lab.uri, local: true });
      return inspectHost(lab.uri, { lang, domains: Object.values(lab.vms).map((x) => x.domain), virsh, concurrency: 1 });
    },
    openGuest: async (vm, ctx) => {
      const e = take((x): x is OpenEntry & EvidenceEntry => x.kind === 'open' && x.role === ctx.role && x.domain === vm.domain);
      const label = `${ctx.role} (${vm.domain})`;
      if (!e) {
        const what = t(lang, 'connectionTo', { role: ctx.role, domain: vm.domain });
        missing.push(what);
        const msg = t(lang, 'notInEvidence', { what });
        throw new GuestUnreachableError('protocol', label, msg, [{ method: 'hand-in', outcome: 'failed', reason: REASON_OF.protocol, detail: msg, code: 'protocol', error: msg }]);
      }
      if (!e.ok) {
        const code = e.error?.code ?? 'unreachable';
        throw new GuestUnreachableError(code, label, e.error?.message ?? label, tried(e.trail, code));
      }
      const first =
        e.first && ctx.firstScript && e.first.script === ctx.firstScript.script && same(e.first.args, ctx.firstScript.args) ? e.first.result : undefined;
      return { conn: connection(e), trail: e.trail, ...(first ? { first } : {}) };
    },
    proberFor,
    extraFacts,
    hostChecks,
    questionChecks,
    redact,
    now: () => new Date(),
  };
  return { deps, missing };
}
