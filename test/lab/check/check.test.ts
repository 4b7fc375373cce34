// `labgrade check` against the real lab (root; run under the lab-tests lock):
//   flock /tmp/labgrade-labtests.lock npx mocha test/lab/check/check.test.ts
// The course's reference answers score 100 % on each task; each kind of mistake gives the right
// failing verdict with its explanation; a misconfigured network is flagged; a guest reachable only
// through the guest agent is still graded; the CLI's exit codes and outputs hold, with no secret.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureLab, labFileFor, useScenario, LAB } from '../../helpers/lab.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { defaultDeps } from '../../../grader/engine/default-deps.js';
import type { AnswersFile, AnswerValue, ExerciseSpec, GradeResult, Verdict } from '../../../grader/types.js';
import type { LabFileOptions } from '../../../grader/lab/index.js';
import { verdict as v, notPassing } from '../../helpers/verdicts.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = `${root}exercises/clase2-redes.yaml`;
const CORRECT = `${root}exercises/demo/answers-correct.yaml`;
const MISTAKES = `${root}exercises/demo/answers-mistakes.yaml`;
const PAIRS = {
  nat: { linux: 'debian12', windows: 'win10' },
  isolated: { linux: 'debian12-iso', windows: 'win10-iso' },
  very_isolated: { linux: 'debian12-viso', windows: 'win10-viso' },
} as const;
type TaskId = keyof typeof PAIRS;

let spec: ExerciseSpec;
let correct: AnswersFile;
let mistakes: AnswersFile;

async function grade(task: TaskId, answers: AnswersFile, opts: LabFileOptions = {}, pair: Record<string, string> = PAIRS[task]): Promise<GradeResult> {
  const lab = await loadLab(await labFileFor(pair, opts));
  return gradeStudent({ spec, lab, answers, task, lang: 'en', deps: defaultDeps('en') });
}

/** A copy of an answers file with one answer replaced. */
function withAnswer(a: AnswersFile, task: string, q: string, role: string, value: AnswerValue): AnswersFile {
  const copy = structuredClone(a);
  copy.tasks[task] ??= {};
  copy.tasks[task]![q] = { ...(copy.tasks[task]![q] ?? {}), [role]: { value, raw: JSON.stringify(value) } };
  return copy;
}

