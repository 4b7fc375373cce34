// The `iputils-ping` flavour (grader/lab/flavours.ts): busybox-static's `timeout` (preferred applets,
// busybox not setuid) beside iputils' `ping`, ping_group_range open. Reached as the unprivileged
// `usuario` by password, every reach verdict is measured (the probe runs the ping `command -v`
// found, never `timeout ping` by name, which would be busybox's applet, refused to a user). With
// ping_group_range closed, the pings SSH may not run are measured through the guest agent (root),
// and the access trail names both methods. Root only, under the lab lock:
//   flock /tmp/labgrade-labtests.lock node test/run.mjs test/lab/flavours/iputils-ping.test.ts
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { ensureLab, guestAgent, labFileFor, useScenario } from '../../helpers/lab.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { defaultDeps } from '../../../grader/engine/default-deps.js';
import { SCENARIOS, withFlavours } from '../../../grader/lab/index.js';
import type { AnswersFile, ExerciseSpec, GradeResult } from '../../../grader/types.js';
import { notPassing } from '../../helpers/verdicts.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const ROLES = { linux: 'debian12', windows: 'win10' } as const;
const FLAVOUR = 'iputils-ping' as const;
const TASKS = [
  { task: 'nat', scenario: 'nat' },
  { task: 'isolated', scenario: 'isolated' },
] as const;

let spec: ExerciseSpec;
let correct: AnswersFile;

/** As usuario by password, then the agent (what init proposes, and labFileFor writes). */
async function grade(task: string): Promise<GradeResult> {
  // 3 s per probe: these guests run under TCG on a shared machine (a lost reply is not the point here).
  const lab = await loadLab(await labFileFor(ROLES, { users: { '*': 'usuario' }, probes: { timeout_ms: 3000 } }));
  return gradeStudent({ spec, lab, answers: correct, task, lang: 'en', deps: defaultDeps('en') });
}

/** The reach questions' verdicts (ping-based: outside, host, vm_to_vm). */
const reachVerdicts = (r: GradeResult) => r.tasks.flatMap((t) => t.questions).filter((q) => /\.(outside|host|vm_to_vm)\./.test(q.id));

/** Runs a shell line in the guest as usuario (through the agent, which runs as root). */
const asUsuario = (domain: string, line: string) => guestAgent(domain, ['/bin/su', '-s', '/bin/sh', 'usuario', '-c', `PATH=/usr/bin:/bin; ${line}`]);

