// `labgrade batch` against the real lab: several students share the lab host (some pointing at the
// same guests); a wrong password, an unreachable libvirt host, a changed host key, malformed
// answers and a guest shut down mid-run each become that student's report while the others are
// graded; `--resume` then re-runs exactly the students that were not graded.
// Run: flock /tmp/labgrade-labtests.lock npx mocha test/lab/batch/batch.test.ts
import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ensureLab, useScenario, LAB } from '../../helpers/lab.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadRoster } from '../../../grader/batch/roster.js';
import { preflight } from '../../../grader/batch/preflight.js';
import { realGrader } from '../../../grader/batch/real-grader.js';
import { defaultDeps } from '../../../grader/engine/default-deps.js';
import { runBatch, type BatchOutcome } from '../../../grader/batch/run.js';
import { writeClassOutputs } from '../../../grader/batch/outputs.js';
import { redact } from '../../../grader/inputs/secrets.js';
import type { GradeFn, StudentStatus } from '../../../grader/batch/types.js';
import type { ClassSummary } from '../../../grader/batch/summary.js';
import type { GradeResult } from '../../../grader/types.js';

const SPEC = join(process.cwd(), 'exercises', 'clase2-redes.yaml');
const DEMO = join(process.cwd(), 'exercises', 'demo');
const SHUT_DOWN_GUEST = 'debian12-viso';

function rosterYaml(): string {
  const ssh = `{ ssh: { user: root, key: ${LAB.sshKey}, known_hosts: ${LAB.knownHosts} } }`;
  const pair = (linux: string, windows: string, access = `[${ssh}, agent]`) =>
    `{ vms: { linux: { domain: ${linux}, access: ${access} }, windows: { domain: ${windows}, os: linux, access: ${access} } } }`;
  return `version: 1
defaults:
  lab:
    uri: ${LAB.uri}
    netns: ${LAB.netns}
    networks: { nat: red-nat, isolated: red-aislada, very_isolated: red-muy-aislada }
    probes: { outside_host: ${LAB.outsideHost}, resolve_name: ${LAB.resolveName}, timeout_ms: 1000 }
    vms:
      linux: { domain: debian12, access: [${ssh}, agent] }
      windows: { domain: win10, os: linux, access: [${ssh}, agent] }
  answers: answers/{id}.yaml
  task: nat
limits: { concurrency: 4, perHost: 3 }
export: { identity: email, scale: 10 }
students:
  # Two students on the very same guests.
  - { id: ana, name: Ana Correcta, email: ana@x.org }
  - { id: bea, name: Bea Errores, email: bea@x.org }
  - { id: carla, name: Carla Aislada, email: carla@x.org, task: isolated, lab: ${pair('debian12-iso', 'win10-iso')} }
  # SSH only, with a wrong password and no key: cannot log in.
  - id: dani
    name: Dani Password
    email: dani@x.org
    lab: ${pair('debian12', 'win10', '[{ ssh: { user: root, password: { file: wrong-password }, known_hosts: ' + LAB.knownHosts + ' } }]')}
  # A libvirt host that does not answer (loopback, closed port: no packet leaves the machine).
  - { id: eva, name: Eva Inalcanzable, email: eva@x.org, lab: { uri: "qemu+ssh://root@127.0.0.1:1/system" } }
  - { id: fran, name: Fran Respuestas, email: fran@x.org }
  # known_hosts pins another key for the guests: a changed host key must stop the login.
  - id: gus
    name: Gus HostKey
    email: gus@x.org
    lab: ${pair('debian12', 'win10', '[{ ssh: { user: root, key: ' + LAB.sshKey + ', known_hosts: other_known_hosts } }]')}
  - { id: hugo, name: Hugo Apagado, email: hugo@x.org, task: very_isolated, lab: ${pair('debian12-viso', 'win10-viso', '[agent]')} }
`;
}

