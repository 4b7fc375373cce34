import { expect } from 'chai';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../../grader/types.js';
import { loadRoster, deepMerge } from '../../../grader/batch/roster.js';
import { hostKeyOfUri } from '../../../grader/batch/hosts.js';
import { parsePath } from '../../../grader/batch/lab-source.js';
import { tempClass, writeFiles } from './helpers.js';

async function rosterError(dir: string, text: string): Promise<InputError> {
  await writeFiles(dir, { 'roster.yaml': text });
  try {
    await loadRoster(join(dir, 'roster.yaml'), 'en');
  } catch (err) {
    expect(err).to.be.instanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('batch: roster', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempClass();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('applies defaults, fills {id}, merges inline labs key by key and resolves paths against the roster', async () => {
    await writeFiles(dir, {
      'roster.yaml': `version: 1
defaults:
  lab:
    uri: qemu+ssh://prof@aula.example/system
    vms:
      linux: { domain: "{id}-debian12", access: [agent] }
      windows: { domain: "{id}-win10", os: linux, access: [agent] }
  answers: answers/{id}.yaml
  task: all
limits: { concurrency: 8, perHost: 3, deadline: 120 }
export: { identity: idNumber, scale: 20, decimals: 1 }
students:
  - { id: alu01, name: Ana, idNumber: "111" }
  - id: alu02
    name: Luis
    idNumber: "222"
    lab:
      vms:
        windows: { domain: luis-w10, access: [agent] }
    answers: /abs/luis.yaml
    deadline: 30
  - { id: alu03, name: Marta, idNumber: "333", lab: labs/marta.yaml, task: nat }
`,
    });
    const r = await loadRoster(join(dir, 'roster.yaml'), 'en');
    expect(r.limits).to.deep.equal({ concurrency: 8, perHost: 3 });
    expect(r.export).to.include({ identity: 'idNumber', scale: 20, decimals: 1, separator: ',' });
    const [a, l, m] = r.students;
    expect(a!.answers).to.equal(join(dir, 'answers/alu01.yaml'));
    expect(a!.task).to.equal('all');
    expect(a!.deadlineSec).to.equal(120);
    expect(a!.lab.kind).to.equal('inline');
    if (a!.lab.kind === 'inline') {
      expect((a!.lab.data.vms as Record<string, { domain: string }>).linux!.domain).to.equal('alu01-debian12');
      expect(a!.lab.data.uri).to.equal('qemu+ssh://prof@aula.example/system');
    }
    if (l!.lab.kind === 'inline') {
      const vms = l!.lab.data.vms as Record<string, { domain: string }>;
      expect(vms.linux!.domain).to.equal('alu02-debian12');
      expect(vms.windows!.domain).to.equal('luis-w10');
    } else expect.fail('inline expected');
    expect(l!.answers).to.equal('/abs/luis.yaml');
    expect(l!.deadlineSec).to.equal(30);
    // A student's file lies inside the folder the roster names for it (no {id}: the roster's folder).
    expect(m!.lab).to.deep.equal({ kind: 'file', path: join(dir, 'labs/marta.yaml'), within: dir });
    expect(a!.answersWithin).to.equal(join(dir, 'answers'));
    expect(m!.task).to.equal('nat');
    expect(m!.line).to.equal(22);
  });

  it('positions schema errors (unknown key, bad id) at roster:line:column', async () => {
    const err = await rosterError(
      dir,
      `defaults: { answers: "a/{id}.yaml", lab: lab.yaml }
students:
  - id: alu01
    name: Ana
    email: ana@x.org
    grupo: A
  - id: "../etc"
    name: Bad
    email: bad@x.org
`,
    );
    const issues = err.issues.map((i) => `${i.line}:${i.column} ${i.path} ${i.message}`);
    expect(issues.some((s) => s.startsWith('6:5 students[0].grupo'))).to.equal(true, issues.join('\n'));
    expect(issues.some((s) => s.startsWith('7:9 students[1].id'))).to.equal(true, issues.join('\n'));
    expect(err.issues.every((i) => i.file.endsWith('roster.yaml'))).to.equal(true);
  });

  it('reports duplicate ids and identities, missing lab/answers/identity and unknown placeholders, each positioned', async () => {
    const err = await rosterError(
      dir,
      `defaults:
  lab: "labs/{student}.yaml"
students:
  - { id: alu01, name: Ana, email: ana@x.org, answers: a.yaml }
  - { id: ALU01, name: Ana bis, email: other@x.org, answers: b.yaml }
  - { id: alu03, name: Same mail, email: ana@x.org, answers: c.yaml }
  - { id: alu04, name: No mail, answers: d.yaml }
  - { id: alu05, name: No answers, email: e@x.org }
`,
    );
    const msgs = err.issues.map((i) => `${i.line}:${i.column} ${i.message}`);
    const find = (re: RegExp) => msgs.find((m) => re.test(m));
    expect(find(/^2:\d+ unknown placeholder "\{student\}"/), msgs.join('\n')).to.not.equal(undefined);
    expect(find(/^5:\d+ id "ALU01" is already used by the student on line 4/), msgs.join('\n')).to.not.equal(undefined);
    expect(find(/^6:\d+ email "ana@x.org" is already used by the student on line 4/), msgs.join('\n')).to.not.equal(undefined);
    expect(find(/^7:\d+ "email" is missing/), msgs.join('\n')).to.not.equal(undefined);
    expect(find(/^8:\d+ no answers file/), msgs.join('\n')).to.not.equal(undefined);
  });

  it('identities a spreadsheet would run as a formula are rejected (the CSV must not alter them)', async () => {
    const err = await rosterError(dir, `defaults: { lab: l.yaml, answers: a.yaml }\nstudents:\n  - { id: a1, name: A, email: "=cmd|calc@x.org" }\n  - { id: a2, name: B, email: b@x.org, idNumber: "+34" }\n`);
    expect(err.issues.map((i) => `${i.line} ${i.path}`)).to.deep.equal(['3 students[0].email', '4 students[1].idNumber']);
  });

  it('a student without any lab is an error on that entry', async () => {
    const err = await rosterError(dir, `students:\n  - { id: a1, name: A, email: a@x.org, answers: a.yaml }\n`);
    expect(err.issues[0]).to.include({ line: 2, column: 5 });
    expect(err.issues[0]!.message).to.match(/no lab/);
  });

  it('YAML syntax errors and a missing file are input errors too', async () => {
    const err = await rosterError(dir, `students:\n  - id: a1\n   name: x\n`);
    expect(err.issues[0]!.line).to.be.a('number');
    try {
      await loadRoster(join(dir, 'nope.yaml'), 'en');
      expect.fail('should throw');
    } catch (e) {
      expect(e).to.be.instanceOf(InputError);
    }
  });

  it('deepMerge merges mappings and replaces lists; host keys group students by libvirt server', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 })).to.deep.equal({ a: { b: 1, c: [3] }, d: 1, e: 2 });
    expect(hostKeyOfUri('qemu:///system')).to.equal('local');
    expect(hostKeyOfUri(undefined)).to.equal('local');
    expect(hostKeyOfUri('qemu+ssh://prof@Aula.example/system')).to.equal('aula.example:22');
    expect(hostKeyOfUri('qemu+ssh://prof@aula.example:2222/system')).to.equal('aula.example:2222');
    expect(parsePath('vms.linux.access[0].ssh')).to.deep.equal(['vms', 'linux', 'access', 0, 'ssh']);
  });
});
