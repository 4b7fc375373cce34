// The router/NAT exercise (exercises/clase7-router-nat.yaml) graded for real on the lab: debian12-rt
// (172.22.0.12/16 on red-muy-aislada, a second NIC on red-nat by DHCP, the kernel's NAT modules:
// grader/lab/router.ts) routes and masquerades for win10-rt (172.22.0.13/16). The correct set-up
// scores 100 %; forwarding not persistent, NAT on the wrong interface and a gateway that is not the
// router fail with their explanations. Run as root under the lab lock:
//   flock /tmp/labgrade-labtests.lock node test/run.mjs test/lab/exercises/router-nat.test.ts
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { ensureLab, labFileFor, useScenario, type ScenarioDef } from '../../helpers/lab.js';
import { SCENARIOS } from '../../../grader/lab/index.js';
import type { RouterDef } from '../../../grader/lab/router.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { defaultDeps } from '../../../grader/engine/default-deps.js';
import { questionChecks } from '../../../checks/questions/index.js';
import type { AnswersFile, ExerciseSpec, GradeResult, Verdict } from '../../../grader/types.js';
import { verdict as v } from '../../helpers/verdicts.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const ROUTER = '172.22.0.12';

function scenario(router: RouterDef, winGateway = ROUTER): ScenarioDef {
  return {
    name: 'router',
    guests: {
      ...SCENARIOS.all!.guests,
      'debian12-rt': { network: 'red-muy-aislada', ip: { mode: 'static', address: `${ROUTER}/16` }, router },
      'win10-rt': { network: 'red-muy-aislada', ip: { mode: 'static', address: '172.22.0.13/16', gateway: winGateway, dns: ['192.168.101.1'] } },
    },
  };
}
const GOOD: RouterDef = { uplink: 'red-nat', forward: 'persistent', nat: 'uplink', save: true };

let spec: ExerciseSpec;

/** A demo answers file with the lab's router address as Windows' gateway. */
async function answers(file: string): Promise<AnswersFile> {
  const a = await loadAnswers(`${root}exercises/demo/${file}`, spec);
  a.tasks.router!.gateway = { '*': { value: { kind: 'ipv4', value: ROUTER }, raw: ROUTER } };
  return a;
}

async function grade(a: AnswersFile): Promise<GradeResult> {
  const lab = await loadLab(await labFileFor({ linux: 'debian12-rt', windows: 'win10-rt' }, { access: ['agent'], networks: { nat: 'red-nat', very_isolated: 'red-muy-aislada' } }));
  return gradeStudent({ spec, lab, answers: a, task: 'all', lang: 'en', deps: defaultDeps('en') });
}

describe('exercise clase7-router-nat on the real lab (a Linux guest as router/NAT)', function () {
  before(async function () {
    await ensureLab(this, scenario(GOOD));
    spec = await loadSpec(`${root}exercises/clase7-router-nat.yaml`, { checks: questionChecks });
  });
  after(async function () {
    this.timeout(10 * 60_000);
    await useScenario('all'); // leave the shared lab as the other lab tests expect it
  });

  it('routed and masqueraded right, saved for the next boot: the correct answers score 100 %', async function () {
    this.timeout(10 * 60_000);
    await useScenario(scenario(GOOD));
    const r = await grade(await answers('clase7-answers-correct.yaml'));
    const bad = r.tasks.flatMap((t) => [...t.hostChecks, ...t.questions]).filter((q) => q.outcome !== 'pass' && q.severity === 'error');
    expect(bad.map((q) => `${q.id} [${q.outcome}] ${q.message}`)).to.deep.equal([]);
    expect(r.totals.percent).to.equal(100);
    expect(v(r, 'router.nat.linux').message).to.include('-o eth1');
  });

  it('forwarding not persistent, NAT on the wrong interface, Windows gateway not the router: each fails, explained', async function () {
    this.timeout(10 * 60_000);
    await useScenario(scenario({ uplink: 'red-nat', forward: 'live', nat: 'inner', save: true }, '172.22.0.1'));
    const r = await grade(await answers('clase7-answers-mistakes.yaml'));
    const fwd = v(r, 'router.forwarding.linux');
    expect(fwd.outcome, fwd.message).to.equal('fail');
    expect(fwd.codes).to.include('sysctl-not-persistent');
    const nat = v(r, 'router.nat.linux');
    expect(nat.outcome, nat.message).to.equal('fail');
    expect(nat.codes).to.include('nat-wrong-interface');
    expect(nat.message).to.include('leaves by eth0, not by eth1');
    const gw = v(r, 'router.gateway.windows');
    expect(gw.outcome).to.equal('fail');
    expect(gw.observed).to.equal('172.22.0.1');
    const via = v(r, 'router.via_router.windows');
    expect(via.outcome, via.message).to.equal('fail');
    expect(via.codes).to.include('gateway-not-via');
  });
});
