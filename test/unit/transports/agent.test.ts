import { expect } from 'chai';
import { AgentConnection } from '../../../grader/transports/agent.js';
import { TransportError } from '../../../grader/types.js';
import { FakeAgent } from './fake-agent.js';

describe('transports/agent (against a fake qemu-ga behind virsh)', function () {
  this.timeout(20000);

  it('runs a script with data-only arguments and decodes stdout, stderr and the exit code', async () => {
    const fake = new FakeAgent();
    const conn = await AgentConnection.open({ domain: 'debian12', virsh: fake, os: 'linux' });
    const args = ["it's", '$(id)', 'a b', '1.1.1.1; reboot', 'ñandú ✓'];
    const r = await conn.runScript('for a in "$@"; do printf "[%s]" "$a"; done; echo; echo "$LC_ALL" >&2; exit 4', args);
    expect(r.exitCode).to.equal(4);
    expect(r.stdout).to.equal(`${args.map((a) => `[${a}]`).join('')}\n`);
    expect(r.stderr).to.equal('C\n');
    expect(r.truncated).to.equal(false);
    // Every virsh call is an argument vector whose JSON came from JSON.stringify.
    const exec = fake.calls.find((c) => c.includes('--cmd') && c[c.indexOf('--cmd') + 1]!.includes('guest-exec"'));
    expect(exec?.slice(0, 3)).to.deep.equal(['qemu-agent-command', '--domain', 'debian12']);
    const body = JSON.parse(exec![exec!.indexOf('--cmd') + 1]!);
    expect(body.arguments.path).to.equal('/bin/sh');
    expect(body.arguments['capture-output']).to.equal(true);
  });

  it('waits for the agent to connect after boot, with a bound', async () => {
    const fake = new FakeAgent();
    fake.notConnectedPings = 2;
    const conn = await AgentConnection.open({ domain: 'd', virsh: fake, os: 'linux', waitForAgentMs: 5000 });
    expect(conn.target).to.equal('agent d');
    const never = new FakeAgent();
    never.notConnectedPings = 1000;
    try {
      await AgentConnection.open({ domain: 'd', virsh: never, os: 'linux', waitForAgentMs: 600 });
      expect.fail('should not connect');
    } catch (e) {
      expect((e as TransportError).code).to.equal('agent-not-connected');
      expect((e as Error).message).to.include('qemu-guest-agent');
    }
  });

  it('keeps the codes of a domain that is not running or has no channel', async () => {
    const off = new FakeAgent();
    off.state = 'shut off';
    try {
      await AgentConnection.open({ domain: 'd', virsh: off, os: 'linux' });
      expect.fail('should fail');
    } catch (e) {
      expect((e as TransportError).code).to.equal('domain-not-running');
    }
    const nochan = new FakeAgent();
    nochan.channel = false;
    try {
      await AgentConnection.open({ domain: 'd', virsh: nochan, os: 'linux' });
      expect.fail('should fail');
    } catch (e) {
      expect((e as TransportError).code).to.equal('agent-missing');
    }
  });

  it("flags qemu-ga's out-truncated and applies our own cap", async () => {
    const fake = new FakeAgent();
    fake.streamCap = 50_000;
    const conn = await AgentConnection.open({ domain: 'd', virsh: fake, os: 'linux' });
    const r = await conn.runScript('head -c 200000 /dev/zero | tr "\\0" y', []);
    expect(r.truncated).to.equal(true);
    expect(r.stdout.length).to.equal(50_000);
    const r2 = await conn.runScript('head -c 20000 /dev/zero | tr "\\0" z', [], { maxOutputBytes: 1000 });
    expect(r2.truncated).to.equal(true);
    expect(r2.stdout).to.equal('z'.repeat(1000));
  });

  it('stops polling at the deadline, and the guest-side watchdog kills the script', async () => {
    const fake = new FakeAgent();
    const conn = await AgentConnection.open({ domain: 'd', virsh: fake, os: 'linux' });
    const r = await conn.runScript('sleep 30', [], { timeoutMs: 800 });
    expect(r.timedOut).to.equal(true);
    expect(r.exitCode).to.equal(null);
    // the watchdog (1 s) killed the script: its status reports a kill, soon
    await new Promise((res) => setTimeout(res, 1800));
    const pid = JSON.parse(
      fake.calls.filter((c) => c.join(' ').includes('guest-exec-status')).at(-1)![6]!,
    ).arguments.pid as number;
    const st = JSON.parse(await fake.run(['qemu-agent-command', '--domain', 'd', '--timeout', '5', '--cmd', JSON.stringify({ execute: 'guest-exec-status', arguments: { pid } })]));
    expect(st.return.exited).to.equal(true);
    expect(st.return.exitcode).to.equal(137);
  });

  it('bounds a guest that never reports the end', async () => {
    const fake = new FakeAgent();
    fake.neverExit = true;
    const conn = await AgentConnection.open({ domain: 'd', virsh: fake, os: 'linux' });
    const r = await conn.runScript('true', [], { timeoutMs: 400 });
    expect(r.timedOut).to.equal(true);
  });

  it('reads guest-network-get-interfaces', async () => {
    const fake = new FakeAgent();
    fake.interfaces = [
      { name: 'lo', 'hardware-address': '00:00:00:00:00:00', 'ip-addresses': [{ 'ip-address-type': 'ipv4', 'ip-address': '127.0.0.1', prefix: 8 }] },
      {
        name: 'enp1s0',
        'hardware-address': '52:54:00:22:FA:B7',
        'ip-addresses': [
          { 'ip-address-type': 'ipv4', 'ip-address': '192.168.101.218', prefix: 24 },
          { 'ip-address-type': 'ipv6', 'ip-address': 'fe80::5054:ff:fe22:fab7', prefix: 64 },
        ],
      },
    ];
    const conn = await AgentConnection.open({ domain: 'd', virsh: fake, os: 'linux' });
    const ifs = await conn.networkInterfaces();
    expect(ifs[1]).to.deep.equal({
      name: 'enp1s0',
      mac: '52:54:00:22:fa:b7',
      addresses: [
        { family: 'ipv4', address: '192.168.101.218', prefix: 24 },
        { family: 'ipv6', address: 'fe80::5054:ff:fe22:fab7', prefix: 64 },
      ],
    });
  });

  it('runs Windows scripts as powershell.exe -EncodedCommand', async () => {
    const fake = new FakeAgent();
    const conn = await AgentConnection.open({ domain: 'win10', virsh: fake, os: 'windows' });
    // The fake cannot run powershell.exe: the exec fails, but the request is what we check.
    await conn.runScript('$args[0]', ['x']).catch(() => undefined);
    const exec = fake.calls.find((c) => c.join(' ').includes('"guest-exec"'))!;
    const body = JSON.parse(exec[exec.indexOf('--cmd') + 1]!);
    expect(body.arguments.path).to.match(/powershell\.exe$/i);
    expect(body.arguments.arg).to.include('-EncodedCommand');
    expect(body.arguments.arg).to.include('-NonInteractive');
  });
});
