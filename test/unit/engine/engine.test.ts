// The grading engine with fake deps: reference answers score 100 %, every explanation case of the
// issue produces the right verdict and codes, the scoring rule holds, and failures stay local.
import { expect } from 'chai';
import { TransportError, type GradeResult, type Lang, type LeaseInfo, type Verdict } from '../../../grader/types.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { checkSelection } from '../../../grader/engine/select-tasks.js';
import { mergeResults } from '../../../grader/engine/totals.js';
import type { EngineDeps } from '../../../grader/engine/deps.js';
import {
  A,
  answersFile,
  courseSpec,
  fakeDeps,
  guest,
  labFile,
  MAC,
  networks,
  referenceAnswers,
  referenceGuests,
  snapshot,
  type FakeGuest,
} from '../../fixtures/engine/world.js';
import { verdict as v } from '../../helpers/verdicts.js';

type TaskId = 'nat' | 'isolated' | 'very_isolated';
const NET: Record<TaskId, string> = { nat: 'red-nat', isolated: 'red-aislada', very_isolated: 'red-muy-aislada' };

interface RunOpts {
  task?: string;
  guests?: Partial<Record<'linux' | 'windows', FakeGuest>>;
  answers?: Record<string, Record<string, Record<string, ReturnType<typeof A.yn>>>>;
  leases?: LeaseInfo[];
  nets?: ReturnType<typeof networks>;
  attach?: { linux?: string | null; windows?: string | null };
  lang?: Lang;
  deps?: Partial<EngineDeps>;
}

async function grade(task: TaskId, o: RunOpts = {}): Promise<{ r: GradeResult; stats: ReturnType<typeof fakeDeps>['stats'] }> {
  const snap = snapshot(o.attach ?? { linux: NET[task], windows: NET[task] }, o.leases ?? [], o.nets ?? networks());
  const { deps, stats } = fakeDeps(snap, { ...referenceGuests(task), ...(o.guests ?? {}) }, o.deps ?? {});
  const r = await gradeStudent({
    spec: courseSpec(),
    lab: labFile(),
    answers: answersFile(o.answers ?? { [task]: referenceAnswers(task) }),
    task: o.task ?? task,
    lang: o.lang ?? 'en',
    deps,
  });
  return { r, stats };
}

function withAnswer(task: TaskId, q: string, role: string, value: ReturnType<typeof A.yn>) {
  const ans = referenceAnswers(task);
  ans[q] = { ...(ans[q] ?? {}), [role]: value };
  return { [task]: ans };
}

describe('engine: reference answers', () => {
  for (const task of ['nat', 'isolated', 'very_isolated'] as const) {
    it(`scores 100 % on task ${task}`, async () => {
      const { r } = await grade(task);
      const graded = r.tasks.find((t) => t.id === task)!;
      const notPass = graded.questions.filter((q) => q.outcome !== 'pass');
      expect(notPass.map((q) => `${q.id}: ${q.message}`)).to.deep.equal([]);
      expect(r.totals.percent).to.equal(100);
      expect(r.totals.pass).to.equal(14);
      expect(r.exitCode).to.equal(0);
      // The other tasks are skipped with the reason and do not count.
      const others = r.tasks.filter((t) => t.id !== task);
      expect(others.every((t) => t.questions.every((q) => q.outcome === 'skip' && q.codes.includes('not-selected')))).to.equal(true);
      expect(r.totals.maxPoints).to.equal(10);
      expect(r.exitCode).to.equal(0);
    });
  }

  it('produces results valid against the published JSON Schema (reports/result.schema.json)', async () => {
    const { resultProblems } = await import('../../../reports/validate.js');
    const { r } = await grade('nat', { task: 'all', answers: { nat: referenceAnswers('nat') } });
    expect(await resultProblems(JSON.parse(JSON.stringify(r)))).to.deep.equal([]);
    const g = referenceGuests('nat');
    g.windows.openError = new TransportError('auth', 'ssh x', 'denied');
    const { r: r2 } = await grade('nat', { guests: { windows: g.windows } });
    expect(await resultProblems(JSON.parse(JSON.stringify(r2)))).to.deep.equal([]);
  });

  it('splits question points between the task VMs', async () => {
    const { r } = await grade('nat');
    expect(v(r, 'nat.vm_config.linux').maxPoints).to.equal(1);
    expect(v(r, 'nat.outside.windows').maxPoints).to.equal(0.5);
  });

  it('writes messages in Spanish on request, citing the guest and the command', async () => {
    const { r } = await grade('nat', { lang: 'es' });
    const out = v(r, 'nat.outside.linux');
    expect(out.message).to.match(/^Correcto/);
    expect(out.message).to.include('debian12');
    expect(out.message).to.include('ping -c1 -W1 198.51.100.10');
    expect(out.message).to.include('respondió');
    expect(out.evidence.some((e) => e.command.includes('198.51.100.10'))).to.equal(true);
  });
});

