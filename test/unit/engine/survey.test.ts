// The engine with a prober that has a survey (Linux): one round trip per guest carries the
// configuration, the lookup and the pings known in advance; the identity check's run is reused,
// never repeated; only what the survey could not know is probed afterwards, and early results for
// targets that turned out not to matter are dropped.
import { expect } from 'chai';
import type { CommandResult, Connection, GuestProber, LeaseInfo, SurveyRequest } from '../../../grader/types.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { answersFile, courseSpec, fakeDeps, labFile, MAC, referenceAnswers, referenceGuests, snapshot, type FakeGuest } from '../../fixtures/engine/world.js';
import { verdict as v } from '../../helpers/verdicts.js';
import { toConfig, toReach, toResolution } from '../../helpers/facts.js';

/** A connection whose scripts "run" by echoing their arguments (the survey's request). */
class EchoConnection implements Connection {
  readonly kind = 'ssh' as const;
  runs = 0;
  constructor(
    readonly target: string,
    readonly role: string,
  ) {}
  async runScript(_s: string, args: string[]): Promise<CommandResult> {
    this.runs++;
    return { exitCode: 0, stdout: JSON.stringify(args), stderr: '', durationMs: 5, truncated: false, timedOut: false };
  }
  async close(): Promise<void> {}
}

async function run(o: { leases: LeaseInfo[]; identityRuns?: boolean; guests?: Partial<Record<'linux' | 'windows', FakeGuest>> }) {
  const guests = { ...referenceGuests('nat'), ...(o.guests ?? {}) };
  const snap = snapshot({ linux: 'red-nat', windows: 'red-nat' }, o.leases);
  const { deps, stats } = fakeDeps(snap, guests);
  const base = deps.proberFor('linux');
  const surveys: { role: string; targets: string[] }[] = [];
  const conns: EchoConnection[] = [];
  const roleOf = (guest: string) => guest.replace(/^ssh /, '');
  const prober: GuestProber = {
    ...base,
    survey: {
      plan: (req: SurveyRequest) => ({ label: 'survey', script: 'SURVEY', args: [req.name, ...req.targets], timeoutMs: 1000 }),
      read(r, req, guest) {
        const role = roleOf(guest) as 'linux' | 'windows';
        surveys.push({ role, targets: req.targets });
        expect(JSON.parse(r.stdout)).to.deep.equal([req.name, ...req.targets]);
        const g = guests[role];
        return { config: toConfig(g.config), resolve: toResolution({ ...g.resolve, name: req.name }), reach: req.targets.map((target) => toReach({ target, status: g.reach[target] ?? 'no-neighbour' })) };
      },
    },
  };
  deps.proberFor = () => prober;
  deps.openGuest = async (vm, ctx) => {
    const conn = new EchoConnection(`ssh ${vm.role}`, vm.role);
    conns.push(conn);
    const first = o.identityRuns && ctx.firstScript ? await conn.runScript(ctx.firstScript.script, ctx.firstScript.args) : undefined;
    return { conn, trail: [{ method: 'ssh', outcome: 'used', reason: null, detail: 'test' }], ...(first ? { first } : {}) };
  };
  const r = await gradeStudent({ spec: courseSpec(), lab: labFile(), answers: answersFile({ nat: referenceAnswers('nat') }), task: 'nat', lang: 'en', deps });
  return { r, stats, surveys, conns };
}

const LEASES: LeaseInfo[] = [
  { network: 'red-nat', mac: MAC.linux, address: '192.168.101.130', prefix: 24 },
  { network: 'red-nat', mac: MAC.windows, address: '192.168.101.140', prefix: 24 },
];

describe('engine: the survey (one round trip per guest)', () => {
  it('the identity check ran the survey: it is read, never run again, and nothing else is probed', async () => {
    const { r, stats, surveys, conns } = await run({ leases: LEASES, identityRuns: true });
    expect(r.totals.points).to.equal(r.totals.maxPoints);
    expect(conns.map((c) => c.runs)).to.deep.equal([1, 1]);
    expect(stats.reachCalls).to.deep.equal([]);
    expect(surveys.find((s) => s.role === 'linux')!.targets).to.deep.equal(['198.51.100.10', '192.168.101.1', '192.168.101.140']);
    const ev = v(r, 'nat.vm_to_vm.linux').evidence.filter((e) => e.command === 'survey');
    expect(ev).to.have.length(1);
  });

  it('without an identity check (address from the lab file) the engine runs the survey itself, once', async () => {
    const { r, conns, stats } = await run({ leases: LEASES });
    expect(r.totals.points).to.equal(r.totals.maxPoints);
    expect(conns.map((c) => c.runs)).to.deep.equal([1, 1]);
    expect(stats.reachCalls).to.deep.equal([]);
  });

  it('a stale lease: the peer is probed again at its real address, and the stale target is dropped', async () => {
    const stale: LeaseInfo[] = [LEASES[0]!, { ...LEASES[1]!, address: '192.168.101.199' }];
    const g = referenceGuests('nat');
    g.linux.reach['192.168.101.199'] = 'no-neighbour';
    const { r, stats } = await run({ leases: stale, identityRuns: true, guests: { linux: g.linux } });
    expect(stats.reachCalls.filter((c) => c.role === 'linux').map((c) => c.targets)).to.deep.equal([['192.168.101.140']]);
    expect(v(r, 'nat.vm_to_vm.linux').outcome).to.equal('pass');
    const facts = JSON.stringify(v(r, 'nat.vm_to_vm.linux'));
    expect(facts).to.not.include('192.168.101.199');
  });

  it('an early "no" the theory does not expect is measured once more, as without a survey', async () => {
    const g = referenceGuests('nat');
    g.linux.reach['198.51.100.10'] = 'no-reply';
    g.linux.flakyReach = { '198.51.100.10': ['replied'] };
    const { r, stats } = await run({ leases: LEASES, identityRuns: true, guests: { linux: g.linux } });
    expect(stats.reachCalls.filter((c) => c.role === 'linux').map((c) => c.targets)).to.deep.equal([['198.51.100.10']]);
    expect(v(r, 'nat.outside.linux').outcome).to.equal('pass');
  });
});
