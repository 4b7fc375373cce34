// The corpus of answers as students write them (test/fixtures/answers-corpus/): every case reads
// as recorded, and every hostile answer is unreadable. Also: hostile answers stay inert in
// validate's messages (controls made visible) and megabyte lines are refused, not scanned.
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readAnswer } from '../../../grader/inputs/answers/index.js';
import type { AnswerKind, AnswerValue } from '../../../grader/types.js';
import { visible } from '../../../grader/util/visible.js';
import { fixtures } from './helpers.js';

const DIR = join(fixtures, '..', 'answers-corpus');

interface Case {
  kind?: AnswerKind;
  answer: unknown;
  read?: unknown;
  ignored?: string[];
  pasted?: string;
  unreadable?: string;
}

function load(file: string): { kind: string; cases: Case[] } {
  return parse(readFileSync(join(DIR, file), 'utf8')) as { kind: string; cases: Case[] };
}

function expected(kind: AnswerKind, read: unknown): AnswerValue {
  if (kind === 'ipv4-config') return { kind, ...(read as object) } as AnswerValue;
  if (kind === 'ipv4' && read !== null && typeof read === 'object') {
    const r = read as { value?: string; ref?: string; others?: string[] };
    return { kind, value: r.value ?? null, ...(r.ref ? { ref: r.ref } : {}), ...(r.others ? { others: r.others } : {}) } as AnswerValue;
  }
  return { kind, value: read } as AnswerValue;
}

const label = (c: Case): string => JSON.stringify(c.answer).slice(0, 90);

describe('answers corpus: read as students write them', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'hostile.yaml');
  let total = 0;
  for (const file of files) {
    const { kind, cases } = load(file);
    total += cases.length;
    it(`${file}: ${cases.length} answers read as recorded`, () => {
      const wrong: string[] = [];
      for (const c of cases) {
        const r = readAnswer(kind as AnswerKind, c.answer);
        const got = r.ok ? { value: r.value, ignored: r.ignored, pasted: r.pasted } : { unreadable: r.code };
        const want = c.unreadable ? { unreadable: c.unreadable } : { value: expected(kind as AnswerKind, c.read), ignored: c.ignored ?? [], pasted: c.pasted };
        try {
          expect(got).to.deep.equal(want);
        } catch {
          wrong.push(`${label(c)}\n     got  ${JSON.stringify(got)}\n     want ${JSON.stringify(want)}`);
        }
      }
      expect(wrong, `\n${wrong.join('\n')}`).to.deep.equal([]);
    });
  }
  it('holds at least 150 answers', () => {
    expect(total).to.be.at.least(150);
  });
});

describe('answers corpus: hostile answers are unreadable and shown inert', () => {
  const { cases } = load('hostile.yaml');
  it(`${cases.length} hostile answers (at least 30) are unreadable, with the reason expected`, () => {
    expect(cases.length).to.be.at.least(30);
    const wrong: string[] = [];
    for (const c of cases) {
      const r = readAnswer(c.kind!, c.answer);
      if (r.ok || r.code !== c.unreadable) wrong.push(`${label(c)}: ${JSON.stringify(r)}`);
    }
    expect(wrong, `\n${wrong.join('\n')}`).to.deep.equal([]);
  });

  it('shows every control character as a visible symbol', () => {
    for (const c of cases) {
      const shown = visible(typeof c.answer === 'string' ? c.answer : JSON.stringify(c.answer));
      expect(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e]/u.test(shown), label(c)).to.equal(false);
    }
    expect(visible('\u001b]0;pwned\u0007\u001b[2J')).to.equal('␛]0;pwned␇␛[2J');
    expect(visible('a\u202eb\u0085c')).to.equal('a⟨U+202E⟩b⟨U+0085⟩c');
    expect(visible('x'.repeat(50), 10)).to.equal(`${'x'.repeat(10)}… (+40)`);
  });

  it('refuses megabyte lines without scanning them', () => {
    for (const kind of ['yes-no', 'config-method', 'ipv4', 'ipv4-config'] as const) {
      const big = `${kind === 'yes-no' ? 'sí ' : '192.168.101.1 '}${'a'.repeat(1_000_000)}`;
      const r = readAnswer(kind, big);
      expect(r.ok ? 'read' : r.code, kind).to.equal('ansTooLong');
    }
    const r = readAnswer('ipv4-config', { address: `192.168.101.218/24 ${'9'.repeat(1_000_000)}` });
    expect(r.ok ? 'read' : r.code).to.equal('ansTooLong');
  });
});
