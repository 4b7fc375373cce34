import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInspect } from '../../../grader/cli/commands/inspect.js';
import { LibvirtError } from '../../../grader/libvirt/virsh.js';
import { InputError } from '../../../grader/types.js';

const fxDir = fileURLToPath(new URL('../../fixtures/libvirt/', import.meta.url));

/** Runs `labgrade inspect` in-process with the fake virsh first on PATH; captures stdout. */
async function inspectCli(args: Parameters<typeof runInspect>[0], host: string, lang: 'es' | 'en' = 'en'): Promise<{ code: number; out: string }> {
  const saved = { PATH: process.env.PATH, FAKE_VIRSH_HOST: process.env.FAKE_VIRSH_HOST };
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.env.PATH = `${binDir}:${process.env.PATH}`;
  process.env.FAKE_VIRSH_HOST = host;
  (process.stdout as { write: unknown }).write = (s: string | Uint8Array) => {
    out += String(s);
    return true;
  };
  try {
    const code = await runInspect(args, { lang });
    return { code, out };
  } finally {
    (process.stdout as { write: unknown }).write = write;
    process.env.PATH = saved.PATH;
    if (saved.FAKE_VIRSH_HOST === undefined) delete process.env.FAKE_VIRSH_HOST;
    else process.env.FAKE_VIRSH_HOST = saved.FAKE_VIRSH_HOST;
  }
}

let tmp: string;
let binDir: string;

