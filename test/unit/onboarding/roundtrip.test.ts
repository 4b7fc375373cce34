// What `labgrade init` writes is what `loadLab` reads: the same LabFile, with no error and no warning.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { shippedSpecPath } from '../../../grader/inputs/paths.js';
import { proposeLab, type InitOptions } from '../../../grader/onboarding/propose.js';
import { renderLabYaml } from '../../../grader/onboarding/render-lab.js';
import type { InputIssue } from '../../../grader/types.js';
import { bridgeNet, domain, isolatedNet, natNet, snapshot, veryIsolatedNet } from '../../fixtures/onboarding/snapshots.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-init-'));
const opts: InitOptions = {
  uri: 'qemu:///system',
  sshUser: 'alumno',
  sshKeyFile: '/home/alumno/.ssh/id_ed25519',
  knownHostsFile: '/home/alumno/.ssh/known_hosts',
  winrmUser: 'alumno',
};

const cases = {
  course: snapshot(
    [natNet('default', 122, 'virbr0', [2, 254]), natNet('red-nat'), isolatedNet('red-aislada'), veryIsolatedNet('red-muy-aislada')],
    [domain('debian12', { osinfo: 'http://debian.org/debian/12' }), domain('win10', { osinfo: 'http://microsoft.com/win/10' })],
  ),
  underscores: snapshot(
    [natNet('red_nat'), isolatedNet('red_aislada'), veryIsolatedNet('red_muy_aislada')],
    [domain('Debian-12'), domain('Windows10', { agentChannel: false })],
  ),
  unrelated: snapshot(
    [natNet('uno', 130, 'virbr5', [2, 254]), isolatedNet('dos', 131, 'virbr6'), veryIsolatedNet('tres', 'virbr7'), bridgeNet('lan')],
    [domain('maquina-a', { osinfo: 'http://ubuntu.com/ubuntu/22.04' }), domain('maquina-b', { osinfo: 'http://microsoft.com/win/11' })],
  ),
  ambiguous: snapshot([natNet('red-nat'), isolatedNet('x1', 102, 'virbr2'), isolatedNet('x2', 103, 'virbr4')], [domain('vm1'), domain('vm2')]),
};

describe('onboarding: init writes lab files that loadLab reads unchanged', () => {
  for (const [name, snap] of Object.entries(cases)) {
    for (const lang of ['es', 'en'] as const) {
      it(`${name} (${lang})`, async () => {
        const spec = await loadSpec(shippedSpecPath(), { lang });
        const extra: Partial<InitOptions> = name === 'course' ? { netns: 'labgrade', probes: { outsideHost: '198.51.100.10', resolveName: 'www.labgrade.test', timeoutMs: 1000 } } : {};
        const p = proposeLab(spec, snap, { ...opts, ...extra });
        const file = join(dir, `${name}-${lang}.yaml`);
        writeFileSync(file, renderLabYaml(p.lab, p.notes, { lang, exerciseId: spec.id, file, specProbes: spec.probes }));
        const warnings: InputIssue[] = [];
        const lab = await loadLab(file, { spec, lang, warnings });
        expect(warnings).to.deep.equal([]);
        expect(lab.uri).to.equal(p.lab.uri);
        expect(lab.networks).to.deep.equal(p.lab.networks);
        expect(lab.netns).to.equal(p.lab.netns);
        expect(lab.probes).to.deep.equal(p.lab.probes);
        for (const [role, vm] of Object.entries(p.lab.vms)) {
          expect(lab.vms[role]).to.deep.equal({ role, domain: vm.domain, ...(vm.os ? { os: vm.os } : {}), access: vm.access });
        }
        expect(Object.keys(lab.vms)).to.deep.equal(Object.keys(spec.vms));
      });
    }
  }
});
