// Journeys as users live them, on the real lab, every step through the CLI as it is typed
// (`node bin/labgrade.js ...`, Spanish locale, a home of one's own with one's SSH key and
// known_hosts, no sudo): the seams between commands are what is tested.
//   - student, for each shipped exercise: init -> validate --student -> doctor -> answers init ->
//     fill in -> validate -> check (exit codes as the table says; Spanish output, no English words);
//   - teacher: the students' init-made lab files -> a roster with the teacher's credentials ->
//     batch -> Moodle CSV -> one student fixes their lab -> batch --resume regrades only them.
// Depends on: validate following an answers file's `exercise:` (engineer "inputs", landed), and
// "no lo sé" read as "don't know", not "no" (engineer "inputs": the step marked below).
// Root only, under the lab lock:
//   flock /tmp/labgrade-labtests.lock node test/run.mjs test/lab/journeys/journeys.test.ts
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { copyFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseDocument } from 'yaml';
import { ensureLab, useScenario, LAB, type ScenarioDef } from '../../helpers/lab.js';
import { SCENARIOS } from '../../../grader/lab/index.js';
import { removeLan } from '../../../grader/lab/lan.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(root, 'bin', 'labgrade.js');
const PROBES = ['--outside-host', LAB.outsideHost, '--resolve-name', LAB.resolveName];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let home: string;

/** `labgrade ARGS` as a student types it: Spanish locale, their own home, no sudo, no agent. */
function labgrade(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(SUDO_|SSH_AUTH_SOCK|LABGRADE_|LC_|LANG)/.test(k)) base[k] = v;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...base, HOME: home, LANG: 'es_ES.UTF-8', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * English words that have no business in Spanish output. Not words: what the user or a guest wrote
 * and labgrade quotes (the answer as written, "Escrita: ..."; a command's output such as ping's
 * "bytes from"), and identifiers (check ids such as network-exists, lab-file paths such as
 * networks.bridge, options such as --network, quoted names).
 */