describe('engine: explanations', () => {
  it('a "NAT" network without DHCP: the honest answer passes, flagged lab-contradicts-theory + network-no-dhcp', async () => {
    const nets = networks();
    nets[0]!.ips[0]!.dhcpRanges = [];
    const g = referenceGuests('nat');
    g.linux.config.interfaces[0]!.ipv4[0]!.origin = 'static';
    g.linux.config.interfaces[0]!.dhcpEnabled = false;
    const { r } = await grade('nat', { nets, guests: { linux: g.linux }, answers: withAnswer('nat', 'config', 'linux', A.cm('static')) });
    const cfg = v(r, 'nat.config.linux');
    expect(cfg.outcome).to.equal('pass');
    expect(cfg.codes).to.include.members(['lab-contradicts-theory', 'network-no-dhcp']);
    expect(cfg.message).to.match(/no DHCP range/);
    expect(cfg.theory).to.equal('dynamic (DHCP)');
  });

  it('an "isolated" network that forwards: outside "yes" is true of the lab, flagged network-forwards', async () => {
    const nets = networks();
    nets[1]!.forwardMode = 'nat';
    nets[1]!.type = 'nat';
    const g = referenceGuests('isolated');
    g.linux.reach['198.51.100.10'] = 'replied';
    const { r } = await grade('isolated', { nets, guests: { linux: g.linux }, answers: withAnswer('isolated', 'outside', 'linux', A.yn(true)) });
    const out = v(r, 'isolated.outside.linux');
    expect(out.outcome).to.equal('pass');
    expect(out.codes).to.include.members(['lab-contradicts-theory', 'network-forwards']);
    expect(out.message).to.include('should be isolated');
  });

  it('a Windows guest left on DHCP where there is none (APIPA): config "dynamic" fails with apipa and its hint', async () => {
    const g = referenceGuests('isolated');
    g.windows.config.interfaces = [
      { name: 'Instancia de Ethernet 0', mac: '52-54-00-00-00-02', up: true, ipv4: [{ address: '169.254.33.7', prefix: 16, origin: 'link-local', validLifetimeSec: null }], ipv6LinkLocalOnly: false, dhcpEnabled: true },
    ];
    g.linux.reach['192.168.102.3'] = 'no-neighbour';
    const ans = withAnswer('isolated', 'config', 'windows', A.cm('dynamic'));
    const { r } = await grade('isolated', { guests: { windows: g.windows }, answers: ans });
    const cfg = v(r, 'isolated.config.windows');
    expect(cfg.outcome).to.equal('fail');
    expect(cfg.codes).to.include.members(['apipa', 'no-dhcp-server']);
    expect(cfg.message).to.include('169.254.33.7');
    // The adapter as Windows names it, quoted so a name with spaces reads as one name.
    expect(cfg.message).to.include('interface "Instancia de Ethernet 0"');
    expect(cfg.hints).to.deep.equal(['APIPA hint']);
    const vc = v(r, 'isolated.vm_config.windows');
    expect(vc.outcome).to.equal('fail');
    expect(vc.codes).to.include('apipa');
    expect(vc.message).to.match(/no DHCP server on "red-aislada"/);
  });

  it('a Linux guest left on DHCP with only IPv6 link-local is recognised', async () => {
    const g = referenceGuests('isolated');
    g.linux.config.interfaces = [{ name: 'enp1s0', mac: MAC.linux, up: true, ipv4: [], ipv6LinkLocalOnly: true, dhcpEnabled: true }];
    const { r } = await grade('isolated', { guests: { linux: g.linux }, answers: withAnswer('isolated', 'config', 'linux', A.cm('dynamic')) });
    const cfg = v(r, 'isolated.config.linux');
    expect(cfg.outcome).to.equal('fail');
    expect(cfg.codes).to.include('link-local-only');
    expect(cfg.message).to.match(/only an IPv6 link-local/);
    // The peer has no IPv4 address to ping: the other VM observes "no".
    const peer = v(r, 'isolated.vm_to_vm.windows');
    expect(peer.outcome).to.equal('fail');
    expect(peer.codes).to.include('peer-no-address');
  });

  it('a ping blocked by a firewall while the neighbour resolved: "no" is wrong about the link', async () => {
    const g = referenceGuests('nat');
    g.linux.reach['192.168.101.140'] = 'filtered';
    const ans = withAnswer('nat', 'vm_to_vm', 'linux', A.yn(false));
    const { r } = await grade('nat', { guests: { linux: g.linux }, answers: ans });
    const p = v(r, 'nat.vm_to_vm.linux');
    expect(p.outcome).to.equal('fail');
    expect(p.codes).to.include.members(['firewall-filtered', 'answered-no-but-link-works']);
    expect(p.message).to.match(/neighbour resolved/);
    expect(p.message).to.match(/ARE connected/);
    expect(p.hints).to.deep.equal(['Firewall hint']);
    // Answering "yes" to the same lab passes.
    const { r: r2 } = await grade('nat', { guests: { linux: g.linux } });
    expect(v(r2, 'nat.vm_to_vm.linux').outcome).to.equal('pass');
  });

  it('a stale lease shown by libvirt: the answer copied from it fails with stale-lease', async () => {
    const leases: LeaseInfo[] = [{ network: 'red-nat', mac: MAC.linux, address: '192.168.101.218', prefix: 24, stale: true }];
    const ans = withAnswer('isolated', 'vm_config', 'linux', A.cfg('192.168.101.218', 24, null, []));
    const { r } = await grade('isolated', { leases, answers: ans });
    const vc = v(r, 'isolated.vm_config.linux');
    expect(vc.outcome).to.equal('fail');
    expect(vc.codes).to.include.members(['stale-lease', 'answer-is-stale-lease']);
    expect(vc.message).to.include('192.168.101.218');
    expect(vc.message).to.include('192.168.102.2');
    expect(vc.hints).to.deep.equal(['Stale lease hint']);
    expect(vc.points).to.equal(0.75); // prefix, gateway, DNS right; the address wrong
  });

  it('a guest that cannot be reached: its questions are errors naming why; the other guest is still graded', async () => {
    const g = referenceGuests('nat');
    g.windows.openError = new TransportError('auth', 'ssh admin@192.168.101.140:22', 'authentication failed (publickey, password)');
    const { r } = await grade('nat', { guests: { windows: g.windows } });
    const e = v(r, 'nat.outside.windows');
    expect(e.outcome).to.equal('error');
    expect(e.codes).to.include.members(['guest-auth', 'unreachable-guest', 'not-measured']);
    expect(e.message).to.include('authentication failed');
    expect(e.message).to.include('ssh admin@192.168.101.140:22');
    expect(v(r, 'nat.outside.linux').outcome).to.equal('pass');
    // VM-to-VM from linux still probed the peer's leased address when there is one.
    expect(r.exitCode).to.equal(1);
    // 7 questions of win10, plus VM-to-VM from debian12 (no address known for the peer).
    expect(r.totals.error).to.equal(8);
    expect(v(r, 'nat.vm_to_vm.linux').codes).to.include('peer-unmeasured');
    // The access trail says how each guest was reached, and why win10 was not.
    expect(r.access).to.deep.equal([
      { role: 'linux', domain: 'debian12', via: 'agent', trail: [{ method: 'agent', outcome: 'used', reason: null, detail: 'QEMU guest agent' }] },
      { role: 'windows', domain: 'win10', via: null, trail: [{ method: 'ssh admin@192.168.101.140:22', outcome: 'failed', reason: 'auth', detail: 'authentication failed (publickey, password)' }] },
    ]);
  });

  it('an unreachable peer is probed at its leased address (a hint, flagged)', async () => {
    const g = referenceGuests('nat');
    g.windows.openError = new TransportError('unreachable', 'ssh admin@192.168.101.140:22', 'no route');
    const leases: LeaseInfo[] = [{ network: 'red-nat', mac: MAC.windows, address: '192.168.101.140', prefix: 24 }];
    const { r, stats } = await grade('nat', { guests: { windows: g.windows }, leases });
    expect(stats.reachCalls.find((c) => c.role === 'linux')!.targets).to.include('192.168.101.140');
    const p = v(r, 'nat.vm_to_vm.linux');
    expect(p.outcome).to.equal('pass');
    expect(p.codes).to.include('peer-address-from-lease');
  });

  it('an answer that matches theory but not the lab fails with answer-contradicts-lab', async () => {
    const g = referenceGuests('nat');
    g.linux.reach['198.51.100.10'] = 'no-reply';
    const { r } = await grade('nat', { guests: { linux: g.linux } });
    const out = v(r, 'nat.outside.linux');
    expect(out.outcome).to.equal('fail');
    expect(out.codes).to.include('answer-contradicts-lab');
    expect(out.message).to.match(/matches theory/);
  });

  it('the very isolated network: "host no" is observed from the missing <ip>, not from a probe', async () => {
    const { r, stats } = await grade('very_isolated');
    const h = v(r, 'very_isolated.host.linux');
    expect(h.outcome).to.equal('pass');
    expect(h.codes).to.include('host-no-address');
    expect(stats.reachCalls.every((c) => c.targets.every((t) => !t.startsWith('192.168.')))).to.equal(true);
  });

  it('a DNS server failure (SERVFAIL) is a "no" with its own explanation, in both languages; re-measured when "yes" is expected', async () => {
    const g = referenceGuests('isolated');
    g.windows.config.dnsServers = ['192.168.102.1'];
    g.windows.resolve = { name: 'www.labgrade.test', status: 'server-failure', addresses: [], server: '192.168.102.1' };
    for (const lang of ['en', 'es'] as const) {
      const { r } = await grade('isolated', { guests: { windows: g.windows }, lang });
      const d = v(r, 'isolated.dns.windows');
      expect(d.outcome).to.equal('pass');
      expect(d.codes).to.include('resolve-server-failure');
      expect(d.message).to.match(lang === 'en' ? /server failure \(SERVFAIL\)/ : /fallo de servidor \(SERVFAIL\)/);
      expect(d.message).to.include('192.168.102.1');
    }
    const n = referenceGuests('nat');
    n.windows.flakyResolve = ['server-failure'];
    const { r } = await grade('nat', { guests: { windows: n.windows } });
    expect(v(r, 'nat.dns.windows').outcome).to.equal('pass');
  });

  it('re-measures once a negative result the theory does not expect, never an expected one', async () => {
    const g = referenceGuests('nat');
    g.linux.flakyReach = { '198.51.100.10': ['no-reply'], '192.168.101.140': ['no-neighbour'] };
    g.linux.flakyResolve = ['timeout'];
    const { r, stats } = await grade('nat', { guests: { linux: g.linux } });
    expect(v(r, 'nat.outside.linux').outcome).to.equal('pass');
    expect(v(r, 'nat.dns.linux').outcome).to.equal('pass');
    expect(v(r, 'nat.vm_to_vm.linux').outcome).to.equal('pass');
    expect(stats.reachCalls.filter((c) => c.role === 'linux').map((c) => c.targets)).to.deep.equal([
      ['198.51.100.10', '192.168.101.1', '192.168.101.140'],
      ['198.51.100.10', '192.168.101.140'],
    ]);
    // On the isolated network "outside: no" is expected: probed once.
    const { stats: s2 } = await grade('isolated');
    expect(s2.reachCalls.filter((c) => c.role === 'linux')).to.have.length(1);
  });

  it('a probe that could not run is an error, not a "no"', async () => {
    const g = referenceGuests('nat');
    g.linux.reach['198.51.100.10'] = 'probe-timeout';
    const { r } = await grade('nat', { guests: { linux: g.linux } });
    expect(v(r, 'nat.outside.linux').outcome).to.equal('error');
  });
});

