import { expect } from 'chai';
import { join } from 'node:path';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import type { ExerciseSpec, InputIssue } from '../../../grader/types.js';
import { TempDir, fixtures, inputError, issueAt, shipped } from './helpers.js';

const head = 'student: { name: Ana García }\nanswers:\n';

describe('loadAnswers', () => {
  const tmp = new TempDir();
  let spec: ExerciseSpec;
  before(async () => {
    spec = await loadSpec(shipped, { lang: 'en' });
  });
  after(() => tmp.remove());

  it('loads the reference answers fixture with no warnings', async () => {
    const warnings: InputIssue[] = [];
    const a = await loadAnswers(join(fixtures, 'answers-reference.yaml'), spec, { lang: 'en', warnings });
    expect(warnings).to.deep.equal([]);
    expect(a.student).to.deep.equal({ name: 'Ana García', id: '12345678Z', email: 'ana@example.org' });
    expect(Object.keys(a.tasks)).to.deep.equal(['nat', 'isolated', 'very_isolated']);
    const nat = a.tasks.nat!;
    expect(nat.config!['*']!.value).to.deep.equal({ kind: 'config-method', value: 'dynamic' });
    expect(nat.config!['*']!.raw).to.equal('dinámica');
    expect(nat.config!['*']!.line).to.equal(9);
    expect(nat.vm_config!.linux!.value).to.deep.equal({ kind: 'ipv4-config', address: '192.168.101.218', prefix: 24, gateway: '192.168.101.1', dns: ['192.168.101.1'] });
    expect(nat.vm_config!.windows!.value).to.deep.equal({ kind: 'ipv4-config', address: '192.168.101.219', prefix: 24, gateway: '192.168.101.1', dns: ['192.168.101.1'] });
    expect(nat.dns_server!['*']!.value).to.deep.equal({ kind: 'ipv4', value: '192.168.101.1' });
    expect(a.tasks.isolated!.dns_server!['*']!.value).to.deep.equal({ kind: 'ipv4', value: null });
    expect(a.tasks.isolated!.vm_config!.windows!.value).to.deep.equal({ kind: 'ipv4-config', address: '192.168.102.3', prefix: 24, gateway: null, dns: [] });
    expect(a.tasks.very_isolated!.host!['*']!.value).to.deep.equal({ kind: 'yes-no', value: false });
    expect(a.tasks.very_isolated!.outside!['*']!.raw).to.equal('no');
  });

  it('stores a value given once under "*" and per-VM values under their roles', async () => {
    const p = tmp.write(`${head}  nat:\n    outside: { linux: sí, windows: "no" }\n    host: yes\n    vm_config: { address: 192.168.101.5/24 }\n`);
    const a = await loadAnswers(p, spec, { lang: 'en' });
    expect(Object.keys(a.tasks.nat!.outside!)).to.deep.equal(['linux', 'windows']);
    expect(a.tasks.nat!.outside!.windows!.value).to.deep.equal({ kind: 'yes-no', value: false });
    expect(Object.keys(a.tasks.nat!.host!)).to.deep.equal(['*']);
    expect(Object.keys(a.tasks.nat!.vm_config!)).to.deep.equal(['*']);
  });

  it('keeps the student id as written (leading zeros) and validates the email', async () => {
    const a = await loadAnswers(tmp.write('student: { name: Luis, id: 0012345 }\nanswers: {}\n'), spec, { lang: 'en' });
    expect(a.student.id).to.equal('0012345');
    const err = await inputError(() => loadAnswers(tmp.write('student: { name: Luis, email: luis-at-example }\nanswers: {}\n'), spec, { lang: 'en' }));
    expect(issueAt(err, 'student.email').line).to.equal(1);
    // A missing name is a warning: the template `answers init` writes validates as it is.
    const warnings: InputIssue[] = [];
    await loadAnswers(tmp.write('student: { name: "  " }\nanswers: {}\n'), spec, { lang: 'es', warnings, strict: true });
    expect(warnings.find((w) => w.path === 'student.name')?.message).to.equal('falta el nombre del alumno (student.name): el informe no llevará nombre');
  });

  it('lists unanswered tasks, questions and VMs as warnings', async () => {
    const warnings: InputIssue[] = [];
    const p = tmp.write(`${head}  nat:\n    config: dhcp\n    outside: { linux: sí }\n    dns:\n  isolated:\n`);
    await loadAnswers(p, spec, { lang: 'en', warnings });
    const msgs = warnings.map((w) => w.message);
    expect(msgs).to.include('unanswered: nat / vm_config');
    expect(msgs).to.include('unanswered: nat / dns');
    expect(msgs).to.include('unanswered for machine windows: nat / outside');
    expect(msgs).to.include('task not answered: isolated');
    expect(msgs).to.include('task not answered: very_isolated');
    expect(msgs).to.not.include('unanswered: nat / config');
    // Answers for another exercise are not answers to this one: an input error.
    const other = await inputError(() => loadAnswers(tmp.write(`exercise: clase3\n${head}  nat: { config: dhcp }\n`), spec, { lang: 'en' }));
    expect(issueAt(other, 'exercise').message).to.equal('these answers are for exercise "clase3" (their exercise: key), but the command names exercise "clase2-redes": use the same exercise in both');
    expect(issueAt(other, 'exercise').line).to.equal(1);
  });

  it('reports unknown tasks, questions and roles with positions and did-you-mean', async () => {
    const p = tmp.write(`${head}  nta:\n    config: dhcp\n  nat:\n    outsied: sí\n    dns: { linux: sí, windwos: sí }\n    vm_config:\n      linux: { adress: 1.2.3.4/24 }\n`);
    const err = await inputError(() => loadAnswers(p, spec, { lang: 'en', strict: true }));
    const task = issueAt(err, 'answers.nta');
    expect([task.line, task.column]).to.deep.equal([3, 3]);
    expect(task.message).to.match(/task "nta" does not exist.*Did you mean "nat"/);
    expect(issueAt(err, 'answers.nat.outsied').message).to.match(/Did you mean "outside"/);
    const role = issueAt(err, 'answers.nat.dns.windwos');
    expect([role.line, role.column]).to.deep.equal([7, 23]);
    expect(role.message).to.match(/Did you mean "windows"/);
    expect(issueAt(err, 'answers.nat.vm_config.linux').message).to.match(/unknown field "adress"/);
    // Grading (not strict): the unknown ids are warnings; the rest is read; the bad field is unreadable.
    const warnings: InputIssue[] = [];
    const a = await loadAnswers(p, spec, { lang: 'en', warnings });
    expect(warnings.map((w) => w.path)).to.include.members(['answers.nta', 'answers.nat.outsied', 'answers.nat.dns.windwos']);
    expect(a.tasks.nat!.dns!.linux!.value).to.deep.equal({ kind: 'yes-no', value: true });
    expect(a.tasks.nat!.vm_config!.linux!.value).to.equal(null);
    expect(a.tasks.nat!.vm_config!.linux!.problem!.reason).to.match(/unknown field "adress"/);
  });

  it('validating (strict): every unreadable answer is a positioned error with an example', async () => {
    const p = tmp.write(
      `${head}  nat:\n    config: estática o dinámica\n    outside: sí y no\n    dns_server: 999.1.1.1\n    vm_config:\n      linux: { address: 192.168.101.5 255.0.255.0, gateway: 192.168.101.1 }\n      windows: { address: 192.168.101.6/24, dns: [1.1.1.1, banana] }\n    host: 3\n    vm_to_vm: [sí]\n`,
    );
    const warnings: InputIssue[] = [];
    const err = await inputError(() => loadAnswers(p, spec, { lang: 'en', strict: true, warnings }));
    expect(issueAt(err, 'answers.nat.config').message).to.match(/^unreadable answer: ambiguous answer "estática o dinámica".*Understood, for example: "static"/);
    expect(issueAt(err, 'answers.nat.outside').message).to.match(/ambiguous.*yes or no/);
    expect(issueAt(err, 'answers.nat.dns_server').line).to.equal(6);
    expect(issueAt(err, 'answers.nat.vm_config.linux').message).to.match(/not contiguous/);
    expect(issueAt(err, 'answers.nat.host').message).to.match(/cannot understand "3"/);
    expect(issueAt(err, 'answers.nat.vm_to_vm').message).to.match(/expected a value \(yes or no\), not list/);
    expect(err.issues.some((i) => i.path === 'answers.nat.vm_config.windows')).to.equal(false);
  });

  it('grading: an unreadable answer is kept as such; the others are read', async () => {
    const p = tmp.write(
      `${head}  nat:\n    config: estática o dinámica\n    vm_config: "192.168.101.218 255.255.255.0, puerta de enlace 192.168.101.1"\n    dns_server: "192.168.101.1; reboot"\n    host: "\\e]0;pwned\\a\\e[2J"\n    outside: sí\n`,
    );
    const warnings: InputIssue[] = [];
    const a = await loadAnswers(p, spec, { lang: 'es', warnings });
    const nat = a.tasks.nat!;
    expect(nat.config!['*']!.value).to.equal(null);
    expect(nat.config!['*']!.problem!.reason).to.match(/ambigua/);
    expect(nat.config!['*']!.problem!.example).to.match(/estática/);
    expect(nat.config!['*']!.line).to.equal(4);
    expect(nat.vm_config!['*']!.value).to.deep.equal({ kind: 'ipv4-config', address: '192.168.101.218', prefix: 24, gateway: '192.168.101.1', dns: [] });
    expect(nat.dns_server!['*']!.value).to.deep.equal({ kind: 'ipv4', value: '192.168.101.1' });
    expect(nat.dns_server!['*']!.ignored).to.deep.equal(['reboot']);
    expect(warnings.some((w) => w.path === 'answers.nat.dns_server' && /reboot/.test(w.message))).to.equal(true);
    expect(nat.host!['*']!.value).to.equal(null);
    expect(nat.host!['*']!.raw).to.equal('\u001b]0;pwned\u0007\u001b[2J');
    expect(nat.host!['*']!.problem!.reason).to.match(/U\+001B/);
    expect(nat.outside!['*']!.value).to.deep.equal({ kind: 'yes-no', value: true });
  });

  it('accepts Spanish field names in a configuration', async () => {
    const a = await loadAnswers(tmp.write(`${head}  isolated:\n    vm_config:\n      linux: { dirección: 192.168.102.2, máscara: 255.255.255.0, puerta_de_enlace: ninguna, servidores_dns: ninguno }\n`), spec, { lang: 'en' });
    expect(a.tasks.isolated!.vm_config!.linux!.value).to.deep.equal({ kind: 'ipv4-config', address: '192.168.102.2', prefix: 24, gateway: null, dns: [] });
  });
});
