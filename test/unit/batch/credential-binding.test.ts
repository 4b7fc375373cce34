// Issue 22 item 4: a roster credential is bound to host AND port AND scheme (defaults: 22 for ssh;
// https and 5986 for WinRM), and a reusable password is sent only to a host whose key is already
// pinned in the teacher's known_hosts (first-use trust is for keys, never for passwords). The real
// batch path (realGrader; libvirt's test:///default stands in for a host) against the project's
// own test SSH server and WS-Management server on 127.0.0.1, which record what they are sent.
import { expect } from 'chai';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadRoster } from '../../../grader/batch/roster.js';
import { preflight } from '../../../grader/batch/preflight.js';
import { runBatch } from '../../../grader/batch/run.js';
import { realGrader, redact } from '../../../grader/batch/real-grader.js';
import { credentialFor } from '../../../grader/transports/credentials.js';
import type { ExerciseSpec, TeacherCredential } from '../../../grader/types.js';
import { knownHostsLine, startTestServer, type TestServer } from '../transports/ssh-test-server.js';
import { startWsmanServer, type WsmanServer } from '../../helpers/wsman-server/index.js';
import { tempClass, writeFiles } from './helpers.js';

const SPEC = join(process.cwd(), 'exercises', 'clase2-redes.yaml');
const SSH_PW = 'teacher-ssh-pw-5521';
const WIN_PW = 'teacher-win-pw-8830';

describe('credentials: bound to host, port and scheme', () => {
  const ssh: TeacherCredential = { origin: 'r:2', hosts: ['127.0.0.1'], ssh: { user: 'root' } };
  const sshPort: TeacherCredential = { origin: 'r:4', hosts: ['127.0.0.1'], ssh: { user: 'root', port: 2222 } };
  const win: TeacherCredential = { origin: 'r:6', hosts: ['127.0.0.1'], winrm: { user: 'alumno' } };
  const winHttp: TeacherCredential = { origin: 'r:8', hosts: ['127.0.0.1'], winrm: { user: 'alumno', scheme: 'http' } };

  it('ssh: port 22 unless the credential names another; a port the lab alone names gets nothing', () => {
    expect(credentialFor([ssh], 'ssh', { host: '127.0.0.1', port: 22 }, null)?.origin).to.equal('r:2');
    expect(credentialFor([ssh], 'ssh', { host: '127.0.0.1', port: 18992 }, null)).to.equal(undefined);
    expect(credentialFor([ssh, sshPort], 'ssh', { host: '127.0.0.1', port: 2222 }, null)?.origin).to.equal('r:4');
    // The jump host's port is bound too.
    expect(credentialFor([ssh], 'ssh', { host: '127.0.0.1', port: 22 }, { host: '127.0.0.1', port: 2200 })).to.equal(undefined);
  });

  it('WinRM: https on 5986 unless the credential says otherwise; http to a student-named port gets nothing', () => {
    expect(credentialFor([win], 'winrm', { host: '127.0.0.1', port: 5986, scheme: 'https' }, null)?.origin).to.equal('r:6');
    expect(credentialFor([win], 'winrm', { host: '127.0.0.1', port: 5995, scheme: 'http' }, null)).to.equal(undefined);
    expect(credentialFor([win], 'winrm', { host: '127.0.0.1', port: 5986, scheme: 'http' }, null)).to.equal(undefined);
    expect(credentialFor([winHttp], 'winrm', { host: '127.0.0.1', port: 5985, scheme: 'http' }, null)?.origin).to.equal('r:8');
    expect(credentialFor([winHttp], 'winrm', { host: '127.0.0.1', port: 5995, scheme: 'http' }, null)).to.equal(undefined);
  });
});

