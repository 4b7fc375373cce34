// The check registry: every check the shipped spec names is registered exactly once, every
// registered question check is used by some spec question (no dead entries), and the question
// registry's keys are the checks' own names.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checks, duplicateCheckNames, hostChecks, questionCheckList, questionChecks } from '../../../checks/index.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';

const EXERCISES = fileURLToPath(new URL('../../../exercises/', import.meta.url));
const SPECS = readdirSync(EXERCISES).filter((f) => f.endsWith('.yaml')).map((f) => `${EXERCISES}${f}`);
const QUESTIONS_DIR = fileURLToPath(new URL('../../../checks/questions/', import.meta.url));

describe('check registry', () => {
  it('registers every check once (host and question checks together)', () => {
    expect(duplicateCheckNames()).to.deep.equal([]);
    expect(duplicateCheckNames([{ name: 'a' }, { name: 'b' }, { name: 'a' }])).to.deep.equal(['a']);
    expect(hostChecks.length).to.be.greaterThan(0);
    expect(checks.host).to.equal(hostChecks);
  });

  it('keys question checks by their own name', () => {
    for (const [key, c] of Object.entries(questionChecks)) expect(c.name).to.equal(key);
    expect(Object.keys(questionChecks).length).to.equal(questionCheckList.length);
  });

  it('has every check the shipped specs name, exactly once, and no unused one', async () => {
    const named: string[] = [];
    for (const file of SPECS) named.push(...Object.values((await loadSpec(file, { checks: questionChecks })).questions).map((q) => q.check));
    for (const name of named) {
      expect(questionCheckList.filter((c) => c.name === name), `check ${name}`).to.have.length(1);
    }
    expect([...new Set(named)].sort()).to.deep.equal(Object.keys(questionChecks).sort());
  });

  it('has one module per question check', () => {
    const modules = readdirSync(QUESTIONS_DIR).filter((f) => f.endsWith('.ts') && !['index.ts', 'util.ts', 'reach.ts', 'params.ts'].includes(f));
    expect(modules.map((f) => f.replace(/\.ts$/, '')).sort()).to.deep.equal(Object.keys(questionChecks).sort());
  });
});
