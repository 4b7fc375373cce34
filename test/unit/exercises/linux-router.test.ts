// The linux-router prober's parsers: sysctl files in boot order, iptables-save and nft rulesets,
// and the rule that a failed measurement is never a fact (recorded outputs in fixtures/exercises).
import { expect } from 'chai';
import { parseIptablesNat, parseNftNat, parseNat, parseSysctl, sysctlAssignments, sysctlOrder, linuxRouterFacts } from '../../../grader/probes/linux/router.js';
import { extraFacts } from '../../../grader/probes/extra.js';
import { splitSections } from '../../../grader/probes/measurement.js';
import type { CommandEvidence, CommandResult, Connection } from '../../../grader/types.js';
import { fx } from '../../fixtures/exercises/world.js';

function conn(stdout: string, seen: string[][] = []): Connection {
  return {
    kind: 'ssh',
    target: 'ssh root@192.168.101.218:22',
    async runScript(_s: string, args: string[]): Promise<CommandResult> {
      seen.push(args);
      return { exitCode: 0, stdout, stderr: '', durationMs: 3, truncated: false, timedOut: false };
    },
    async close() {},
  };
}

describe('linux-router prober', () => {
  it('orders sysctl files as sysctl.d(5): by name, /etc masking /usr/lib, /etc/sysctl.conf last', () => {
    expect(sysctlOrder(['/usr/lib/sysctl.d/50-pid-max.conf', '/etc/sysctl.conf', '/etc/sysctl.d/50-pid-max.conf', '/lib/sysctl.d/99-x.conf', '/etc/sysctl.d/10-a.conf'])).to.deep.equal([
      '/etc/sysctl.d/10-a.conf',
      '/etc/sysctl.d/50-pid-max.conf',
      '/lib/sysctl.d/99-x.conf',
      '/etc/sysctl.conf',
    ]);
    expect(sysctlAssignments('/f', '# net.ipv4.ip_forward=1\n;net.ipv4.ip_forward=1\n -net/ipv4/ip_forward = 0 \nnet.ipv4.ip_forward=1\n', 'net.ipv4.ip_forward')).to.deep.equal([
      { file: '/f', line: 3, value: '0' },
      { file: '/f', line: 4, value: '1' },
    ]);
  });

  it('reads the recorded outputs: persisted or not, rule on which interface, saved or not', async () => {
    const ev: CommandEvidence[] = [];
    const seen: string[][] = [];
    const ok = await linuxRouterFacts(conn(fx('router-ok.txt'), seen), [{ kind: 'sysctl', key: 'net.ipv4.ip_forward' }, { kind: 'nat', savedFiles: ['/etc/iptables/rules.v4'] }], ev);
    expect(seen[0]).to.deep.equal(['1', 'net.ipv4.ip_forward', '1', '/etc/iptables/rules.v4']);
    expect(ok.sysctl!['net.ipv4.ip_forward']).to.deep.equal({
      evidence: ev[0]!.id,
      key: 'net.ipv4.ip_forward',
      live: { ok: true, value: '1' },
      persisted: { ok: true, value: [{ file: '/etc/sysctl.d/99-sysctl.conf -> /etc/sysctl.conf', line: 3, value: '1' }] },
    });
    // Debian 13: no 99-sysctl.conf link, systemd-sysctl reads sysctl.d only: /etc/sysctl.conf is not persistence.
    const d13 = await linuxRouterFacts(conn(fx('router-sysctl-conf-unread.txt')), [{ kind: 'sysctl', key: 'net.ipv4.ip_forward' }], []);
    expect(d13.sysctl!['net.ipv4.ip_forward']).to.deep.include({ persisted: { ok: true, value: [] }, ignored: [{ file: '/etc/sysctl.conf', line: 3, value: '1' }] });
    expect(ok.nat!.live).to.deep.equal({ ok: true, value: [{ outInterface: 'enp7s0', source: '172.22.0.0/16', action: 'masquerade', text: '-A POSTROUTING -s 172.22.0.0/16 -o enp7s0 -j MASQUERADE' }] });
    expect(ev[0]!.command).to.include('iptables-save -t nat');
    const np = await linuxRouterFacts(conn(fx('router-not-persistent.txt')), [{ kind: 'sysctl', key: 'net.ipv4.ip_forward' }], []);
    expect(np.sysctl!['net.ipv4.ip_forward']!.persisted).to.deep.equal({ ok: true, value: [] });
    const ns = await linuxRouterFacts(conn(fx('router-not-saved.txt')), [{ kind: 'nat', savedFiles: ['/etc/iptables/rules.v4'] }], []);
    expect(ns.nat!.saved).to.deep.equal({ ok: true, value: [{ file: '/etc/iptables/rules.v4', rules: null }] });
  });

  it('not root: the running rules are a permission-denied MeasurementError in the guest\'s words, never an empty ruleset', () => {
    const nat = parseNat(splitSections(fx('router-not-root.txt')), ['/etc/iptables/rules.v4'], 'ssh alumno@192.168.101.218:22');
    expect(nat.live).to.deep.equal({
      ok: false,
      error: {
        command: 'iptables-save -t nat',
        guest: 'ssh alumno@192.168.101.218:22',
        tool: 'iptables-save',
        cause: 'permission-denied',
        detail: 'iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)',
        exitCode: 4,
      },
    });
    // The saved file is readable by anyone: still measured.
    expect(nat.saved.ok).to.equal(true);
  });

  it('no iptables-save nor nft: tool-missing, naming both tools', () => {
    const out = '@@LG-BEGIN who\n0\n\n@@LG-END who 0\n@@LG-BEGIN ipt\n\n@@LG-END ipt 127\n@@LG-BEGIN nft\n\n@@LG-END nft 127\n@@LG-BEGIN saved\n@@MISSING /etc/iptables/rules.v4\n\n@@LG-END saved 0';
    const nat = parseNat(splitSections(out), ['/etc/iptables/rules.v4']);
    expect(nat.live.ok).to.equal(false);
    if (nat.live.ok) return;
    expect(nat.live.error).to.deep.include({ cause: 'tool-missing', tool: 'iptables-save', command: 'iptables-save -t nat; nft list ruleset', guest: 'guest', exitCode: 127 });
    expect(nat.live.error.detail).to.include('iptables-save').and.include('nft');
  });

  it('root, but iptables-save fails: failed with the exit code and the guest\'s first line', () => {
    const out = '@@LG-BEGIN who\n0\n\n@@LG-END who 0\n@@LG-BEGIN ipt\niptables-save: unable to initialize table \'nat\'\nmore\n\n@@LG-END ipt 1\n@@LG-BEGIN nft\n\n@@LG-END nft 127\n';
    const nat = parseNat(splitSections(out), ['/etc/iptables/rules.v4']);
    expect(nat.live).to.deep.equal({ ok: false, error: { command: 'iptables-save -t nat', guest: 'guest', tool: 'iptables-save', cause: 'failed', detail: "iptables-save: unable to initialize table 'nat'", exitCode: 1 } });
    // The script was cut off before reading the saved files.
    expect(nat.saved).to.deep.equal({ ok: false, error: { command: 'cat /etc/iptables/rules.v4', guest: 'guest', tool: 'cat', cause: 'cut-off', detail: '', exitCode: null } });
  });

  it('an unreadable saved file is permission-denied naming it', () => {
    const out = '@@LG-BEGIN who\n0\n\n@@LG-END who 0\n@@LG-BEGIN ipt\n\n@@LG-END ipt 0\n@@LG-BEGIN saved\n@@UNREADABLE /etc/nftables.conf\n@@MISSING /etc/iptables/rules.v4\n\n@@LG-END saved 0';
    const nat = parseNat(splitSections(out), ['/etc/iptables/rules.v4', '/etc/nftables.conf']);
    expect(nat.live).to.deep.equal({ ok: true, value: [] });
    expect(nat.saved).to.deep.equal({ ok: false, error: { command: 'cat /etc/nftables.conf', guest: 'guest', tool: 'cat', cause: 'permission-denied', detail: '/etc/nftables.conf', exitCode: null } });
  });

  it('a missing /proc/sys entry, an empty value or an unreadable sysctl file is not a value', () => {
    expect(parseSysctl('net.ipv4.nope', { body: '', rc: 2 }, { body: '', rc: 0 }).live).to.deep.equal({
      ok: false,
      error: { command: 'cat /proc/sys/net/ipv4/nope', guest: 'guest', tool: 'cat', cause: 'failed', detail: '/proc/sys/net/ipv4/nope: No such file or directory', exitCode: 2 },
    });
    const empty = parseSysctl('net.ipv4.ip_forward', { body: '\n', rc: 0 }, { body: '', rc: 0 }, undefined, 'agent debian12');
    expect(empty.live).to.deep.equal({ ok: false, error: { command: 'cat /proc/sys/net/ipv4/ip_forward', guest: 'agent debian12', tool: 'cat', cause: 'unparseable', detail: '', exitCode: 0 } });
    const denied = parseSysctl('net.ipv4.route.flush', { body: 'cat: /proc/sys/net/ipv4/route/flush: Permission denied', rc: 1 }, undefined);
    expect(denied.live).to.deep.include({ ok: false });
    expect(!denied.live.ok && denied.live.error).to.deep.include({ cause: 'permission-denied', exitCode: 1, detail: 'cat: /proc/sys/net/ipv4/route/flush: Permission denied' });
    // The script never got to the sysctl files.
    expect(!denied.persisted.ok && denied.persisted.error).to.deep.include({ cause: 'cut-off', tool: 'cat', exitCode: null });
    const p = parseSysctl('net.ipv4.ip_forward', { body: '1\n', rc: 0 }, { body: '@@UNREADABLE /etc/sysctl.d/99-secret.conf\n@@FILE /etc/sysctl.conf\nnet.ipv4.ip_forward=1\n', rc: 0 });
    expect(p.live).to.deep.equal({ ok: true, value: '1' });
    expect(p.persisted).to.deep.equal({
      ok: false,
      error: { command: 'cat /etc/sysctl.d/99-secret.conf', guest: 'guest', tool: 'cat', cause: 'permission-denied', detail: '/etc/sysctl.d/99-secret.conf', exitCode: null },
    });
  });

  it('a script cut off before a section: cut-off on the connection\'s guest, never a fact', async () => {
    const facts = await linuxRouterFacts(conn('@@LG-BEGIN who\n0\n\n@@LG-END who 0\n@@LG-BEGIN live0\n'), [{ kind: 'sysctl', key: 'net.ipv4.ip_forward' }, { kind: 'nat', savedFiles: ['/etc/iptables/rules.v4'] }], []);
    const f = facts.sysctl!['net.ipv4.ip_forward']!;
    expect(f.live).to.deep.equal({ ok: false, error: { command: 'cat /proc/sys/net/ipv4/ip_forward', guest: 'ssh root@192.168.101.218:22', tool: 'cat', cause: 'cut-off', detail: '', exitCode: null } });
    expect(!f.persisted.ok && f.persisted.error.cause).to.equal('cut-off');
    expect(facts.nat!.live).to.deep.equal({ ok: false, error: { command: 'iptables-save -t nat', guest: 'ssh root@192.168.101.218:22', tool: 'iptables-save', cause: 'cut-off', detail: '', exitCode: null } });
    expect(!facts.nat!.saved.ok && facts.nat!.saved.error.cause).to.equal('cut-off');
  });

  it('a guest that is not Linux: every router fact is a MeasurementError, none run', async () => {
    const seen: string[][] = [];
    const facts = await extraFacts('windows', conn('', seen), [{ kind: 'sysctl', key: 'net.ipv4.ip_forward' }, { kind: 'nat', savedFiles: ['/etc/iptables/rules.v4'] }], []);
    expect(seen).to.deep.equal([]);
    const live = facts.sysctl!['net.ipv4.ip_forward']!.live;
    expect(!live.ok && live.error).to.deep.include({ command: 'cat /proc/sys/net/ipv4/ip_forward', guest: 'ssh root@192.168.101.218:22', cause: 'failed', exitCode: null });
    expect(!live.ok && live.error.detail).to.include('windows');
    expect(!facts.nat!.saved.ok && facts.nat!.saved.error).to.deep.include({ command: 'cat /etc/iptables/rules.v4', tool: 'cat', cause: 'failed' });
  });

  it('parses nft rulesets (iptables-nft or native) and iptables-save negations', () => {
    // Shape of `nft list ruleset` as nft(8) prints it.
    const nft = `table ip nat {
\tchain POSTROUTING {
\t\ttype nat hook postrouting priority srcnat; policy accept;
\t\tip saddr 172.22.0.0/16 oifname "enp7s0" counter packets 0 bytes 0 masquerade
\t\toifname != "lo" snat to 192.168.101.218
\t}
\tchain PREROUTING {
\t\ttype nat hook prerouting priority dstnat; policy accept;
\t\tiifname "enp7s0" masquerade
\t}
}`;
    expect(parseNftNat(nft).map(({ text: _t, ...r }) => r)).to.deep.equal([
      { outInterface: 'enp7s0', source: '172.22.0.0/16', action: 'masquerade' },
      { outInterface: '!lo', source: null, action: 'snat' },
    ]);
    expect(parseIptablesNat('*filter\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n*nat\n-A POSTROUTING ! -o enp1s0 -j MASQUERADE\n-A POSTROUTING -o enp7s0 -j SNAT --to-source 192.168.101.218\n-A PREROUTING -i enp7s0 -j DNAT --to 1.2.3.4\nCOMMIT').map(({ text: _t, ...r }) => r)).to.deep.equal([
      { outInterface: '!enp1s0', source: null, action: 'masquerade' },
      { outInterface: 'enp7s0', source: null, action: 'snat' },
    ]);
  });
});

