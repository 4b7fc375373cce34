import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  runDoctor,
  parseIcmpResult,
  sshTargetHost,
  type DoctorDeps,
  type DoctorOptions,
  type DoctorReport,
} from '../../../grader/onboarding/doctor.js';
import { doctorText } from '../../../reports/doctor.js';
import { LibvirtError, classifyVirshFailure, describeFailure } from '../../../grader/libvirt/virsh.js';
import { InputError, TransportError, type AccessMethod, type CommandResult, type Connection, type LabFile, type LabVm } from '../../../grader/types.js';
import { courseSpec, domain, isolatedNet, natNet, snapshot, veryIsolatedNet } from '../../fixtures/onboarding/snapshots.js';

const ssh = (extra: Partial<AccessMethod> = {}): AccessMethod =>
  ({ kind: 'ssh', user: 'root', port: 22, useAgent: false, acceptNewHostKey: false, jump: 'auto', keyFile: '/k/id_ed25519', ...extra }) as AccessMethod;
const winrm = (extra: Record<string, unknown> = {}): AccessMethod =>
  ({ kind: 'winrm', user: 'alumno', password: { env: 'LABGRADE_WINDOWS_PASSWORD' }, scheme: 'https', port: 5986, auth: 'ntlm', insecureSkipVerify: false, jump: 'auto', ...extra }) as AccessMethod;

function lab(over: Partial<LabFile> = {}): LabFile {
  return {
    file: '/tmp/lab.yaml',
    uri: 'qemu:///system',
    networks: { nat: 'red-nat', isolated: 'red-aislada', very_isolated: 'red-muy-aislada' },
    vms: {
      linux: { role: 'linux', domain: 'debian12', access: [ssh(), { kind: 'agent' }] },
      windows: { role: 'windows', domain: 'win10', access: [winrm(), { kind: 'agent' }] },
    },
    ...over,
  };
}

const okResult = (stdout = ''): CommandResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 1, truncated: false, timedOut: false });

function fakeConn(kind: 'ssh' | 'winrm' | 'agent', target: string, answer: (script: string) => CommandResult = () => okResult()): Connection {
  return { kind, target, runScript: async (s) => answer(s), close: async () => undefined };
}

const healthySnap = () =>
  snapshot(
    [natNet('red-nat'), isolatedNet('red-aislada'), veryIsolatedNet('red-muy-aislada')],
    [domain('debian12', { net: 'red-nat' }), domain('win10', { net: 'red-nat', osinfo: 'http://microsoft.com/win/10' })],
  );

interface World {
  virsh?: () => Promise<string>;
  lab?: () => Promise<LabFile>;
  inspect?: () => Promise<ReturnType<typeof healthySnap>>;
  open?: (vm: LabVm, m: AccessMethod) => Promise<Connection>;
  exists?: boolean;
}

function deps(w: World = {}): DoctorDeps {
  return {
    virshVersion: w.virsh ?? (async () => '9.0.0'),
    fileExists: async () => w.exists ?? true,
    loadLab: w.lab ?? (async () => lab()),
    loadSpec: async () => courseSpec,
    inspect: w.inspect ?? (async () => healthySnap()),
    open: async (_lab, vm, m) =>
      w.open ? w.open(vm, m) :
        fakeConn(m.kind, `${m.kind} ${vm.domain}`, (s) => (s.includes('Get-NetFirewallProfile') ? okResult('{"enabled":[],"icmpAllowed":false}') : okResult())),
  };
}