describe('labgrade inspect (fake virsh on PATH)', function () {
  this.timeout(60_000);
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'lg-inspect-cli-'));
    binDir = join(tmp, 'bin');
    mkdirSync(binDir);
    symlinkSync(join(fxDir, 'fake-virsh.mjs'), join(binDir, 'virsh'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('text: networks, VMs with NICs and agent, leases with stale ones explained, lab mapping; exit 1 on problems', async () => {
    const lab = join(tmp, 'lab.yaml');
    writeFileSync(lab, 'networks: { nat: red-nat, isolated: red_aislada }\nvms:\n  linux: { domain: debian12, access: [agent] }\n  windows: { domain: win-10, access: [agent] }\n');
    const { code, out } = await inspectCli({ lab, format: 'text' }, join(fxDir, 'host-course.json'));
    expect(code).to.equal(1);
    expect(out).to.match(/^libvirt host qemu:\/\/\/system \(read /);
    expect(out).to.match(/\n {2}red-nat +NAT +active, autostart +bridge virbr1 +host 192\.168\.101\.1\/24 +DHCP 192\.168\.101\.128-192\.168\.101\.254 +\[lab: nat\]\n/);
    expect(out).to.match(/\n {2}red-muy-aislada +very isolated +inactive +bridge virbr3 +no host address +no DHCP\n/);
    expect(out).to.match(/\n {2}debian12 {2}running {2}agent connected {2}\[lab: linux\]\n {4}52:54:00:22:fa:b7 {2}network red-nat {2}virtio, vnet2 {2}lease 192\.168\.101\.218\/24\n/);
    expect(out).to.match(/\n {4}52:54:00:9c:41:e0 {2}network red-nat \(bridge virbr1\)/);
    expect(out).to.match(/red-nat +192\.168\.101\.140\/24 +52:54:00:01:00:02 +- +expires 2024-11-05 09:12:55Z +STALE: router_vm is no longer on this network \(now: red-aislada\); not its address/);
    expect(out).to.match(/network isolated -> red_aislada: MISSING\. Did you mean red-aislada, red-muy-aislada\?/);
    expect(out).to.match(/VM windows -> win-10: MISSING\. Did you mean win10\?/);
    expect(out).to.match(/VM linux -> debian12: exists, attached to red-nat/);
    expect(out).to.match(/\n  ghost  \(not read, see Problems\)\n/);
    expect(out).to.match(/Problems \(3\)/);
  });

  it('json: the HostSnapshot itself, in Spanish problems with --lang es', async () => {
    const { out } = await inspectCli({ uri: 'qemu:///system', format: 'json', agent: false }, join(fxDir, 'host-course.json'), 'es');
    const snap = JSON.parse(out);
    expect(snap.uri).to.equal('qemu:///system');
    expect(snap.networks.map((n: { name: string }) => n.name)).to.include('red-nat');
    expect(snap.domains.find((d: { name: string }) => d.name === 'debian12').agentConnected).to.equal(null);
    expect(snap.problems.join('\n')).to.match(/red broken: no se pudo leer su definición/);
  });

  it('exit 0 when everything is read and named', async () => {
    const host = join(tmp, 'clean.json');
    writeFileSync(host, JSON.stringify({
      networks: { 'red-nat': { xml: join(fxDir, 'net-red-nat.xml'), active: true, autostart: true } },
      domains: { debian12: { xml: join(fxDir, 'dom-debian12-running.xml'), state: 'running', agent: true } },
      leases: { 'red-nat': join(fxDir, 'leases-red-nat.txt') },
    }));
    const { code, out } = await inspectCli({ uri: 'qemu:///system' }, host);
    expect(code).to.equal(0);
    expect(out).to.match(/192\.168\.101\.130\/24 +52:54:00:9c:41:e0 +DESKTOP-7QK2M3B +expires 2024-11-05 10:44:02Z +STALE: no VM has this MAC any more/);
  });

  it('polkit not running ("Authorization not available", exit 0): a warning, not a permission problem; failures keep their own cause', async () => {
    const host = join(tmp, 'polkit.json');
    writeFileSync(host, JSON.stringify({
      polkitWarning: true,
      networks: { 'red-nat': { xml: join(fxDir, 'net-red-nat.xml'), active: true, autostart: true } },
      // No agent: virsh says "not connected" after the warning; that was read as "no permission".
      domains: { debian12: { xml: join(fxDir, 'dom-debian12-running.xml'), state: 'running', agent: false } },
      leases: { 'red-nat': join(fxDir, 'leases-red-nat.txt') },
    }));
    const { code, out } = await inspectCli({ uri: 'qemu:///system', format: 'json' }, host);
    expect(code).to.equal(0);
    const snap = JSON.parse(out);
    expect(snap.domains.map((d: { name: string }) => d.name)).to.deep.equal(['debian12']);
    expect(snap.domains[0].agentConnected).to.equal(false);
    expect(out).not.to.match(/libvirt group|Authorization/);
    // A real connection failure after the warning is classified by itself (daemon down), as root too.
    writeFileSync(host, JSON.stringify({
      polkitWarning: true,
      connect: { stderr: "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Connection refused" },
    }));
    let e: unknown;
    try {
      await inspectCli({ uri: 'qemu:///system' }, host);
    } catch (x) {
      e = x;
    }
    expect((e as LibvirtError).kind).to.equal('daemon-down');
    expect((e as Error).message).not.to.match(/libvirt group/);
  });

  it('bad format is a usage error; unreachable libvirt is a LibvirtError', async () => {
    let e1: unknown;
    try {
      await runInspect({ format: 'xml' }, { lang: 'en' });
    } catch (e) {
      e1 = e;
    }
    expect(e1).to.be.instanceOf(InputError);
    const host = join(tmp, 'perm.json');
    writeFileSync(host, JSON.stringify({ connect: { stderr: "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Connection refused" } }));
    let e2: unknown;
    try {
      await inspectCli({ uri: 'qemu:///system' }, host);
    } catch (e) {
      e2 = e;
    }
    // By name: this file's static imports and runInspect's dynamic ones can be two module
    // instances under mocha + tsx (CommonJS and ESM copies of virsh.ts), so instanceof may not hold.
    expect((e2 as Error).name).to.equal('LibvirtError');
    expect((e2 as LibvirtError).kind).to.equal('daemon-down');
  });
});

