// The README stays a page a newcomer reads in five minutes (under 250 lines: what it is, install, the
// two quick-start commands, the commands table, links), every command is in its table, and the
// links of the README and of docs/{en,es}/ lead somewhere.
import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../../../grader/cli/main.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function brokenLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const bad: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!.split('#')[0]!;
    if (!target || /^[a-z]+:/.test(target)) continue;
    const path = join(dirname(file), target);
    if (existsSync(path)) continue;
    bad.push(`${file.slice(root.length)}: ${m[1]}`);
  }
  return bad;
}

describe('README and docs', () => {
  it('the README is under 250 lines, with install, quick start, commands and documentation', () => {
    expect(readme.split('\n').length).to.be.below(250);
    for (const h of ['## Install', '## Quick start', '## Commands', '## Documentation']) expect(readme).to.include(h);
    expect(readme).to.include('sudo npm run demo').and.include('sudo npm test');
  });

  it('the commands table names every command of the CLI', async () => {
    const program = await buildProgram({ lang: 'en' });
    const table = readme.slice(readme.indexOf('## Commands'), readme.indexOf('## Documentation'));
    for (const c of program.commands.filter((x) => x.name() !== 'help')) expect(table, c.name()).to.include(`\`labgrade ${c.name()}`);
  });

  it('every relative link of the README and of docs/en, docs/es leads to a file', () => {
    const files = [join(root, 'README.md')];
    for (const lang of ['en', 'es']) {
      for (const f of readdirSync(join(root, 'docs', lang)).filter((x) => x.endsWith('.md'))) files.push(join(root, 'docs', lang, f));
    }
    const bad = files.flatMap(brokenLinks);
    expect(bad, bad.join('\n')).to.deep.equal([]);
  });

  it('every reference page in Spanish has its English page (and the install guides start both languages)', () => {
    const en = new Set(readdirSync(join(root, 'docs', 'en')));
    for (const f of readdirSync(join(root, 'docs', 'es')).filter((x) => x.endsWith('.md') && x !== 'glosario.md')) expect(en.has(f), f).to.equal(true);
    for (const lang of ['en', 'es']) {
      const guide = readFileSync(join(root, 'docs', 'guides', lang, 'self-check.md'), 'utf8');
      expect(guide.indexOf('## 0.'), `${lang}/self-check.md starts with installing`).to.be.greaterThan(0);
      expect(guide.indexOf('## 0.')).to.be.below(guide.indexOf('## 1.'));
    }
  });
});
