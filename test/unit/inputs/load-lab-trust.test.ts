// Lab files handed in by students (trust 'student', as `batch` loads `lab: labs/{id}.yaml`): every
// field that names something of the grading machine's, or lowers a check, is an error naming the
// field, its line and why; the very same file loads as the teacher's own (`check`, `validate`).
import { expect } from 'chai';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { clearSecretsForTests } from '../../../grader/inputs/secrets.js';
import { formatIssues } from '../../../grader/cli/io.js';
import type { SshAccess, WinRmAccess } from '../../../grader/types.js';
import { TempDir, inputError, issueAt } from './helpers.js';
import { hostMatches, credentialFor } from '../../../grader/transports/credentials.js';

const HOSTILE = `uri: "qemu+ssh://root@192.0.2.10/system?command=/tmp/x&no_verify=1&keyfile=/root/.ssh/id_rsa"
netns: labgrade
vms:
  linux:
    domain: deb
    access:
      - ssh: { user: root, host: 192.0.2.20, key: /dev/zero, known_hosts: /etc/passwd, accept_new_host_key: true, agent: true, config_host: teacher-box, password: { file: ~/.ssh/id_ed25519 } }
  windows:
    domain: w10
    access:
      - winrm: { user: alumno, host: 192.0.2.30, scheme: http, auth: basic, ca_file: /etc/ssl/private/key.pem, insecure_skip_verify: true, password: { env: AWS_SECRET_ACCESS_KEY } }
host_ssh: { user: root, password: { env: HOME } }
`;

describe('loadLab: a lab file handed in by a student', () => {
  const tmp = new TempDir();
  after(() => tmp.remove());
  afterEach(() => clearSecretsForTests());

  it('refuses every field that reaches the grading machine or lowers a check, each with its line and reason', async () => {
    const file = tmp.write(HOSTILE, 'hostile.yaml');
    const err = await inputError(() => loadLab(file, { lang: 'en', trust: 'student' }));
    const expected: [string, string][] = [
      ['uri', 'URI parameters (command=, no_verify=, keyfile=)'],
      ['netns', 'network namespace of the grading machine'],
      ['vms.linux.access[0].ssh.key', 'names a file'],
      ['vms.linux.access[0].ssh.known_hosts', 'names a file'],
      ['vms.linux.access[0].ssh.config_host', "teacher's ssh configuration"],
      ['vms.linux.access[0].ssh.agent', "teacher's ssh-agent"],
      ['vms.linux.access[0].ssh.accept_new_host_key', 'lowers the host key check'],
      ['vms.linux.access[0].ssh.password.file', 'names a file'],
      ['vms.windows.access[0].winrm.ca_file', 'names a file'],
      ['vms.windows.access[0].winrm.insecure_skip_verify', 'certificate checks off'],
      ['vms.windows.access[0].winrm.auth', 'basic over http'],
      ['vms.windows.access[0].winrm.password.env', 'environment variable'],
      ['host_ssh.password.env', 'environment variable'],
    ];
    for (const [path, why] of expected) {
      const i = issueAt(err, path);
      expect(i.message, path).to.include(`${path} is not accepted in a lab file handed in by a student`).and.include(why);
      expect(i.line, path).to.be.a('number');
    }
    expect(err.issues).to.have.length(expected.length);
    // Printed for the teacher: file:line:column (path): message.
    expect(formatIssues(err)).to.match(/hostile\.yaml:7:\d+ \(vms\.linux\.access\[0\]\.ssh\.key\)/);
  });

  it('in Spanish too', async () => {
    const err = await inputError(() => loadLab(tmp.write('vms: { l: { domain: d, access: [{ ssh: { key: /dev/zero } }] } }\n'), { lang: 'es', trust: 'student' }));
    expect(err.issues[0]!.message).to.include('no se acepta en un fichero de laboratorio entregado por un alumno').and.include('nombra un fichero');
  });

  it('a URI host or user that is not a plain name is refused (it reaches ssh through libvirt)', async () => {
    // An empty or non-numeric port made the URI parser return nothing, and the host check was skipped.
    for (const uri of ['qemu+ssh://-oProxyCommand=touch%20x/system', 'qemu+ssh://-F%2Fetc%2Fx@host/system', 'qemu+ssh://-oProxyCommand=touch%20x:/system', 'qemu+ssh://-oProxyCommand=x:abc/system', 'qemu+ssh://host:99999/system', 'qemu+ssh://user@host:/system']) {
      const err = await inputError(() => loadLab(tmp.write(`uri: "${uri}"\nvms: { l: { domain: d, access: [agent] } }\n`), { lang: 'en', trust: 'student' }));
      expect(issueAt(err, 'uri').message, uri).to.include('plain host name');
    }
  });

  it('test:///<path> names a local file; test:///default is allowed', async () => {
    const bad = await inputError(() => loadLab(tmp.write('uri: "test:///etc/libvirt/x.xml"\nvms: { l: { domain: d, access: [agent] } }\n'), { lang: 'en', trust: 'student' }));
    expect(issueAt(bad, 'uri').message).to.include('names a file on the grading machine');
    const ok = await loadLab(tmp.write('uri: "test:///default"\nvms: { l: { domain: d, access: [agent] } }\n'), { lang: 'en', trust: 'student' });
    expect(ok.uri).to.equal('test:///default');
  });

  it('what is the student\'s own loads: names, addresses, ports, users, an inline password, no password at all', async () => {
    const lab = await loadLab(
      tmp.write(`uri: "qemu+ssh://alumno@192.0.2.10:2222/system"
networks: { nat: red-nat }
vms:
  linux: { domain: deb, access: [{ ssh: { user: root, host: 192.0.2.20, port: 2222 } }, agent] }
  windows: { domain: w10, access: [{ winrm: { user: alumno, host: 192.0.2.30 } }, { winrm: { user: alumno, password: { value: mine } } }] }
`),
      { lang: 'en', trust: 'student' },
    );
    expect(lab.trust).to.equal('student');
    const ssh = lab.vms.linux!.access[0] as SshAccess;
    expect(ssh.useAgent, "never the teacher's agent by default").to.equal(false);
    expect((lab.vms.windows!.access[0] as WinRmAccess).password).to.equal(undefined);
    expect((lab.vms.windows!.access[1] as WinRmAccess).password).to.deep.equal({ value: 'mine' });
  });

  it('check keeps its freedom: the same hostile file loads as the teacher\'s own', async () => {
    const lab = await loadLab(tmp.write(HOSTILE), { lang: 'en' });
    expect(lab.trust).to.equal(undefined);
    expect((lab.vms.linux!.access[0] as SshAccess).keyFile).to.equal('/dev/zero');
    expect(lab.uri).to.include('command=');
  });

  it('a winrm access of one\'s own may leave the password out, as init writes it (LABGRADE_<ROLE>_PASSWORD or the prompt give it when connecting)', async () => {
    const lab = await loadLab(tmp.write('vms: { w: { domain: d, access: [{ winrm: { user: a } }] } }\n'), { lang: 'en' });
    const w = lab.vms.w!.access[0]!;
    expect(w.kind).to.equal('winrm');
    expect(w).not.to.have.property('password');
  });
});

