import { expect } from 'chai';
import { parse } from 'yaml';
import { proposeLab, type InitOptions } from '../../../grader/onboarding/propose.js';
import { renderLabYaml, wrapComment } from '../../../grader/onboarding/render-lab.js';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { courseSpec, domain, isolatedNet, natNet, snapshot, veryIsolatedNet } from '../../fixtures/onboarding/snapshots.js';

const opts: InitOptions = { uri: 'qemu:///system', sshUser: 'alumno', sshKeyFound: true, winrmUser: 'alumno' };
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
    expect(data.vms.linux.access[0].ssh).to.deep.equal({ user: 'alumno', accept_new_host_key: false });
    expect(data.vms.windows.access[0].winrm).to.deep.include({ scheme: 'https' });
    expect(data.vms.windows.access[0].winrm).not.to.have.property('password');
    expect(text).to.match(/LABGRADE_WINDOWS_PASSWORD/); // named in a comment: how the check gets it
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

describe('onboarding: what init writes can be handed in', () => {
  it('passes the rules for a student\'s lab file (validate --student, batch): no path, variable or secret', async () => {
    const snap = snapshot([natNet('red-nat'), isolatedNet('red-aislada', 102, 'virbr2'), veryIsolatedNet('red-muy-aislada')], [
      domain('debian12', { osinfo: 'http://debian.org/debian/12' }),
      domain('win10', { osinfo: 'http://microsoft.com/win/10' }),
    ]);
    const text = renderLabYaml(proposeLab(courseSpec, snap, opts).lab, [], { lang: 'en', exerciseId: 'clase2-redes', file: 'lab.yaml', specProbes: courseSpec.probes, date: '2024-01-01' });
    const lab = await loadLab('/tmp/handed-in.yaml', { text, lang: 'en', trust: 'student' });
    expect(lab.trust).to.equal('student');
    expect(Object.keys(lab.vms)).to.deep.equal(['linux', 'windows']);
    expect(text).not.to.match(/\b(key|known_hosts|password|netns|env|file):/);
    // The same file, as its owner's: loads too (the password comes from LABGRADE_<ROLE>_PASSWORD or a prompt).
    await loadLab('/tmp/own.yaml', { text, lang: 'en' });
  });

  it('with --ssh-key, the file says it cannot be handed in, and the student rules refuse it', async () => {
    const snap = snapshot([natNet('red-nat')], [domain('debian12', { osinfo: 'http://debian.org/debian/12' })]);
    const p = proposeLab(courseSpec, snap, { ...opts, sshKeyFile: '/home/alumno/.ssh/id_ed25519' });
    const text = renderLabYaml(p.lab, p.notes, { lang: 'en', exerciseId: 'clase2-redes', file: 'lab.yaml', specProbes: courseSpec.probes });
    expect(text).to.match(/--ssh-key wrote a local path/);
    let err: unknown;
    try {
      await loadLab('/tmp/handed-in.yaml', { text, lang: 'en', trust: 'student' });
    } catch (e) {
      err = e;
    }
    expect((err as Error).name).to.equal('InputError');
  });
});
