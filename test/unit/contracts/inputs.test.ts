// The inputs module owns every file labgrade reads (issue 21 item 1): nothing outside grader/inputs
// imports the YAML *parser*; writing YAML (stringify, building a Document) may happen elsewhere.
// docs/ARCHITECTURE.md lists this contract.
import { expect } from 'chai';
import { sourceFiles, sourceText } from '../../helpers/sources.js';

const CODE = ['grader', 'checks', 'reports', 'bin', 'scripts'];
/** What `yaml` exports for writing or inspecting a built document: allowed anywhere. */
const WRITE_ONLY = new Set(['stringify', 'Document', 'isMap', 'isScalar', 'isSeq', 'isPair', 'Pair', 'Scalar', 'YAMLMap', 'YAMLSeq', 'Node', 'type']);

/** The names a file imports from 'yaml' ('*' for a namespace, default or dynamic import). */
export function yamlImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/import\s+(type\s+)?([^'";]*?)\s+from\s+['"]yaml['"]/g)) {
    const clause = m[2]!.trim();
    const named = /\{([^}]*)\}/.exec(clause);
    if (named) for (const n of named[1]!.split(',')) {
      const name = n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim();
      if (name) out.push(name);
    }
    if (!clause.startsWith('{') || /\*\s+as/.test(clause)) out.push('*');
  }
  if (/import\(\s*['"]yaml['"]\s*\)|require\(\s*['"]yaml['"]\s*\)/.test(text)) out.push('*');
  return out;
}

describe('contracts: the inputs module', () => {
  it('recognises what a file imports from yaml', () => {
    expect(yamlImports("import { parse, stringify as s } from 'yaml';")).to.deep.equal(['parse', 'stringify']);
    expect(yamlImports("import YAML from 'yaml';")).to.deep.equal(['*']);
    expect(yamlImports("import * as Y from 'yaml';")).to.deep.equal(['*']);
    expect(yamlImports("const y = await import('yaml');")).to.deep.equal(['*']);
    expect(yamlImports("import { Document, type Pair } from 'yaml';")).to.deep.equal(['Document', 'Pair']);
  });

  it('nothing outside grader/inputs imports the YAML parser (parse, parseDocument, Parser...)', () => {
    const offenders: string[] = [];
    for (const f of sourceFiles(...CODE)) {
      if (f.startsWith('grader/inputs/')) continue;
      const bad = yamlImports(sourceText(f)).filter((n) => !WRITE_ONLY.has(n));
      if (bad.length > 0) offenders.push(`${f}: ${bad.join(', ')}`);
    }
    expect(offenders).to.deep.equal([]);
  });

  it('the bounded reader has one address: grader/inputs/read.ts, re-exported nowhere (no alias to drift from it)', () => {
    const offenders: string[] = [];
    for (const f of sourceFiles(...CODE)) {
      if (f === 'grader/inputs/read.ts') continue;
      const text = sourceText(f);
      if (/export\s+\*\s+from\s+['"][^'"]*inputs\/read(\.js)?['"]/.test(text) || /export\s*\{[^}]*\breadInput\b[^}]*\}\s*from/.test(text)) offenders.push(f);
    }
    expect(offenders).to.deep.equal([]);
  });
});