describe('nat-masquerade rule matching', () => {
  it('accepts any-interface, prefix and negated forms that do translate the wanted traffic', async () => {
    const { ruleMatches } = await import('../../../checks/questions/nat-masquerade.js');
    const r = (outInterface: string | null, source: string | null) => ({ outInterface, source, action: 'masquerade' as const, text: '' });
    expect(ruleMatches(r('enp7s0', '172.22.0.0/16'), 'enp7s0', '172.22.0.0/16')).to.equal(true);
    expect(ruleMatches(r(null, null), 'enp7s0', '172.22.0.0/16')).to.equal(true);
    expect(ruleMatches(r('enp+', '172.16.0.0/12'), 'enp7s0', '172.22.0.0/16')).to.equal(true);
    expect(ruleMatches(r('!lo', '!10.0.0.0/8'), 'enp7s0', '172.22.0.0/16')).to.equal(true);
    expect(ruleMatches(r('enp1s0', '172.22.0.0/16'), 'enp7s0', '172.22.0.0/16')).to.equal(false);
    expect(ruleMatches(r('!enp7s0', null), 'enp7s0', '172.22.0.0/16')).to.equal(false);
    expect(ruleMatches(r('enp7s0', '172.22.0.0/24'), 'enp7s0', '172.22.0.0/16')).to.equal(false);
    expect(ruleMatches(r('enp7s0', '!172.0.0.0/8'), 'enp7s0', '172.22.0.0/16')).to.equal(false);
  });
});
