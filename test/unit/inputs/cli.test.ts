// `labgrade validate` and `labgrade answers init` through the built CLI (exit codes 0 / 2).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_QUESTIONS, TempDir, fixtures, root, shipped } from './helpers.js';

function labgrade(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'labgrade.js'), ...args], { encoding: 'utf8', cwd: root, timeout: 60_000, env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI: validate and answers init', function () {
  this.timeout(240_000);
  const tmp = new TempDir();
  before(() => {
    if (!existsSync(join(root, 'dist', 'grader', 'cli', 'main.js'))) {
      spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'ignore', timeout: 200_000 });
    }
  });
  after(() => tmp.remove());

  it('validate: exit 0 for the shipped spec, a lab file and reference answers', () => {
    const r = labgrade('validate', shipped, join(fixtures, 'lab-full.yaml'), join(fixtures, 'answers-reference.yaml'));
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('clase2-redes.yaml: valid (exercise)');
    expect(r.stdout).to.include('lab-full.yaml: valid (lab)');
    expect(r.stdout).to.include('answers-reference.yaml: valid (answers)');
    expect(r.stdout).to.include('3 valid, 0 with errors');
  });

  it('validate: rosters (by their keys or --kind roster), and --format json', () => {
    const roster = tmp.write('defaults: { answers: "a/{id}.yaml", lab: lab.yaml }\nstudents:\n  - { id: alu01, name: Ana, email: ana@x.org }\n', 'roster.yaml');
    const r = labgrade('validate', roster);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('roster.yaml: valid (roster)');
    expect(labgrade('validate', '--kind', 'roster', roster).code).to.equal(0);
    const bad = tmp.write('students:\n  - { id: "../x", name: B }\n', 'bad-roster.yaml');
    const j = labgrade('validate', '--format', 'json', bad, shipped);
    expect(j.code).to.equal(2);
    const records = JSON.parse(j.stdout) as { file: string; kind: string; ok: boolean; errors: { line?: number }[] }[];
    expect(records.map((x) => [x.kind, x.ok])).to.deep.equal([['roster', false], ['spec', true]]);
    expect(records[0]!.errors[0]!.line).to.equal(2);
    expect(labgrade('validate', '--format', 'yaml', shipped).code).to.equal(2);
  });

  it('validate --student: a collected lab file is checked with the rules batch applies (the same file is valid as your own)', () => {
    const own = labgrade('validate', join(fixtures, 'lab-full.yaml'));
    expect(own.code, own.stderr).to.equal(0);
    const r = labgrade('validate', '--student', join(fixtures, 'lab-full.yaml'));
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/lab-full\.yaml:9:\d+ \(vms\.linux\.access\[0\]\.ssh\.key\): vms\.linux\.access\[0\]\.ssh\.key is not accepted in a lab file handed in by a student: it names a file on the grading machine/);
    expect(r.stderr).to.include('(netns)').and.include('(host_ssh.known_hosts)');
  });

  it('validate: exit 2 with file:line:column and the key path', () => {
    const r = labgrade('validate', join(fixtures, 'spec-wrong-type.yaml'));
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(`${join(fixtures, 'spec-wrong-type.yaml')}:13:13 (questions.config.points): wrong type: expected number, found text`);
  });

  it('validate: warnings (unanswered questions) keep exit 0; Spanish with --lang es', () => {
    const p = tmp.write('student: { name: Ana }\nanswers:\n  nat:\n    config: dinámica\n');
    const r = labgrade('validate', p, '--lang', 'es');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/aviso: sin responder: nat \/ vm_config/);
    expect(r.stdout).to.include('válido (respuestas)');
  });

  it('validate: lists every unreadable answer with an example; hostile text is shown, never obeyed', () => {
    const p = tmp.write('student: { name: "Eve\\e]0;x\\a" }\nanswers:\n  nat:\n    config: "estática o dinámica"\n    outside: "\\e]0;pwned\\a\\e[2J"\n    dns: "<b>sí</b>"\n    dns_server: "192.168.101.1; reboot"\n    vmm_config: x\n');
    const r = labgrade('validate', p, '--lang', 'en');
    expect(r.code).to.equal(2);
    const all = r.stdout + r.stderr;
    expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(all), JSON.stringify(all)).to.equal(false);
    expect(r.stderr).to.include(`${p}:4:13 (answers.nat.config): unreadable answer: ambiguous answer "estática o dinámica": answer static or dynamic. Understood, for example: "static", "dynamic", "manual", "by DHCP"`);
    expect(r.stderr).to.include('(answers.nat.outside): unreadable answer: the answer holds a control character (U+001B)');
    expect(r.stderr).to.include('(answers.nat.dns): unreadable answer: the answer holds markup');
    expect(r.stderr).to.match(/answers\.nat\.vmm_config\): question "vmm_config" does not exist.*Did you mean "vm_config"/);
    expect(r.stdout).to.match(/\(answers\.nat\.dns_server\): warning: read, but these words were not understood and were ignored: reboot/);
  });

  it('validate: a file of unknown kind, a bad --kind and a missing file exit 2', () => {
    const unknown = labgrade('validate', tmp.write('colour: blue\n'));
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/--kind spec\|lab\|answers/);
    expect(labgrade('validate', '--kind', 'bogus', shipped).code).to.equal(2);
    const missing = labgrade('validate', join(tmp.dir, 'nope.yaml'));
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/does not exist/);
    const forced = labgrade('validate', '--kind', 'lab', shipped);
    expect(forced.code).to.equal(2);
  });

  it('answers init --lang es prints every question of the seed in Spanish; -o refuses to overwrite without --force', () => {
    const r = labgrade('answers', 'init', shipped, '--lang', 'es');
    expect(r.code, r.stderr).to.equal(0);
    for (const q of SEED_QUESTIONS) expect(r.stdout, q).to.include(q);
    const out = join(tmp.dir, 'respuestas.yaml');
    expect(labgrade('answers', 'init', '-o', out).code).to.equal(0);
    const again = labgrade('answers', 'init', '-o', out);
    expect(again.code).to.equal(2);
    expect(again.stderr).to.match(/--force/);
    expect(labgrade('answers', 'init', '-o', out, '--force').code).to.equal(0);
    const v = labgrade('validate', out);
    expect(v.code, v.stderr).to.equal(0);
    expect(v.stdout).to.match(/student name is missing/);
  });

  // One rule for every command: an answers file names its exercise, and validate follows it.
  for (const id of labgrade('exercises').stdout.match(/^\s*(clase[\w-]+)/gm)?.map((m) => m.trim()) ?? ['clase2-redes']) {
    it(`answers init ${id} -o f, then validate f: exit 0 (checked against ${id})`, () => {
      const out = join(tmp.dir, `tpl-${id}.yaml`);
      const init = labgrade('answers', 'init', id, '-o', out);
      expect(init.code, init.stderr).to.equal(0);
      const v = labgrade('validate', out);
      expect(v.code, v.stderr).to.equal(0);
      expect(v.stderr).to.equal('');
    });
  }

  it('lists every shipped exercise for the test above', () => {
    const ids = labgrade('exercises').stdout;
    for (const id of ['clase1-4-puente', 'clase2-redes', 'clase7-router-nat']) expect(ids).to.include(id);
  });

  it('validate: answers for one exercise checked against another name both; an unknown exercise asks for --spec', () => {
    const out = join(tmp.dir, 'nat.yaml');
    expect(labgrade('answers', 'init', 'clase7-router-nat', '-o', out).code).to.equal(0);
    const v = labgrade('validate', '--spec', 'clase2-redes', out);
    expect(v.code).to.equal(2);
    expect(v.stderr).to.include('"clase7-router-nat"');
    expect(v.stderr).to.include('"clase2-redes"');
    expect(v.stderr).to.not.match(/does not exist in the exercise/);
    const unknown = tmp.write('exercise: clase99\nstudent: { name: Ana }\nanswers: {}\n', 'unknown-ex.yaml');
    const u = labgrade('validate', unknown);
    expect(u.code).to.equal(2);
    expect(u.stderr).to.include('"clase99"');
    expect(u.stderr).to.include('--spec');
    // A path in exercise: is never followed (the file may be a student's).
    const path = tmp.write(`exercise: ${shipped}\nstudent: { name: Ana }\nanswers: {}\n`, 'path-ex.yaml');
    expect(labgrade('validate', path).code).to.equal(2);
  });

  it('validate: a lab file is checked against the exercise the answers files of the same run name', () => {
    const out = join(tmp.dir, 'bridge.yaml');
    expect(labgrade('answers', 'init', 'clase1-4-puente', '-o', out).code).to.equal(0);
    const lab = tmp.write('networks: { bridge: br0 }\nvms:\n  linux: { domain: debian12, access: [agent] }\n', 'bridge-lab.yaml');
    const alone = labgrade('validate', lab);
    expect(alone.code).to.equal(2);
    const v = labgrade('validate', lab, out);
    expect(v.code, v.stderr).to.equal(0);
  });
});
