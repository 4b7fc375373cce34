// The clase7 router/NAT exercise, written only in YAML, graded end to end with the real spec,
// answers reader, host checks, question checks and linux-router prober (recorded guest output):
// correct answers score 100 %, and each typical mistake fails with its explanation.
import { expect } from 'chai';
import { gradeStudent } from '../../../grader/engine/run.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { questionChecks } from '../../../checks/questions/index.js';
import type { ExerciseSpec, GradeResult, Lang, Verdict } from '../../../grader/types.js';
import { deps, exercise, fx, lab, nic, routerLinux as linux, routerWindows as windows, snapshotOf, type Guest } from '../../fixtures/exercises/world.js';
import { verdict as v } from '../../helpers/verdicts.js';

const NETS = ['net-red-nat.xml', 'net-red-muy-aislada.xml'];



let spec: ExerciseSpec;
before(async () => {
  spec = await loadSpec(exercise('clase7-router-nat.yaml'), { checks: questionChecks });
});

async function grade(o: { linux?: Guest; windows?: Guest; doms?: string[]; answers?: string; lang?: Lang } = {}): Promise<GradeResult> {
  const snap = snapshotOf(NETS, o.doms ?? ['dom-debian12-router.xml', 'dom-win10-viso.xml']);
  const answers = await loadAnswers(exercise(`demo/${o.answers ?? 'clase7-answers-correct.yaml'}`), spec);
  return gradeStudent({ spec, lab: lab(), answers, task: 'all', lang: o.lang ?? 'en', deps: deps(snap, { linux: o.linux ?? linux(), windows: o.windows ?? windows() }) });
}

