// The three tasks graded on real guests of each flavour (grader/lab/flavours.ts; root only, under
// the lab lock):  flock /tmp/labgrade-labtests.lock node test/run.mjs test/lab/flavours/flavours.test.ts
// LABGRADE_FLAVOURS=busybox,debian-nm limits the flavours (default: all three).
//
// For each flavour the course's two VMs (debian12 as the Linux role, win10 as the Windows role, both
// running that flavour) are moved from task network to task network (a reboot each: the guests'
// addresses come from the kernel command line) and graded twice per answers file: as root with the
// lab key, and as the unprivileged `usuario` with a password (no sbin on its PATH), as on a
// student's machine. The reference answers score 100 %, the demo's typical mistakes fail with their
// explanations, and every result records how each guest was reached.
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { ensureLab, guestAgent, labFileFor, useScenario, LAB } from '../../helpers/lab.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { defaultDeps } from '../../../grader/engine/default-deps.js';
import { renderers } from '../../../reports/index.js';
import { SCENARIOS, withFlavours, type Flavour } from '../../../grader/lab/index.js';
import type { AnswersFile, ExerciseSpec, GradeResult, Verdict } from '../../../grader/types.js';
import { verdict as v, notPassing } from '../../helpers/verdicts.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = `${root}exercises/clase2-redes.yaml`;
const ROLES = { linux: 'debian12', windows: 'win10' } as const;
const TASKS = [
  { task: 'nat', scenario: 'nat' },
  { task: 'isolated', scenario: 'isolated' },
  { task: 'very_isolated', scenario: 'very-isolated' },
] as const;
type Task = (typeof TASKS)[number]['task'];
const LOGINS = ['root', 'usuario'] as const;
type Login = (typeof LOGINS)[number];

const ALL: Flavour[] = ['busybox', 'debian-nm', 'debian-networkd'];
const FLAVOURS: Flavour[] = process.env.LABGRADE_FLAVOURS
  ? (process.env.LABGRADE_FLAVOURS.split(',').map((s) => s.trim()) as Flavour[]).filter((f) => ALL.includes(f))
  : ALL;

/**
 * What makes each flavour itself, checked inside the guest before grading (so a test can never pass
 * on the wrong guest): a shell command that must exit 0.
 */
const SIGNATURE: Record<Flavour, string> = {
  tiny: 'command -v getent',
  // busybox only: no getent, no iproute2 (busybox `ip` has no -j), udhcpc running on NAT
  busybox: '! command -v getent && ! ip -j addr >/dev/null 2>&1 && [ "$(readlink -f /usr/sbin/ip)" = /usr/bin/busybox ]',
  'debian-nm': 'systemctl is-active -q NetworkManager && command -v nmcli && [ -x /usr/sbin/sshd ]',
  'debian-networkd':
    'systemctl is-active -q systemd-networkd && systemctl is-active -q systemd-resolved && grep -q "^nameserver 127.0.0.53" /etc/resolv.conf && ! command -v nmcli',
  // tested in iputils-ping.test.ts
  'iputils-ping': 'grep -qx iputils-ping /etc/labgrade-flavour && [ ! -u /usr/bin/busybox ] && [ "$(readlink -f /usr/bin/timeout)" = /usr/bin/busybox ]',
};

let spec: ExerciseSpec;
let correct: AnswersFile;
let mistakes: AnswersFile;

async function grade(task: Task, answers: AnswersFile, login: Login): Promise<GradeResult> {
  const lab = await loadLab(await labFileFor(ROLES, { users: { '*': login } }));
  return gradeStudent({ spec, lab, answers, task, lang: 'en', deps: defaultDeps('en') });
}

/** The SSH login the lab file gave, as the evidence shows it (`ssh usuario@192.168.101.218:22 ...`). */
const sshLabel = (login: Login) => new RegExp(`^ssh ${login}@`);

/**
 * How each guest was reached (issue 11 item 4): the result records, per guest, every access method
 * tried in order and why the others were not used (`r.access`), shown in JSON, text and HTML; and
 * the evidence of every verdict names the channel that produced it.
 */
