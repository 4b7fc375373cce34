// Trust boundaries in `batch`: lab files named per student in the roster (`lab: labs/{id}.yaml`)
// are the students'. Each attack below (exfiltrating a teacher's file or environment variable over
// SSH or WinRM, redirecting known_hosts, libvirt URI parameters that run a program or drop checks,
// /dev/zero and FIFO inputs) is refused with the field and the reason, while local listeners record
// that nothing was sent, no file was written and no program ran. The real grading path runs
// (realGrader: loaders, engine, transports; libvirt's test:///default driver stands in for a host).
// Controls: a teacher credential bound to the listener's address does reach it, so the listeners
// and the path would have seen an attack that got through.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmod, readFile, readdir, rm, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadRoster } from '../../../grader/batch/roster.js';
import { preflight } from '../../../grader/batch/preflight.js';
import { runBatch, type BatchOutcome } from '../../../grader/batch/run.js';
import { realGrader, redact } from '../../../grader/batch/real-grader.js';
import { writeClassOutputs } from '../../../grader/batch/outputs.js';
import type { ExerciseSpec } from '../../../grader/types.js';
import { tempClass, writeFiles } from './helpers.js';
import { listen, type Listener } from './listener.js';

const SPEC = join(process.cwd(), 'exercises', 'clase2-redes.yaml');
const FILE_SECRET = 'TEACHER-PRIVATE-KEY-6d1f0c';
const ENV_SECRET = 'ENV-TOKEN-93b7aa';
const ENV_NAME = 'LABGRADE_TEST_TEACHER_TOKEN';

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(p);
  }
  return out;
}

