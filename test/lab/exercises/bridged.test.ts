// The bridged ("public") networks exercise (exercises/clase1-4-puente.yaml) graded for real on the
// lab's LAN (grader/lab/lan.ts): guests on br0 and on macvtap (lg-mvt0) take their configuration by
// DHCP from the LAN router (10.20.0.1, its own dnsmasq, NAT to the lab's "Internet"). Correct
// answers score 100 % on both tasks; a guest left with a static address outside the LAN fails with
// the explanation. Run as root under the lab lock:
//   flock /tmp/labgrade-labtests.lock node test/run.mjs test/lab/exercises/bridged.test.ts
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { ensureLab, labFileFor, useScenario, type ScenarioDef } from '../../helpers/lab.js';
import { SCENARIOS } from '../../../grader/lab/index.js';
import { removeLan } from '../../../grader/lab/lan.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { defaultDeps } from '../../../grader/engine/default-deps.js';
import { questionChecks } from '../../../checks/questions/index.js';
import type { AnswersFile, ExerciseSpec, GradeResult, Verdict } from '../../../grader/types.js';
import { verdict as v } from '../../helpers/verdicts.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dhcp = { mode: 'dhcp' } as const;
const br = { type: 'bridge', source: 'br0' } as const;
const mvt = { type: 'direct', source: 'lg-mvt0' } as const;

/** `all` plus two guests on br0 and two on macvtap (the course's guests stay where they are). */
function bridged(linuxBr: ScenarioDef['guests'][string] = { network: 'red-nat', ip: dhcp, attach: br }): ScenarioDef {
  return {
    name: 'bridged',
    guests: {
      ...SCENARIOS.all!.guests,
      'debian12-br': linuxBr,
      'win10-br': { network: 'red-nat', ip: dhcp, attach: br },
      'debian12-mvt': { network: 'red-nat', ip: dhcp, attach: mvt },
      'win10-mvt': { network: 'red-nat', ip: dhcp, attach: mvt },
    },
  };
}

let spec: ExerciseSpec;
let correct: AnswersFile;
let mistakes: AnswersFile;

async function grade(task: 'bridge' | 'macvtap', answers: AnswersFile): Promise<GradeResult> {
  const pair = task === 'bridge' ? { linux: 'debian12-br', windows: 'win10-br' } : { linux: 'debian12-mvt', windows: 'win10-mvt' };
  const lab = await loadLab(await labFileFor(pair, { access: ['agent'], networks: { bridge: 'br0', macvtap: 'lg-mvt0' } }));
  return gradeStudent({ spec, lab, answers, task, lang: 'en', deps: defaultDeps('en') });
}

const notPassing = (r: GradeResult, task: string): string[] =>
  r.tasks
    .filter((t) => t.id === task)
    .flatMap((t) => [...t.hostChecks, ...t.questions])
    .filter((q) => q.outcome !== 'pass' && q.severity === 'error')
    .map((q) => `${q.id} [${q.outcome}] ${q.message}`);

describe('exercise clase1-4-puente on the real lab (br0 and macvtap on the lab LAN)', function () {
  before(async function () {
    await ensureLab(this, bridged());
    spec = await loadSpec(`${root}exercises/clase1-4-puente.yaml`, { checks: questionChecks });
    correct = await loadAnswers(`${root}exercises/demo/clase1-4-answers-correct.yaml`, spec);
    mistakes = await loadAnswers(`${root}exercises/demo/clase1-4-answers-mistakes.yaml`, spec);
  });
  after(async function () {
    this.timeout(10 * 60_000);
    // leave the shared lab as the other lab tests expect it: the `all` guests, no LAN
    await useScenario('all');
    await removeLan();
  });

  it('guests on br0: configured by the LAN router, the correct answers score 100 %', async function () {
    this.timeout(5 * 60_000);
    await useScenario(bridged());
    const r = await grade('bridge', correct);
    expect(notPassing(r, 'bridge')).to.deep.equal([]);
    expect(r.tasks.find((t) => t.id === 'bridge')!.points).to.equal(7);
    expect(v(r, 'bridge.vm_config.linux').observed).to.equal('10.20.0.50/24, gateway 10.20.0.1, DNS 10.20.0.1');
  });

  it('guests on macvtap (lg-mvt0): the correct answers score 100 %', async function () {
    this.timeout(5 * 60_000);
    await useScenario(bridged());
    const r = await grade('macvtap', correct);
    expect(notPassing(r, 'macvtap')).to.deep.equal([]);
    expect(v(r, 'macvtap.host.vm-attached.debian12-mvt').message).to.include('lg-mvt0');
  });

  it('a guest left with a static address outside the LAN: config and outside fail with the explanation', async function () {
    this.timeout(5 * 60_000);
    await useScenario(bridged({ network: 'red-nat', ip: { mode: 'static', address: '192.168.101.77/24', gateway: '192.168.101.1', dns: ['192.168.101.1'] }, attach: br }));
    const r = await grade('bridge', mistakes);
    const cfg = v(r, 'bridge.config.linux');
    expect(cfg.outcome).to.equal('fail');
    expect(cfg.codes).to.include('answer-contradicts-lab');
    expect(cfg.hints.join(' ')).to.include('leave the card set to DHCP');
    const out = v(r, 'bridge.outside.linux');
    expect(out.outcome, out.message).to.equal('fail');
    expect(v(r, 'bridge.vm_config.linux').observed).to.include('192.168.101.77/24');
    expect(v(r, 'bridge.config.windows').outcome).to.equal('pass');
  });
});
