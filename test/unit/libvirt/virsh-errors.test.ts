import { expect } from 'chai';
import { classifyVirshFailure, describeFailure } from '../../../grader/libvirt/virsh.js';
import { parseUri, isRemoteUri, isSshUri, withSshDefaults } from '../../../grader/libvirt/uri.js';

const LOCAL = 'qemu:///system';
const SSH = 'qemu+ssh://alumno@servidor.example/system';

// stderr texts as virsh 9 prints them under LC_ALL=C.
describe('virsh failure classification', () => {
  it('socket missing: daemon not installed or not started', () => {
    const c = classifyVirshFailure(
      "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory\n",
      LOCAL,
    );
    expect(c).to.deep.equal({ kind: 'socket-missing', detail: "Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory", what: '/var/run/libvirt/libvirt-sock' });
    expect(describeFailure(c, LOCAL, 'en')).to.match(/socket \/var\/run\/libvirt\/libvirt-sock does not exist.*systemctl enable --now libvirtd/);
    expect(describeFailure(c, LOCAL, 'es')).to.match(/no existe el socket \/var\/run\/libvirt\/libvirt-sock/);
  });

  it('daemon down: connection refused', () => {
    const c = classifyVirshFailure("error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/virtqemud-sock': Connection refused", LOCAL);
    expect(c.kind).to.equal('daemon-down');
    expect(c.what).to.equal('/var/run/libvirt/virtqemud-sock');
  });

  it('permission denied on the socket or by polkit suggests the libvirt group', () => {
    const a = classifyVirshFailure("error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied", LOCAL);
    expect(a.kind).to.equal('permission');
    expect(describeFailure(a, LOCAL, 'en')).to.match(/libvirt group/);
    expect(describeFailure(a, LOCAL, 'es')).to.match(/grupo libvirt/);
    const b = classifyVirshFailure(
      "error: failed to connect to the hypervisor\nerror: authentication unavailable: no polkit agent available to authenticate action 'org.libvirt.unix.manage'",
      LOCAL,
    );
    expect(b.kind).to.equal('permission');
  });

  it('the polkit warning ("Authorization not available", printed on a terminal without polkit) is not a cause', () => {
    const warn = 'error: Authorization not available. Check if polkit service is running or see debug message for more information.\n';
    expect(classifyVirshFailure(`${warn}error: Guest agent is not responding: QEMU guest agent is not connected`, LOCAL).kind).to.equal('agent-not-connected');
    expect(classifyVirshFailure(`${warn}error: failed to get domain 'win10'\nerror: Domain not found: no domain with matching name 'win10'`, LOCAL).kind).to.equal('domain-not-found');
    expect(classifyVirshFailure(`${warn.replace('error: ', '')}error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Connection refused`, LOCAL).kind).to.equal('daemon-down');
    expect(classifyVirshFailure(`${warn}error: something else entirely`, LOCAL)).to.deep.equal({ kind: 'failed', detail: 'something else entirely' });
    // A real polkit refusal is still a permission problem.
    expect(classifyVirshFailure(`${warn}error: failed to connect to the hypervisor\nerror: access denied: authentication unavailable: no polkit agent available`, LOCAL).kind).to.equal('permission');
  });

  it('SSH: authentication, unknown and changed host key, unreachable, missing helper', () => {
    const auth = classifyVirshFailure('error: failed to connect to the hypervisor\nerror: Cannot recv data: alumno@servidor.example: Permission denied (publickey,password).: Connection reset by peer', SSH);
    expect(auth.kind).to.equal('ssh-auth');
    expect(describeFailure(auth, SSH, 'en')).to.match(/ssh-copy-id alumno@servidor\.example/);
    expect(
      classifyVirshFailure('error: failed to connect to the hypervisor\nerror: Cannot recv data: No ED25519 host key is known for servidor.example and you have requested strict checking.\r\nHost key verification failed.: Connection reset by peer', SSH).kind,
    ).to.equal('ssh-hostkey-unknown');
    expect(
      classifyVirshFailure('error: Cannot recv data: @@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.', SSH).kind,
    ).to.equal('ssh-hostkey-changed');
    expect(classifyVirshFailure('error: failed to connect to the hypervisor\nerror: Cannot recv data: ssh: Could not resolve hostname servidor.example: Name or service not known: Connection reset by peer', SSH).kind).to.equal('ssh-unreachable');
    expect(classifyVirshFailure('error: Cannot recv data: ssh: connect to host servidor.example port 22: Connection refused: Connection reset by peer', SSH).kind).to.equal('ssh-unreachable');
    expect(classifyVirshFailure('error: Cannot recv data: sh: 1: virt-ssh-helper: not found\nsh: 1: nc: not found: Connection reset by peer', SSH).kind).to.equal('ssh-remote-helper');
    expect(classifyVirshFailure('error: failed to connect to the hypervisor\nerror: End of file while reading data: Input/output error', SSH).kind).to.equal('ssh-failed');
  });

  it('remote socket missing behind SSH is still "socket missing"', () => {
    const c = classifyVirshFailure("error: failed to connect to the hypervisor\nerror: Cannot recv data: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory: Connection reset by peer", SSH);
    expect(c.kind).to.equal('socket-missing');
  });

  it('objects and agent', () => {
    expect(classifyVirshFailure("error: failed to get network 'red-nat'\nerror: Network not found: no network with matching name 'red-nat'", LOCAL).kind).to.equal('network-not-found');
    expect(classifyVirshFailure("error: failed to get domain 'win10'\nerror: Domain not found: no domain with matching name 'win10'", LOCAL).kind).to.equal('domain-not-found');
    expect(classifyVirshFailure('error: Guest agent is not responding: QEMU guest agent is not connected', LOCAL).kind).to.equal('agent-not-connected');
    expect(classifyVirshFailure('error: argument unsupported: QEMU guest agent is not configured', LOCAL).kind).to.equal('agent-missing');
    expect(classifyVirshFailure('error: Requested operation is not valid: domain is not running', LOCAL).kind).to.equal('domain-not-running');
    expect(classifyVirshFailure('error: something else entirely', LOCAL)).to.deep.equal({ kind: 'failed', detail: 'something else entirely' });
  });
});

describe('libvirt URIs', () => {
  it('parses local and ssh URIs', () => {
    expect(parseUri('qemu:///system')).to.include({ driver: 'qemu', transport: null, host: null, path: '/system' });
    const u = parseUri('qemu+ssh://root@labhost:2222/system?keyfile=/k&no_tty=1')!;
    expect(u).to.include({ driver: 'qemu', transport: 'ssh', user: 'root', host: 'labhost', port: 2222, path: '/system' });
    expect(u.params.get('keyfile')).to.equal('/k');
    expect(isSshUri('qemu+ssh://h/system')).to.equal(true);
    expect(isRemoteUri('qemu:///system')).to.equal(false);
    expect(isRemoteUri('qemu+ssh://h/system')).to.equal(true);
  });
  it('adds BatchMode (no_tty) and a key file to ssh URIs only, never twice', () => {
    expect(withSshDefaults('qemu:///system', { keyFile: '/k' })).to.equal('qemu:///system');
    expect(withSshDefaults('qemu+ssh://u@h/system')).to.equal('qemu+ssh://u@h/system?no_tty=1');
    expect(withSshDefaults('qemu+ssh://u@h/system?no_tty=0', { keyFile: '/home/u/.ssh/id ed' })).to.equal('qemu+ssh://u@h/system?no_tty=0&keyfile=/home/u/.ssh/id%20ed');
  });
});
