import { expect } from 'chai';
import { parseDocument } from 'yaml';
import { answersTemplate } from '../../../grader/inputs/answers-template.js';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import type { ExerciseSpec, InputIssue } from '../../../grader/types.js';
import { SEED_QUESTIONS, TempDir, inputError, shipped } from './helpers.js';

/** The course's reference answers (course-facts.md), per task. */
const REFERENCE: Record<string, Record<string, unknown>> = {
  nat: {
    config: 'dinámica',
    vm_config: {
      linux: { address: '192.168.101.218/24', gateway: '192.168.101.1', dns: '192.168.101.1' },
      windows: { address: '192.168.101.219 255.255.255.0', gateway: '192.168.101.1', dns: '192.168.101.1' },
    },
    outside: 'sí', dns: 'sí', dns_server: '192.168.101.1', vm_to_vm: 'sí', host: 'sí',
  },
  isolated: {
    config: 'estática',
    vm_config: {
      linux: { address: '192.168.102.2/24', gateway: 'ninguna', dns: 'ninguno' },
      windows: { address: '192.168.102.3/24', gateway: 'ninguna', dns: 'ninguno' },
    },
    outside: 'no', dns: 'no', dns_server: 'ninguno', vm_to_vm: 'sí', host: 'sí',
  },
  very_isolated: {
    config: 'estática',
    vm_config: {
      linux: { address: '172.22.0.2/16', gateway: 'ninguna', dns: 'ninguno' },
      windows: { address: '172.22.0.3/16', gateway: 'ninguna', dns: 'ninguno' },
    },
    outside: 'no', dns: 'no', dns_server: 'ninguno', vm_to_vm: 'sí', host: 'no',
  },
};

/** Fills a template's empty values in place (comments kept). */
function fill(template: string): string {
  const doc = parseDocument(template);
  doc.setIn(['student', 'name'], 'Ana García');
  for (const [task, qs] of Object.entries(REFERENCE)) {
    for (const [q, v] of Object.entries(qs)) {
      if (typeof v === 'string') doc.setIn(['answers', task, q], v);
      else for (const [role, fields] of Object.entries(v as Record<string, Record<string, string>>)) for (const [f, x] of Object.entries(fields)) doc.setIn(['answers', task, q, role, f], x);
    }
  }
  return doc.toString();
}

describe('answers template (labgrade answers init)', () => {
  const tmp = new TempDir();
  let spec: ExerciseSpec;
  before(async () => {
    spec = await loadSpec(shipped, { lang: 'es' });
  });
  after(() => tmp.remove());

  it('in Spanish, lists every question of the seed for every task, as comments', () => {
    const text = answersTemplate(spec, 'es', { schemaRef: './exercises/schema/answers.schema.json' });
    expect(text.split('\n')[0]).to.equal('# yaml-language-server: $schema=./exercises/schema/answers.schema.json');
    for (const q of SEED_QUESTIONS) {
      const lines = text.split('\n').filter((l) => l.includes(q));
      expect(lines, q).to.have.length(3);
      for (const l of lines) expect(l.trim().startsWith('#')).to.equal(true);
    }
    expect(text).to.include('Respuesta: sí | no');
    expect(text).to.not.include('Answer:');
  });

  it('in English, uses the English prompts', () => {
    const text = answersTemplate(spec, 'en');
    expect(text).to.include('What kind of network configuration did you need (static or dynamic)?');
    expect(text).to.not.include('¿Hay conectividad');
  });

  it('as generated, is valid (strict, as validate reads it): the missing name and every question unanswered are warnings', async () => {
    const p = tmp.write(answersTemplate(spec, 'en'));
    const warnings: InputIssue[] = [];
    await loadAnswers(p, spec, { lang: 'en', warnings, strict: true });
    expect(warnings.map((i) => i.path)).to.include('student.name');
    expect(warnings.map((i) => i.message)).to.include('task not answered: nat');
  });

  for (const lang of ['es', 'en'] as const) {
    it(`filled with the course's reference answers, validates with no warnings (${lang})`, async () => {
      const p = tmp.write(fill(answersTemplate(spec, lang)));
      const warnings: InputIssue[] = [];
      const a = await loadAnswers(p, spec, { lang, warnings });
      expect(warnings).to.deep.equal([]);
      for (const task of spec.tasks) expect(Object.keys(a.tasks[task.id]!)).to.deep.equal(task.questions);
      expect(a.tasks.very_isolated!.vm_config!.windows!.value).to.deep.equal({ kind: 'ipv4-config', address: '172.22.0.3', prefix: 16, gateway: null, dns: [] });
    });
  }
});
