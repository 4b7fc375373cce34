// Every catalog pair grader/i18n/es/<area>.ts and grader/i18n/en/<area>.ts has the same keys and,
// for each key, the same {placeholders}; no text is empty.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { placeholderNames } from '../../../grader/i18n/translate.js';

const i18n = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'grader', 'i18n');
const placeholders = placeholderNames;

describe('i18n catalogs', () => {
  const areas = readdirSync(join(i18n, 'es')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));

  it('come in pairs: every Spanish area has an English one and vice versa', () => {
    const en = readdirSync(join(i18n, 'en')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
    expect(areas.length).to.be.greaterThan(0);
    expect([...en].sort()).to.deep.equal([...areas].sort());
  });

  for (const area of areas) {
    it(`${area}: same keys and placeholders in es and en`, async () => {
      const es = ((await import(pathToFileURL(join(i18n, 'es', `${area}.ts`)).href)) as { default: Record<string, string> }).default;
      const en = ((await import(pathToFileURL(join(i18n, 'en', `${area}.ts`)).href)) as { default: Record<string, string> }).default;
      expect(Object.keys(en).sort(), `${area}: keys`).to.deep.equal(Object.keys(es).sort());
      for (const key of Object.keys(es)) {
        expect(es[key], `${area}.${key} (es)`).to.be.a('string').and.match(/\S/);
        expect(en[key], `${area}.${key} (en)`).to.be.a('string').and.match(/\S/);
        expect(placeholders(en[key]!), `${area}.${key}: placeholders`).to.deep.equal(placeholders(es[key]!));
      }
    });
  }
});
