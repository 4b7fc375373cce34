// The Windows survey: configuration, lookup and pings in ONE PowerShell per guest (like Linux).
// On a real Windows every call starts a powershell.exe, so the number of calls is counted here on
// the recorded guest's outputs (test/fixtures/probes/windows/), end to end over labgrade's WinRM
// client and the engine: one per guest per run. A part cut off or unreadable is "could not
// measure" for that part only, never a "no".
import { expect } from 'chai';
import type { CommandResult, SurveyRequest } from '../../../grader/types.js';
import { windowsProber, WINDOWS_SURVEY_SCRIPT } from '../../../grader/probes/windows.js';
import { identityCheck } from '../../../grader/probes/identity.js';
import { verifyIdentity } from '../../../grader/transports/open.js';
import { connectWinRm } from '../../../grader/transports/winrm/index.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { startWsmanServer, type WsmanServer, type PowerShellRequest } from '../../helpers/wsman-server/index.js';
import { registerWindowsProbeFixtures, windowsSurveyOutput } from '../../fixtures/probes/windows/register.js';
import { answersFile, courseSpec, fakeDeps, labFile, MAC, referenceAnswers, referenceGuests, snapshot } from '../../fixtures/engine/world.js';

const REQ: SurveyRequest = { name: 'www.labgrade.test', targets: ['198.51.100.10', '192.168.101.1', '192.168.101.218'], timeoutMs: 1000 };
const res = (stdout: string, o: Partial<CommandResult> = {}): CommandResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 5, truncated: false, timedOut: false, ...o });
const survey = windowsProber.survey!;
const WIN_MAC = '52:54:00:22:fa:b7';

