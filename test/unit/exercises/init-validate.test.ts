// The seam between `init` and `validate --student`: the lab file init writes for an exercise names
// that exercise, so validating it alone (as a student is told to) checks it against that exercise,
// not against the shipped default (clase2-redes), whose network keys a bridged lab file lacks.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { proposeLab } from '../../../grader/onboarding/propose.js';
import { renderLabYaml } from '../../../grader/onboarding/render-lab.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { validateFiles } from '../../../grader/inputs/validate-files.js';
import { exercise, snapshotOf } from '../../fixtures/exercises/world.js';

describe('init -> validate --student: the lab file names its exercise', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labgrade-init-validate-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a clase1-4-puente lab file written by init validates alone, with the student rules', async () => {
    const spec = await loadSpec(exercise('clase1-4-puente.yaml'));
    const { lab, notes } = proposeLab(spec, snapshotOf(['net-red-nat.xml'], ['dom-debian12-br0.xml', 'dom-win10-br0.xml']), {
      uri: 'qemu:///system',
      sshUser: 'alumno',
      winrmUser: 'alumno',
    });
    const yaml = renderLabYaml(lab, notes, { lang: 'en', exerciseId: spec.id, file: 'lab.yaml', specProbes: spec.probes, date: '2026-12-08' });
    expect(yaml).to.match(/^exercise: clase1-4-puente$/m);
    const file = join(dir, 'lab.yaml');
    await writeFile(file, yaml);
    const [named] = await validateFiles([file], { lang: 'en', student: true });
    expect(named!.error?.issues.map((i) => i.message) ?? []).to.deep.equal([]);
    expect(named!.ok).to.equal(true);

    // The same file without the key is checked against the shipped default and fails there: the
    // key is what makes the difference.
    const bare = join(dir, 'bare.yaml');
    await writeFile(bare, yaml.replace(/^exercise: .*\n/m, ''));
    const [unnamed] = await validateFiles([bare], { lang: 'en', student: true });
    expect(unnamed!.ok).to.equal(false);
  });

  it('an unknown exercise id in a lab file is an error naming the key, never a path that is followed', async () => {
    const file = join(dir, 'odd.yaml');
    await writeFile(file, 'exercise: no-such-exercise\nvms:\n  linux: { domain: debian12 }\n');
    const [r] = await validateFiles([file], { lang: 'en', student: true });
    expect(r!.ok).to.equal(false);
    expect(r!.error!.issues.some((i) => i.path === 'exercise')).to.equal(true);
  });
});
