// A probe the first access method may not run (permission denied: an unprivileged SSH login) is
// measured through the next method of the lab file that opens (the guest agent runs as root), and
// the access trail names both: the first as used, the second as used for what was denied.
import { expect } from 'chai';
import type { Connection, GuestProber, LabFile, Reachability } from '../../../grader/types.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { answersFile, courseSpec, fakeDeps, labFile, referenceAnswers, referenceGuests, snapshot } from '../../fixtures/engine/world.js';

class Conn implements Connection {
  closed = false;
  constructor(
    readonly kind: 'ssh' | 'agent',
    readonly target: string,
    readonly role: string,
  ) {}
  async runScript(): Promise<never> {
    throw new Error('no scripts here');
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function world(access: LabFile['vms'][string]['access']) {
  const guests = referenceGuests('nat');
  const { deps } = fakeDeps(snapshot({ linux: 'red-nat', windows: 'red-nat' }), guests);
  const base = deps.proberFor('linux');
  const opened: string[] = [];
  const conns: Conn[] = [];
  const prober: GuestProber = {
    ...base,
    async reach(conn, targets, timeout, ev) {
      const c = conn as Conn;
      // As usuario over SSH the Linux VM may not ping (no ICMP socket): not measured, never "no".
      if (c.kind === 'ssh' && c.role === 'linux') {
        return targets.map((target): Reachability => ({
          ok: false,
          target,
          error: { command: `ping -c 1 -W 1 ${target}`, guest: c.target, tool: 'ping', cause: 'permission-denied', detail: 'ping: permission denied (are you root?)', exitCode: 2 },
        }));
      }
      return base.reach(conn, targets, timeout, ev);
    },
  };
  deps.proberFor = () => prober;
  deps.openGuest = async (vm) => {
    const first = vm.access[0]!;
    opened.push(`${vm.role}:${first.kind}`);
    const method = first.kind === 'ssh' ? `ssh usuario@192.168.101.218:22` : 'agent';
    const c = new Conn(first.kind === 'ssh' ? 'ssh' : 'agent', first.kind === 'ssh' ? `ssh usuario@${vm.role}` : `agent ${vm.domain}`, vm.role);
    conns.push(c);
    return { conn: c, trail: [{ method, outcome: 'used', reason: null, detail: 'test' }] };
  };
  const lab = labFile();
  lab.vms.linux!.access = access;
  return { deps, lab, opened, conns };
}

describe('engine: a probe denied to the first access method is measured through a later one', () => {
  it('ssh usuario (ping denied) then agent: the pings measured through the agent, both methods in the trail', async () => {
    const w = world([{ kind: 'ssh', user: 'usuario', port: 22, useAgent: false, acceptNewHostKey: false, jump: 'auto' }, { kind: 'agent' }]);
    const r = await gradeStudent({ spec: courseSpec(), lab: w.lab, answers: answersFile({ nat: referenceAnswers('nat') }), task: 'nat', lang: 'en', deps: w.deps });
    const errors = r.tasks.flatMap((t) => t.questions).filter((q) => q.outcome === 'error');
    expect(errors.map((q) => q.id)).to.deep.equal([]);
    expect(r.totals.percent).to.equal(100);
    // Opened once each: the SSH login, then the agent (methods after it) for the denied probes.
    expect(w.opened.filter((x) => x.startsWith('linux:'))).to.deep.equal(['linux:ssh', 'linux:agent']);
    const a = r.access!.find((x) => x.role === 'linux')!;
    expect(a.via).to.equal('ssh usuario@192.168.101.218:22');
    expect(a.trail.map((x) => [x.method, x.outcome, x.reason])).to.deep.equal([
      ['ssh usuario@192.168.101.218:22', 'used', null],
      ['agent', 'used', 'permission-denied'],
    ]);
    expect(a.trail[1]!.detail).to.match(/what ssh usuario@linux was not permitted to run: ping 198\.51\.100\.10/);
    // The outside verdict's evidence is the agent's ping.
    const outside = r.tasks[0]!.questions.find((q) => q.id === 'nat.outside.linux')!;
    expect(outside.outcome).to.equal('pass');
    expect(w.conns.every((c) => c.closed)).to.equal(true);
  });

  it('no later method: the denied pings stay "could not measure" (never a "no"), the trail unchanged', async () => {
    const w = world([{ kind: 'ssh', user: 'usuario', port: 22, useAgent: false, acceptNewHostKey: false, jump: 'auto' }]);
    const r = await gradeStudent({ spec: courseSpec(), lab: w.lab, answers: answersFile({ nat: referenceAnswers('nat') }), task: 'nat', lang: 'en', deps: w.deps });
    const outside = r.tasks[0]!.questions.find((q) => q.id === 'nat.outside.linux')!;
    expect(outside.outcome).to.equal('error');
    expect(w.opened.filter((x) => x.startsWith('linux:'))).to.deep.equal(['linux:ssh']);
    expect(r.access!.find((x) => x.role === 'linux')!.trail).to.have.length(1);
  });
});
