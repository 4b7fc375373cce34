// The setup guides stay true: both languages exist, their YAML examples load with the real
// loaders, and the init/doctor options they mention exist.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { loadRoster } from '../../../grader/batch/roster.js';
import { register as registerInit } from '../../../grader/cli/commands/init.js';
import { register as registerDoctor } from '../../../grader/cli/commands/doctor.js';

const root = join(import.meta.dirname, '..', '..', '..');
const guides = join(root, 'docs', 'guides');
const tmp = mkdtempSync(join(tmpdir(), 'lg-guides-'));

function yamlBlocks(text: string): string[] {
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('onboarding: setup guides', () => {
  const en = readdirSync(join(guides, 'en')).sort();
  const es = readdirSync(join(guides, 'es')).sort();

  it('exist in Spanish and English, and the index and README link to them', () => {
    expect(en).to.deep.equal(es);
    expect(en).to.include.members(['linux-vm.md', 'windows-vm.md', 'self-check.md', 'teachers-batch.md']);
    const index = readFileSync(join(guides, 'README.md'), 'utf8');
    for (const f of en) {
      expect(index).to.contain(`(en/${f})`);
      expect(index).to.contain(`(es/${f})`);
    }
    for (const link of index.matchAll(/\]\(([^)]+)\)/g)) expect(existsSync(join(guides, link[1]!)), link[1]).to.equal(true);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).to.contain('docs/guides/');
  });

  for (const lang of ['en', 'es']) {
    it(`${lang}: the lab file examples load with loadLab`, async () => {
      for (const f of ['linux-vm.md', 'windows-vm.md']) {
        const blocks = yamlBlocks(readFileSync(join(guides, lang, f), 'utf8')).filter((b) => b.startsWith('vms:'));
        expect(blocks, f).to.have.length.greaterThan(0);
        for (const b of blocks) {
          const file = join(tmp, `${lang}-${f}.yaml`);
          writeFileSync(file, `uri: qemu:///system\n${b}`);
          const lab = await loadLab(file, { lang: 'en' });
          expect(Object.values(lab.vms)[0]?.access.length).to.equal(2);
        }
      }
    });

    it(`${lang}: the roster example loads with loadRoster`, async () => {
      const blocks = yamlBlocks(readFileSync(join(guides, lang, 'teachers-batch.md'), 'utf8'));
      const file = join(tmp, `${lang}-roster.yaml`);
      writeFileSync(file, blocks[0]!);
      const r = await loadRoster(file, 'en');
      expect(r.students.map((s) => s.id)).to.deep.equal(['alu01', 'alu02']);
    });

    it(`${lang}: every init/doctor option the guides mention exists`, () => {
      const program = new Command();
      registerInit(program, { lang: 'en' });
      registerDoctor(program, { lang: 'en' });
      const known = new Map(program.commands.map((c) => [c.name(), new Set(c.options.flatMap((o) => [o.long, o.short].filter(Boolean)))]));
      for (const f of readdirSync(join(guides, lang))) {
        const text = readFileSync(join(guides, lang, f), 'utf8');
        for (const m of text.matchAll(/labgrade (init|doctor)([^\n`|]*)/g)) {
          for (const opt of m[2]!.matchAll(/(?:^|\s)(--?[a-z][a-z-]*)/g)) {
            if (['--lang', '--help', '-h'].includes(opt[1]!)) continue;
            expect(known.get(m[1]!)!.has(opt[1]!), `${lang}/${f}: labgrade ${m[1]} ${opt[1]}`).to.equal(true);
          }
        }
      }
    });
  }
});
