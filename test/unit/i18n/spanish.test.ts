// Spanish is written once, natively: the glossary of docs/es/glosario.md (its table's «No escribas»
// column), the tú register, plurals chosen by count (never "(s)") and numbers in Spanish style.
// Every failure names the catalog file, the key, the offending text and what to write instead.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogEntries, exerciseSpanishEntries, ROOT, type Entry } from './catalogs.js';
import { format, formatPercent } from '../../../grader/i18n/translate.js';

interface Ban {
  word: string;
  use: string;
}

/** The glossary table: | Término | Qué es | No escribas |. */
function glossaryBans(): Ban[] {
  const md = readFileSync(join(ROOT, 'docs', 'es', 'glosario.md'), 'utf8');
  const bans: Ban[] = [];
  for (const line of md.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || cells[1] === 'Término' || /^-+$/.test(cells[1]!)) continue;
    for (const w of cells[3]!.replace(/\([^)]*\)/g, '').split(',')) {
      const word = w.trim();
      if (word && word !== '—') bans.push({ word, use: cells[1]! });
    }
  }
  return bans;
}

/** Imperatives and possessives of the usted register, with the tú form to use. */
const USTED: Record<string, string> = {
  use: 'usa', utilice: 'usa', ejecute: 'ejecuta', compruebe: 'comprueba', instale: 'instala', revise: 'revisa',
  añada: 'añade', escriba: 'escribe', corrija: 'corrige', pruebe: 'prueba', vuelva: 'vuelve', asegúrese: 'asegúrate',
  indique: 'indica', abra: 'abre', configure: 'configura', inicie: 'inicia', elija: 'elige',
  consulte: 'consulta', copie: 'copia', borre: 'borra', elimine: 'elimina', habilite: 'habilita',
  conecte: 'conecta', reinicie: 'reinicia', defina: 'define', seleccione: 'selecciona', pulse: 'pulsa',
  introduzca: 'introduce', tenga: 'ten', haga: 'haz', ponga: 'pon', quite: 'quita', agregue: 'añade',
  edite: 'edita', guarde: 'guarda', mire: 'mira', espere: 'espera', intente: 'intenta', relance: 'vuelve a lanzar',
  asigne: 'asigna', acorte: 'acorta', usted: 'tú (o quita el pronombre)', ustedes: 'vosotros',
};

const L = '\\p{L}';
const word = (w: string): RegExp => new RegExp(`(?<!${L})${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!${L})`, 'iu');
const where = (e: Entry): string => `${e.file} › ${e.key}: «${e.text}»`;

describe('Spanish catalogs follow the glossary, the tú register and the plural/number rules', () => {
  let es: Entry[];
  before(async () => {
    // The catalogs and the bundled exercises' own Spanish (titles, prompts, hints) alike.
    es = [...(await catalogEntries('es')), ...exerciseSpanishEntries()];
  });

  it('reads the exercises\' Spanish texts too', () => {
    expect(es.filter((e) => e.file.startsWith('exercises/')).length).to.be.greaterThan(20);
  });

  it('the glossary (docs/es/glosario.md) has its table', () => {
    const bans = glossaryBans();
    expect(bans.map((b) => b.word)).to.include.members(['anfitrión', 'estudiante', 'enunciado', 'especificación']);
  });

  it('use the glossary term, never a banned synonym', () => {
    const bans = glossaryBans();
    const found: string[] = [];
    for (const e of es) {
      for (const b of bans) {
        // "VM" is case-sensitive (it is an abbreviation; "vm" in a key name is not a word of the text)
        const re = b.word === 'VM' ? /(?<![\p{L}-])VMs?(?![\p{L}-])/u : word(b.word);
        if (re.test(e.text)) found.push(`${where(e)}\n    writes «${b.word}»: write «${b.use}» (docs/es/glosario.md)`);
      }
    }
    expect(found, found.join('\n')).to.deep.equal([]);
  });

  it('speak to the reader as tú, never usted', () => {
    const found: string[] = [];
    for (const e of es) {
      for (const [u, tu] of Object.entries(USTED)) {
        // After "que" the same form is a subjunctive ("un usuario que lo tenga"), not usted.
        const imperative = new RegExp(`(?<!\\bque\\s(?:(?:lo|la|le|los|las|les|se|no)\\s)?)${word(u).source}`, 'iu');
        if (imperative.test(e.text)) found.push(`${where(e)}\n    writes «${u}» (usted): write «${tu}»`);
      }
    }
    expect(found, found.join('\n')).to.deep.equal([]);
  });

  it('choose plurals by count: no "(s)" / "(es)"', () => {
    const found = es
      .filter((e) => /\p{L}\((s|es)\)/u.test(e.text))
      .map((e) => `${where(e)}\n    writes a "(s)" plural: write {n, plural, one {# problema} other {# problemas}} (grader/i18n/translate.ts)`);
    expect(found, found.join('\n')).to.deep.equal([]);
  });

  it('write percentages and seconds as numbers in Spanish style: {x, number} %, {x, number} s', () => {
    const found = es
      .filter((e) => /\{\w+\}\s?%|\{\w+\} s\b/.test(e.text))
      .map((e) => `${where(e)}\n    writes a bare {placeholder} before % or s: write {x, number} % / {x, number} s (gives "83,2 %", "1,5 s")`);
    expect(found, found.join('\n')).to.deep.equal([]);
  });

  it('the helpers give Spanish plurals and numbers', () => {
    const tpl = '{n, plural, one {# problema} other {# problemas}}; media {m, number} %';
    expect(format(tpl, { n: 1, m: 83.2 }, 'es')).to.equal('1 problema; media 83,2 %');
    expect(format(tpl, { n: 2, m: 92.857 }, 'es')).to.equal('2 problemas; media 92,86 %');
    expect(format(tpl, { n: 0, m: 0 }, 'es')).to.equal('0 problemas; media 0 %');
    expect(format('{n, plural, one {# fail} other {# fails}}', { n: 1 }, 'en')).to.equal('1 fail');
    expect(format('{n, plural, =0 {none} one {# fail} other {# fails}}', { n: 0 }, 'en')).to.equal('none');
    expect(formatPercent('es', 83.25)).to.equal('83,3 %');
    expect(formatPercent('en', 83.25)).to.equal('83.3%');
  });
});