const base: DoctorOptions = { lang: 'en', labPath: '/tmp/lab.yaml', labExplicit: true, specPath: '/spec.yaml', uri: 'qemu:///system' };
const check = (rep: DoctorReport, id: string) => {
  const c = rep.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${rep.checks.map((x) => x.id).join(', ')}`);
  return c;
};

describe('onboarding: doctor', () => {
  it('passes on a healthy host, in order, exit 0', async () => {
    const rep = await runDoctor(deps(), base);
    expect(rep.checks.filter((c) => c.status !== 'ok').map((c) => `${c.id}:${c.status}:${c.message}`)).to.deep.equal([]);
    expect(rep.checks.map((c) => c.id)).to.deep.equal([
      'virsh', 'lab', 'spec', 'libvirt', 'network.nat', 'network.isolated', 'network.very_isolated',
      'vm.linux', 'vm.linux.agent-channel', 'vm.linux.agent', 'vm.linux.ssh',
      'vm.windows', 'vm.windows.agent-channel', 'vm.windows.agent', 'vm.windows.winrm', 'vm.windows.icmp',
    ]);
    expect(rep.exitCode).to.equal(0);
    expect(doctorText(rep, { lang: 'en' })).to.contain('All set: grading can run');
  });

  it('virsh missing: the apt-get fix, later checks skipped', async () => {
    const rep = await runDoctor(deps({ virsh: async () => { throw new LibvirtError('virsh-missing', 'qemu:///system', 'x', ['-v'], 'virsh: not found'); } }), base);
    expect(check(rep, 'virsh')).to.deep.include({ status: 'fail', fix: 'Install it: sudo apt-get install libvirt-clients' });
    expect(check(rep, 'libvirt').status).to.equal('skip');
    expect(check(rep, 'libvirt').message).to.contain('virsh program');
    expect(rep.exitCode).to.equal(1);
  });

  it('lab file missing or invalid', async () => {
    let rep = await runDoctor(deps({ exists: false }), base);
    expect(check(rep, 'lab').fix).to.equal('Create it with: labgrade init --output /tmp/lab.yaml');
    rep = await runDoctor(deps({ exists: false }), { ...base, labExplicit: false });
    expect(check(rep, 'lab').status).to.equal('skip');
    expect(check(rep, 'libvirt').status).to.equal('ok');
    expect(rep.exitCode).to.equal(0);
    rep = await runDoctor(
      deps({ lab: async () => { throw new InputError('lab file has errors', [{ file: '/tmp/lab.yaml', line: 3, column: 5, path: 'vms.linux', message: 'unknown key' }]); } }),
      base,
    );
    expect(check(rep, 'lab').message).to.contain('/tmp/lab.yaml:3:5 (vms.linux): unknown key');
  });

  it('--uri wins over the lab file\'s uri (as in inspect): libvirt and the VMs are read there', async () => {
    const seen: string[] = [];
    const inspect = async (uri: string) => {
      seen.push(uri);
      return healthySnap();
    };
    const cli = 'qemu+ssh://teacher@192.0.2.7/system';
    const rep = await runDoctor({ ...deps(), inspect: inspect as DoctorDeps['inspect'] }, { ...base, uri: cli, uriFromCli: true });
    expect(seen).to.deep.equal([cli]);
    expect(check(rep, 'libvirt').title).to.include(cli);
    seen.length = 0;
    await runDoctor({ ...deps(), inspect: inspect as DoctorDeps['inspect'] }, base);
    expect(seen).to.deep.equal([lab().uri]);
  });

  it('an SSH failure on a qemu+ssh URI: the fix keeps its user and port (ssh-copy-id -p 1 nobody@127.0.0.1)', async () => {
    const uri = 'qemu+ssh://nobody@127.0.0.1:1/system';
    const err = new LibvirtError('ssh-unreachable', uri, 'cannot reach', ['net-list'], 'ssh: connect to host 127.0.0.1 port 1: Connection refused');
    const rep = await runDoctor(deps({ inspect: async () => { throw err; } }), { ...base, uri, uriFromCli: true });
    expect(check(rep, 'libvirt').fix).to.contain('ssh -p 1 nobody@127.0.0.1 works').and.contain('(ssh-copy-id -p 1 nobody@127.0.0.1)');
    const plain = await runDoctor(deps({ inspect: async () => { throw new LibvirtError('ssh-auth', 'qemu+ssh://h.example/system', 'x', [], 'denied'); } }), { ...base, uri: 'qemu+ssh://h.example/system', uriFromCli: true });
    expect(check(plain, 'libvirt').fix).to.contain('(ssh-copy-id h.example)');
  });

  it('no permission on qemu:///system: the libvirt group fix', async () => {
    const err = new LibvirtError('permission', 'qemu:///system', 'denied', ['net-list'], "Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied");
    const rep = await runDoctor(deps({ inspect: async () => { throw err; } }), { ...base, lang: 'es' });
    const c = check(rep, 'libvirt');
    expect(c.status).to.equal('fail');
    expect(c.fix).to.contain('sudo adduser $USER libvirt');
    expect(check(rep, 'network.nat').status).to.equal('skip');
    expect(check(rep, 'vm.linux').status).to.equal('skip');
  });

  it('no polkit (unprivileged user, no D-Bus): the same libvirt group fix', async () => {
    const err = new LibvirtError('failed', 'qemu:///system', 'x', ['net-list'], 'internal error: Unable to get system bus connection: Could not connect: No such file or directory');
    const rep = await runDoctor(deps({ inspect: async () => { throw err; } }), base);
    expect(check(rep, 'libvirt').fix).to.contain('sudo adduser $USER libvirt');
  });

  it('read-only access only: fails with the same fix, agent checks skipped', async () => {
    const rep = await runDoctor(deps({ inspect: async () => ({ ...healthySnap(), readOnly: true }) }), base);
    expect(check(rep, 'libvirt').fix).to.contain('sudo adduser $USER libvirt');
    expect(check(rep, 'vm.linux.agent').status).to.equal('skip');
  });

  it('libvirtd not running: the same diagnosis and fix check/inspect print (one message, two lines)', async () => {
    const c = classifyVirshFailure("error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory\n", 'qemu:///system');
    const asCheckSays = describeFailure(c, 'qemu:///system', 'en');
    const err = new LibvirtError(c.kind, 'qemu:///system', asCheckSays, ['net-list'], c.detail, c.what);
    const rep = await runDoctor(deps({ inspect: async () => { throw err; } }), base);
    const d = check(rep, 'libvirt');
    expect(d.fix).to.contain('systemctl enable --now libvirtd');
    expect(`${d.message} ${d.fix}`).to.equal(asCheckSays);
  });

  it('without a lab file: exit 0 but never "All set" (only libvirt was checked)', async () => {
    const rep = await runDoctor(deps({ exists: false }), { ...base, labPath: 'lab.yaml', labExplicit: false });
    expect(rep.exitCode).to.equal(0);
    expect(rep.canGrade).to.equal(false);
    expect(doctorText(rep, { lang: 'en' })).to.match(/no lab file was checked/).and.not.match(/All set/);
  });

  it('network missing (did you mean), inactive (net-start), not autostarted (warning)', async () => {
    const s = healthySnap();
    s.networks[0]!.name = 'red_nat';
    s.networks[1]!.active = false;
    s.networks[2]!.autostart = false;
    const rep = await runDoctor(deps({ inspect: async () => s }), base);
    expect(check(rep, 'network.nat').message).to.equal('does not exist (did you mean red_nat?)');
    expect(check(rep, 'network.isolated').fix).to.equal('Start it and make it start on boot: virsh -c qemu:///system net-start red-aislada; virsh -c qemu:///system net-autostart red-aislada');
    expect(check(rep, 'network.very_isolated')).to.deep.include({ status: 'warn', fix: 'virsh -c qemu:///system net-autostart red-muy-aislada' });
    expect(rep.exitCode).to.equal(1);
  });

  it('VM missing or not running: its access checks are skipped', async () => {
    const s = healthySnap();
    s.domains[0]!.state = 'shut off';
    s.domains[1]!.name = 'Win10';
    s.domainNames = ['debian12', 'Win10'];
    const rep = await runDoctor(deps({ inspect: async () => s }), base);
    expect(check(rep, 'vm.linux').fix).to.equal('Start it: virsh -c qemu:///system start debian12');
    expect(check(rep, 'vm.linux.ssh').status).to.equal('skip');
    expect(check(rep, 'vm.windows').message).to.equal('does not exist (did you mean Win10?)');
    expect(check(rep, 'vm.windows.winrm').status).to.equal('skip');
  });

  it('guest agent channel missing: the XML to add; agent not running: the package or the virtio-win installer', async () => {
    const s = healthySnap();
    s.domains[0]!.agentChannel = false;
    s.domains[0]!.agentConnected = null;
    s.domains[1]!.agentConnected = false;
    const rep = await runDoctor(deps({ inspect: async () => s }), base);
    const ch = check(rep, 'vm.linux.agent-channel');
    expect(ch.status).to.equal('fail');
    expect(ch.fix).to.contain("<target type='virtio' name='org.qemu.guest_agent.0'/>");
    expect(ch.fix).to.contain('virsh -c qemu:///system edit debian12');
    expect(ch.message).to.contain('very isolated network ("very_isolated")');
    const ag = check(rep, 'vm.windows.agent');
    expect(ag.status).to.equal('fail');
    expect(ag.fix).to.contain('virtio-win');
    expect(ag.fix).to.contain('qemu-ga-x86_64.msi');

    const s2 = healthySnap();
    s2.domains[0]!.agentConnected = false;
    const rep2 = await runDoctor(deps({ inspect: async () => s2 }), { ...base, lang: 'es' });
    expect(check(rep2, 'vm.linux.agent').fix).to.contain('sudo apt install qemu-guest-agent');
  });

  it('a network key missing from the lab file: like check, the spec\'s accepted name on the host is used', async () => {
    const rep = await runDoctor(
      deps({ lab: async () => lab({ networks: { nat: 'red-nat' }, vms: { linux: { role: 'linux', domain: 'debian12', access: [ssh(), { kind: 'agent' }] } } }) }),
      base,
    );
    expect(check(rep, 'network.isolated')).to.deep.include({ status: 'ok' });
    expect(check(rep, 'network.isolated').title).to.contain('red-aislada');
    expect(check(rep, 'vm.windows').fix).to.contain('Add vms.windows with domain (in the course, win10)');
    expect(rep.exitCode).to.equal(1);
  });

  it('a network key missing from the lab file and none of its names on the host: fail, with what to add', async () => {
    const rep = await runDoctor(
      deps({
        lab: async () => lab({ networks: { nat: 'red-nat' } }),
        inspect: async () => snapshot([natNet('red-nat'), veryIsolatedNet('red-muy-aislada')], [domain('debian12', { net: 'red-nat' }), domain('win10', { net: 'red-nat', osinfo: 'http://microsoft.com/win/10' })]),
      }),
      base,
    );
    expect(check(rep, 'network.isolated')).to.deep.include({
      status: 'fail',
      message: 'the lab file does not say which network is "isolated" (networks.isolated) and the host has none of the names the exercise accepts',
    });
    expect(check(rep, 'network.isolated').fix).to.contain('"isolated: NAME" under networks (in the course, red-aislada)');
    expect(rep.exitCode).to.equal(1);
  });

  it('the lab file does not list the agent while the exercise has a very isolated network: fail, add it', async () => {
    const rep = await runDoctor(
      deps({ lab: async () => lab({ vms: { linux: { role: 'linux', domain: 'debian12', access: [ssh()] } } }) }),
      base,
    );
    const c = check(rep, 'vm.linux.agent-access');
    expect(c.status).to.equal('fail');
    expect(c.fix).to.equal('Add "- agent" at the end of vms.linux.access in the lab file');
    expect(check(rep, 'vm.linux.agent').status).to.equal('ok');
  });

  it('SSH stopped while the agent works: a warning with the fix, grading can run', async () => {
    const rep = await runDoctor(
      deps({
        open: async (vm, m) => {
          if (m.kind === 'ssh') throw new TransportError('refused', 'ssh root@192.168.101.130:22', 'connect ECONNREFUSED');
          return fakeConn(m.kind, m.kind, () => okResult('{"enabled":[],"icmpAllowed":false}'));
        },
      }),
      base,
    );
    const c = check(rep, 'vm.linux.ssh');
    expect(c.status).to.equal('warn');
    expect(c.message).to.contain('connection refused on port 22');
    expect(c.message).to.contain('grading can still use agent');
    expect(c.fix).to.contain('systemctl enable --now ssh');
    expect(c.title).to.contain('root@192.168.101.130:22');
    expect(rep.exitCode).to.equal(0);
  });

  const sshFails = (err: TransportError, extra: Partial<AccessMethod> = {}) =>
    deps({
      inspect: async () => {
        const s = healthySnap();
        s.domains[0]!.agentChannel = false;
        return s;
      },
      lab: async () => lab({ vms: { linux: { role: 'linux', domain: 'debian12', access: [ssh(extra)] } } }),
      open: async () => {
        throw err;
      },
    });

  it('SSH key refused: ssh-copy-id with the public key', async () => {
    const rep = await runDoctor(sshFails(new TransportError('auth', 'ssh root@192.168.101.130:22', 'All configured authentication methods failed')), base);
    const c = check(rep, 'vm.linux.ssh');
    expect(c.status).to.equal('fail');
    expect(c.fix).to.contain('ssh-copy-id -i /k/id_ed25519.pub root@ADDRESS');
  });

  it('SSH host key unknown: the option that pins it', async () => {
    const rep = await runDoctor(sshFails(new TransportError('hostkey-unknown', 'ssh root@192.168.101.130:22', 'unknown')), base);
    expect(check(rep, 'vm.linux.ssh').fix).to.match(/accept_new_host_key: true|acceptNewHostKey: true/);
  });

  it('SSH host key changed: the known_hosts line to remove', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-doctor-'));
    const kh = join(dir, 'known_hosts');
    writeFileSync(kh, '# comment\nother.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBBB\n192.168.101.130 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAA\n');
    const rep = await runDoctor(
      sshFails(new TransportError('hostkey-changed', 'ssh root@192.168.101.130:22 netns labgrade', 'changed'), { knownHostsFile: kh }),
      base,
    );
    const c = check(rep, 'vm.linux.ssh');
    expect(c.message).to.contain('THE SSH HOST KEY HAS CHANGED');
    expect(c.fix).to.contain(`${kh}:3`);
    expect(c.fix).to.contain(`ssh-keygen -f ${kh} -R 192.168.101.130`);
  });

  it('VM on the very isolated network: SSH skipped, the agent is what counts', async () => {
    const s = healthySnap();
    s.domains[0]!.interfaces[0]!.network = 'red-muy-aislada';
    const rep = await runDoctor(deps({ inspect: async () => s }), base);
    expect(check(rep, 'vm.linux.ssh').status).to.equal('skip');
    expect(check(rep, 'vm.linux.ssh').message).to.contain('very isolated network red-muy-aislada');
    expect(check(rep, 'vm.linux.agent').status).to.equal('ok');
  });

  const winrmFails = (err: TransportError, m: AccessMethod = winrm()) =>
    deps({
      lab: async () => lab({ vms: { windows: { role: 'windows', domain: 'win10', access: [m] } } }),
      inspect: async () => {
        const s = healthySnap();
        s.domains[1]!.agentChannel = false;
        return s;
      },
      open: async () => {
        throw err;
      },
    });

  it('WinRM: not enabled, firewall, unencrypted HTTP, certificate', async () => {
    let rep = await runDoctor(winrmFails(new TransportError('refused', 'winrm https://192.168.101.140:5986', 'ECONNREFUSED')), base);
    expect(check(rep, 'vm.windows.winrm').fix).to.contain('winrm quickconfig');
    expect(check(rep, 'vm.windows.winrm').fix).to.contain('-Transport HTTPS');
    rep = await runDoctor(winrmFails(new TransportError('timeout', 'winrm https://192.168.101.140:5986', 'timed out')), base);
    expect(check(rep, 'vm.windows.winrm').fix).to.contain('New-NetFirewallRule -DisplayName "WinRM HTTPS" -Direction Inbound -Protocol TCP -LocalPort 5986');
    rep = await runDoctor(
      winrmFails(new TransportError('auth', 'winrm http://192.168.101.140:5985', 'HTTP 401'), winrm({ scheme: 'http', port: 5985, auth: 'basic' })),
      base,
    );
    expect(check(rep, 'vm.windows.winrm').message).to.contain('AllowUnencrypted=false');
    rep = await runDoctor(winrmFails(new TransportError('protocol', 'winrm https://192.168.101.140:5986', 'self-signed certificate')), base);
    expect(check(rep, 'vm.windows.winrm').fix).to.contain('Export-Certificate');
    rep = await runDoctor(winrmFails(new TransportError('auth', 'winrm https://192.168.101.140:5986', 'HTTP 401')), base);
    expect(check(rep, 'vm.windows.winrm').fix).to.contain('LABGRADE_WINDOWS_PASSWORD');
    expect(check(rep, 'vm.windows.icmp').status).to.equal('skip');
  });

  it('Windows Defender Firewall dropping ICMP: the rule that allows echo', async () => {
    const rep = await runDoctor(
      deps({ open: async (vm, m) => fakeConn(m.kind, m.kind, (s) => okResult(s.includes('Get-NetFirewallProfile') ? '{"enabled":["Domain","Private","Public"],"icmpAllowed":false}' : '')) }),
      base,
    );
    const c = check(rep, 'vm.windows.icmp');
    expect(c.status).to.equal('warn');
    expect(c.message).to.contain('Domain, Private, Public');
    expect(c.fix).to.contain('New-NetFirewallRule -DisplayName "ICMPv4 echo (labgrade)" -Protocol ICMPv4 -IcmpType 8');
    expect(c.fix).to.contain('netsh advfirewall firewall add rule');
    expect(parseIcmpResult('{"enabled":"Public","icmpAllowed":true}')).to.deep.equal({ enabled: ['Public'], icmpAllowed: true });
    expect(parseIcmpResult('garbage')).to.equal(null);
  });

  it('never throws: an unexpected error becomes a failed check', async () => {
    const rep = await runDoctor(
      deps({ open: async () => { throw new RangeError('boom'); } }),
      base,
    );
    expect(check(rep, 'vm.linux.ssh').message).to.contain('boom');
    const rep2 = await runDoctor({ ...deps(), loadSpec: () => { throw new TypeError('weird'); } } as DoctorDeps, base);
    expect(check(rep2, 'spec').status).to.equal('fail');
  });

  it('parses SSH targets', () => {
    expect(sshTargetHost('ssh root@192.168.101.130:22 netns labgrade')).to.deep.equal({ host: '192.168.101.130', port: 22 });
    expect(sshTargetHost('ssh u@[fe80::1]:2222')).to.deep.equal({ host: 'fe80::1', port: 2222 });
  });
});
