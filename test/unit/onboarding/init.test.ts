import { expect } from 'chai';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMappings, runInit, initSummary } from '../../../grader/onboarding/init.js';
import { proposeLab } from '../../../grader/onboarding/propose.js';
import { courseSpec, domain, natNet, snapshot } from '../../fixtures/onboarding/snapshots.js';

describe('onboarding: init options', () => {
  it('parses KEY=NAME choices and rejects unknown keys and bad syntax, all at once', () => {
    expect(parseMappings('en', '--network', ['nat=mi_red', 'isolated=a=b'], ['nat', 'isolated'], 'network')).to.deep.equal({ nat: 'mi_red', isolated: 'a=b' });
    let msg = '';
    try {
      parseMappings('en', '--vm', ['linux', 'mac=x'], ['linux', 'windows'], 'vm');
    } catch (e) {
      msg = (e as Error).message;
      expect((e as Error).name).to.equal('InputError');
    }
    expect(msg).to.contain('Invalid --vm value: "linux" (expected KEY=NAME)');
    expect(msg).to.contain('--vm: "mac" is not a VM role of the exercise (known: linux, windows)');
  });

  it('never overwrites an existing file without --force (checked before touching libvirt)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-init-'));
    const file = join(dir, 'lab.yaml');
    writeFileSync(file, 'mine\n');
    let err: Error | undefined;
    try {
      await runInit({ lang: 'es', specPath: '/nonexistent.yaml', uri: 'qemu:///nonexistent', output: file, force: false });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.name).to.equal('InputError');
    expect(err?.message).to.match(/ya existe; usa --force/);
    expect(readFileSync(file, 'utf8')).to.equal('mine\n');
  });

  it('prints the warnings with where they are in the file, and the next step', () => {
    const p = proposeLab(courseSpec, snapshot([natNet('red-nat')], [domain('debian12')]), { uri: 'qemu:///system', sshUser: 'a', winrmUser: 'a' });
    const text = initSummary('en', { file: '/x/lab.yaml', yaml: '', proposal: p }, 'lab.yaml');
    expect(text).to.match(/^Lab file written: lab.yaml$/m);
    expect(text).to.match(/^ {2}- networks\.isolated: MISSING: /m);
    expect(text).to.match(/^ {2}- vms\.windows: MISSING: no Windows VM found/m);
    expect(text).to.match(/^Next step: labgrade doctor --lab lab.yaml$/m);
  });
});