describe('probes/windows survey: one PowerShell per guest', function () {
  this.timeout(60_000);

  it('plans one script that carries the name, the bound and the targets as data', () => {
    const plan = survey.plan(REQ);
    expect(plan.script).to.equal(WINDOWS_SURVEY_SCRIPT);
    expect(plan.args).to.deep.equal(['www.labgrade.test', '1000', ...REQ.targets]);
    expect(() => survey.plan({ ...REQ, targets: ['1.1.1.1; Remove-Item x'] })).to.throw();
  });

  it('reads the recorded guest: the same facts as the separate config, reach and resolve scripts', () => {
    const f = survey.read(res(windowsSurveyOutput(REQ.name, REQ.targets)), REQ, 'winrm alumno@192.168.101.219');
    expect([f.config.interfaces.ok, f.config.gateway.ok, f.config.dns.ok]).to.deep.equal([true, true, true]);
    expect(f.config.interfaces.ok && f.config.interfaces.value[0]).to.deep.include({ name: 'Instancia de Ethernet 0', mac: WIN_MAC, dhcpEnabled: true });
    expect(f.config.gateway.ok && f.config.gateway.value).to.equal('192.168.101.1');
    expect(f.config.dns.ok && f.config.dns.value.servers).to.deep.equal(['192.168.101.1']);
    expect(f.reach.map((r) => [r.target, r.ok && r.value.status])).to.deep.equal([
      ['198.51.100.10', 'replied'],
      ['192.168.101.1', 'replied'],
      ['192.168.101.218', 'filtered'],
    ]);
    expect(f.reach[2]!.command).to.equal('Ping.SendPingAsync(192.168.101.218, 1000 ms)');
    expect(f.resolve.ok && f.resolve.value).to.deep.include({ status: 'resolved', addresses: ['198.51.100.10'] });
    expect(f.resolve.tool).to.equal('Resolve-DnsName');
    // Its parts are cited apart, each with its own label and output.
    expect(survey.parts!(res(windowsSurveyOutput(REQ.name, REQ.targets)), REQ).map((p) => p.key)).to.deep.equal(['config', 'lookup', 'reach']);
  });

  it('cut off after the configuration: the configuration is measured; the pings and the lookup are "could not measure" (cut-off), never a "no"', () => {
    const f = survey.read(res(windowsSurveyOutput(REQ.name, REQ.targets, { cutAfter: 'config' }), { exitCode: null, timedOut: true }), REQ, 'g');
    expect([f.config.interfaces.ok, f.config.gateway.ok, f.config.dns.ok]).to.deep.equal([true, true, true]);
    expect(f.config.gateway.ok && f.config.gateway.value).to.equal('192.168.101.1');
    for (const r of f.reach) {
      expect(r.ok).to.equal(false);
      expect(!r.ok && r.error.cause).to.equal('cut-off');
    }
    expect(!f.resolve.ok && f.resolve.error.cause).to.equal('cut-off');
  });

  it('cut off after the pings: the pings count; only the lookup is not measured', () => {
    const f = survey.read(res(windowsSurveyOutput(REQ.name, REQ.targets, { cutAfter: 'reach' }), { exitCode: null, timedOut: true }), REQ, 'g');
    expect(f.reach.map((r) => r.ok && r.value.status)).to.deep.equal(['replied', 'replied', 'filtered']);
    expect(!f.resolve.ok && f.resolve.error.cause).to.equal('cut-off');
  });

  it('an unreadable configuration part is "could not measure" (unparseable) for the configuration alone', () => {
    const out = windowsSurveyOutput(REQ.name, REQ.targets).replace(/@@LG-PART-BEGIN config\r\n[^\r]*\r\n/, '@@LG-PART-BEGIN config\r\nnot json\r\n');
    const f = survey.read(res(out), REQ, 'g');
    expect(!f.config.interfaces.ok && f.config.interfaces.error.cause).to.equal('unparseable');
    expect(!f.config.gateway.ok && f.config.gateway.error.cause).to.equal('unparseable');
    expect(f.resolve.ok && f.resolve.value.status).to.equal('resolved');
    expect(f.reach[0]!.ok && f.reach[0]!.value.status).to.equal('replied');
  });

  it('PowerShell itself missing or denied: every part is "could not measure" with that cause', () => {
    const missing = survey.read(res('', { exitCode: 1, stderr: "powershell : The term 'powershell' is not recognized as the name of a cmdlet" }), REQ, 'g');
    expect(!missing.config.interfaces.ok && missing.config.interfaces.error.cause).to.equal('tool-missing');
    expect(!missing.resolve.ok && missing.resolve.error.cause).to.equal('tool-missing');
    expect(missing.reach.every((r) => !r.ok && r.error.cause === 'tool-missing')).to.equal(true);
    const denied = survey.read(res('', { exitCode: 1, stderr: 'Access is denied.' }), REQ, 'g');
    expect(!denied.config.dns.ok && denied.config.dns.error.cause).to.equal('permission-denied');
    expect(!denied.resolve.ok && denied.resolve.error.cause).to.equal('permission-denied');
  });

  it('the identity check reads the survey: it runs as the check and its result comes back', () => {
    const check = identityCheck('windows', survey.plan(REQ));
    expect(check.handsBack).to.equal(true);
    const m = check.read(res(windowsSurveyOutput(REQ.name, REQ.targets)), 'g');
    expect(m.ok && m.value).to.deep.include({ address: '192.168.101.219', mac: WIN_MAC });
  });

  describe('a run on the recorded Windows guest, over WinRM', () => {
    let server: WsmanServer;
    let seen: PowerShellRequest[];
    before(async () => {
      server = await startWsmanServer({ accounts: [{ user: 'alumno', password: 'Contraseña-1' }] });
      seen = registerWindowsProbeFixtures(server);
    });
    after(async () => {
      await server.close();
    });

    for (const how of ['as the identity check (address found by discovery)', 'after connecting (address given in the lab file)'] as const) {
      it(`one PowerShell invocation for the Windows guest in a whole run, ${how}`, async () => {
        const guests = referenceGuests('nat');
        guests.linux.config.interfaces[0]!.ipv4 = [{ address: '192.168.101.218', prefix: 24, origin: 'dhcp', validLifetimeSec: 3000 }];
        const snap = snapshot({ linux: 'red-nat', windows: 'red-nat' }, [
          { network: 'red-nat', mac: MAC.linux, address: '192.168.101.218', prefix: 24 },
          { network: 'red-nat', mac: WIN_MAC, address: '192.168.101.219', prefix: 24 },
        ]);
        const win = snap.domains.find((d) => d.name === 'win10')!;
        win.interfaces[0]!.mac = WIN_MAC;
        const lab = labFile();
        lab.vms.windows!.os = 'windows';
        const { deps } = fakeDeps(snap, guests);
        const linux = deps.proberFor('linux');
        deps.proberFor = (os) => (os === 'windows' ? windowsProber : linux);
        const base = deps.openGuest;
        const commandsBefore = server.stats.commands;
        seen.length = 0;
        const conns: { close(): Promise<void> }[] = [];
        deps.openGuest = async (vm, ctx) => {
          if (vm.role !== 'windows') return base(vm, ctx);
          const conn = await connectWinRm({ host: '127.0.0.1', port: server.port, scheme: 'http', user: 'alumno', password: 'Contraseña-1', auth: 'ntlm' });
          conns.push(conn);
          const trail = [{ method: 'winrm', outcome: 'used' as const, reason: null, detail: 'test' }];
          if (how.startsWith('after')) return { conn, trail };
          // What openGuest does for a discovered address: the engine's identity check, which is the survey.
          const id = await verifyIdentity(conn, identityCheck(ctx.os, ctx.firstScript), [WIN_MAC], '192.168.101.219');
          expect(id.verdict).to.equal('match');
          return { conn, trail, ...(id.first ? { first: id.first } : {}) };
        };
        try {
          const r = await gradeStudent({ spec: courseSpec(), lab, answers: answersFile({ nat: referenceAnswers('nat') }), task: 'nat', lang: 'en', deps });
          const winVerdicts = r.tasks[0]!.questions.filter((v) => v.role === 'windows');
          expect(winVerdicts.find((v) => v.question === 'outside')!.outcome).to.equal('pass');
          expect(winVerdicts.find((v) => v.question === 'dns')!.outcome).to.equal('pass');
          expect(winVerdicts.find((v) => v.question === 'vm_to_vm')!.observed).to.match(/firewall|cortafuegos|filtered/i);
          // Each question cites the part of the survey that measured its fact, by id.
          const dns = winVerdicts.find((v) => v.question === 'dns')!;
          expect(dns.evidence.map((e) => e.command)).to.deep.equal([`Resolve-DnsName www.labgrade.test -Type A -DnsOnly -QuickTimeout (bounded 500 ms)`]);
          expect(dns.evidence[0]!.stdout).to.include('198.51.100.10');
        } finally {
          await Promise.all(conns.map((c) => c.close()));
        }
        expect(seen.map((s) => s.body.trim() === WINDOWS_SURVEY_SCRIPT.trim())).to.deep.equal([true]);
        expect(server.stats.commands - commandsBefore, 'PowerShell invocations for the Windows guest').to.equal(1);
      });
    }
  });
});
