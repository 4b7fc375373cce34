// The authoring guide's worked example (docs/en/authoring.md and docs/es/authoring.md) is real:
// its spec validates against the check registry, its answers file loads, and it grades as the
// guide says (3/3 on a correct lab; the gateway fails with answer-contradicts-lab otherwise).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { questionChecks } from '../../../checks/questions/index.js';
import type { Lang } from '../../../grader/types.js';
import { TempDir } from '../inputs/helpers.js';
import { deps, fx, lab, nic, OUTSIDE, snapshotOf, type Guest } from '../../fixtures/exercises/world.js';

function yamlBlocks(lang: Lang): string[] {
  const md = readFileSync(fileURLToPath(new URL(`../../../docs/${lang}/authoring.md`, import.meta.url)), 'utf8');
  return [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const linux: Guest = {
  config: { interfaces: [nic('enp1s0', '52:54:00:00:00:01', '172.22.0.2', 16, 'static'), nic('enp7s0', '52:54:00:00:00:11', '192.168.101.218', 24, 'dhcp')], defaultGateway: '192.168.101.1', dnsServers: [], dnsSearch: [], firewallEnabled: null },
  reach: { [OUTSIDE]: 'replied' },
  resolve: { status: 'resolved', addresses: [OUTSIDE], server: '192.168.101.1' },
  routerOutput: fx('router-ok.txt'),
};
const windows = (gateway: string): Guest => ({
  config: { interfaces: [nic('Ethernet', '52-54-00-00-00-02', '172.22.0.3', 16, 'static')], defaultGateway: gateway, dnsServers: [], dnsSearch: [], firewallEnabled: true },
  reach: { [OUTSIDE]: gateway === '172.22.0.2' ? 'replied' : 'no-neighbour' },
  resolve: { status: 'no-server', addresses: [], server: null },
});

describe('authoring guide: the worked example validates and grades', () => {
  const tmp = new TempDir();
  after(() => tmp.remove());
  for (const lang of ['en', 'es'] as const) {
    it(`docs/${lang}/authoring.md`, async () => {
      const blocks = yamlBlocks(lang);
      const specText = blocks.find((b) => b.includes('id: router-mini'));
      const answersText = blocks.find((b) => b.startsWith('exercise: router-mini'));
      expect(specText, 'the guide has the example spec').to.be.a('string');
      expect(answersText, 'the guide has the example answers').to.be.a('string');
      const spec = await loadSpec(tmp.write(specText!, `router-mini-${lang}.yaml`), { lang, checks: questionChecks });
      const answers = await loadAnswers(tmp.write(answersText!, `answers-${lang}.yaml`), spec, { lang });
      const snap = snapshotOf(['net-red-nat.xml', 'net-red-muy-aislada.xml'], ['dom-debian12-router.xml', 'dom-win10-viso.xml']);
      const ok = await gradeStudent({ spec, lab: lab(), answers, lang, deps: deps(snap, { linux, windows: windows('172.22.0.2') }) });
      expect(ok.totals).to.include({ points: 3, maxPoints: 3, percent: 100 });
      expect(ok.tasks[0]!.hostChecks.find((h) => h.check === 'vm-nics')!.outcome).to.equal('pass');
      const bad = await gradeStudent({ spec, lab: lab(), answers, lang, deps: deps(snap, { linux, windows: windows('172.22.0.1') }) });
      const gw = bad.tasks[0]!.questions.find((q) => q.question === 'gateway')!;
      expect(gw.outcome).to.equal('fail');
      expect(gw.observed).to.equal('172.22.0.1');
      expect(gw.codes).to.include('answer-contradicts-lab');
      expect(gw.theory).to.equal(lang === 'en' ? '172.22.0.2 (the address of machine debian12 on the network)' : '172.22.0.2 (la dirección de la máquina debian12 en la red)');
      expect(gw.questionTitle).to.equal(lang === 'en' ? 'Gateway' : 'Puerta de enlace');
    });
  }
});
