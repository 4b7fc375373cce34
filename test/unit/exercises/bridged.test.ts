// The clase1/clase4 bridged ("public") networks exercise, written only in YAML: VMs on the host's
// bridge br0 (type='bridge') or on macvtap (type='direct') take their configuration by DHCP from
// the LAN's router. Correct answers score 100 %; a VM left with a static address outside the LAN
// fails with the explanation; a VM not on the bridge is named with where it is.
import { expect } from 'chai';
import { gradeStudent } from '../../../grader/engine/run.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { questionChecks } from '../../../checks/questions/index.js';
import type { ExerciseSpec, GradeResult, Verdict } from '../../../grader/types.js';
import { deps, exercise, lab, nic, OUTSIDE, snapshotOf, type Guest } from '../../fixtures/exercises/world.js';
import { verdict as v } from '../../helpers/verdicts.js';

const ROUTER = '10.20.0.1';

function vm(role: 'linux' | 'windows', address: string, o: { origin?: 'dhcp' | 'static'; gateway?: string; prefix?: number; peer?: string } = {}): Guest {
  const mac = role === 'linux' ? '52:54:00:00:00:01' : '52-54-00-00-00-02';
  const onLan = (o.gateway ?? ROUTER) === ROUTER;
  return {
    config: { interfaces: [nic(role === 'linux' ? 'enp1s0' : 'Ethernet', mac, address, o.prefix ?? 24, o.origin ?? 'dhcp')], defaultGateway: o.gateway ?? ROUTER, dnsServers: [onLan ? ROUTER : (o.gateway ?? ROUTER)], dnsSearch: [], firewallEnabled: role === 'windows' ? false : null },
    reach: { [OUTSIDE]: onLan ? 'replied' : 'no-neighbour', ...(o.peer ? { [o.peer]: onLan ? 'replied' : 'no-neighbour' } : {}) },
    resolve: onLan ? { status: 'resolved', addresses: [OUTSIDE], server: ROUTER } : { status: 'timeout', addresses: [], server: o.gateway ?? null },
  };
}

let spec: ExerciseSpec;
before(async () => {
  spec = await loadSpec(exercise('clase1-4-puente.yaml'), { checks: questionChecks });
});

async function grade(task: 'bridge' | 'macvtap', doms: string[], guests: Record<string, Guest>, answers = 'clase1-4-answers-correct.yaml', networks: Record<string, string> = {}): Promise<GradeResult> {
  const snap = snapshotOf(['net-red-nat.xml'], doms);
  const a = await loadAnswers(exercise(`demo/${answers}`), spec);
  return gradeStudent({ spec, lab: lab(networks), answers: a, task, lang: 'en', deps: deps(snap, guests) });
}

const allOf = (r: GradeResult, task: string): Verdict[] => r.tasks.filter((t) => t.id === task).flatMap((t) => [...t.hostChecks, ...t.questions]);

describe('exercise clase1-4-puente (YAML only)', () => {
  it('VMs on br0 configured by the LAN router: 100 %, the bridge found through their NICs', async () => {
    const r = await grade('bridge', ['dom-debian12-br0.xml', 'dom-win10-br0.xml'], { linux: vm('linux', '10.20.0.50', { peer: '10.20.0.51' }), windows: vm('windows', '10.20.0.51', { peer: '10.20.0.50' }) });
    expect(allOf(r, 'bridge').filter((x) => x.outcome !== 'pass').map((x) => `${x.id}: ${x.message}`)).to.deep.equal([]);
    expect(r.totals.percent).to.equal(100);
    expect(v(r, 'bridge.host.network-exists.br0').message).to.include('attached to the host bridge br0');
    expect(v(r, 'bridge.host.vm-attached.debian12').outcome).to.equal('pass');
    expect(r.tasks.find((t) => t.id === 'bridge')!.network).to.deep.equal({ key: 'bridge', name: 'br0', type: 'bridge' });
  });

  it('VMs on macvtap (type=direct on enp3s0): 100 %, and `auto` picks the macvtap task', async () => {
    const snap = snapshotOf([], ['dom-debian12-macvtap.xml', 'dom-win10-macvtap.xml']);
    const a = await loadAnswers(exercise('demo/clase1-4-answers-correct.yaml'), spec);
    const r = await gradeStudent({ spec, lab: lab(), answers: a, lang: 'en', deps: deps(snap, { linux: vm('linux', '10.20.0.60', { peer: '10.20.0.61' }), windows: vm('windows', '10.20.0.61', { peer: '10.20.0.60' }) }) });
    expect(allOf(r, 'macvtap').filter((x) => x.outcome !== 'pass').map((x) => `${x.id}: ${x.message}`)).to.deep.equal([]);
    expect(r.tasks.find((t) => t.id === 'bridge')!.questions.every((q) => q.outcome === 'skip')).to.equal(true);
    expect(r.totals.percent).to.equal(100);
    expect(v(r, 'macvtap.host.network-exists.enp3s0').observed).to.equal('enp3s0');
  });

  it('a VM left with a static address outside the LAN: config and outside fail, explained', async () => {
    const linux = vm('linux', '192.168.101.218', { origin: 'static', gateway: '192.168.101.1', peer: '10.20.0.51' });
    const r = await grade('bridge', ['dom-debian12-br0.xml', 'dom-win10-br0.xml'], { linux, windows: vm('windows', '10.20.0.51', { peer: '192.168.101.218' }) }, 'clase1-4-answers-mistakes.yaml');
    const cfg = v(r, 'bridge.config.linux');
    expect(cfg.outcome).to.equal('fail');
    expect(cfg.observed).to.match(/static/);
    expect(cfg.codes).to.include('answer-contradicts-lab');
    expect(cfg.hints.join(' ')).to.include('leave the card set to DHCP');
    const out = v(r, 'bridge.outside.linux');
    expect(out.outcome).to.equal('fail');
    expect(out.message).to.include('198.51.100.10');
    const vc = v(r, 'bridge.vm_config.linux');
    expect(vc.outcome).to.equal('fail');
    expect(vc.observed).to.include('192.168.101.218/24');
    expect(v(r, 'bridge.config.windows').outcome).to.equal('pass');
  });

  it('a VM still on a libvirt network: the bridge task names where it is; another bridge name comes from the lab file', async () => {
    const r = await grade('bridge', ['dom-debian12-router.xml', 'dom-win10-br0.xml'], { linux: vm('linux', '10.20.0.50'), windows: vm('windows', '10.20.0.51') });
    const att = v(r, 'bridge.host.vm-attached.debian12');
    expect(att.outcome).to.equal('fail');
    expect(att.message).to.include('red-nat');
    expect(v(r, 'bridge.config.linux').outcome).to.equal('skip');
    // The lab file names a bridge nobody uses: no guess that it exists.
    const r2 = await grade('bridge', ['dom-debian12-br0.xml', 'dom-win10-br0.xml'], { linux: vm('linux', '10.20.0.50'), windows: vm('windows', '10.20.0.51') }, 'clase1-4-answers-correct.yaml', { bridge: 'br1' });
    const ex = v(r2, 'bridge.host.network-exists.br1');
    expect(ex.outcome).to.equal('fail');
    expect(ex.message).to.include('No machine is attached to the host bridge br1').and.include('debian12: bridge br0');
  });
});
