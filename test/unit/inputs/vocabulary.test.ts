// One vocabulary per language for yes / no / none / unsure (grader/inputs/answers/vocabulary.ts):
// every reader takes its words from it, so a word means the same in every kind of question, and an
// answer that says the student does not know is never read as "no" nor as "none".
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readAnswer } from '../../../grader/inputs/answers/index.js';
import { VOCABULARY, isNoneAnswer, isUnsureAnswer } from '../../../grader/inputs/answers/vocabulary.js';
import type { AnswerKind } from '../../../grader/types.js';
import { root } from './helpers.js';

const KINDS: AnswerKind[] = ['yes-no', 'config-method', 'ipv4', 'ipv4-config'];

describe('answer vocabulary (es, en)', () => {
  for (const lang of ['es', 'en'] as const) {
    const v = VOCABULARY[lang];
    it(`${lang}: every yes word reads yes, every no word reads no`, () => {
      for (const w of v.yes) expect(readAnswer('yes-no', w), w).to.deep.include({ ok: true, value: { kind: 'yes-no', value: true } });
      for (const w of v.no) expect(readAnswer('yes-no', w), w).to.deep.include({ ok: true, value: { kind: 'yes-no', value: false } });
    });

    it(`${lang}: every none word is "none" for a DNS server, and for a gateway field`, () => {
      for (const w of [...v.noneWords, ...v.nonePhrases]) {
        expect(isNoneAnswer(w), w).to.equal(true);
        const r = readAnswer('ipv4', w);
        expect(r.ok && r.value, w).to.deep.equal({ kind: 'ipv4', value: null });
      }
      for (const w of v.noneWords) {
        const r = readAnswer('ipv4-config', `192.168.102.2/24, puerta de enlace ${w}`);
        expect(r.ok && r.value, w).to.deep.include({ gateway: null, address: '192.168.102.2' });
      }
    });

    it(`${lang}: every unsure phrase is unsure in every kind of question (never "no", never "none")`, () => {
      for (const p of [...v.unsure, ...v.unsureAtEnd]) {
        expect(isUnsureAnswer(p), p).to.equal(true);
        expect(isUnsureAnswer(`${p}.`), p).to.equal(true);
        for (const kind of KINDS) {
          const r = readAnswer(kind, p);
          expect(r.ok ? r.value : r.code, `${kind}: ${p}`).to.equal('ansUnsure');
        }
      }
    });
  }

  it('no word is both none and unsure, and "no" alone is no (yes/no) and none (DNS server)', () => {
    const all = [...VOCABULARY.es.unsure, ...VOCABULARY.en.unsure, ...VOCABULARY.es.unsureAtEnd];
    for (const p of all) expect(isNoneAnswer(p), p).to.equal(false);
    expect(readAnswer('yes-no', 'no')).to.deep.include({ ok: true, value: { kind: 'yes-no', value: false } });
    expect(readAnswer('ipv4', 'no')).to.deep.include({ ok: true, value: { kind: 'ipv4', value: null } });
    expect(readAnswer('ipv4', 'ninguna')).to.deep.include({ ok: true, value: { kind: 'ipv4', value: null } });
    expect(readAnswer('ipv4', 'none')).to.deep.include({ ok: true, value: { kind: 'ipv4', value: null } });
  });

  it('"no se puede" is a no, "no sé" anywhere is unsure, "no se" only where the clause ends', () => {
    expect(isUnsureAnswer('No se puede')).to.equal(false);
    expect(readAnswer('yes-no', 'No se puede')).to.deep.include({ ok: true, value: { kind: 'yes-no', value: false } });
    expect(isUnsureAnswer('No sé si funciona')).to.equal(true);
    expect(isUnsureAnswer('no se, creo que sí')).to.equal(true);
    expect(isUnsureAnswer('no se')).to.equal(true);
    expect(isUnsureAnswer('sí')).to.equal(false);
    expect(isUnsureAnswer('sí?')).to.equal(false);
  });

  it('the readers hold no word list of their own for none (one vocabulary, not copies that drift)', () => {
    const dir = join(root, 'grader', 'inputs');
    const files = [join(dir, 'parse-answer.ts'), ...readdirSync(join(dir, 'answers')).filter((f) => f.endsWith('.ts') && f !== 'vocabulary.ts').map((f) => join(dir, 'answers', f))];
    for (const f of files) {
      const src = readFileSync(f, 'utf8').split('\n').filter((l) => !l.trim().startsWith('//') && !l.trim().startsWith('*'));
      expect(src.filter((l) => /'ningun[oa]?'|'vacio'|'empty'|'no hay'/.test(l)), f).to.deep.equal([]);
    }
  });
});
