// Probes planned from the checks' declared needs (issue 21 item 2): every question check declares
// all it needs (`QuestionCheck.needs`, required by the type), the engine gathers the needs of the
// questions asked of each VM, and each OS's collector builds its one survey from that plan only.
import { expect } from 'chai';
import type { Connection, FactRequest, GuestProber, SpecQuestion, SurveyRequest } from '../../../grader/types.js';
import { questionCheckList } from '../../../checks/questions/index.js';
import { factRequests, planOf } from '../../../grader/engine/measure.js';
import { linuxProber } from '../../../grader/probes/linux/collector.js';
import { windowsProber } from '../../../grader/probes/windows.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { LocalConnection } from '../../../grader/transports/local.js';
import { answersFile, courseSpec, fakeDeps, labFile, referenceAnswers, referenceGuests, snapshot } from '../../fixtures/engine/world.js';
import { toConfig, toReach, toResolution } from '../../helpers/facts.js';

const q = (check: string, params?: Record<string, unknown>): SpecQuestion => ({ id: 'q', prompt: { es: '?', en: '?' }, kind: 'yes-no', check, points: 1, hints: {}, ...(params ? { params } : {}) });

/** What each shipped check needs (the configuration always: it is also the identity check). */
const EXPECTED: Record<string, FactRequest[]> = {
  'config-method': [{ kind: 'config' }],
  'ipv4-config': [{ kind: 'config' }],
  'default-gateway': [{ kind: 'config' }],
  'dns-server': [{ kind: 'config' }],
  'dns-resolution': [{ kind: 'config' }, { kind: 'resolve' }],
  'outside-reach': [{ kind: 'config' }, { kind: 'reach', target: 'outside' }],
  'host-reach': [{ kind: 'config' }, { kind: 'reach', target: 'host' }],
  'peer-reach': [{ kind: 'config' }, { kind: 'reach', target: 'peers' }],
  'reach-via': [{ kind: 'config' }, { kind: 'reach', target: 'outside' }],
  sysctl: [{ kind: 'config' }, { kind: 'sysctl', key: 'net.ipv4.ip_forward' }],
  'nat-masquerade': [{ kind: 'config' }, { kind: 'nat', savedFiles: ['/etc/iptables/rules.v4'] }],
};

const PROBE_WORDS = { linux: /\bping|lookup|getent|nslookup|resolvectl query|dig \+short/, windows: /SendPingAsync|Resolve-DnsName/ };
const CONFIG_ONLY: SurveyRequest = { name: null, targets: [], timeoutMs: 1000 };

