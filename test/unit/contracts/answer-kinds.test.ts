// Contract (issue 21 item 4): one module per answer kind holds its reading, words, comparison and
// theory (grader/answers/kinds/<kind>.ts), behind one registry (grader/answers/index.ts); the
// engine's grading and the answers loader know no kind. docs/ARCHITECTURE.md lists this contract.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { answerKinds } from '../../../grader/answers/index.js';
import { readAnswer } from '../../../grader/inputs/answers/index.js';
import type { AnswerKind } from '../../../grader/types.js';
import { ROOT, sourceText } from '../../helpers/sources.js';

const KINDS: AnswerKind[] = ['config-method', 'yes-no', 'ipv4', 'ipv4-config'];
const KIND_LITERAL = /['"](?:config-method|yes-no|ipv4|ipv4-config)['"]/;

describe('contract: answer kinds as modules', () => {
  it('every answer kind has exactly one module, registered under its kind, with every part', () => {
    const files = readdirSync(join(ROOT, 'grader/answers/kinds')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
    expect(files).to.deep.equal([...KINDS].sort());
    expect(Object.keys(answerKinds).sort()).to.deep.equal([...KINDS].sort());
    for (const k of KINDS) {
      const m = answerKinds[k];
      expect(m.kind, k).to.equal(k);
      for (const part of ['read', 'render', 'compare', 'renderTheory', 'theoryHolds'] as const) expect(m[part], `${k}.${part}`).to.be.a('function');
      // The module of the kind is the one the registry names.
      expect(sourceText('grader/answers/index.ts')).to.match(new RegExp(`from '\\./kinds/${k}\\.js'`));
    }
  });

  it('the grading and the answers loader name no kind (they go through the registry)', () => {
    for (const f of ['grader/engine/grade.ts', 'grader/inputs/answers/index.ts']) {
      const code = sourceText(f).replace(/\/\/.*$/gm, '');
      expect(KIND_LITERAL.exec(code)?.[0] ?? null, f).to.equal(null);
    }
  });

  it('readAnswer reads through the kind module (the same reading)', () => {
    expect(readAnswer('yes-no', 'sí, responde')).to.deep.equal(answerKinds['yes-no'].read('sí, responde'));
    expect(readAnswer('ipv4', '192.168.101.1')).to.deep.equal(answerKinds.ipv4.read('192.168.101.1'));
    // Shared before any kind: an unsure answer is never read by the kind's reader.
    expect(readAnswer('yes-no', 'no lo sé')).to.include({ ok: false, code: 'ansUnsure' });
  });

  it('the rule can fail: a kind literal in a file is seen', () => {
    expect(KIND_LITERAL.test("if (v.kind === 'yes-no')")).to.equal(true);
  });
});