describe(`flavour ${FLAVOUR}: busybox-static timeout + iputils ping, reached as usuario`, function () {
  before(async function () {
    await ensureLab(this, withFlavours(SCENARIOS.nat!, { '*': FLAVOUR }));
    spec = await loadSpec(`${root}exercises/clase2-redes.yaml`);
    correct = await loadAnswers(`${root}exercises/demo/answers-correct.yaml`, spec);
  });
  after(async function () {
    this.timeout(15 * 60_000);
    await useScenario('all');
  });

  for (const { task, scenario } of TASKS) {
    describe(`task ${task}`, function () {
      before(async function () {
        this.timeout(15 * 60_000);
        await useScenario(withFlavours(SCENARIOS[scenario]!, { '*': FLAVOUR }));
      });

      if (task === 'nat') {
        it('the guest is that flavour: `timeout ping` by name is busybox\'s applet, refused to usuario; the iputils ping command -v finds works', async function () {
          this.timeout(120_000);
          for (const domain of Object.values(ROLES)) {
            const sig = await guestAgent(domain, ['/bin/sh', '-c', 'grep -qx iputils-ping /etc/labgrade-flavour && [ ! -u /usr/bin/busybox ] && [ "$(readlink -f /usr/bin/timeout)" = /usr/bin/busybox ]']);
            expect(sig.exitCode, `${domain}: ${sig.stdout}${sig.stderr}`).to.equal(0);
          }
          const bare = await asUsuario('debian12', 'timeout 3 ping -c 1 -W 1 192.168.101.1');
          expect(`${bare.stdout}${bare.stderr}`).to.match(/are you root/);
          const found = await asUsuario('debian12', 'timeout 3 "$(command -v ping)" -c 1 -W 1 192.168.101.1');
          expect(found.exitCode, `${found.stdout}${found.stderr}`).to.equal(0);
        });
      }

      it('the reference answers score 100 %, every reach verdict measured over SSH as usuario', async function () {
        this.timeout(5 * 60_000);
        const r = await grade(task);
        expect(notPassing(r)).to.deep.equal([]);
        expect(r.totals.percent).to.equal(100);
        const reach = reachVerdicts(r);
        expect(reach.length).to.be.greaterThan(3);
        for (const q of reach) {
          expect(q.outcome, `${q.id}: ${q.message}`).to.not.equal('error');
          expect(q.evidence.every((e) => e.transport === 'ssh' && /^ssh usuario@/.test(e.guest)), q.id).to.equal(true);
        }
        // The ping cited is the path command -v found.
        expect(JSON.stringify(reach.flatMap((q) => q.evidence.map((e) => e.stdout)))).to.include('@@LG-TOOL ping /usr/bin/ping');
      });
    });
  }

  describe('ping_group_range closed: the pings SSH (usuario) may not run are measured through the agent', function () {
    before(async function () {
      this.timeout(15 * 60_000);
      await useScenario(withFlavours(SCENARIOS.nat!, { '*': FLAVOUR }));
      for (const domain of Object.values(ROLES)) {
        const r = await guestAgent(domain, ['/bin/sh', '-c', 'echo "1 0" > /proc/sys/net/ipv4/ping_group_range']);
        expect(r.exitCode).to.equal(0);
      }
    });
    after(async function () {
      for (const domain of Object.values(ROLES)) await guestAgent(domain, ['/bin/sh', '-c', 'echo "0 2147483647" > /proc/sys/net/ipv4/ping_group_range']);
    });

    it('100 %, every reach verdict measured; the trail names SSH (used) and the agent (used for what was denied)', async function () {
      this.timeout(5 * 60_000);
      const denied = await asUsuario('debian12', 'ping -c 1 -W 1 192.168.101.1');
      expect(denied.exitCode).to.not.equal(0);
      const r = await grade('nat');
      const why = r.tasks
        .flatMap((t) => t.questions)
        .filter((q) => q.outcome !== 'pass')
        .map((q) => `${q.id}: ${JSON.stringify(q.evidence.map((e) => [e.transport, e.guest, e.command, e.stdout.slice(0, 600)]))}`)
        .join('\n');
      expect(notPassing(r), `${why}\n${JSON.stringify(r.access)}`).to.deep.equal([]);
      expect(r.totals.percent).to.equal(100);
      for (const q of reachVerdicts(r)) expect(q.outcome, `${q.id}: ${q.message}`).to.not.equal('error');
      for (const [role, domain] of Object.entries(ROLES)) {
        const a = r.access!.find((x) => x.domain === domain)!;
        expect(a.role).to.equal(role);
        expect(a.via).to.match(/^ssh usuario@/);
        const used = a.trail.filter((x) => x.outcome === 'used');
        expect(used.map((x) => [x.method.replace(/@.*/, ''), x.reason])).to.deep.equal([
          ['ssh usuario', null],
          ['agent', 'permission-denied'],
        ]);
        expect(used[1]!.detail).to.match(/not permitted to run: ping /);
        // The evidence of the reach verdicts includes the agent's run.
        const ev = r.tasks[0]!.questions.filter((q) => q.role === role && /\.outside\./.test(q.id)).flatMap((q) => q.evidence);
        expect(ev.some((e) => e.transport === 'agent'), JSON.stringify(ev.map((e) => [e.transport, e.command]))).to.equal(true);
      }
    });
  });
});
