// `labgrade init` and `labgrade doctor` against the real lab (root; run under the lab-tests lock):
//   flock /tmp/labgrade-labtests.lock npx mocha test/lab/onboarding/onboarding.test.ts
// init writes a lab file that loadLab, inspect and the grading engine use unchanged; doctor is run
// with each prerequisite broken in turn (agent stopped, SSH stopped, wrong key, network inactive,
// user without libvirt access): each gives its fix, none a stack trace. The lab is restored after
// each broken case.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLab, guestSsh, useScenario, LAB } from '../../helpers/lab.js';
import { runInit } from '../../../grader/onboarding/init.js';
import { runDoctor, type DoctorReport } from '../../../grader/onboarding/doctor.js';
import { doctorText } from '../../../reports/doctor.js';
import { realDoctorDeps } from '../../../grader/onboarding/doctor-deps.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { inspectHost } from '../../../grader/libvirt/snapshot.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { defaultDeps } from '../../../grader/engine/default-deps.js';
import { agentPing } from '../../../grader/lab/index.js';
import type { ExerciseSpec, InputIssue } from '../../../grader/types.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = `${root}exercises/clase2-redes.yaml`;
const CORRECT = `${root}exercises/demo/answers-correct.yaml`;
const dir = mkdtempSync(join(tmpdir(), 'lg-onboarding-'));
chmodSync(dir, 0o755);

let spec: ExerciseSpec;

async function init(name: string, extra: { sshKey?: string; knownHosts?: string } = {}): Promise<string> {
  const output = join(dir, `${name}.yaml`);
  await runInit({
    lang: 'en',
    specPath: SPEC,
    uri: LAB.uri,
    output,
    force: true,
    sshUser: LAB.sshUser,
    sshKey: extra.sshKey ?? LAB.sshKey,
    knownHosts: extra.knownHosts ?? LAB.knownHosts,
    probes: { outsideHost: LAB.outsideHost, resolveName: LAB.resolveName, timeoutMs: 1000 },
  });
  chmodSync(output, 0o644);
  return output;
}

async function doctor(labPath: string, lang: 'en' | 'es' = 'en'): Promise<DoctorReport> {
  const rep = await runDoctor(realDoctorDeps(lang), { lang, labPath, labExplicit: true, specPath: SPEC, uri: LAB.uri });
  // Shown in the test log: what a student would read.
  // eslint-disable-next-line no-console
  console.log(doctorText(rep, { lang }).replace(/^/gm, '        '));
  return rep;
}