describe('engine: wrong answers explained', () => {
  it('a wrong answer the theory also contradicts says what theory expects', async () => {
    const { r } = await grade('isolated', { answers: withAnswer('isolated', 'config', 'linux', A.cm('dynamic')) });
    const c = v(r, 'isolated.config.linux');
    expect(c.outcome).to.equal('fail');
    expect(c.message).to.include('also what theory expects on "isolated": "static"');
  });

  it('an address from another network is named as such', async () => {
    const ans = withAnswer('isolated', 'vm_config', 'linux', A.cfg('192.168.101.218', 24, null, []));
    const { r } = await grade('isolated', { answers: ans });
    const vc = v(r, 'isolated.vm_config.linux');
    expect(vc.codes).to.include('answer-other-network');
    expect(vc.message).to.include('192.168.101.218 does not belong to "red-aislada" (192.168.102.1/24) but to "red-nat"');
  });
});

describe('engine: scoring', () => {
  it('warnings are reported but neither counted nor failing the run', async () => {
    const warn = {
      name: 'autostart',
      run: () => [{ id: 'nat.host.autostart.red-nat', task: 'nat', check: 'autostart', subject: 'red-nat', outcome: 'fail' as const, severity: 'warning' as const, points: 0, maxPoints: 0, studentAnswer: null, observed: null, theory: null, message: 'no autostart', hints: [], codes: [], evidence: [] }],
    };
    const { r } = await grade('nat', { deps: { hostChecks: [warn] } });
    expect(v(r, 'nat.host.autostart.red-nat').outcome).to.equal('fail');
    expect(r.totals.fail).to.equal(0);
    expect(r.totals.pass).to.equal(14);
    expect(r.exitCode).to.equal(0);
  });

  it('ipv4-config gives a quarter per field and passes only when all match', async () => {
    const ans = withAnswer('nat', 'vm_config', 'linux', A.cfg('192.168.101.130', 24, '192.168.101.254', ['192.168.101.1']));
    const { r } = await grade('nat', { answers: ans });
    const vc = v(r, 'nat.vm_config.linux');
    expect(vc.outcome).to.equal('fail');
    expect(vc.points).to.equal(0.75);
    expect(vc.message).to.include('gateway');
    expect(r.totals.points).to.equal(9.75);
    expect(r.totals.percent).to.equal(97.5);
    expect(r.exitCode).to.equal(1);
  });

  it('DNS servers compare as a set; "none" answers compare with null', async () => {
    const g = referenceGuests('nat');
    g.linux.config.dnsServers = ['192.168.101.1', '203.0.113.1'];
    const ans = withAnswer('nat', 'vm_config', 'linux', A.cfg('192.168.101.130', 24, '192.168.101.1', ['203.0.113.1', '192.168.101.1']));
    const { r } = await grade('nat', { guests: { linux: g.linux }, answers: ans });
    expect(v(r, 'nat.vm_config.linux').outcome).to.equal('pass');
    const { r: r2 } = await grade('isolated');
    expect(v(r2, 'isolated.dns_server.linux').outcome).to.equal('pass');
  });

  it('a missing answer fails with no-answer and shows what was observed', async () => {
    const ans = referenceAnswers('nat');
    delete ans.dns;
    const { r } = await grade('nat', { answers: { nat: ans } });
    const d = v(r, 'nat.dns.linux');
    expect(d.outcome).to.equal('fail');
    expect(d.codes).to.include('no-answer');
    expect(d.observed).to.equal('yes');
  });
});

