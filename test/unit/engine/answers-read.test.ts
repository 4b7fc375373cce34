// The engine with answers as students write them: an unreadable answer is its own verdict (0
// points) and every other question is graded; named addresses ("el host", "la puerta de enlace")
// resolve against what was measured; every verdict carries the answer as written and as read.
import { expect } from 'chai';
import { gradeStudent } from '../../../grader/engine/run.js';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import type { AnswersFile, ExerciseSpec, GradeResult, Verdict } from '../../../grader/types.js';
import { answersFile, courseSpec, fakeDeps, labFile, networks, referenceAnswers, referenceGuests, snapshot } from '../../fixtures/engine/world.js';
import { TempDir, shipped } from '../inputs/helpers.js';
import { renderers } from '../../../reports/index.js';

type TaskId = 'nat' | 'isolated' | 'very_isolated';
const NET: Record<TaskId, string> = { nat: 'red-nat', isolated: 'red-aislada', very_isolated: 'red-muy-aislada' };

async function grade(task: TaskId, answers: AnswersFile, spec: ExerciseSpec = courseSpec()): Promise<GradeResult> {
  const snap = snapshot({ linux: NET[task], windows: NET[task] }, [], networks());
  const { deps } = fakeDeps(snap, referenceGuests(task));
  return gradeStudent({ spec, lab: labFile(), answers, task, lang: 'en', deps });
}

function v(r: GradeResult, id: string): Verdict {
  const found = r.tasks.flatMap((t) => t.questions).find((x) => x.id === id);
  if (!found) throw new Error(`no verdict ${id}`);
  return found;
}