describe('batch: the teacher\'s password reaches only a bound, pinned host', function () {
  this.timeout(120_000);
  let dir: string;
  let spec: ExerciseSpec;
  let sshd: TestServer;
  let wsman: WsmanServer;
  const lab = (access: string) => `uri: "test:///default"\nnetworks: { nat: default }\nvms:\n  linux:\n    domain: test\n    access:\n      - ${access}\n`;

  before(async () => {
    dir = await tempClass();
    sshd = await startTestServer({ user: 'root', password: SSH_PW });
    wsman = await startWsmanServer({ accounts: [{ user: 'alumno', password: WIN_PW }] });
    spec = await loadSpec(SPEC, { lang: 'en' });
    await writeFiles(dir, {
      'answers/ref.yaml': await readFile(join(process.cwd(), 'test', 'fixtures', 'spec', 'answers-reference.yaml'), 'utf8'),
      'labs/ssh-port.yaml': lab(`ssh: { user: root, host: 127.0.0.1, port: ${sshd.port} }`),
      'labs/winrm-http.yaml': lab(`winrm: { user: alumno, host: 127.0.0.1, port: ${wsman.port}, scheme: http }`),
      'empty_known_hosts': '',
      'pinned_known_hosts': knownHostsLine(sshd),
    });
  });
  after(async () => {
    await sshd?.close();
    await wsman?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const grade = async (rosterText: string, out: string) => {
    await writeFile(join(dir, 'roster.yaml'), rosterText);
    const roster = await loadRoster(join(dir, 'roster.yaml'), 'en');
    const labs = await preflight(roster, spec, 'en');
    await runBatch(roster, { exercise: { id: spec.id, title: spec.title.en, file: spec.file }, outDir: join(dir, out), concurrency: 2, perHost: 2, resume: false, lang: 'en' }, { grade: realGrader(spec, labs), redact });
    return (id: string) => readFile(join(dir, out, 'students', `${id}.json`), 'utf8');
  };
  const students = (ids: string[]) => `defaults:\n  lab: labs/{id}.yaml\n  answers: answers/ref.yaml\n  task: nat\n  deadline: 60\nstudents:\n${ids.map((id) => `  - { id: ${id}, name: ${id}, email: ${id}@x.org }\n`).join('')}`;

  it('the repro: a credential for 127.0.0.1 (accept_new_host_key) is not sent to a port only the student named; WinRM http to a student port gets no NTLM AUTHENTICATE', async () => {
    const report = await grade(
      `credentials:\n  - hosts: [127.0.0.1]\n    ssh: { user: root, password: { value: ${SSH_PW} }, accept_new_host_key: true, known_hosts: empty_known_hosts }\n  - hosts: [127.0.0.1]\n    winrm: { user: alumno, password: { value: ${WIN_PW} } }\n${students(['ssh-port', 'winrm-http'])}`,
      'out1',
    );
    expect(sshd.passwordsSeen, 'no password offered').to.deep.equal([]);
    expect(wsman.stats.requests, 'no WinRM request at all').to.equal(0);
    expect(await report('ssh-port')).to.include('no credentials for 127.0.0.1');
    expect(await report('winrm-http')).to.include('no credentials for 127.0.0.1');
  });

  it('bound to the port but the host key not pinned: the password is never sent, even with accept_new_host_key', async () => {
    const report = await grade(
      `credentials:\n  - hosts: [127.0.0.1]\n    ssh: { user: root, port: ${sshd.port}, password: { value: ${SSH_PW} }, accept_new_host_key: true, known_hosts: empty_known_hosts }\n${students(['ssh-port'])}`,
      'out2',
    );
    expect(sshd.passwordsSeen).to.deep.equal([]);
    expect(await readFile(join(dir, 'empty_known_hosts'), 'utf8'), 'nothing pinned').to.equal('');
    expect(await report('ssh-port')).to.match(/host key|hostkey/i);
  });

  it('control: bound to the port and pinned in the teacher\'s known_hosts, the password is sent (the server saw it)', async () => {
    await grade(
      `credentials:\n  - hosts: [127.0.0.1]\n    ssh: { user: root, port: ${sshd.port}, password: { value: ${SSH_PW} }, known_hosts: pinned_known_hosts }\n${students(['ssh-port'])}`,
      'out3',
    );
    expect(sshd.passwordsSeen).to.include(SSH_PW);
  });
});
