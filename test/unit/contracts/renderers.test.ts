// Contract: every renderer is in reports/ and registered there; `--format` is checked once, from
// the registry's format lists (grader/cli/format-option.ts), with one wording.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FORMATS, registry } from '../../../reports/index.js';
import { formatOption } from '../../../grader/cli/format-option.js';
import { InputError } from '../../../grader/types.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

describe('contract: one presentation layer (renderers)', () => {
  it('every report kind has exactly the formats reports/formats.ts lists, each rendered by a registered renderer', () => {
    const kinds = Object.keys(registry).sort();
    expect(kinds).to.deep.equal(Object.keys(FORMATS).filter((k) => k !== 'listing').sort());
    for (const kind of kinds as (keyof typeof registry)[]) {
      const byFormat = registry[kind] as Record<string, { format: string; extension: string; mediaType: string }>;
      expect(Object.keys(byFormat).sort(), kind).to.deep.equal([...FORMATS[kind]].sort());
      for (const [format, r] of Object.entries(byFormat)) {
        expect(r.format, `${kind}.${format}`).to.equal(format);
        expect(r.extension).to.match(/^[a-z]+$/);
        expect(r.mediaType).to.match(/^[a-z]+\/[a-z+-]+/);
      }
    }
  });

  it('no renderer lives outside reports/ (no render*Text/Html/Csv/Junit export, no report styles or defineRenderer elsewhere)', () => {
    const offenders: string[] = [];
    for (const file of [...sources('grader'), ...sources('checks')]) {
      const src = readFileSync(join(ROOT, file), 'utf8');
      if (/export (?:function|const) render\w*(?:Text|Html|Csv|Junit|Json)\b/.test(src)) offenders.push(`${file}: exports a renderer`);
      if (/reports\/html-style\.js|defineRenderer/.test(src)) offenders.push(`${file}: renders a report`);
    }
    expect(offenders).to.deep.equal([]);
  });

  it('every command checks --format through formatOption, never by hand', () => {
    const offenders: string[] = [];
    for (const file of sources('grader/cli/commands')) {
      const src = readFileSync(join(ROOT, file), 'utf8');
      if (!src.includes("'--format")) continue;
      if (!src.includes('formatOption(')) offenders.push(`${relative(ROOT, join(ROOT, file))}: has --format but no formatOption`);
      if (/format\s*!==\s*'|FORMATS\s*=|[bB]adFormat/.test(src)) offenders.push(`${file}: checks --format by hand`);
    }
    expect(offenders).to.deep.equal([]);
  });

  it('one wording for a bad --format, naming the kind\'s valid formats, in the run\'s language', () => {
    const msg = (kind: keyof typeof FORMATS, lang: 'es' | 'en') => {
      try {
        formatOption(kind, 'pdf', lang);
      } catch (e) {
        expect(e).to.be.instanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('accepted pdf');
    };
    expect(msg('result', 'en')).to.equal('--format takes text, json, junit, html, not "pdf"');
    expect(msg('doctor', 'en')).to.equal('--format takes text, json, not "pdf"');
    expect(msg('inspect', 'es')).to.equal('--format admite text, json, no «pdf»');
    expect(formatOption('result', undefined, 'en')).to.equal('text');
    expect(formatOption('result', 'junit', 'en')).to.equal('junit');
    expect(() => formatOption('listing', 'toString', 'en')).to.throw(InputError);
  });
});
