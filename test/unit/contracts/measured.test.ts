// One shape for "not measured" (issue 21 item 2): every measured part of a guest's facts is a
// Measured<T> (grader/types.ts), so its value can be read only after `ok` was checked. The type
// system holds it for every consumer (the lines marked @ts-expect-error below fail `npm run
// typecheck` the day a value can be read unchecked); this file also holds that no consumer goes
// back to the old side-by-side fields, and that each failed part gives "could not measure" in
// every check that depends on it, never an answer.
import { expect } from 'chai';
import type { GuestConfig, Reachability, Resolution } from '../../../grader/types.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { A, answersFile, courseSpec, fakeDeps, labFile, referenceAnswers, referenceGuests, snapshot } from '../../fixtures/engine/world.js';
import { sourceFiles, sourceText } from '../../helpers/sources.js';

/** Compile-time only: each line must stay a type error (a value read without checking `ok`). */
export function readsWithoutOk(c: GuestConfig, r: Reachability, l: Resolution): unknown[] {
  return [
    // @ts-expect-error the interfaces are a Measured: check ok first
    c.interfaces.length,
    // @ts-expect-error the gateway is a Measured: check ok first
    c.gateway.value,
    // @ts-expect-error the DNS part is a Measured: check ok first
    c.dns.value.servers,
    // @ts-expect-error a ping's status exists only when it was measured
    r.value.status,
    // @ts-expect-error a lookup's addresses exist only when it was measured
    l.value.addresses,
    // @ts-expect-error no status 'error': a failed probe is { ok: false, error }
    r.status,
  ];
}

/** The old shape's side-by-side fields and "error" statuses, which no consumer may use again. */
const OLD_SHAPE = /\bconfig\.errors\b|\.(?:defaultGateway|dnsServers|dnsSearch)\b|\bstatus === 'error'|\bstatus === 'probe-timeout'/;
/** The collectors build the shape (from their own parse results and classifier); everything else consumes it. */
const PRODUCERS = 'grader/probes/';

describe('contracts: one shape for "not measured"', () => {
  it('no consumer reads the configuration, a ping or the lookup through the old side-by-side fields or an "error" status', () => {
    const offenders = sourceFiles('grader', 'checks', 'reports')
      .filter((f) => !f.startsWith(PRODUCERS))
      .flatMap((f) => sourceText(f).split('\n').map((line, i) => ({ f, i: i + 1, line })))
      .filter((x) => OLD_SHAPE.test(x.line))
      .map((x) => `${x.f}:${x.i}: ${x.line.trim()}`);
    expect(offenders).to.deep.equal([]);
  });

  it('the scan sees what it looks for (a rule that can fail)', () => {
    expect(OLD_SHAPE.test('const gw = facts.config.defaultGateway;')).to.equal(true);
    expect(OLD_SHAPE.test("if (r.status === 'error') return;")).to.equal(true);
    expect(OLD_SHAPE.test('const gw = facts.config.gateway;')).to.equal(false);
  });

  // Each configuration part failing alone: every question that depends on it is "could not
  // measure" (outcome error, 0 points), never an answer made of an empty value.
  const DEPENDS: Record<'interfaces' | 'gateway' | 'dns', string[]> = {
    interfaces: ['config', 'vm_config'],
    gateway: ['vm_config'],
    dns: ['vm_config', 'dns_server'],
  };
  for (const part of ['interfaces', 'gateway', 'dns'] as const) {
    it(`a ${part} part that could not be read is "could not measure" in ${DEPENDS[part].join(', ')}`, async () => {
      const guests = referenceGuests('nat');
      const error = { command: 'ip -j addr show', guest: 'ssh root@192.168.101.130:22', tool: 'ip', cause: 'permission-denied' as const, detail: 'Permission denied', exitCode: 1 };
      guests.linux.config = { ...guests.linux.config, errors: { [part]: error } };
      const { deps } = fakeDeps(snapshot({ linux: 'red-nat', windows: 'red-nat' }), guests);
      const r = await gradeStudent({ spec: courseSpec(), lab: labFile(), answers: answersFile({ nat: referenceAnswers('nat') }), task: 'nat', lang: 'en', deps });
      const linux = r.tasks[0]!.questions.filter((v) => v.role === 'linux');
      for (const qid of DEPENDS[part]) {
        const v = linux.find((x) => x.question === qid)!;
        expect(v.outcome, `${qid}: ${v.message}`).to.equal('error');
        expect(v.codes).to.include('not-measured');
        expect(v.points).to.equal(0);
      }
    });
  }

  it('a routing table that could not be read is not "no gateway" (default-gateway)', async () => {
    const spec = courseSpec();
    spec.questions.gw = { id: 'gw', prompt: { es: '¿gw?', en: 'gw?' }, kind: 'ipv4', check: 'default-gateway', points: 1, hints: {} };
    const task = spec.tasks.find((t) => t.id === 'nat')!;
    task.questions = [...task.questions, 'gw'];
    task.theory.gw = { kind: 'ipv4', value: 'host-address' };
    const guests = referenceGuests('nat');
    const error = { command: 'ip -j -4 route show', guest: 'g', tool: 'ip', cause: 'tool-missing' as const, detail: 'ip: not found', exitCode: 127 };
    guests.linux.config = { ...guests.linux.config, defaultGateway: null, errors: { gateway: error } };
    const { deps } = fakeDeps(snapshot({ linux: 'red-nat', windows: 'red-nat' }), guests);
    const r = await gradeStudent({ spec, lab: labFile(), answers: answersFile({ nat: { ...referenceAnswers('nat'), gw: { linux: A.ip(null) } } }), task: 'nat', lang: 'en', deps });
    const v = r.tasks[0]!.questions.find((x) => x.question === 'gw' && x.role === 'linux')!;
    expect(v.outcome).to.equal('error');
    expect(v.codes).to.include('not-measured-tool-missing');
  });
});