describe('contracts: probes planned from the checks\' declared needs', () => {
  it('every question check declares everything it needs, the configuration included', () => {
    for (const c of questionCheckList) {
      const params = c.name === 'sysctl' ? { key: 'net.ipv4.ip_forward', value: '1' } : c.name === 'nat-masquerade' ? { out_network: 'nat', saved_files: ['/etc/iptables/rules.v4'] } : undefined;
      expect(c.needs(q(c.name, params)), c.name).to.deep.equal(EXPECTED[c.name]);
    }
    expect(Object.keys(EXPECTED).sort()).to.deep.equal(questionCheckList.map((c) => c.name).sort());
  });

  for (const [os, prober] of [['linux', linuxProber], ['windows', windowsProber]] as [keyof typeof PROBE_WORDS, GuestProber][]) {
    it(`${os}: a plan with only config questions produces a script without ping or lookup; the whole survey has both`, () => {
      const only = prober.survey!.plan(CONFIG_ONLY);
      expect(only.script).to.not.match(PROBE_WORDS[os]);
      expect(only.args).to.deep.equal(['', os === 'linux' ? '1' : '1000']);
      const full = prober.survey!.plan({ name: 'www.labgrade.test', targets: ['198.51.100.10'], timeoutMs: 1000 });
      expect(full.script).to.match(PROBE_WORDS[os]);
      // Lookup only / pings only: each script holds its own probe and not the other's.
      const lookup = prober.survey!.plan({ name: 'www.labgrade.test', targets: [], timeoutMs: 1000 }).script;
      const pings = prober.survey!.plan({ name: null, targets: ['198.51.100.10'], timeoutMs: 1000 }).script;
      expect(lookup).to.match(os === 'linux' ? /getent/ : /Resolve-DnsName/);
      expect(lookup).to.not.match(os === 'linux' ? /ping_one/ : /SendPingAsync/);
      expect(pings).to.match(os === 'linux' ? /ping_one/ : /SendPingAsync/);
      expect(pings).to.not.match(os === 'linux' ? /lookup\(\)/ : /Resolve-DnsName/);
    });
  }

  it('linux: the configuration-only survey runs in a real sh and measures the configuration (this machine, no packet sent)', async () => {
    const plan = linuxProber.survey!.plan(CONFIG_ONLY);
    const r = await new LocalConnection().runScript(plan.script, plan.args, { timeoutMs: plan.timeoutMs });
    const f = linuxProber.survey!.read(r, CONFIG_ONLY, 'local');
    expect(f.config.interfaces.ok, JSON.stringify(f.config.interfaces)).to.equal(true);
    expect(f.config.gateway.ok, JSON.stringify(f.config.gateway)).to.equal(true);
    expect(f.resolve).to.equal(null);
    expect(f.reach).to.deep.equal([]);
    expect(r.stdout).to.not.match(/@@LG-PING|@@LG-PART-BEGIN lookup/);
  });

  it('a survey read without a name has no lookup and no part for it', () => {
    const r = { exitCode: 0, stdout: '@@LG-PART-BEGIN config\n@@LG-PART-END config\n', stderr: '', durationMs: 1, truncated: false, timedOut: false };
    expect(linuxProber.survey!.read(r, CONFIG_ONLY, 'g').resolve).to.equal(null);
    expect(linuxProber.survey!.parts!(r, CONFIG_ONLY).map((p) => p.key)).to.deep.equal(['config']);
  });

  it('the engine gathers the needs of the questions asked of each VM', () => {
    const spec = courseSpec();
    const task = spec.tasks.find((t) => t.id === 'nat')!;
    const plan = planOf(factRequests(spec, task, 'linux', Object.fromEntries(questionCheckList.map((c) => [c.name, c]))));
    expect([...plan.reach].sort()).to.deep.equal(['host', 'outside', 'peers']);
    expect(plan.resolve).to.equal(true);
    const configOnly = planOf(factRequests(spec, { ...task, questions: ['config', 'vm_config', 'dns_server'] }, 'linux', Object.fromEntries(questionCheckList.map((c) => [c.name, c]))));
    expect([...configOnly.reach]).to.deep.equal([]);
    expect(configOnly.resolve).to.equal(false);
  });

  async function surveysOf(questions: string[]) {
    const spec = courseSpec();
    const task = spec.tasks.find((t) => t.id === 'nat')!;
    task.questions = questions;
    const guests = referenceGuests('nat');
    const { deps, stats } = fakeDeps(snapshot({ linux: 'red-nat', windows: 'red-nat' }), guests);
    const base = deps.proberFor('linux');
    const surveys: { role: string; req: SurveyRequest }[] = [];
    let resolves = 0;
    const prober: GuestProber = {
      ...base,
      async resolve(...a) {
        resolves++;
        return base.resolve(...a);
      },
      survey: {
        plan: (req) => ({ label: 'survey', script: 'SURVEY', args: [req.name ?? '', ...req.targets], timeoutMs: 1000 }),
        read(_r, req, guest) {
          const role = guest.replace(/^ssh /, '') as 'linux' | 'windows';
          surveys.push({ role, req });
          const g = guests[role];
          return {
            config: toConfig(g.config),
            resolve: req.name === null ? null : toResolution({ ...g.resolve, name: req.name }),
            reach: req.targets.map((target) => toReach({ target, status: g.reach[target] ?? 'no-neighbour' })),
          };
        },
      },
    };
    deps.proberFor = () => prober;
    // Scripts "run" by echoing their arguments; the survey's read above gives the facts.
    deps.openGuest = async (vm) => {
      const conn: Connection & { role: string } = {
        kind: 'ssh',
        target: `ssh ${vm.role}`,
        role: vm.role,
        runScript: async (_s, args) => ({ exitCode: 0, stdout: JSON.stringify(args), stderr: '', durationMs: 5, truncated: false, timedOut: false }),
        close: async () => undefined,
      };
      return { conn, trail: [{ method: 'ssh', outcome: 'used', reason: null, detail: 'test' }] };
    };
    const answers = Object.fromEntries(Object.entries(referenceAnswers('nat')).filter(([k]) => questions.includes(k)));
    const r = await gradeStudent({ spec, lab: labFile(), answers: answersFile({ nat: answers }), task: 'nat', lang: 'en', deps });
    return { r, surveys, reachCalls: stats.reachCalls, resolves };
  }

  it('a run that only asks configuration questions sends no ping and no lookup (and grades them as before)', async () => {
    const { r, surveys, reachCalls, resolves } = await surveysOf(['config', 'vm_config', 'dns_server']);
    expect(surveys.length).to.equal(2);
    for (const s of surveys) expect(s.req).to.deep.include({ name: null, targets: [] });
    expect(reachCalls).to.deep.equal([]);
    expect(resolves).to.equal(0);
    expect(r.tasks[0]!.questions.map((v) => v.outcome)).to.deep.equal(r.tasks[0]!.questions.map(() => 'pass'));
  });

  it('a run that asks only outside-reach pings the outside host alone, and looks nothing up', async () => {
    const { r, surveys, reachCalls } = await surveysOf(['outside']);
    for (const s of surveys) expect(s.req).to.deep.include({ name: null, targets: ['198.51.100.10'] });
    expect(reachCalls).to.deep.equal([]);
    expect(r.tasks[0]!.questions.every((v) => v.outcome === 'pass')).to.equal(true);
  });
});
