import { expect } from 'chai';
import { parse } from 'yaml';
import { proposeLab, type InitOptions } from '../../../grader/onboarding/propose.js';
import { renderLabYaml, wrapComment } from '../../../grader/onboarding/render-lab.js';
import { courseSpec, domain, isolatedNet, natNet, snapshot, veryIsolatedNet } from '../../fixtures/onboarding/snapshots.js';

const opts: InitOptions = { uri: 'qemu:///system', sshUser: 'alumno', sshKeyFile: '/home/alumno/.ssh/id_ed25519', winrmUser: 'alumno' };
const render = (p: ReturnType<typeof proposeLab>, lang: 'es' | 'en' = 'en') =>
  renderLabYaml(p.lab, p.notes, { lang, exerciseId: courseSpec.id, file: 'lab.yaml', specProbes: courseSpec.probes, date: '2026-01-01' });

describe('onboarding: rendering the lab file', () => {
  it('starts with the $schema line editors read', () => {
    const p = proposeLab(courseSpec, snapshot([natNet('red-nat')], [domain('debian12')]), opts);
    const text = renderLabYaml(p.lab, p.notes, { lang: 'en', exerciseId: courseSpec.id, file: 'lab.yaml', specProbes: courseSpec.probes, schemaRef: '/opt/labgrade/exercises/schema/lab.schema.json' });
    expect(text.split('\n')[0]).to.equal('# yaml-language-server: $schema=/opt/labgrade/exercises/schema/lab.schema.json');
  });

  it('writes plain YAML whose data is the proposal, and notes as comments next to their line', () => {
    const snap = snapshot(
      [natNet('red-nat'), isolatedNet('net1', 102, 'virbr2'), isolatedNet('net2', 103, 'virbr4'), veryIsolatedNet('red-muy-aislada')],
      [domain('debian12', { osinfo: 'http://debian.org/debian/12' })],
    );
    const p = proposeLab(courseSpec, snap, opts);
    const text = render(p);
    const data = parse(text) as Record<string, any>;
    expect(data.uri).to.equal('qemu:///system');
    expect(data.networks).to.deep.equal(p.lab.networks);
    expect(data.vms.linux.domain).to.equal('debian12');
    expect(data.vms.linux.access[0].ssh).to.deep.include({ user: 'alumno', key: '/home/alumno/.ssh/id_ed25519' });
    expect(data.vms.windows.access[0].winrm).to.deep.include({ scheme: 'https', password: { env: 'LABGRADE_WINDOWS_PASSWORD' } });
    expect(data.probes).to.equal(undefined);
    const lines = text.split('\n');
    const isoLine = lines.findIndex((l) => /^ {2}isolated: /.test(l));
    expect(lines.slice(0, isoLine).reverse().find((l) => /AMBIGUOUS/.test(l))).to.match(/^ {2}# AMBIGUOUS: net\d and net\d fit "isolated"/);
    const winLine = lines.findIndex((l) => /^ {2}windows:/.test(l));
    expect(lines[winLine - 1]).to.match(/^ {4}# |^ {2}# /);
    expect(text).to.match(/# MISSING: no Windows VM found for "windows"/);
    // The spec's probe targets are shown, commented out.
    expect(text).to.match(/^# probes:\n# {3}outside_host: 8\.8\.8\.8$/m);
  });

  it('writes the comments in Spanish', () => {
    const snap = snapshot([natNet('red-nat')], []);
    const text = render(proposeLab(courseSpec, snap, opts), 'es');
    expect(text).to.contain('# FALTA: ninguna red encaja con «isolated»');
    expect(text).to.contain('Fichero de laboratorio generado por «labgrade init»');
  });

  it('never lets a hostile name break out of a comment', () => {
    const snap = snapshot([natNet('evil\nuri: http://x'), isolatedNet('red-aislada'), veryIsolatedNet('red-muy-aislada')], []);
    const p = proposeLab(courseSpec, snap, opts);
    const data = parse(render(p)) as Record<string, any>;
    expect(data.uri).to.equal('qemu:///system');
    expect(data.networks.nat).to.equal('evil\nuri: http://x');
  });

  it('wraps long comments', () => {
    const w = wrapComment('word '.repeat(60), 40);
    expect(w.length).to.be.greaterThan(3);
    for (const l of w) expect(l.length).to.be.at.most(44);
  });
});