describe('engine: answers as written and as read', () => {
  const tmp = new TempDir();
  let spec: ExerciseSpec;
  before(async () => {
    spec = await loadSpec(shipped, { lang: 'en' });
  });
  after(() => tmp.remove());

  it('one unreadable answer costs only its own points; every other question is graded', async () => {
    const af = answersFile({ nat: referenceAnswers('nat') });
    af.tasks.nat!.dns = { '*': { value: null, raw: '\u001b]0;pwned\u0007\u001b[2J', problem: { reason: 'the answer holds a control character (U+001B), which no answer contains', example: '"yes", "no"' } } };
    const r = await grade('nat', af);
    for (const role of ['linux', 'windows']) {
      const d = v(r, `nat.dns.${role}`);
      expect(d.outcome).to.equal('fail');
      expect(d.points).to.equal(0);
      expect(d.codes).to.include('unreadable-answer');
      expect(d.studentAnswer).to.equal(null);
      expect(d.answerWritten).to.equal('\u001b]0;pwned\u0007\u001b[2J');
      expect(d.message).to.match(/^Unreadable answer \(0 points\): the answer holds a control character \(U\+001B\), which no answer contains\. Understood, for example: "yes", "no"\. What was observed is "yes"\./);
    }
    const others = r.tasks[0]!.questions.filter((q) => q.question !== 'dns');
    expect(others.length).to.equal(12);
    expect(others.every((q) => q.outcome === 'pass')).to.equal(true);
    const dnsMax = r.tasks[0]!.questions.filter((q) => q.question === 'dns').reduce((n, q) => n + q.maxPoints, 0);
    expect(r.totals.maxPoints - r.totals.points).to.equal(dnsMax);
    expect(r.exitCode).to.equal(1);
  });

  it('"no lo sé", "N/A", "ni idea, depende": never a "no" nor "none", their own 0-point verdict; validate flags each at its line', async () => {
    const text = `exercise: clase2-redes
student: { name: Ana }
answers:
  isolated:
    config: estática
    outside: "no lo sé"
    dns: "ni idea, depende"
    dns_server: "N/A"
    vm_to_vm: "no lo he probado"
    host: "no"
`;
    const p = tmp.write(text);
    // validate (strict): the file is valid, and every unsure answer is a warning at its line.
    const warnings: import('../../../grader/types.js').InputIssue[] = [];
    await loadAnswers(p, spec, { lang: 'en', warnings, strict: true });
    const unsure = warnings.filter((w) => /says you do not know/.test(w.message));
    expect(unsure.map((w) => `${w.path}:${w.line}`)).to.deep.equal(['answers.isolated.outside:6', 'answers.isolated.dns:7', 'answers.isolated.dns_server:8', 'answers.isolated.vm_to_vm:9']);
    const es: import('../../../grader/types.js').InputIssue[] = [];
    await loadAnswers(p, spec, { lang: 'es', warnings: es, strict: true });
    expect(es.find((w) => w.path === 'answers.isolated.outside')!.message).to.equal('la respuesta dice que no lo sabes («no lo sé»): vale 0 puntos y nunca se lee como «no» ni como «ninguno»; escribe lo que observaste, si puedes');

    const answers = await loadAnswers(p, spec, { lang: 'en' });
    const r = await grade('isolated', answers);
    // The truth is "no" (outside, dns), "none" (dns_server) and "yes" (vm_to_vm): none of them scores.
    for (const q of ['outside', 'dns', 'dns_server', 'vm_to_vm']) {
      for (const role of ['linux', 'windows']) {
        const d = v(r, `isolated.${q}.${role}`);
        expect(d.outcome, d.id).to.equal('fail');
        expect(d.points, d.id).to.equal(0);
        expect(d.codes, d.id).to.include('unsure-answer');
        expect(d.codes, d.id).to.not.include('unreadable-answer');
        expect(d.studentAnswer, d.id).to.equal(null);
        expect(d.message, d.id).to.match(/^You wrote that you did not know \(0 points\)\./);
      }
    }
    expect(v(r, 'isolated.outside.linux').answerWritten).to.equal('no lo sé');
    // "no" alone is still a no, graded as usual.
    expect(v(r, 'isolated.host.linux').codes).to.not.include('unsure-answer');
    const rEs = await gradeStudent({ spec: courseSpec(), lab: labFile(), answers, task: 'isolated', lang: 'es', deps: fakeDeps(snapshot({ linux: NET.isolated, windows: NET.isolated }, [], networks()), referenceGuests('isolated')).deps });
    expect(v(rEs, 'isolated.outside.linux').message).to.match(/^Escribiste que no lo sabías \(0 puntos\)\./);
  });

  it('reads a file of free-text answers and grades them like the reference ones', async () => {
    const p = tmp.write(`exercise: clase2-redes
student: { name: Ana }
answers:
  nat:
    config: "por DHCP"
    vm_config:
      linux: "IP 192.168.101.130/24, gw .1, dns 192.168.101.1"
      windows: |
        Dirección IPv4. . . . . . . . . . . . . . : 192.168.101.140(Preferido)
        Máscara de subred . . . . . . . . . . . . : 255.255.255.0
        Puerta de enlace predeterminada . . . . . : 192.168.101.1
        Servidores DNS. . . . . . . . . . . . . . : 192.168.101.1
    outside: "sí, hay conectividad"
    dns: "yes it works"
    dns_server: el host
    vm_to_vm: "si, creo"
    host: "ok"
`);
    const answers = await loadAnswers(p, spec, { lang: 'en' });
    const r = await grade('nat', answers);
    const failed = r.tasks[0]!.questions.filter((q) => q.outcome !== 'pass').map((q) => `${q.id}: ${q.message}`);
    expect(failed).to.deep.equal([]);
    const server = v(r, 'nat.dns_server.linux');
    expect(server.answerWritten).to.equal('el host');
    expect(server.studentAnswer).to.equal('192.168.101.1 (the host)');
    const win = v(r, 'nat.vm_config.windows');
    expect(win.answerWritten).to.match(/^Dirección IPv4/);
    expect(win.studentAnswer).to.equal('192.168.101.140/24, gateway 192.168.101.1, DNS 192.168.101.1');
    const peer = v(r, 'nat.vm_to_vm.linux');
    expect(peer.answerIgnored).to.deep.equal(['creo']);
  });

  it('"the gateway" resolves to the measured gateway; where there is none it is wrong, never "none"', async () => {
    const nat = answersFile({ nat: referenceAnswers('nat') });
    nat.tasks.nat!.dns_server = { '*': { value: { kind: 'ipv4', value: null, ref: 'gateway' }, raw: 'la puerta de enlace' } };
    const r = await grade('nat', nat);
    expect(v(r, 'nat.dns_server.linux').outcome).to.equal('pass');
    expect(v(r, 'nat.dns_server.linux').studentAnswer).to.equal('192.168.101.1 (the gateway)');

    const iso = answersFile({ isolated: referenceAnswers('isolated') });
    iso.tasks.isolated!.dns_server = { '*': { value: { kind: 'ipv4', value: null, ref: 'gateway' }, raw: 'la puerta de enlace' } };
    const r2 = await grade('isolated', iso);
    const d = v(r2, 'isolated.dns_server.linux');
    expect(d.outcome).to.equal('fail');
    expect(d.studentAnswer).to.match(/^the gateway \(no address to compare/);

    const vi = answersFile({ very_isolated: referenceAnswers('very_isolated') });
    vi.tasks.very_isolated!.dns_server = { '*': { value: { kind: 'ipv4', value: null, ref: 'host' }, raw: 'el host' } };
    const r3 = await grade('very_isolated', vi);
    expect(v(r3, 'very_isolated.dns_server.linux').outcome).to.equal('fail');
    expect(v(r3, 'very_isolated.dns_server.linux').studentAnswer).to.match(/the host has no address on this network/);
  });

  it('a configuration naming the host as gateway and DNS server resolves both', async () => {
    const af = answersFile({ nat: referenceAnswers('nat') });
    af.tasks.nat!.vm_config!.linux = {
      value: { kind: 'ipv4-config', address: '192.168.101.130', prefix: 24, gateway: null, dns: [], gatewayRef: 'host', dnsRefs: ['gateway'] },
      raw: 'ip 192.168.101.130/24, puerta de enlace el host, dns la puerta de enlace',
    };
    const r = await grade('nat', af);
    const d = v(r, 'nat.vm_config.linux');
    expect(d.outcome).to.equal('pass');
    expect(d.studentAnswer).to.equal('192.168.101.130/24, gateway 192.168.101.1 (the host), DNS 192.168.101.1 (the gateway)');
  });

  it('an answer under a mistyped question id is not graded, and the report says so (no run error)', async () => {
    const p = tmp.write('exercise: clase2-redes\nstudent: { name: Ana }\nanswers:\n  nat:\n    outsied: sí\n    config: dinámica\n');
    const answers = await loadAnswers(p, spec, { lang: 'en' });
    const r = await grade('nat', answers);
    expect(r.errors).to.deep.equal([]);
    expect(r.answerNotices).to.have.length(1);
    expect(r.answerNotices![0]).to.match(/^Answers file answers\.nat\.outsied \(5:5\): question "outsied" does not exist in task "nat".*Did you mean "outside"\? \(not graded\)$/);
    expect(v(r, 'nat.outside.linux').codes).to.include('no-answer');
    expect(v(r, 'nat.config.linux').outcome).to.equal('pass');
    expect(renderers.text(r)).to.include('Answers that were not graded:\n  - Answers file answers.nat.outsied (5:5)');
    expect(renderers.html(r)).to.include('<div class="alert notices"><strong>Answers that were not graded</strong>');
  });
});