describe('labgrade check on the real lab', function () {
  before(async function () {
    await ensureLab(this, 'all');
    spec = await loadSpec(SPEC);
    correct = await loadAnswers(CORRECT, spec);
    mistakes = await loadAnswers(MISTAKES, spec);
  });

  describe('scenario all: reference answers', function () {
    before(async function () {
      this.timeout(10 * 60_000);
      await useScenario('all');
    });

    for (const task of Object.keys(PAIRS) as TaskId[]) {
      it(`scores 100 % on task ${task}`, async function () {
        this.timeout(120_000);
        const r = await grade(task, correct);
        expect(notPassing(r)).to.deep.equal([]);
        expect(r.totals.percent).to.equal(100);
        expect(r.exitCode).to.equal(0);
        // The access trail: every graded guest says how it was reached.
        expect(r.access?.length).to.be.greaterThan(0);
        for (const g of r.access ?? []) expect(g.trail.filter((a) => a.outcome === 'used').map((a) => a.method)).to.deep.equal([g.via]);
        const q = r.tasks.find((t) => t.id === task)!.questions;
        expect(q).to.have.length(14);
        // Every verdict cites evidence from inside a guest.
        for (const x of q) expect(x.evidence.length, x.id).to.be.greaterThan(0);
      });
    }

    it('grades the very isolated pair through the guest agent (no network path from the host)', async function () {
      this.timeout(120_000);
      const r = await grade('very_isolated', correct);
      const ev = v(r, 'very_isolated.config.linux').evidence;
      expect(ev.every((e) => e.transport === 'agent')).to.equal(true);
      expect(v(r, 'very_isolated.host.linux').codes).to.include('host-no-address');
      expect(v(r, 'very_isolated.vm_to_vm.windows').message).to.include('172.22.0.2');
    });

    it('the typical mistakes fail with their explanations', async function () {
      this.timeout(180_000);
      const nat = await grade('nat', mistakes);
      expect(v(nat, 'nat.config.linux').outcome).to.equal('fail');
      expect(v(nat, 'nat.config.linux').message).to.match(/leased by DHCP/);
      const vc = v(nat, 'nat.vm_config.linux');
      expect(vc.outcome).to.equal('fail');
      expect(vc.points).to.equal(vc.maxPoints * 0.75);
      expect(vc.message).to.include('gateway');
      const dns = v(nat, 'nat.dns.linux');
      expect(dns.outcome).to.equal('fail');
      expect(dns.message).to.include(LAB.resolveName);
      expect(v(nat, 'nat.dns_server.windows').observed).to.equal('192.168.101.1');

      const iso = await grade('isolated', mistakes);
      expect(v(iso, 'isolated.config.linux').outcome).to.equal('fail');
      expect(v(iso, 'isolated.outside.linux').outcome).to.equal('fail');
      expect(v(iso, 'isolated.outside.linux').message).to.match(/198\.51\.100\.10/);
      const vm = v(iso, 'isolated.vm_to_vm.linux');
      expect(vm.outcome).to.equal('fail');
      expect(vm.observed).to.equal('yes');

      const viso = await grade('very_isolated', mistakes);
      const h = v(viso, 'very_isolated.host.linux');
      expect(h.outcome).to.equal('fail');
      expect(h.codes).to.include('host-no-address');
      expect(h.message).to.match(/has no <ip>/);
      expect(v(viso, 'very_isolated.dns.windows').codes).to.include('no-answer');
      expect(viso.exitCode).to.equal(1);
    });

    it('a guest that cannot be reached is an error naming why; the other guest is still graded', async function () {
      this.timeout(120_000);
      // SSH only (no agent) on the very isolated network: there is no network path from the host.
      const r = await grade('very_isolated', correct, { access: ['ssh'] });
      const e = v(r, 'very_isolated.config.linux');
      expect(e.outcome).to.equal('error');
      expect(e.codes).to.include('unreachable-guest');
      expect(e.message).to.match(/debian12-viso/);
      expect(e.message).to.match(/172\.22|ssh|address/i);
      expect(r.exitCode).to.equal(1);
      // ...and the trail says why SSH was not used.
      const linux = r.access?.find((g) => g.role === 'linux');
      expect(linux?.via).to.equal(null);
      expect(linux?.trail.map((a) => [a.outcome, a.reason])).to.deep.equal([['skipped', 'very-isolated']]);
    });
  });

  describe('knob scenarios', function () {
    it('firewall: a ping dropped while ARP resolved; "no" is wrong about the link', async function () {
      this.timeout(10 * 60_000);
      await useScenario('firewall');
      const yes = await grade('nat', correct);
      const p = v(yes, 'nat.vm_to_vm.linux');
      expect(p.outcome).to.equal('pass');
      expect(p.codes).to.include('firewall-filtered');
      const no = await grade('nat', withAnswer(correct, 'nat', 'vm_to_vm', 'linux', { kind: 'yes-no', value: false }));
      const f = v(no, 'nat.vm_to_vm.linux');
      expect(f.outcome).to.equal('fail');
      expect(f.codes).to.include.members(['firewall-filtered', 'answered-no-but-link-works']);
      expect(f.message).to.match(/neighbour/);
      expect(f.hints.join(' ')).to.match(/firewall/i);
    });

    it('dhcp-left: a guest left on DHCP where there is none (IPv6 link-local only)', async function () {
      this.timeout(10 * 60_000);
      await useScenario('dhcp-left');
      const r = await grade('isolated', withAnswer(correct, 'isolated', 'config', 'linux', { kind: 'config-method', value: 'dynamic' }));
      const c = v(r, 'isolated.config.linux');
      expect(c.outcome).to.equal('fail');
      expect(c.codes).to.include.members(['link-local-only', 'no-dhcp-server']);
      expect(c.message).to.match(/only an IPv6 link-local/);
      const vc = v(r, 'isolated.vm_config.linux');
      expect(vc.outcome).to.equal('fail');
      expect(vc.message).to.match(/no DHCP server/);
    });

    it('nat-no-dhcp: the misconfigured network is flagged by the host checks and in the verdicts', async function () {
      this.timeout(10 * 60_000);
      await useScenario('nat-no-dhcp');
      const answers = withAnswer(correct, 'nat', 'config', 'windows', { kind: 'config-method', value: 'static' });
      const r = await grade('nat', answers);
      const host = r.tasks.find((t) => t.id === 'nat')!.hostChecks.find((x) => x.check === 'network-type')!;
      expect(host.outcome).to.equal('fail');
      const w = v(r, 'nat.config.windows');
      expect(w.outcome).to.equal('pass');
      expect(w.codes).to.include.members(['lab-contradicts-theory', 'network-misconfigured', 'network-no-dhcp']);
      expect(w.message).to.match(/no DHCP range/);
      const l = v(r, 'nat.config.linux');
      expect(l.codes).to.include('link-local-only');
      expect(r.exitCode).to.equal(1);
    });

    it('ssh-stopped: a guest reachable only by agent is still graded (100 %)', async function () {
      this.timeout(10 * 60_000);
      await useScenario('ssh-stopped');
      const r = await grade('nat', correct);
      expect(notPassing(r)).to.deep.equal([]);
      expect(v(r, 'nat.config.linux').evidence.every((e) => e.transport === 'agent')).to.equal(true);
      expect(v(r, 'nat.config.windows').evidence.every((e) => e.transport === 'ssh')).to.equal(true);
    });

    it('stale-lease: the address libvirt still shows is recognised as a stale lease', async function () {
      this.timeout(10 * 60_000);
      await useScenario('stale-lease');
      // What the student copied from virt-manager: the NAT lease the guest left behind.
      const probe = await grade('isolated', correct);
      const stale = /lease (\d+\.\d+\.\d+\.\d+)\/\d+ on "red-nat"/.exec(v(probe, 'isolated.vm_config.linux').message)?.[1];
      expect(stale, v(probe, 'isolated.vm_config.linux').message).to.be.a('string');
      expect(v(probe, 'isolated.vm_config.linux').outcome).to.equal('pass');
      expect(v(probe, 'isolated.vm_config.linux').codes).to.include('stale-lease');
      const r = await grade('isolated', withAnswer(correct, 'isolated', 'vm_config', 'linux', { kind: 'ipv4-config', address: stale!, prefix: 24, gateway: null, dns: [] }));
      const vc = v(r, 'isolated.vm_config.linux');
      expect(vc.outcome).to.equal('fail');
      expect(vc.codes).to.include.members(['stale-lease', 'answer-is-stale-lease']);
      expect(vc.message).to.include('192.168.102.2');
    });
  });

  describe('the CLI', function () {
    before(async function () {
      this.timeout(10 * 60_000);
      await useScenario('all');
    });

    function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
      const r = spawnSync(process.execPath, [`${root}bin/labgrade.js`, ...args], { encoding: 'utf8', timeout: 120_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    }

    it('exit 0 / 1 / 2, every format, and no secret in any output', async function () {
      this.timeout(300_000);
      const lab = await labFileFor(PAIRS.isolated);
      const password = (await readFile(LAB.passwordFile, 'utf8')).trim();
      const ok = cli(['check', SPEC, '--lab', lab, '--answers', CORRECT, '--format', 'json', '--lang', 'en']);
      expect(ok.status, ok.stderr).to.equal(0);
      const result = JSON.parse(ok.stdout) as GradeResult;
      expect(result.totals.percent).to.equal(100);
      expect(result.tasks.find((t) => t.id === 'isolated')!.questions.every((q) => q.outcome === 'pass')).to.equal(true);
      const outputs = [ok.stdout, ok.stderr];
      for (const format of ['text', 'junit', 'html']) {
        const r = cli(['check', SPEC, '--lab', lab, '--answers', MISTAKES, '--format', format, '--task', 'isolated']);
        expect(r.status, `${format}: ${r.stderr}`).to.equal(1);
        expect(r.stdout.length).to.be.greaterThan(100);
        outputs.push(r.stdout, r.stderr);
      }
      const bad = cli(['check', SPEC, '--lab', lab, '--answers', '/nonexistent/answers.yaml']);
      expect(bad.status).to.equal(2);
      const badTask = cli(['check', SPEC, '--lab', lab, '--answers', CORRECT, '--task', 'nope']);
      expect(badTask.status).to.equal(2);
      expect(badTask.stderr).to.match(/nat, isolated, very_isolated/);
      const badFormat = cli(['check', SPEC, '--lab', lab, '--answers', CORRECT, '--format', 'pdf']);
      expect(badFormat.status).to.equal(2);
      expect(password.length).to.be.greaterThan(4);
      for (const o of outputs) expect(o).not.to.include(password);
    });
  });
});