describe('engine: tasks, connections, robustness', () => {
  it('--task auto grades the task whose network the VMs are on', async () => {
    const { r } = await grade('isolated', { task: 'auto' });
    expect(r.tasks.find((t) => t.id === 'isolated')!.questions.every((q) => q.outcome === 'pass')).to.equal(true);
    const nat = r.tasks.find((t) => t.id === 'nat')!;
    expect(nat.questions.every((q) => q.outcome === 'skip' && q.codes.includes('not-detected'))).to.equal(true);
    expect(r.totals.percent).to.equal(100);
  });

  it('--task auto with no VM on any task network reports it and exits 1', async () => {
    const { r } = await grade('nat', { task: 'auto', attach: { linux: 'default', windows: null } });
    expect(r.errors.join(' ')).to.match(/No task detected.*debian12: default/);
    expect(r.exitCode).to.equal(1);
  });

  it('--task all: a VM not on the network is skipped with the reason; one connection per VM', async () => {
    const { r, stats } = await grade('nat', { task: 'all', attach: { linux: 'red-nat', windows: 'red-aislada' }, guests: { windows: referenceGuests('isolated').windows }, answers: { nat: referenceAnswers('nat'), isolated: referenceAnswers('isolated') } });
    const s = v(r, 'nat.config.windows');
    expect(s.outcome).to.equal('skip');
    expect(s.message).to.include('win10 is not attached to "red-nat" (now on: red-aislada)');
    expect(v(r, 'isolated.config.windows').outcome).to.equal('pass');
    expect(stats.opened.sort()).to.deep.equal(['linux', 'windows']);
    expect(stats.closed.sort()).to.deep.equal(['linux', 'windows']);
  });

  it('an unknown task id is an input error listing the valid ones', () => {
    expect(() => checkSelection(courseSpec(), 'nope', (task, valid) => `unknown task ${task}; valid: ${valid}`)).to.throw(/auto, all, nat, isolated, very_isolated/);
  });

  it('a crashing check or host check does not stop the others', async () => {
    const { questionChecks } = await import('../../../checks/questions/index.js');
    const broken = { ...questionChecks, 'dns-server': { name: 'dns-server', kind: 'ipv4' as const, needs: () => [], observe: () => { throw new Error('boom'); } } };
    const hostChecks = [{ name: 'explodes', run: () => { throw new Error('kaboom'); } }];
    const { r } = await grade('nat', { deps: { questionChecks: broken, hostChecks } });
    expect(v(r, 'nat.dns_server.linux').outcome).to.equal('error');
    expect(v(r, 'nat.dns_server.linux').message).to.include('boom');
    expect(v(r, 'nat.host.explodes.check').outcome).to.equal('error');
    expect(v(r, 'nat.dns.linux').outcome).to.equal('pass');
  });

  it('an uninspectable host is reported, never a crash', async () => {
    const { deps } = fakeDeps(new Error('failed to connect to the hypervisor'), referenceGuests('nat'));
    const r = await gradeStudent({ spec: courseSpec(), lab: labFile(), answers: answersFile({}), task: 'nat', lang: 'en', deps });
    expect(r.errors[0]).to.match(/Could not inspect.*hypervisor/);
    expect(r.exitCode).to.equal(1);
    expect(r.tasks.every((t) => t.questions.every((q) => q.outcome === 'skip'))).to.equal(true);
  });

  it('evidence passes through redact()', async () => {
    const g = referenceGuests('nat');
    g.linux.stdout = 'password=s3cr3t-pass';
    const { r } = await grade('nat', { guests: { linux: g.linux } });
    const json = JSON.stringify(r);
    expect(json).not.to.include('s3cr3t-pass');
    expect(json).to.include('password=***');
  });

  it('matches the Windows MAC spelling against virsh', async () => {
    const { r } = await grade('nat');
    expect(v(r, 'nat.vm_config.windows').observed).to.match(/^192\.168\.101\.140\/24/);
  });

  it('merges per-task runs into one result with recomputed totals', async () => {
    const a = (await grade('nat', { task: 'nat' })).r;
    const b = (await grade('isolated', { task: 'isolated', answers: { isolated: withAnswer('isolated', 'outside', 'linux', A.yn(true)).isolated! } })).r;
    const m = mergeResults([a, b]);
    expect(m.tasks.find((t) => t.id === 'nat')!.questions.every((q) => q.outcome === 'pass')).to.equal(true);
    expect(v(m, 'isolated.outside.linux').outcome).to.equal('fail');
    expect(m.totals.maxPoints).to.equal(20);
    expect(m.totals.points).to.equal(19.5);
    expect(m.exitCode).to.equal(1);
  });
});

// keep the helper referenced for readers: guest() builds custom guests in other suites
void guest;
