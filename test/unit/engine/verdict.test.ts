// grader/verdict.ts: the one constructor of host, question, skipped and crashed-check verdicts.
import { expect } from 'chai';
import { verdict } from '../../../grader/verdict.js';
import { data } from '../../../grader/i18n/messages.js';

describe('verdict()', () => {
  it('a host verdict: id <task>.host.<check>.<subject>, 0 points, defaults filled', () => {
    const v = verdict({ task: 't1', check: 'vm-running', subject: 'debian12', role: 'linux', outcome: 'pass', message: data('ok'), lang: 'en' });
    expect(v).to.deep.equal({
      id: 't1.host.vm-running.debian12', task: 't1', check: 'vm-running', subject: 'debian12', role: 'linux', outcome: 'pass', severity: 'error',
      points: 0, maxPoints: 0, studentAnswer: null, observed: null, theory: null, message: 'ok', hints: [], codes: [], evidence: [],
      words: { message: data('ok'), studentAnswer: null, observed: null, theory: null, hints: [] },
    });
  });

  it('a question verdict: id <task>.<question>.<role>, the title in the language, points rounded; error and skip score 0', () => {
    const q = { id: 'q1', title: { es: 'Método', en: 'Method' } };
    const answer = { value: null, raw: 'x'.repeat(500), ignored: ['y'] };
    const v = verdict({ task: 't1', question: q, check: 'config-method', role: 'linux', lang: 'en', outcome: 'fail', points: 1 / 3, maxPoints: 2 / 3, studentAnswer: null, answer, message: data('m') });
    expect(v.id).to.equal('t1.q1.linux');
    expect(v.questionTitle).to.equal('Method');
    expect(v.points).to.equal(0.33);
    expect(v.maxPoints).to.equal(0.67);
    expect(v.answerWritten).to.match(/^x{400}… \(\+100\)$/);
    expect(v.answerIgnored).to.deep.equal(['y']);
    for (const outcome of ['error', 'skip'] as const) expect(verdict({ task: 't1', question: q, check: 'c', role: 'r', lang: 'es', outcome, points: 1, maxPoints: 1, studentAnswer: null, answer: undefined, message: data('') }).points).to.equal(0);
  });
});
