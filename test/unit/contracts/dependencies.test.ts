// Which module may import which (issue 21 item 2): checks declare needs and read typed facts;
// collectors (grader/probes) measure; transports only carry scripts; the engine wires them through
// the checks' public registries. docs/ARCHITECTURE.md lists these contracts with this file.
import { expect } from 'chai';
import { importsBetween } from '../../helpers/sources.js';

const ENGINE_MAY_USE = new Set(['checks/types.ts', 'checks/host/index.ts', 'checks/questions/index.ts']);

describe('contracts: dependency direction', () => {
  it('no check imports from grader/probes (checks read facts from grader/types.ts and grader/facts/)', () => {
    expect(importsBetween(['checks'], ['grader/probes'])).to.deep.equal([]);
  });

  it('transports import nothing from grader/probes (the engine hands the identity check in)', () => {
    expect(importsBetween(['grader/transports'], ['grader/probes'])).to.deep.equal([]);
  });

  it('the engine imports no check internals: only checks/types.ts and the two registries', () => {
    expect(importsBetween(['grader/engine'], ['checks'], { except: (_f, target) => ENGINE_MAY_USE.has(target) })).to.deep.equal([]);
  });

  it('collectors import neither checks nor the engine, and facts modules import no collector', () => {
    expect(importsBetween(['grader/probes'], ['checks', 'grader/engine'])).to.deep.equal([]);
    expect(importsBetween(['grader/facts', 'grader/net', 'grader/verdict.ts'], ['grader/probes', 'grader/engine', 'grader/transports', 'checks'])).to.deep.equal([]);
  });

  it('renderers import neither collectors nor transports', () => {
    expect(importsBetween(['reports'], ['grader/probes', 'grader/transports'])).to.deep.equal([]);
  });

  it('the import scanner sees imports (a rule that can fail)', () => {
    expect(importsBetween(['grader/engine'], ['grader/probes']).length).to.be.greaterThan(0);
  });
});