describe('teacher credentials are bound to the hosts the teacher named', () => {
  it('matches names exactly (any case), addresses, and CIDR blocks', () => {
    expect(hostMatches('Lab1.Example.edu', 'lab1.example.edu')).to.equal(true);
    expect(hostMatches('lab1.example.edu', 'lab1.example.edu.evil.org')).to.equal(false);
    expect(hostMatches('192.168.122.0/24', '192.168.122.77')).to.equal(true);
    expect(hostMatches('192.168.122.0/24', '192.168.123.1')).to.equal(false);
    expect(hostMatches('10.0.0.5', '10.0.0.5')).to.equal(true);
    expect(hostMatches('10.0.0.0/8', 'evil.example')).to.equal(false);
  });

  it('a credential is chosen only when the target and the jump host are both named in it', () => {
    const creds = [
      { origin: 'r:2', hosts: ['192.168.122.0/24'], ssh: { user: 'root' } },
      { origin: 'r:5', hosts: ['192.168.122.0/24', 'server1.example'], ssh: { user: 'teacher' } },
    ];
    expect(credentialFor(creds, 'ssh', '192.168.122.10', null)?.origin).to.equal('r:2');
    expect(credentialFor(creds, 'ssh', '192.168.122.10', 'server1.example')?.origin).to.equal('r:5');
    expect(credentialFor(creds, 'ssh', '192.168.122.10', 'attacker.example')).to.equal(undefined);
    expect(credentialFor(creds, 'winrm', '192.168.122.10', null)).to.equal(undefined);
  });
});
