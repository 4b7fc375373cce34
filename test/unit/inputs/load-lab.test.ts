import { expect } from 'chai';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { clearSecretsForTests, redact } from '../../../grader/inputs/secrets.js';
import { formatIssues } from '../../../grader/cli/io.js';
import type { InputIssue, SshAccess, WinRmAccess } from '../../../grader/types.js';
import { TempDir, fixtures, inputError, issueAt, shipped } from './helpers.js';

describe('loadLab', () => {
  const tmp = new TempDir();
  after(() => tmp.remove());
  afterEach(() => clearSecretsForTests());

  it('loads a full lab file: snake_case to camelCase, paths relative to the file, defaults', async () => {
    const lab = await loadLab(join(fixtures, 'lab-full.yaml'), { lang: 'en' });
    expect(lab.uri).to.equal('qemu+ssh://teacher@192.0.2.10/system');
    expect(lab.netns).to.equal('labgrade');
    expect(lab.networks).to.deep.equal({ nat: 'red-nat', isolated: 'red_aislada', very_isolated: 'red-muy-aislada' });
    expect(lab.vms.linux!.domain).to.equal('debian12');
    expect(lab.vms.linux!.os).to.equal(undefined);
    expect(lab.vms.linux!.access).to.deep.equal([
      {
        kind: 'ssh',
        user: 'root',
        port: 22,
        keyFile: join(fixtures, 'keys/id_ed25519'),
        knownHostsFile: join(homedir(), '.ssh/known_hosts'),
        useAgent: false,
        acceptNewHostKey: true,
        jump: 'auto',
      },
      { kind: 'agent' },
    ]);
    const win = lab.vms.windows!;
    expect(win.os).to.equal('linux');
    const winrm = win.access[0] as WinRmAccess;
    expect(winrm).to.deep.equal({
      kind: 'winrm',
      user: 'alumno',
      password: { env: 'LABGRADE_TEST_WIN_PASSWORD' },
      scheme: 'http',
      port: 5985,
      auth: 'ntlm',
      caFile: join(fixtures, 'ca.pem'),
      insecureSkipVerify: false,
      jump: 'auto',
    });
    const ssh = win.access[1] as SshAccess;
    expect(ssh).to.deep.include({ user: 'alumno', port: 2222, jump: 'none', useAgent: false, acceptNewHostKey: false });
    expect(ssh.password).to.deep.equal({ file: join(fixtures, 'secrets/win.txt') });
    expect(win.access[2]).to.deep.equal({ kind: 'agent' });
    expect(lab.probes).to.deep.equal({ outsideHost: '198.51.100.10', resolveName: 'www.labgrade.test', timeoutMs: 1000 });
    expect(lab.hostSsh).to.deep.include({ kind: 'ssh', user: 'teacher', keyFile: '/etc/labgrade/id_ed25519', knownHostsFile: join(fixtures, 'known_hosts') });
  });

  it('applies defaults to a minimal file; an inline password works, is warned about and redacted', async () => {
    const warnings: InputIssue[] = [];
    const lab = await loadLab(join(fixtures, 'lab-minimal.yaml'), { lang: 'en', warnings });
    expect(lab.uri).to.equal('qemu:///system');
    expect(lab.networks).to.deep.equal({});
    expect(lab.netns).to.equal(undefined);
    expect(lab.probes).to.equal(undefined);
    expect(lab.vms.linux!.access).to.deep.equal([{ kind: 'agent' }]);
    const w = lab.vms.windows!.access[0] as WinRmAccess;
    expect(w).to.deep.include({ scheme: 'https', port: 5986, auth: 'ntlm', insecureSkipVerify: false });
    expect(w.password).to.deep.equal({ value: 's3cr3t-inline' });
    expect(warnings).to.have.length(1);
    expect(warnings[0]!.path).to.equal('vms.windows.access[0].winrm.password');
    expect(warnings[0]!.line).to.equal(3);
    expect(redact('login with s3cr3t-inline failed')).to.equal('login with *** failed');
  });

  it('an ssh access without key or password uses the ssh-agent', async () => {
    const lab = await loadLab(tmp.write('vms:\n  linux:\n    domain: d\n    access:\n      - ssh: { host: 192.168.101.10 }\n'), { lang: 'en' });
    expect(lab.vms.linux!.access[0]).to.deep.include({ useAgent: true, host: '192.168.101.10', user: 'root' });
  });

  it('never quotes an inline secret in an error, even when it is the wrong thing', async () => {
    const p = tmp.write('vms:\n  w:\n    domain: win10\n    access:\n      - winrm: { user: a, password: { value: "TopSecret99" }, scheme: htps }\n  x:\n    domain: y\n    access: [{ winrm: { user: a, password: "Other$ecret", port: 99999 } }]\n');
    const err = await inputError(() => loadLab(p, { lang: 'en' }));
    const text = formatIssues(err);
    expect(text).to.not.include('TopSecret99');
    expect(text).to.not.include('Other$ecret');
    expect(text).to.match(/scheme/);
    expect(redact(text)).to.equal(text);
    expect(redact('TopSecret99 Other$ecret')).to.equal('*** ***');
  });

  it('reports bad URIs, hosts, ports, access methods and duplicate domains with positions', async () => {
    const p = tmp.write(
      [
        'uri: http://example.org/',
        'vms:',
        '  linux:',
        '    domain: debian12',
        '    access:',
        '      - ssh: { host: "bad host!", port: 0 }',
        '      - shh: {}',
        '      - agnet',
        '  windows:',
        '    domain: debian12',
        '    access: []',
        '',
      ].join('\n'),
    );
    const err = await inputError(() => loadLab(p, { lang: 'en' }));
    expect(issueAt(err, 'vms.linux.access[0].ssh.host').line).to.equal(6);
    expect(issueAt(err, 'vms.linux.access[0].ssh.port').message).to.match(/>= 1/);
    expect(issueAt(err, 'vms.linux.access[1].shh').message).to.match(/unknown key "shh".*Did you mean "ssh"/);
    expect(issueAt(err, 'vms.windows.access').message).to.match(/at least 1/);
    const second = await inputError(() => loadLab(tmp.write('uri: http://example.org/\nvms:\n  a: { domain: d1, access: [agnet] }\n  b: { domain: d1, access: [agent] }\n'), { lang: 'en' }));
    expect(issueAt(second, 'uri').message).to.match(/invalid libvirt URI/);
    expect(issueAt(second, 'vms.a.access[0]').message).to.match(/unknown access method "agnet".*Did you mean "agent"/);
    expect(issueAt(second, 'vms.b.domain').message).to.match(/already used by machine "a"/);
  });

  it('checks network keys and roles against a spec when given one', async () => {
    const spec = await loadSpec(shipped, { lang: 'en' });
    const warnings: InputIssue[] = [];
    const p = tmp.write('networks: { nat: red-nat, isolatd: x }\nvms:\n  linux: { domain: debian12, access: [agent] }\n  linuz: { domain: other, access: [agent] }\n');
    const err = await inputError(() => loadLab(p, { lang: 'en', spec, warnings }));
    expect(issueAt(err, 'networks.isolatd').message).to.match(/Did you mean "isolated"/);
    expect(issueAt(err, 'vms.linuz').message).to.match(/Did you mean "linux"/);
    const ok = tmp.write('vms:\n  linux: { domain: debian12, access: [agent] }\n');
    await loadLab(ok, { lang: 'en', spec, warnings });
    expect(warnings.map((w) => w.message)).to.deep.equal(['no machine "windows" in the lab file: its questions cannot be measured']);
  });
});
