// What the roster says is checked before anyone is graded: inline labs go through the lab-file
// loader and their problems point at the roster line that wrote the bad key.
import { expect } from 'chai';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../../grader/types.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadRoster } from '../../../grader/batch/roster.js';
import { preflight } from '../../../grader/batch/preflight.js';
import { tempClass, writeFiles } from './helpers.js';

const SPEC = join(process.cwd(), 'exercises', 'clase2-redes.yaml');

describe('batch: preflight of the roster', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempClass();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads valid inline labs with lab-file defaults, paths relative to the roster, {id} filled', async () => {
    await writeFiles(dir, {
      'roster.yaml': `defaults:
  answers: a/{id}.yaml
  lab:
    uri: qemu+ssh://prof@aula.example/system
    vms:
      linux: { domain: "{id}-debian12", access: [{ ssh: { user: root, key: keys/aula } }, agent] }
      windows: { domain: "{id}-win10", access: [agent] }
students:
  - { id: alu01, name: Ana, email: ana@x.org }
`,
    });
    const spec = await loadSpec(SPEC, { lang: 'en' });
    const roster = await loadRoster(join(dir, 'roster.yaml'), 'en');
    const labs = await preflight(roster, spec, 'en');
    const lab = labs.get('alu01')!;
    expect(lab.uri).to.equal('qemu+ssh://prof@aula.example/system');
    expect(lab.vms.linux!.domain).to.equal('alu01-debian12');
    const ssh = lab.vms.linux!.access[0]!;
    expect(ssh.kind).to.equal('ssh');
    if (ssh.kind === 'ssh') {
      expect(ssh.keyFile).to.equal(join(dir, 'keys/aula'));
      expect(ssh.port).to.equal(22);
    }
    expect(lab.file).to.match(/roster\.yaml#students\[0\]$/);
    // The temporary lab file is gone.
    expect((await readdir(dir)).filter((f) => f.startsWith('.labgrade-'))).to.deep.equal([]);
  });

  it("positions an inline lab's problems on the roster key that wrote them (entry or defaults), and unknown tasks", async () => {
    await writeFiles(dir, {
      'roster.yaml': `defaults:
  answers: a/{id}.yaml
  lab:
    vms:
      linux: { domain: "{id}-debian12", access: [agent] }
      windows: { domain: "{id}-win10", access: [agnet] }
students:
  - id: alu01
    name: Ana
    email: ana@x.org
    lab:
      vms:
        linux:
          access:
            - ssh: { user: root, port: 70000 }
  - { id: alu02, name: Luis, email: luis@x.org, task: nta }
`,
    });
    const spec = await loadSpec(SPEC, { lang: 'en' });
    const roster = await loadRoster(join(dir, 'roster.yaml'), 'en');
    let err: InputError | undefined;
    try {
      await preflight(roster, spec, 'en');
    } catch (e) {
      err = e as InputError;
    }
    expect(err).to.be.instanceOf(InputError);
    const lines = err!.issues.map((i) => `${i.file.endsWith('roster.yaml') ? 'roster' : i.file}:${i.line} ${i.message}`);
    // The entry's bad port (line 15), the defaults' bad access word (line 6) for both students, the task.
    expect(lines.some((l) => /^roster:15 lab of "alu01": /.test(l)), lines.join('\n')).to.equal(true);
    expect(lines.some((l) => /^roster:6 lab of "alu02": /.test(l)), lines.join('\n')).to.equal(true);
    expect(lines.some((l) => /^roster:16 unknown task "nta"/.test(l)), lines.join('\n')).to.equal(true);
    expect(err!.issues.every((i) => !i.message.includes('.labgrade-'))).to.equal(true);
  });
});