const check = (rep: DoctorReport, id: string) => {
  const c = rep.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}: ${rep.checks.map((x) => x.id).join(', ')}`);
  return c;
};

function noStack(rep: DoctorReport): void {
  for (const c of rep.checks) {
    expect(`${c.message}\n${c.fix ?? ''}`, c.id).not.to.match(/\n\s+at .+:\d+:\d+\)?/);
  }
}

describe('onboarding on the real lab', function () {
  let labPath: string;

  before(async function () {
    await ensureLab(this, 'all');
    spec = await loadSpec(SPEC, { lang: 'en' });
    labPath = await init('lab');
  });

  after(async function () {
    this.timeout(10 * 60_000);
    await useScenario('all');
  });

  describe('labgrade init', () => {
    it('maps the course networks and VMs, detects the netns (said, not written: found again when checking), proposes ssh + agent', async () => {
      const text = readFileSync(labPath, 'utf8');
      const warnings: InputIssue[] = [];
      const lab = await loadLab(labPath, { spec, lang: 'en', warnings });
      expect(warnings).to.deep.equal([]);
      expect(lab.netns).to.equal(undefined);
      expect(text).to.include(`network namespace "${LAB.netns}"`);
      expect(lab.networks).to.deep.equal(LAB.networks);
      expect(lab.vms.linux).to.deep.include({ domain: 'debian12' });
      expect(lab.vms.windows).to.deep.include({ domain: 'win10', os: 'linux' });
      for (const vm of Object.values(lab.vms)) {
        expect(vm.access.map((a) => a.kind)).to.deep.equal(['ssh', 'agent']);
        expect(vm.access[0]).to.deep.include({ user: 'root', keyFile: LAB.sshKey, knownHostsFile: LAB.knownHosts });
      }
      // The stand-in is named, not guessed silently.
      expect(text).to.match(/# CHECK: no Windows VM is left for "windows"; win10 runs Linux/);
    });

    it('inspect accepts it: every network and domain it names exists', async () => {
      const lab = await loadLab(labPath, { spec, lang: 'en' });
      const snap = await inspectHost(lab.uri, { lang: 'en', domains: Object.values(lab.vms).map((v) => v.domain) });
      for (const name of Object.values(lab.networks)) expect(snap.networks.map((n) => n.name)).to.include(name);
      for (const vm of Object.values(lab.vms)) expect(snap.domains.find((d) => d.name === vm.domain)?.state).to.equal('running');
    });

    it('labgrade check grades with it unchanged: the reference answers score 100 %', async function () {
      this.timeout(5 * 60_000);
      const lab = await loadLab(labPath, { spec, lang: 'en' });
      const answers = await loadAnswers(CORRECT, spec, { lang: 'en' });
      const r = await gradeStudent({ spec, lab, answers, task: 'nat', lang: 'en', deps: defaultDeps('en') });
      expect(r.errors).to.deep.equal([]);
      expect(r.totals.error).to.equal(0);
      expect(r.totals.percent).to.equal(100);
    });

    for (const [label, names] of [
      ['spelled with underscores', ['red_nat', 'red_aislada', 'red_muy_aislada']],
      ['with unrelated names', ['alfa', 'beta', 'gamma']],
    ] as const) {
      it(`maps the lab's networks by their properties when the exercise's names are ${label}`, async function () {
        this.timeout(5 * 60_000);
        // The lab's networks are fixed (red-nat...), so the names are varied on the exercise side:
        // to init, the host's names are then as foreign as a student's unrelated ones.
        const text = readFileSync(SPEC, 'utf8')
          .replace('names: [red-nat, red_nat]', `names: [${names[0]}]`)
          .replace('names: [red-aislada, red_aislada]', `names: [${names[1]}]`)
          .replace('names: [red-muy-aislada, red_muy_aislada]', `names: [${names[2]}]`);
        expect(text).not.to.contain('red-nat, red_nat');
        const specFile = join(dir, `spec-${names[0]}.yaml`);
        writeFileSync(specFile, text);
        const other = await loadSpec(specFile, { lang: 'en' });
        const output = join(dir, `lab-${names[0]}.yaml`);
        await runInit({
          lang: 'en', specPath: specFile, uri: LAB.uri, output, force: true, sshUser: LAB.sshUser, sshKey: LAB.sshKey,
          knownHosts: LAB.knownHosts, probes: { outsideHost: LAB.outsideHost, resolveName: LAB.resolveName, timeoutMs: 1000 },
        });
        const lab = await loadLab(output, { spec: other, lang: 'en' });
        expect(lab.networks).to.deep.equal(LAB.networks);
        expect(readFileSync(output, 'utf8')).not.to.match(/# (AMBIGUOUS|MISSING):/);
        const answers = await loadAnswers(CORRECT, other, { lang: 'en' });
        const r = await gradeStudent({ spec: other, lab, answers, task: 'nat', lang: 'en', deps: defaultDeps('en') });
        expect(r.totals.error).to.equal(0);
        expect(r.totals.percent).to.equal(100);
      });
    }

    it('refuses to overwrite without --force', async () => {
      let err: unknown;
      try {
        await runInit({ lang: 'en', specPath: SPEC, uri: LAB.uri, output: labPath, force: false });
      } catch (e) {
        err = e;
      }
      expect((err as Error)?.name).to.equal('InputError');
      expect((err as Error).message).to.contain('already exists');
    });
  });

  describe('labgrade doctor', function () {
    this.timeout(10 * 60_000);

    it('passes on the healthy lab (exit 0)', async () => {
      const rep = await doctor(labPath);
      noStack(rep);
      expect(rep.checks.filter((c) => c.status === 'fail')).to.deep.equal([]);
      expect(check(rep, 'vm.linux.ssh').status).to.equal('ok');
      expect(check(rep, 'vm.windows.agent').status).to.equal('ok');
      expect(rep.exitCode).to.equal(0);
    });

    it('agent stopped in the guest: says how to install/start qemu-guest-agent', async () => {
      // SIGSTOP freezes qemu-ga (init would respawn a killed one): it stops answering guest-ping.
      const stop = await guestSsh('debian12', 'kill -STOP $(pidof qemu-ga)');
      expect(stop.exitCode, stop.stderr).to.equal(0);
      try {
        const rep = await doctor(labPath, 'es');
        noStack(rep);
        const c = check(rep, 'vm.linux.agent');
        expect(c.status).to.equal('fail');
        expect(c.fix).to.contain('sudo apt install qemu-guest-agent');
        expect(c.message).to.contain('red muy aislada');
        expect(rep.exitCode).to.equal(1);
      } finally {
        await guestSsh('debian12', 'kill -CONT $(pidof qemu-ga)');
      }
      let ok = false;
      for (let i = 0; i < 20 && !ok; i++) ok = await agentPing('debian12').catch(() => false);
      expect(ok, 'agent answers again').to.equal(true);
    });

    it('SSH stopped: the fix to start the SSH server; grading still runs through the agent', async () => {
      await useScenario('ssh-stopped');
      try {
        const rep = await doctor(labPath);
        noStack(rep);
        const c = check(rep, 'vm.linux.ssh');
        expect(c.status).to.equal('warn');
        expect(c.message).to.match(/connection refused on port 22|no connection/);
        expect(c.fix).to.match(/openssh-server/);
        expect(check(rep, 'vm.linux.agent').status).to.equal('ok');
        expect(rep.exitCode).to.equal(0);
      } finally {
        await useScenario('all');
      }
    });

    it('wrong key: the VM refuses it, the fix is ssh-copy-id of that key', async () => {
      const key = join(dir, 'wrong_ed25519');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'labgrade-wrong-key', '-f', key]);
      const wrong = await init('wrong-key', { sshKey: key });
      const rep = await doctor(wrong);
      noStack(rep);
      const c = check(rep, 'vm.linux.ssh');
      expect(c.status).to.equal('warn'); // the agent still gets in
      expect(c.message).to.contain('refuses the key or password for root');
      expect(c.fix).to.contain(`ssh-copy-id -i ${key}.pub root@ADDRESS`);
    });

    it('SSH host key unknown: the option that pins it; changed: the known_hosts line to remove', async () => {
      const empty = join(dir, 'known_hosts_empty');
      writeFileSync(empty, '');
      const rep = await doctor(await init('unknown-hostkey', { knownHosts: empty }));
      noStack(rep);
      let c = check(rep, 'vm.linux.ssh');
      expect(c.message).to.contain("host key is not known yet");
      expect(c.fix).to.contain('accept_new_host_key: true');
      expect(c.fix).to.contain(empty);

      // A different key recorded for the guest's address: a "changed" key, never accepted.
      const other = join(dir, 'other_host_key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const stale = join(dir, 'known_hosts_stale');
      const pub = readFileSync(`${other}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
      writeFileSync(stale, `# old entries\n${LAB.guests.debian12.nat} ${pub}\n`);
      const rep2 = await doctor(await init('changed-hostkey', { knownHosts: stale }));
      noStack(rep2);
      c = check(rep2, 'vm.linux.ssh');
      expect(c.message).to.contain('THE SSH HOST KEY HAS CHANGED');
      expect(c.fix).to.contain(`${stale}:2`);
      expect(c.fix).to.contain(`ssh-keygen -f ${stale} -R ${LAB.guests.debian12.nat}`);
    });

    it('network inactive: net-start and net-autostart', async () => {
      await useScenario('nat'); // nobody on red-aislada, so stopping it disturbs no guest
      try {
        execFileSync('virsh', ['-q', '-c', LAB.uri, 'net-destroy', 'red-aislada']);
        const rep = await doctor(labPath);
        noStack(rep);
        const c = check(rep, 'network.isolated');
        expect(c.status).to.equal('fail');
        expect(c.fix).to.contain('virsh -c qemu:///system net-start red-aislada; virsh -c qemu:///system net-autostart red-aislada');
        expect(rep.exitCode).to.equal(1);
      } finally {
        spawnSync('virsh', ['-q', '-c', LAB.uri, 'net-start', 'red-aislada']);
        await useScenario('all');
      }
      const state = execFileSync('virsh', ['-q', '-c', LAB.uri, 'net-list', '--name'], { encoding: 'utf8' });
      expect(state).to.contain('red-aislada');
    });

    it('user without libvirt access: the libvirt group fix, exit 1, no stack trace', () => {
      const r = spawnSync(
        'setpriv',
        [
          '--reuid=65534', '--regid=65534', '--clear-groups', 'env', 'HOME=/tmp', 'LANG=C',
          process.execPath, '--import', 'tsx', '-e',
          `import(${JSON.stringify(`${root}grader/cli/main.ts`)}).then((m) => m.main(['node', 'labgrade', 'doctor', '--lab', ${JSON.stringify(labPath)}]))`,
        ],
        { cwd: root, encoding: 'utf8', timeout: 180_000 },
      );
      // eslint-disable-next-line no-console
      console.log(r.stdout.replace(/^/gm, '        '));
      expect(r.status, r.stderr).to.equal(1);
      expect(r.stdout).to.match(/FAIL\s+libvirt connection \(qemu:\/\/\/system\)/);
      expect(r.stdout).to.contain('sudo adduser $USER libvirt');
      expect(`${r.stdout}${r.stderr}`).not.to.match(/\n\s+at .+:\d+:\d+\)?/);
    });
  });
});
