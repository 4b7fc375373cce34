// The Linux survey: configuration, name lookup and pings in one script (one round trip). Read from
// output recorded on the bundled lab's busybox guest (NAT network; 192.168.101.250 is an unused
// address there), whole and cut at different points: a part that never finished is "could not
// measure", never a "no".
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { linuxProber as rawProber } from '../../../grader/probes/linux/collector.js';
import { flatProber } from '../../helpers/facts.js';

// Results in the flat form of test/helpers/facts.ts.
const linuxProber = flatProber(rawProber);
import type { CommandResult, SurveyRequest } from '../../../grader/types.js';

const recorded = readFileSync('test/fixtures/probes/linux/survey-nat.txt', 'utf8');
const req: SurveyRequest = { name: 'www.labgrade.test', targets: ['198.51.100.10', '192.168.101.1', '192.168.101.250'], timeoutMs: 1000 };
const result = (stdout: string, cut = false): CommandResult => ({ exitCode: cut ? null : 0, stdout, stderr: '', durationMs: 500, truncated: false, timedOut: cut });
const read = (r: CommandResult) => linuxProber.survey!.read(r, req, 'ssh root@192.168.101.218:22');

describe('probes/linux survey (config + lookup + pings in one round trip)', () => {
  it('plans one constant script; the name and the targets travel as arguments, checked first', () => {
    const plan = linuxProber.survey!.plan(req);
    expect(plan.args).to.deep.equal(['www.labgrade.test', '1', ...req.targets]);
    expect(plan.script).to.not.include('www.labgrade.test');
    expect(plan.label).to.include('getent ahostsv4 www.labgrade.test').and.include('192.168.101.250');
    expect(() => linuxProber.survey!.plan({ ...req, name: 'x; reboot' })).to.throw();
    expect(() => linuxProber.survey!.plan({ ...req, targets: ['$(id)'] })).to.throw();
  });

  it('reads the three parts of a whole run', () => {
    const f = read(result(recorded));
    const eth0 = f.config.interfaces.find((i) => i.name === 'eth0')!;
    expect(eth0.ipv4.map((a) => [a.address, a.origin])).to.deep.equal([['192.168.101.218', 'dhcp']]);
    expect(f.config).to.deep.include({ defaultGateway: '192.168.101.1', dnsServers: ['192.168.101.1'] });
    expect(f.config.errors).to.equal(undefined);
    expect(f.resolve).to.deep.include({ status: 'resolved', addresses: ['198.51.100.10'], server: '192.168.101.1', tool: 'getent' });
    expect(f.reach.map((r) => [r.target, r.status])).to.deep.equal([
      ['198.51.100.10', 'replied'],
      ['192.168.101.1', 'replied'],
      ['192.168.101.250', 'no-neighbour'],
    ]);
  });

  it('cut inside the configuration: the sections read count, the rest and both probes are not measured', () => {
    const at = recorded.indexOf('@@LG-BEGIN resolv\n');
    const f = read(result(recorded.slice(0, at), true));
    expect(f.config.interfaces.find((i) => i.name === 'eth0')).to.not.equal(undefined);
    expect(f.config.defaultGateway).to.equal('192.168.101.1');
    expect(f.config.errors?.dns?.cause).to.equal('cut-off');
    expect(f.resolve.status).to.equal('error');
    expect(f.resolve.error?.cause).to.equal('cut-off');
    expect(f.reach.map((r) => r.status)).to.deep.equal(['probe-timeout', 'probe-timeout', 'probe-timeout']);
  });

  it('cut after the configuration: the configuration stands, the lookup and the pings are not measured', () => {
    const end = recorded.indexOf('@@LG-PART-END config\n') + '@@LG-PART-END config\n'.length;
    const f = read(result(recorded.slice(0, end), true));
    expect(f.config.errors).to.equal(undefined);
    expect(f.resolve.error?.cause).to.equal('cut-off');
    for (const r of f.reach) expect(r.status).to.be.oneOf(['probe-timeout', 'error']);
  });

  it('a ping that never reported in a run that ended is "could not measure" (unparseable), not a silence', () => {
    const f = read(result(recorded.replace(/^@@LG-PING 0 .*\n/m, '')));
    expect(f.reach[0]!.status).to.equal('error');
    expect(f.reach[0]!.error?.cause).to.equal('unparseable');
    expect(f.reach[1]!.status).to.equal('replied');
  });

  it('splits its evidence into the three probes it ran, each with its own command and output', () => {
    const parts = linuxProber.survey!.parts!(result(recorded), req);
    expect(parts.map((p) => p.label.split(' ')[0])).to.deep.equal(['ip', 'getent', 'ping']);
    expect(parts[0]!.stdout).to.include('@@LG-BEGIN addr').and.not.include('@@LG-PING');
    expect(parts[1]!.stdout).to.include('198.51.100.10   STREAM www.labgrade.test').and.not.include('@@LG-BEGIN addr');
    expect(parts[2]!.stdout).to.include('@@LG-PING 2 1').and.include('@@LG-BEGIN neigh').and.not.include('@@LG-BEGIN getent').and.not.include('@@LG-BEGIN addr');
    expect(parts[2]!.label).to.include('192.168.101.250');
  });

  it('output that is not a survey at all measures nothing', () => {
    const f = read(result('\u001b[2J garbage\n@@LG-PART-BEGIN config\n{{{\n'));
    expect(f.config.errors?.interfaces).to.not.equal(undefined);
    expect(f.resolve.status).to.equal('error');
    expect(f.reach.every((r) => r.status === 'error')).to.equal(true);
  });
});