describe('exercise clase7-router-nat (YAML only)', () => {
  it('grades the correct answers on a correct lab 100 %, every host check passing', async () => {
    const r = await grade();
    const notPass = r.tasks.flatMap((t) => [...t.hostChecks, ...t.questions]).filter((x) => x.outcome !== 'pass');
    expect(notPass.map((x) => `${x.id}: ${x.message}`)).to.deep.equal([]);
    expect(r.totals.percent).to.equal(100);
    expect(v(r, 'router.host.vm-nics.debian12').message).to.include('red-nat').and.include('red-muy-aislada');
    expect(v(r, 'router.forwarding.linux').message).to.include('/etc/sysctl.conf');
    expect(v(r, 'router.nat.linux').message).to.include('-o enp7s0').and.include('/etc/iptables/rules.v4');
    expect(v(r, 'router.gateway.windows').theory).to.include('172.22.0.2');
    expect(v(r, 'router.via_router.windows').message).to.include('debian12');
    // Asked only of the roles the spec's `ask` names; points split among them.
    expect(() => v(r, 'router.forwarding.windows')).to.throw();
    expect(() => v(r, 'router.gateway.linux')).to.throw();
    expect(v(r, 'router.forwarding.linux').maxPoints).to.equal(2);
    expect(v(r, 'router.outside.windows').maxPoints).to.equal(0.5);
  });

  it('forwarding set with sysctl -w only: "yes" fails as not persistent, naming the boot files', async () => {
    const r = await grade({ linux: linux('router-not-persistent.txt'), answers: 'clase7-answers-mistakes.yaml' });
    const f = v(r, 'router.forwarding.linux');
    expect(f.outcome).to.equal('fail');
    expect(f.codes).to.include('sysctl-not-persistent');
    expect(f.message).to.match(/net\.ipv4\.ip_forward is 1 now .*no file read at boot sets it/);
    expect(f.hints.join(' ')).to.include('/etc/sysctl.conf');
    expect(f.evidence.some((e) => e.command.includes('/proc/sys'))).to.equal(true);
  });

  it('forwarding only in /etc/sysctl.conf where systemd-sysctl does not read it (Debian 13): not persistent, says where to put it', async () => {
    const r = await grade({ linux: linux('router-sysctl-conf-unread.txt'), answers: 'clase7-answers-mistakes.yaml' });
    const f = v(r, 'router.forwarding.linux');
    expect(f.outcome).to.equal('fail');
    expect(f.codes).to.include.members(['sysctl-not-persistent', 'sysctl-file-not-read']);
    expect(f.message).to.include('It is set in /etc/sysctl.conf:3, but this system does not read that file at boot');
  });

  it('the honest answer "no" on that lab passes, flagged as contradicting the theory', async () => {
    const r = await grade({ linux: linux('router-not-persistent.txt'), answers: 'clase7-answers-mistakes.yaml' });
    // (the mistakes file answers "sí"; the honest student is graded by swapping the answer)
    const answers = await loadAnswers(exercise('demo/clase7-answers-mistakes.yaml'), spec);
    answers.tasks.router!.forwarding = { '*': { value: { kind: 'yes-no', value: false }, raw: 'no' } };
    const snap = snapshotOf(NETS, ['dom-debian12-router.xml', 'dom-win10-viso.xml']);
    const r2 = await gradeStudent({ spec, lab: lab(), answers, task: 'all', lang: 'en', deps: deps(snap, { linux: linux('router-not-persistent.txt'), windows: windows() }) });
    const f = v(r2, 'router.forwarding.linux');
    expect(f.outcome).to.equal('pass');
    expect(f.codes).to.include.members(['lab-contradicts-theory', 'sysctl-not-persistent']);
    expect(v(r, 'router.forwarding.linux').outcome).to.equal('fail');
  });

  it('MASQUERADE on the wrong interface: "yes" fails naming the rule and the red-nat NIC', async () => {
    const r = await grade({ linux: linux('router-wrong-iface.txt'), answers: 'clase7-answers-mistakes.yaml', lang: 'es' });
    const n = v(r, 'router.nat.linux');
    expect(n.outcome).to.equal('fail');
    expect(n.codes).to.include.members(['nat-missing', 'nat-wrong-interface']);
    expect(n.message).to.include('sale por enp1s0, no por enp7s0 (la tarjeta de red-nat)');
    expect(n.hints.join(' ')).to.include('POSTROUTING');
  });

  it('NAT rule not saved: fails as not persistent', async () => {
    const r = await grade({ linux: linux('router-not-saved.txt') });
    const n = v(r, 'router.nat.linux');
    expect(n.outcome).to.equal('fail');
    expect(n.codes).to.include('nat-not-persistent');
    expect(n.message).to.include('/etc/iptables/rules.v4 does not exist');
  });

  it('Windows gateway not the Linux VM: gateway and via_router fail with the reason', async () => {
    const r = await grade({ windows: windows('172.22.0.1'), answers: 'clase7-answers-mistakes.yaml' });
    const gw = v(r, 'router.gateway.windows');
    expect(gw.outcome).to.equal('fail');
    expect(gw.observed).to.equal('172.22.0.1');
    expect(gw.codes).to.include('answer-contradicts-lab');
    const via = v(r, 'router.via_router.windows');
    expect(via.outcome).to.equal('fail');
    expect(via.codes).to.include('gateway-not-via');
    expect(via.message).to.include('The default gateway of win10').and.include('172.22.0.1, not debian12 (172.22.0.2)');
    expect(v(r, 'router.outside.windows').outcome).to.equal('fail');
  });

  it('reading iptables as a non-root user is "could not measure", never "no rule"', async () => {
    const r = await grade({ linux: linux('router-not-root.txt') });
    const n = v(r, 'router.nat.linux');
    expect(n.outcome).to.equal('error');
    expect(n.points).to.equal(0);
    expect(n.codes).to.include.members(['nat-not-measured', 'not-measured-permission-denied']);
    expect(n.message).to.include('Could not measure the running NAT rules on debian12 (agent debian12): "iptables-save -t nat" was denied (iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)). Fix: log in as a user allowed to run it');
    // The sysctl files are readable by anyone: forwarding is still measured.
    expect(v(r, 'router.forwarding.linux').outcome).to.equal('pass');
  });

  it('in Spanish, an unmeasurable sysctl or NAT fact is "no se pudo medir" entirely in Spanish, fix included', async () => {
    // Not root (iptables-save denied) and one sysctl file it may not read.
    const out = fx('router-not-root.txt').replace('@@LG-BEGIN conf\n', '@@LG-BEGIN conf\n@@UNREADABLE /etc/sysctl.d/99-secret.conf\n');
    const r = await grade({ linux: { ...linux(), routerOutput: out }, lang: 'es' });
    const f = v(r, 'router.forwarding.linux');
    expect(f.outcome).to.equal('error');
    expect(f.codes).to.include.members(['sysctl-not-measured', 'not-measured-permission-denied']);
    expect(f.message).to.include('En debian12 (agent debian12) net.ipv4.ip_forward vale 1 ahora (/proc/sys).');
    expect(f.message).to.include(
      'No fue posible medir dónde queda fijado net.ipv4.ip_forward para el próximo arranque en debian12 (agent debian12): «cat /etc/sysctl.d/99-secret.conf» no tiene permiso (/etc/sysctl.d/99-secret.conf). Cómo arreglarlo: entra con un usuario que tenga permiso',
    );
    const n = v(r, 'router.nat.linux');
    expect(n.outcome).to.equal('error');
    expect(n.codes).to.include.members(['nat-not-measured', 'not-measured-permission-denied']);
    expect(n.message).to.include('No fue posible medir las reglas de NAT activas en debian12 (agent debian12): «iptables-save -t nat» no tiene permiso (');
    expect(n.message).to.include('Cómo arreglarlo: entra con un usuario que tenga permiso para ejecutarlo');
    // labgrade's own words are Spanish; only the guest's (the detail in parentheses) may be English.
    const guestWords = 'iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)';
    expect(n.message).to.include(guestWords);
    const english = /\b(could not|measure[d]?|failed|was denied|permission denied|needs root|connect as root|fix|log in|not measured|cannot|the|run as root)\b/i;
    for (const text of [f.message, n.message.replace(guestWords, '')]) expect(text).not.to.match(english);
  });

  it('a prober that throws: every router fact is "could not measure" (cause failed, the message as detail), never a fact', async () => {
    // ReplayConnection throws when it has no recorded output (a plain Error, not a TransportError).
    const r = await grade({ linux: { ...linux(), routerOutput: undefined }, lang: 'es' });
    const f = v(r, 'router.forwarding.linux');
    expect(f.outcome).to.equal('error');
    expect(f.codes).to.include.members(['sysctl-not-measured', 'not-measured-failed']);
    expect(f.message).to.include('No fue posible medir el valor de net.ipv4.ip_forward en debian12 (agent debian12): «cat /proc/sys/net/ipv4/ip_forward» falló (no recorded output for linux)');
    expect(v(r, 'router.nat.linux').codes).to.include.members(['nat-not-measured', 'not-measured-failed']);
  });

  it('a Linux VM with only one NIC: vm-nics fails and the NAT question says why', async () => {
    const r = await grade({ doms: ['dom-debian12-one-nic.xml', 'dom-win10-viso.xml'] });
    const h = v(r, 'router.host.vm-nics.debian12');
    expect(h.outcome).to.equal('fail');
    expect(h.message).to.include('no NIC on red-nat');
    const n = v(r, 'router.nat.linux');
    expect(n.outcome).to.equal('fail');
    expect(n.codes).to.include('nat-no-nic');
  });
});