const ENGLISH = /\b(the|and|with|could|should|which|because|passed|failed|missing|found|options|usage|running|warning|address|network|answer|expected|measured)\b/i;
function englishIn(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((l) => !/\$ |^\s*(PING|---|\d+ bytes|rtt|@@LG|Escrita:|Written:)|bytes from|packets transmitted|schema=|https?:\/\//.test(l))
    .filter((l) =>
      ENGLISH.test(
        l
          .replace(/`[^`]*`|«[^»]*»|"[^"]*"|'[^']*'/g, '')
          .replace(/\b[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+\b/gi, '')
          .replace(/(^|\s)--?[a-z][\w-]*/g, ' '),
      ),
    );
}
const expectSpanish = (r: Run, what: string) => expect(englishIn(`${r.stdout}\n${r.stderr}`), `${what}: English in Spanish output`).to.deep.equal([]);
const show = (r: Run) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

/** Fills the answers template as a student does: their name, then every answer, comments kept. */
function fillIn(template: string, answers: Record<string, unknown>, name: string): string {
  const doc = parseDocument(template);
  doc.setIn(['student', 'name'], name);
  for (const [task, qs] of Object.entries(answers)) {
    for (const [q, v] of Object.entries(qs as Record<string, unknown>)) doc.setIn(['answers', task, q], v);
  }
  return doc.toString();
}

const demoAnswers = (file: string): Record<string, Record<string, unknown>> =>
  (parse(readFileSync(join(root, 'exercises', 'demo', file), 'utf8')) as { answers: Record<string, Record<string, unknown>> }).answers;

// The lab arrangements of test/lab/exercises/*: the bridged LAN and a Linux router.
const dhcp = { mode: 'dhcp' } as const;
const BRIDGED: ScenarioDef = {
  name: 'bridged',
  guests: {
    ...SCENARIOS.all!.guests,
    'debian12-br': { network: 'red-nat', ip: dhcp, attach: { type: 'bridge', source: 'br0' } },
    'win10-br': { network: 'red-nat', ip: dhcp, attach: { type: 'bridge', source: 'br0' } },
  },
};
const ROUTER_IP = '172.22.0.12';
const ROUTER: ScenarioDef = {
  name: 'router',
  guests: {
    ...SCENARIOS.all!.guests,
    'debian12-rt': { network: 'red-muy-aislada', ip: { mode: 'static', address: `${ROUTER_IP}/16` }, router: { uplink: 'red-nat', forward: 'persistent', nat: 'uplink', save: true } },
    'win10-rt': { network: 'red-muy-aislada', ip: { mode: 'static', address: '172.22.0.13/16', gateway: ROUTER_IP, dns: ['192.168.101.1'] } },
  },
};

interface StudentJourney {
  exercise: string;
  scenario: string | ScenarioDef;
  /** What the student decides at init (their VMs and host interfaces among the lab's many). */
  initArgs: string[];
  task: string;
  answers: () => Record<string, unknown>;
}

const JOURNEYS: StudentJourney[] = [
  { exercise: 'clase2-redes', scenario: 'all', initArgs: ['--vm', 'linux=debian12', '--vm', 'windows=win10'], task: 'nat', answers: () => ({ nat: demoAnswers('answers-correct.yaml').nat }) },
  {
    exercise: 'clase1-4-puente',
    scenario: BRIDGED,
    initArgs: ['--vm', 'linux=debian12-br', '--vm', 'windows=win10-br', '--network', 'bridge=br0'],
    task: 'bridge',
    answers: () => ({ bridge: demoAnswers('clase1-4-answers-correct.yaml').bridge }),
  },
  {
    exercise: 'clase7-router-nat',
    scenario: ROUTER,
    initArgs: ['--vm', 'linux=debian12-rt', '--vm', 'windows=win10-rt'],
    task: 'all',
    answers: () => {
      const a = demoAnswers('clase7-answers-correct.yaml');
      return { ...a, router: { ...a.router, gateway: ROUTER_IP } };
    },
  },
];

describe('journeys through the CLI on the real lab', function () {
  before(async function () {
    await ensureLab(this, 'all');
    // The student's own home: their SSH key and the host keys they accepted by logging in once.
    home = mkdtempSync(join(tmpdir(), 'lg-journey-home-'));
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    copyFileSync(LAB.sshKey, join(home, '.ssh', 'id_ed25519'));
    chmodSync(join(home, '.ssh', 'id_ed25519'), 0o600);
    copyFileSync(LAB.knownHosts, join(home, '.ssh', 'known_hosts'));
  });
  after(async function () {
    this.timeout(15 * 60_000);
    await useScenario('all');
    await removeLan();
    rmSync(home, { recursive: true, force: true });
  });

  for (const j of JOURNEYS) {
    describe(`student, ${j.exercise}: init -> doctor -> answers init -> fill in -> validate -> check`, function () {
      let dir: string;
      before(async function () {
        this.timeout(15 * 60_000);
        await useScenario(j.scenario);
        dir = mkdtempSync(join(tmpdir(), `lg-journey-${j.exercise}-`));
      });
      after(() => rmSync(dir, { recursive: true, force: true }));

      it('init writes a lab file the student can hand in (validate --student: exit 0)', async function () {
        this.timeout(5 * 60_000);
        const init = await labgrade(['init', j.exercise, '-o', 'lab.yaml', ...PROBES, ...j.initArgs], dir);
        expect(init.code, show(init)).to.equal(0);
        expectSpanish(init, 'init');
        const text = readFileSync(join(dir, 'lab.yaml'), 'utf8');
        expect(text).not.to.match(/^\s*(key|known_hosts|netns|password|env|file):/m);
        // The lab file names its exercise, so validate checks it against that one, as the student types it.
        expect(text).to.match(new RegExp(`^exercise: ${j.exercise}$`, 'm'));
        const v = await labgrade(['validate', '--student', 'lab.yaml'], dir);
        expect(v.code, show(v)).to.equal(0);
        expectSpanish(v, 'validate --student');
      });

      it('doctor: exit 0 when nothing failed, 1 when something did (as its own report says)', async function () {
        this.timeout(5 * 60_000);
        const d = await labgrade(['doctor', '--lab', 'lab.yaml', '--spec', j.exercise, '--format', 'json'], dir);
        const rep = JSON.parse(d.stdout) as { checks: { id: string; status: string; message: string }[] };
        const failed = rep.checks.filter((c) => c.status === 'fail');
        expect(d.code, show(d)).to.equal(failed.length > 0 ? 1 : 0);
        // The course's own pair is reached by SSH (key from ~/.ssh, host key from ~/.ssh/known_hosts).
        if (j.exercise === 'clase2-redes') expect(failed.map((c) => `${c.id}: ${c.message}`)).to.deep.equal([]);
        const text = await labgrade(['doctor', '--lab', 'lab.yaml', '--spec', j.exercise], dir);
        expect(text.code).to.equal(d.code);
        expectSpanish(text, 'doctor');
      });

      it('answers init, filled in, validates (exit 0) against the exercise it names', async function () {
        this.timeout(60_000);
        const a = await labgrade(['answers', 'init', j.exercise, '-o', 'respuestas.yaml'], dir);
        expect(a.code, show(a)).to.equal(0);
        expectSpanish(a, 'answers init');
        const template = readFileSync(join(dir, 'respuestas.yaml'), 'utf8');
        // The validate the template itself suggests.
        expect(template).to.include('labgrade validate respuestas.yaml');
        writeFileSync(join(dir, 'respuestas.yaml'), fillIn(template, j.answers(), 'Ana García'));
        const v = await labgrade(['validate', 'respuestas.yaml'], dir);
        expect(v.code, show(v)).to.equal(0);
        expectSpanish(v, 'validate');
      });

      it('check: every question passes, exit 0, the report in Spanish', async function () {
        this.timeout(10 * 60_000);
        const c = await labgrade(['check', j.exercise, '--lab', 'lab.yaml', '--answers', 'respuestas.yaml', '--task', j.task], dir);
        expect(c.code, show(c)).to.equal(0);
        expectSpanish(c, 'check');
        const json = await labgrade(['check', j.exercise, '--lab', 'lab.yaml', '--answers', 'respuestas.yaml', '--task', j.task, '--format', 'json'], dir);
        const r = JSON.parse(json.stdout) as { totals: { percent: number } };
        expect(r.totals.percent, show(json)).to.equal(100);
      });

      if (j.exercise === 'clase2-redes') {
        // Depends on engineer "inputs": "no lo sé" is "don't know", never a "no".
        it('"no lo sé" is not read as "no" (validate accepts it; check does not grade it as a no)', async function () {
          this.timeout(5 * 60_000);
          const text = readFileSync(join(dir, 'respuestas.yaml'), 'utf8');
          const doc = parseDocument(text);
          doc.setIn(['answers', 'nat', 'host'], 'no lo sé');
          writeFileSync(join(dir, 'dudas.yaml'), doc.toString());
          const json = await labgrade(['check', j.exercise, '--lab', 'lab.yaml', '--answers', 'dudas.yaml', '--task', 'nat', '--format', 'json'], dir);
          expect(json.code, show(json)).to.equal(1);
          const r = JSON.parse(json.stdout) as { tasks: { questions: { id: string; outcome: string; studentAnswer: string | null }[] }[] };
          const q = r.tasks[0]!.questions.filter((x) => /^nat\.host\./.test(x.id));
          expect(q.length).to.be.greaterThan(0);
          for (const x of q) {
            expect(x.outcome).to.not.equal('pass');
            expect(x.studentAnswer, x.id).to.not.equal('no');
          }
        });
      }
    });
  }

  describe('teacher: students\' init-made lab files -> roster with credentials -> batch -> Moodle CSV -> one fix -> batch --resume', function () {
    let dir: string;
    const STUDENTS = [
      { id: 'alu01', name: 'Ana García', email: 'ana@alumnos.example.org' },
      { id: 'alu02', name: 'Luis Pérez', email: 'luis@alumnos.example.org' },
    ];
    before(async function () {
      this.timeout(15 * 60_000);
      await useScenario('all');
      dir = mkdtempSync(join(tmpdir(), 'lg-journey-teacher-'));
      mkdirSync(join(dir, 'labs'));
      for (const s of STUDENTS) {
        // Each student ran init on their machine and handed the file in; alu02 picked a VM that is not theirs.
        const own = mkdtempSync(join(tmpdir(), `lg-journey-${s.id}-`));
        const vm = s.id === 'alu02' ? ['--vm', 'windows=win10-equivocada'] : ['--vm', 'windows=win10'];
        const init = await labgrade(['init', 'clase2-redes', '-o', 'lab.yaml', ...PROBES, '--vm', 'linux=debian12', ...vm], own);
        expect(init.code, show(init)).to.equal(0);
        copyFileSync(join(own, 'lab.yaml'), join(dir, 'labs', `${s.id}.yaml`));
        rmSync(own, { recursive: true, force: true });
        mkdirSync(join(dir, 'entregas', s.id), { recursive: true });
        const answers = readFileSync(join(root, 'exercises', 'demo', 'answers-correct.yaml'), 'utf8').replace(/name: .*/, `name: ${s.name}`);
        writeFileSync(join(dir, 'entregas', s.id, 'respuestas.yaml'), answers);
      }
      writeFileSync(
        join(dir, 'clase.yaml'),
        [
          'version: 1',
          'credentials:',
          '  - hosts: [192.168.101.0/24]',
          `    ssh: { user: root, key: ${LAB.sshKey}, known_hosts: ${LAB.knownHosts} }`,
          'defaults:',
          '  lab: labs/{id}.yaml',
          '  answers: entregas/{id}/respuestas.yaml',
          '  task: nat',
          'export: { identity: email, column: "Práctica 2", scale: 10 }',
          'students:',
          ...STUDENTS.map((s) => `  - { id: ${s.id}, name: ${s.name}, email: ${s.email} }`),
          '',
        ].join('\n'),
      );
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    // Moodle's CSV: CRLF line ends.
    const csv = () => readFileSync(join(dir, 'notas', 'grades.csv'), 'utf8').replace(/\r\n/g, '\n');
    const statusMtime = (id: string) => statSync(join(dir, 'notas', 'students', `${id}.status.json`)).mtimeMs;

    it('the students\' files pass validate --student; the roster validates', async function () {
      this.timeout(60_000);
      const v = await labgrade(['validate', '--student', 'labs/alu01.yaml', 'labs/alu02.yaml'], dir);
      expect(v.code, show(v)).to.equal(0);
      const r = await labgrade(['validate', 'clase.yaml'], dir);
      expect(r.code, show(r)).to.equal(0);
      expectSpanish(r, 'validate roster');
    });

    it('batch: alu01 graded with the roster\'s credentials (10 in the CSV), alu02 not full marks (its Windows VM is not theirs); exit code as the statuses say', async function () {
      this.timeout(10 * 60_000);
      const b = await labgrade(['batch', 'clase2-redes', '--roster', 'clase.yaml', '--out', 'notas', '--concurrency', '2'], dir);
      expectSpanish(b, 'batch');
      const st1 = JSON.parse(readFileSync(join(dir, 'notas', 'students', 'alu01.status.json'), 'utf8')) as { status: string };
      const st2 = JSON.parse(readFileSync(join(dir, 'notas', 'students', 'alu02.status.json'), 'utf8')) as { status: string };
      expect(st1.status, show(b)).to.equal('graded');
      expect(b.code, show(b)).to.equal(st2.status === 'graded' ? 0 : 1);
      const lines = csv().trim().split('\n');
      expect(lines[0]).to.match(/,"?Práctica 2"?$/);
      expect(lines).to.include('ana@alumnos.example.org,10.00');
      expect(lines).not.to.include('luis@alumnos.example.org,10.00');
      // The student's SSH entry got the teacher's credential (SSH used, not only the agent).
      const r1 = JSON.parse(readFileSync(join(dir, 'notas', 'students', 'alu01.json'), 'utf8')) as { access?: { via: string | null }[] };
      expect((r1.access ?? []).map((a) => a.via ?? '-')).to.satisfy((v: string[]) => v.length === 2 && v.every((x) => x.startsWith('ssh root@')));
    });

    it('alu02 fixes their lab (init again), batch --resume regrades only alu02: exit 0, both in the CSV', async function () {
      this.timeout(10 * 60_000);
      const own = mkdtempSync(join(tmpdir(), 'lg-journey-alu02-fix-'));
      const init = await labgrade(['init', 'clase2-redes', '-o', 'lab.yaml', ...PROBES, '--vm', 'linux=debian12', '--vm', 'windows=win10'], own);
      expect(init.code, show(init)).to.equal(0);
      copyFileSync(join(own, 'lab.yaml'), join(dir, 'labs', 'alu02.yaml'));
      rmSync(own, { recursive: true, force: true });
      const before1 = statusMtime('alu01');
      const before2 = statusMtime('alu02');
      const b = await labgrade(['batch', 'clase2-redes', '--roster', 'clase.yaml', '--out', 'notas', '--concurrency', '2', '--resume'], dir);
      expect(b.code, show(b)).to.equal(0);
      expectSpanish(b, 'batch --resume');
      expect(statusMtime('alu01'), 'alu01 was not graded again').to.equal(before1);
      expect(statusMtime('alu02'), 'alu02 was graded again').to.be.greaterThan(before2);
      const lines = csv().trim().split('\n');
      expect(lines).to.include('ana@alumnos.example.org,10.00');
      expect(lines).to.include('luis@alumnos.example.org,10.00');
    });
  });
});