describe('batch on the real lab', function () {
  let dir: string;
  let first: BatchOutcome;
  let summary: ClassSummary;
  const status = (o: BatchOutcome): Record<string, StudentStatus> => Object.fromEntries(o.students.map((s) => [s.student.id, s.record?.status ?? 'pending']));

  before(async function () {
    await ensureLab(this, 'all');
    await useScenario('all');
    dir = await mkdtemp(join(tmpdir(), 'labgrade-batch-lab-'));
    await writeFile(join(dir, 'roster.yaml'), rosterYaml());
    await writeFile(join(dir, 'wrong-password'), 'not-the-password\n', { mode: 0o600 });
    const { stdout } = await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'otherkey')]).then(() => execa('cat', [join(dir, 'otherkey.pub')]));
    await writeFile(join(dir, 'other_known_hosts'), `192.168.101.*,192.168.102.*,172.22.* ${stdout.split(' ').slice(0, 2).join(' ')}\n`);
    const answers = join(dir, 'answers');
    await execa('mkdir', ['-p', answers]);
    for (const id of ['ana', 'carla', 'dani', 'eva', 'gus', 'hugo']) await copyFile(join(DEMO, 'answers-correct.yaml'), join(answers, `${id}.yaml`));
    await copyFile(join(DEMO, 'answers-mistakes.yaml'), join(answers, 'bea.yaml'));
    await writeFile(join(answers, 'fran.yaml'), 'exercise: clase2-redes\nstudent: { name: Fran }\nanswers:\n  nat:\n    config: quizás\n    outside: [1, 2\n');
  });

  after(async function () {
    this.timeout(10 * 60_000);
    // Bring the stopped guest back for the other suites.
    await useScenario('all');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('grades everyone it can; each failure is that student’s report', async function () {
    this.timeout(15 * 60_000);
    const spec = await loadSpec(SPEC, { lang: 'en' });
    const roster = await loadRoster(join(dir, 'roster.yaml'), 'en');
    const labs = await preflight(roster, spec, 'en');
    // hugo's guest is shut down after libvirt was inspected (running) and before it is measured.
    const grade = realGrader(spec, labs, (lang, student) => {
      const deps = defaultDeps(lang);
      if (student.id !== 'hugo') return deps;
      return {
        ...deps,
        inspect: async (lab) => {
          const snap = await deps.inspect(lab);
          await execa('virsh', ['-c', LAB.uri, 'destroy', SHUT_DOWN_GUEST], { reject: false });
          return snap;
        },
      };
    });
    first = await runBatch(roster, { exercise: { id: spec.id, title: spec.title.en, file: spec.file }, outDir: join(dir, 'out'), concurrency: 4, perHost: 3, resume: false, lang: 'en' }, { grade, redact });
    summary = await writeClassOutputs(roster, first, { outDir: join(dir, 'out'), exercise: { id: spec.id, title: spec.title.en, file: spec.file }, lang: 'en' });
    const st = status(first);
    const why = first.students.map((s) => `${s.student.id}: ${s.record?.status} ${s.record?.error?.code ?? ''} ${s.record?.error?.message ?? ''}`).join('\n');
    expect(st, why).to.deep.equal({ ana: 'graded', bea: 'graded', carla: 'graded', dani: 'incomplete', eva: 'incomplete', fran: 'failed', gus: 'incomplete', hugo: 'incomplete' });

    const result = async (id: string) => JSON.parse(await readFile(join(dir, 'out', 'students', `${id}.json`), 'utf8')) as GradeResult;
    const ana = await result('ana');
    const bea = await result('bea');
    const notPassed = (r: GradeResult) =>
      r.tasks.flatMap((t) => [...t.hostChecks, ...t.questions]).filter((v) => v.outcome === 'fail' || v.outcome === 'error').map((v) => `${v.id}: ${v.message}`).join('\n');
    expect(ana.totals.percent, `the reference answers on the shared NAT guests:\n${notPassed(ana)}`).to.equal(100);
    expect(bea.totals.percent).to.be.lessThan(100);
    const carla = await result('carla');
    expect(carla.totals.percent, notPassed(carla)).to.equal(100);
    // Each problem is explained in that student's own report.
    const text = async (id: string) => JSON.stringify(await result(id));
    expect(await text('dani')).to.match(/auth/i);
    expect(await text('eva')).to.match(/127\.0\.0\.1/);
    expect(first.students.find((s) => s.student.id === 'fran')!.record!.error!.message).to.match(/fran\.yaml:\d+:\d+/);
    expect(await text('gus')).to.match(/host key/i);
    expect(await text('hugo')).to.match(/not running|shut|domain/i);
    // Class outputs: everyone listed; only the graded in the CSV.
    expect(summary.counts).to.deep.include({ students: 8, graded: 3, incomplete: 4, failed: 1 });
    const csv = await readFile(join(dir, 'out', 'grades.csv'), 'utf8');
    expect(csv.trim().split('\r\n')).to.have.length(4);
    expect(csv).to.include('ana@x.org,10.00');
  });

  it('--resume re-runs only the students that were not graded', async function () {
    this.timeout(15 * 60_000);
    if (!first) this.skip();
    await useScenario('all'); // the stopped guest is back
    const spec = await loadSpec(SPEC, { lang: 'en' });
    const roster = await loadRoster(join(dir, 'roster.yaml'), 'en');
    const labs = await preflight(roster, spec, 'en');
    const real = realGrader(spec, labs);
    const graded: string[] = [];
    const grade: GradeFn = (s, ctx) => {
      graded.push(s.id);
      return real(s, ctx);
    };
    const second = await runBatch(roster, { exercise: { id: spec.id, title: spec.title.en, file: spec.file }, outDir: join(dir, 'out'), concurrency: 4, perHost: 3, resume: true, lang: 'en' }, { grade, redact });
    expect(graded.sort()).to.deep.equal(['dani', 'eva', 'fran', 'gus', 'hugo']);
    expect(second.students.filter((s) => s.reused).map((s) => s.student.id)).to.deep.equal(['ana', 'bea', 'carla']);
    // hugo's guest is running again: now graded; the others fail the same way as before.
    expect(status(second)).to.deep.include({ hugo: 'graded', dani: 'incomplete', fran: 'failed' });
  });
});