describe('batch: a student\'s lab file never reaches the teacher\'s secrets, files or programs', function () {
  this.timeout(120_000);
  let dir: string;
  let trap: Listener;
  let bound: Listener;
  let spec: ExerciseSpec;
  let outcome: BatchOutcome;
  const out = () => join(dir, 'out');
  const victim = () => join(dir, 'victim_known_hosts');
  const marker = () => join(dir, 'command-ran');

  before(async () => {
    dir = await tempClass();
    trap = await listen();
    bound = await listen({ holdMs: 50 });
    process.env[ENV_NAME] = ENV_SECRET;
    const secretFile = join(dir, 'id_teacher');
    const lab = (access: string, extra = '') =>
      `uri: "test:///default"\n${extra}networks: { nat: default }\nvms:\n  linux:\n    domain: test\n    access:\n      - ${access}\n`;
    const at = `host: 127.0.0.1, port: ${trap.port}`;
    await writeFiles(dir, {
      'id_teacher': `${FILE_SECRET}\n`,
      'bound_password': 'bound-credential-pw\n',
      'victim_known_hosts': 'keep-me ssh-ed25519 AAAA\n',
      'fake-ssh': `#!/bin/sh\ntouch ${marker()}\n`,
      'answers/ref.yaml': await readFile(join(process.cwd(), 'test', 'fixtures', 'spec', 'answers-reference.yaml'), 'utf8'),
      'labs/ssh-file.yaml': lab(`ssh: { user: root, ${at}, password: { file: ${secretFile} } }`),
      'labs/ssh-env.yaml': lab(`ssh: { user: root, ${at}, password: { env: ${ENV_NAME} } }`),
      'labs/winrm-file.yaml': lab(`winrm: { user: alumno, ${at}, scheme: http, auth: basic, password: { file: ${secretFile} } }`),
      'labs/winrm-env.yaml': lab(`winrm: { user: alumno, ${at}, scheme: https, insecure_skip_verify: true, password: { env: ${ENV_NAME} } }`),
      'labs/known-hosts.yaml': lab(`ssh: { user: root, ${at}, password: { value: mine }, known_hosts: ${victim()}, accept_new_host_key: true }`),
      'labs/uri-command.yaml': lab(`ssh: { user: root, ${at}, password: { value: mine } }`).replace('test:///default', `qemu+ssh://root@127.0.0.1:${trap.port}/system?command=${join(dir, 'fake-ssh')}`),
      'labs/uri-no-verify.yaml': lab('agent').replace('test:///default', `qemu+tls://127.0.0.1:${trap.port}/system?no_verify=1`),
      'labs/key-zero.yaml': lab(`ssh: { user: root, ${at}, key: /dev/zero }`),
      'labs/fifo-answers.yaml': lab(`ssh: { user: root, ${at} }`),
      'labs/unbound.yaml': lab(`ssh: { user: root, ${at} }`),
      'labs/link-answers.yaml': lab(`ssh: { user: root, ${at} }`),
      'labs/good.yaml': lab(`ssh: { user: root, host: 127.0.0.1, port: ${bound.port} }`),
      'roster.yaml': `credentials:
  - hosts: [192.0.2.0/24]
    ssh: { user: root, password: { file: ${secretFile} } }
  - hosts: [127.0.0.1]
    ssh: { user: root, port: ${bound.port}, password: { file: bound_password }, known_hosts: teacher_known_hosts }
defaults:
  lab: labs/{id}.yaml
  answers: answers/ref.yaml
  task: nat
  deadline: 60
students:
  - { id: ssh-file, name: A, email: a@x.org }
  - { id: ssh-env, name: B, email: b@x.org }
  - { id: winrm-file, name: C, email: c@x.org }
  - { id: winrm-env, name: D, email: d@x.org }
  - { id: known-hosts, name: E, email: e@x.org }
  - { id: uri-command, name: F, email: f@x.org }
  - { id: uri-no-verify, name: G, email: g@x.org }
  - { id: key-zero, name: H, email: h@x.org }
  - { id: fifo-answers, name: I, email: i@x.org, answers: answers/fifo.yaml }
  - { id: fifo-lab, name: J, email: j@x.org, lab: labs/fifo-lab.yaml }
  - { id: link-answers, name: M, email: m@x.org, answers: answers/link.yaml }
  - { id: link-lab, name: N, email: n@x.org, lab: labs/link.yaml }
  - { id: unbound, name: K, email: k@x.org }
  - { id: good, name: L, email: l@x.org }
`,
    });
    await chmod(join(dir, 'fake-ssh'), 0o755);
    execFileSync('mkfifo', [join(dir, 'answers', 'fifo.yaml')]);
    execFileSync('mkfifo', [join(dir, 'labs', 'fifo-lab.yaml')]);
    // Handed-in "files" that are links to one of the teacher's files.
    await symlink(join(dir, 'id_teacher'), join(dir, 'answers', 'link.yaml'));
    await symlink(join(dir, 'id_teacher'), join(dir, 'labs', 'link.yaml'));
    spec = await loadSpec(SPEC, { lang: 'en' });
  });
  after(async () => {
    delete process.env[ENV_NAME];
    await trap?.close();
    await bound?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const record = async (id: string) => JSON.parse(await readFile(join(out(), 'students', `${id}.status.json`), 'utf8')) as { status: string; error?: { code: string; message: string } };

  it('runs the class: every refused student is a failed report, the others are graded as usual', async () => {
    // `unbound` names 127.0.0.1, which a credential does name: that credential is for `good`'s
    // address. To show binding, `unbound` gets a roster whose only credential names TEST-NET.
    const roster = await loadRoster(join(dir, 'roster.yaml'), 'en');
    const unbound = roster.students.find((s) => s.id === 'unbound')!;
    unbound.credentials = roster.credentials.filter((c) => c.hosts.includes('192.0.2.0/24'));
    const labs = await preflight(roster, spec, 'en');
    outcome = await runBatch(
      roster,
      { exercise: { id: spec.id, title: spec.title.en, file: spec.file }, outDir: out(), concurrency: 4, perHost: 4, resume: false, lang: 'en' },
      { grade: realGrader(spec, labs), redact },
    );
    await writeClassOutputs(roster, outcome, { outDir: out(), exercise: { id: spec.id, title: spec.title.en, file: spec.file }, lang: 'en' });
    expect(outcome.students.every((s) => s.record !== null), 'nobody pending').to.equal(true);
  });

  const refusedCases: [string, string[], string[]][] = [
    ['ssh-file', ['vms.linux.access[0].ssh.password.file'], ['names a file on the grading machine']],
    ['ssh-env', ['vms.linux.access[0].ssh.password.env'], ['reads an environment variable']],
    ['winrm-file', ['vms.linux.access[0].winrm.password.file', 'vms.linux.access[0].winrm.auth'], ['names a file', 'basic over http']],
    ['winrm-env', ['vms.linux.access[0].winrm.password.env', 'vms.linux.access[0].winrm.insecure_skip_verify'], ['environment variable', 'certificate checks off']],
    ['known-hosts', ['vms.linux.access[0].ssh.known_hosts', 'vms.linux.access[0].ssh.accept_new_host_key'], ['names a file', 'lowers the host key check']],
    ['uri-command', ['uri'], ['URI parameters (command=)']],
    ['uri-no-verify', ['uri'], ['URI parameters (no_verify=)']],
    ['key-zero', ['vms.linux.access[0].ssh.key'], ['names a file on the grading machine']],
  ];
  for (const [id, fields, reasons] of refusedCases) {
    it(`${id}: refused with the field and the reason`, async () => {
      const r = await record(id);
      expect(r.status).to.equal('failed');
      expect(r.error?.code).to.equal('input');
      for (const f of fields) expect(r.error?.message).to.include(`${f} is not accepted in a lab file handed in by a student`);
      for (const why of reasons) expect(r.error?.message).to.include(why);
    });
  }

  it('FIFO inputs (answers, lab file) fail that student at once, naming what the file is', async () => {
    for (const id of ['fifo-answers', 'fifo-lab']) {
      const r = await record(id);
      expect(r.status, id).to.equal('failed');
      expect(r.error?.message, id).to.include('not a regular file (it is a fifo)');
    }
  });

  it('a handed-in answers or lab file that is a symbolic link (to a teacher\'s file) is refused unread', async () => {
    for (const id of ['link-answers', 'link-lab']) {
      const r = await record(id);
      expect(r.status, id).to.equal('failed');
      expect(r.error?.message, id).to.include('not a regular file (it is a symlink)');
    }
  });

  it('nothing reached the trap listener, no file was written, no program ran', async () => {
    expect(trap.connections).to.equal(0);
    expect(trap.received().length).to.equal(0);
    expect(await readFile(victim(), 'utf8')).to.equal('keep-me ssh-ed25519 AAAA\n');
    expect(await stat(marker()).then(() => true, () => false)).to.equal(false);
    expect(await stat(join(dir, 'teacher_known_hosts')).then(() => true, () => false), 'no pin without accept_new_host_key').to.equal(false);
  });

  it('a teacher credential is not used towards a host it does not name (nothing sent)', async () => {
    const r = await record('unbound');
    expect(r.status).to.not.equal('failed');
    const result = await readFile(join(out(), 'students', 'unbound.json'), 'utf8');
    expect(result).to.include('no credentials for 127.0.0.1');
    expect(trap.connections).to.equal(0);
  });

  it('control: the credential bound to the address the teacher named is used (the listener saw it)', async () => {
    expect(bound.connections).to.be.greaterThan(0);
    const r = await record('good');
    expect(r.status).to.not.equal('pending');
  });

  it('no output holds the teacher\'s file or environment secret', async () => {
    for (const f of await allFiles(out())) {
      const text = await readFile(f, 'utf8');
      expect(text, f).to.not.include(FILE_SECRET);
      expect(text, f).to.not.include(ENV_SECRET);
    }
  });
});