function expectAccessTrail(r: GradeResult, task: Task, login: Login): void {
  const q = r.tasks.find((t) => t.id === task)!.questions;
  const viaSsh = task !== 'very_isolated';
  for (const role of Object.keys(ROLES)) {
    const ev = q.filter((x) => x.role === role).flatMap((x) => x.evidence);
    expect(ev.length, `${task} ${role}: evidence`).to.be.greaterThan(0);
    // reachable by SSH: every probe ran over SSH as that login; on the very isolated network there
    // is no path from the host, so the guest agent
    const seen = ev.map((e) => e.guest).join(', ');
    if (viaSsh) expect(ev.every((e) => e.transport === 'ssh' && sshLabel(login).test(e.guest)), `${task} ${role}: ${seen}`).to.equal(true);
    else expect(ev.every((e) => e.transport === 'agent'), `${task} ${role}: ${seen}`).to.equal(true);
  }
  const json = JSON.parse(renderers.json(r, { lang: 'en' })) as GradeResult;
  const text = renderers.text(r, { lang: 'en', color: false });
  const html = renderers.html(r, { lang: 'en' });
  for (const [role, domain] of Object.entries(ROLES)) {
    const g = r.access?.find((a) => a.domain === domain);
    expect(g, `${domain}: access trail in the result`).to.not.equal(undefined);
    expect(g!.role).to.equal(role);
    const used = g!.trail.filter((a) => a.outcome === 'used');
    expect(used, `${domain}: one method used`).to.have.length(1);
    expect(g!.via).to.equal(used[0]!.method);
    if (viaSsh) {
      expect(used[0]!.method).to.match(sshLabel(login));
    } else {
      // SSH came first in the lab file and the result says why it was not used
      expect(used[0]!.method).to.match(/^agent/);
      const ssh = g!.trail.find((a) => /^ssh /.test(a.method));
      expect(ssh, `${domain}: SSH attempt recorded`).to.not.equal(undefined);
      expect(ssh!.outcome).to.not.equal('used');
      expect(ssh!.reason).to.be.a('string');
      expect(ssh!.detail).to.not.equal('');
    }
    expect(json.access?.find((a) => a.domain === domain)).to.deep.equal(g);
    for (const a of g!.trail) {
      expect(text, `text report: ${a.method}`).to.include(a.method);
      expect(html, `html report: ${a.method}`).to.include(a.method.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    }
  }
}

/** The demo's typical mistakes (exercises/demo/answers-mistakes.yaml) and their explanations, per task. */
function expectMistakes(r: GradeResult, task: Task): void {
  if (task === 'nat') {
    expect(v(r, 'nat.config.linux').outcome).to.equal('fail');
    expect(v(r, 'nat.config.linux').message).to.match(/leased by DHCP|DHCP/);
    const vc = v(r, 'nat.vm_config.linux');
    expect(vc.outcome).to.equal('fail');
    expect(vc.points).to.equal(vc.maxPoints * 0.75);
    expect(vc.message).to.include('gateway');
    const dns = v(r, 'nat.dns.linux');
    expect(dns.outcome).to.equal('fail');
    expect(dns.message).to.include(LAB.resolveName);
    expect(v(r, 'nat.dns_server.windows').outcome).to.equal('fail');
    expect(v(r, 'nat.dns_server.windows').observed).to.equal('192.168.101.1');
  } else if (task === 'isolated') {
    expect(v(r, 'isolated.config.linux').outcome).to.equal('fail');
    expect(v(r, 'isolated.vm_config.linux').outcome).to.equal('fail');
    expect(v(r, 'isolated.outside.linux').outcome).to.equal('fail');
    expect(v(r, 'isolated.outside.linux').message).to.match(/198\.51\.100\.10/);
    const vm = v(r, 'isolated.vm_to_vm.linux');
    expect(vm.outcome).to.equal('fail');
    expect(vm.observed).to.equal('yes');
  } else {
    const h = v(r, 'very_isolated.host.linux');
    expect(h.outcome).to.equal('fail');
    expect(h.codes).to.include('host-no-address');
    expect(h.message).to.match(/has no <ip>/);
    expect(v(r, 'very_isolated.dns.windows').codes).to.include('no-answer');
  }
  // nothing the mistakes do not explain: every other verdict passes (a failed measurement would
  // show here as an error)
  const errors = r.tasks.flatMap((t) => t.questions).filter((q) => q.outcome === 'error' && !q.codes.includes('no-answer'));
  expect(errors.map((q) => `${q.id}: ${q.message}`)).to.deep.equal([]);
  expect(r.exitCode).to.equal(1);
}

describe('grading real guests of each flavour (debian12 + win10, moved across the three networks)', function () {
  before(async function () {
    await ensureLab(this, withFlavours(SCENARIOS.nat!, { '*': FLAVOURS[0] ?? 'busybox' }));
    spec = await loadSpec(SPEC);
    correct = await loadAnswers(`${root}exercises/demo/answers-correct.yaml`, spec);
    mistakes = await loadAnswers(`${root}exercises/demo/answers-mistakes.yaml`, spec);
  });

  for (const flavour of FLAVOURS) {
    describe(`flavour ${flavour}`, function () {
      for (const { task, scenario } of TASKS) {
        describe(`task ${task}`, function () {
          before(async function () {
            this.timeout(15 * 60_000);
            await useScenario(withFlavours(SCENARIOS[scenario]!, { '*': flavour }));
            for (const domain of Object.values(ROLES)) {
              const r = await guestAgent(domain, ['/bin/sh', '-c', SIGNATURE[flavour]]);
              expect(r.exitCode, `${domain} is a ${flavour} guest: ${r.stdout}${r.stderr}`).to.equal(0);
            }
          });

          for (const login of LOGINS) {
            it(`reference answers score 100 % (${login === 'root' ? 'root by key' : 'usuario by password'})`, async function () {
              this.timeout(5 * 60_000);
              const r = await grade(task, correct, login);
              expect(notPassing(r)).to.deep.equal([]);
              expect(r.totals.percent).to.equal(100);
              expect(r.exitCode).to.equal(0);
              const q = r.tasks.find((t) => t.id === task)!.questions;
              expect(q).to.have.length(14);
              expectAccessTrail(r, task, login);
            });

            it(`typical mistakes fail with their explanations (${login === 'root' ? 'root by key' : 'usuario by password'})`, async function () {
              this.timeout(5 * 60_000);
              const r = await grade(task, mistakes, login);
              expectMistakes(r, task);
              expectAccessTrail(r, task, login);
            });
          }
        });
      }
    });
  }
});
