// Format-specific properties beyond the golden files: schema validity, XML validity and structure,
// terminal safety, HTML escaping.
import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderers } from '../../../reports/index.js';
import { resultProblems } from '../../../reports/validate.js';
import { escapeHtml, escapeXml, csvField, stripControls } from '../../../reports/escape.js';
import { HOSTILE_NAME, SAMPLES, allVerdicts, loadSample } from './samples.js';

describe('reports: json', () => {
  for (const s of SAMPLES) {
    it(`${s}: the sample and its rendering validate against result.schema.json and round-trip`, async () => {
      const r = loadSample(s);
      expect(await resultProblems(r)).to.deep.equal([]);
      const back = JSON.parse(renderers.json(r));
      expect(back).to.deep.equal(r);
      expect(await resultProblems(back)).to.deep.equal([]);
    });
  }

  it('the schema rejects a malformed result, naming where', async () => {
    const r = loadSample('pass') as unknown as Record<string, unknown>;
    const bad = { ...r, schemaVersion: 2, totals: { ...(r.totals as object), percent: 'high' } };
    const problems = await resultProblems(bad);
    expect(problems.join('\n')).to.match(/\/schemaVersion/);
    expect(problems.join('\n')).to.match(/\/totals\/percent/);
  });
});

describe('reports: junit', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });
  for (const s of SAMPLES) {
    it(`${s}: valid XML with one testsuite per task and one testcase per verdict`, () => {
      const r = loadSample(s);
      const xml = renderers.junit(r);
      expect(XMLValidator.validate(xml)).to.equal(true);
      // No character XML 1.0 forbids, even escaped.
      expect(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(xml)).to.equal(false);
      const doc = parser.parse(xml);
      const suites = doc.testsuites.testsuite as Record<string, unknown>[];
      const runSuite = r.errors.length > 0 ? 1 : 0;
      expect(suites.length).to.equal(r.tasks.length + runSuite);
      const cases = suites.flatMap((x) => (x.testcase as Record<string, unknown>[]) ?? []);
      expect(cases.length).to.equal(allVerdicts(r).length + runSuite);
      const count = (k: string) => cases.filter((c) => c[k] !== undefined).length;
      expect(Number(doc.testsuites['@tests'])).to.equal(cases.length);
      expect(Number(doc.testsuites['@failures'])).to.equal(count('failure'));
      expect(Number(doc.testsuites['@errors'])).to.equal(count('error'));
      expect(Number(doc.testsuites['@skipped'])).to.equal(count('skipped'));
    });
  }

  it('mixed: failures, errors and skips map to their elements; hostile text stays text', () => {
    const r = loadSample('mixed');
    const xml = renderers.junit(r);
    const doc = parser.parse(xml);
    const cases = (doc.testsuites.testsuite as Record<string, unknown>[]).flatMap((x) => x.testcase as Record<string, unknown>[]);
    const failures = allVerdicts(r).filter((v) => v.outcome === 'fail' && v.severity === 'error').length;
    const errors = allVerdicts(r).filter((v) => v.outcome === 'error').length + 1; // + run errors
    const skips = allVerdicts(r).filter((v) => v.outcome === 'skip').length;
    expect(cases.filter((c) => c.failure !== undefined).length).to.equal(failures);
    expect(cases.filter((c) => c.error !== undefined).length).to.equal(errors);
    expect(cases.filter((c) => c.skipped !== undefined).length).to.equal(skips);
    expect(xml).to.not.include('<img');
    expect(xml).to.include('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('carries the access trail of each guest as suite properties (how it was reached, what failed and why)', () => {
    const r = loadSample('mixed');
    expect(r.access?.length).to.be.greaterThan(0);
    const doc = parser.parse(renderers.junit(r));
    const props = (doc.testsuites.testsuite as Record<string, unknown>[])[0]!.properties as { property: Record<string, string>[] };
    for (const g of r.access!) {
      const p = props.property.find((x) => x['@name'] === `access.${g.role}`);
      expect(p, g.role).to.not.equal(undefined);
      expect(p!['@value']).to.include(g.domain);
      for (const a of g.trail) expect(p!['@value']).to.include(a.method);
    }
  });

  it('names suites and testcases by id (the same in every language) and reports measured times', () => {
    const names = (lang: 'es' | 'en') => {
      const doc = parser.parse(renderers.junit(loadSample('mixed'), { lang }));
      const suites = doc.testsuites.testsuite as Record<string, unknown>[];
      return suites.flatMap((x) => [String(x['@name']), ...((x.testcase as Record<string, unknown>[]) ?? []).map((c) => `${c['@classname']} ${c['@name']}`)]);
    };
    expect(names('es')).to.deep.equal(names('en'));
    expect(names('en')).to.include('labgrade.nat.config nat.config.linux');
    const doc = parser.parse(renderers.junit(loadSample('mixed')));
    const suites = doc.testsuites.testsuite as Record<string, unknown>[];
    const nat = suites.find((x) => x['@name'] === 'labgrade.nat')!;
    const caseTimes = (nat.testcase as Record<string, unknown>[]).reduce((n, c) => n + Number(c['@time']), 0);
    expect(Number(nat['@time'])).to.be.greaterThan(0);
    expect(Number(nat['@time'])).to.be.closeTo(caseTimes, 0.0015);
    expect(Number(doc.testsuites['@time'])).to.be.greaterThan(0);
  });
});

describe('reports: text', () => {
  it('no escape sequence without colour, colours with it; guest control characters never pass', () => {
    const r = loadSample('mixed');
    const plain = renderers.text(r, { color: false });
    expect(plain).to.not.include('\u001b');
    expect(/[\u0000-\u0008\u000b-\u001f\u007f]/.test(plain)).to.equal(false);
    const color = renderers.text(r, { color: true });
    expect(color).to.include('\u001b[31m');
    // The only escapes are ours (SGR colour codes).
    expect(color.replace(/\u001b\[\d+m/g, '')).to.not.include('\u001b');
    expect(color).to.not.include('\u0007');
  });

  it('ends with the score line taken from the totals', () => {
    const lines = renderers.text(loadSample('pass')).trimEnd().split('\n');
    expect(lines.at(-1)).to.match(/^Puntuación: 7\/7 \(100 %\) — 18 correctas/);
    const mixed = renderers.text(loadSample('mixed')).trimEnd().split('\n');
    expect(mixed.at(-1)).to.match(/^Score: 2\/5 \(40%\) — 3 passed, 4 failed, 1 not measured, 1 skipped$/);
  });

  it('shows per question and VM the verdict, answer, observation, explanation and hint', () => {
    const out = renderers.text(loadSample('mixed'));
    expect(out).to.include('✘ Fail  linux  0/0.5');
    expect(out).to.include('Written: estática\n      Read as: static');
    // A hostile answer: its escape sequences shown as symbols, never sent to the terminal.
    expect(out).to.include('Written: <script>alert(1)</script>␛]0;pwned␇␛[2J; reboot\n      Read as: (unreadable answer)');
    expect(out).to.include('Unreadable answer (0 points)');
    expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(out)).to.equal(false);
    expect(out).to.include('Observed: dynamic (DHCP)');
    expect(out).to.include('Hint: In a NAT network libvirt runs a DHCP server');
    expect(out).to.include('? Not measured  linux');
    expect(out).to.include('- Skipped  windows');
  });
});

describe('reports: html (static checks)', () => {
  for (const s of SAMPLES) {
    it(`${s}: one self-contained page, no script, no external asset`, () => {
      const page = renderers.html(loadSample(s));
      expect(page.startsWith('<!DOCTYPE html>')).to.equal(true);
      expect(page).to.include('Content-Security-Policy');
      expect(page).to.not.match(/<script/i);
      expect(page).to.not.match(/<(img|link|iframe|object|embed|svg)\b/i);
      expect(page).to.not.match(/\b(src|href)="(?!#)/i);
      expect(page).to.not.match(/url\(/i);
      expect(page).to.include('@media print');
    });
  }

  it('escapes every hostile string', () => {
    const page = renderers.html(loadSample('mixed'));
    expect(page).to.include(escapeHtml(HOSTILE_NAME));
    expect(page).to.not.include(HOSTILE_NAME);
    expect(page).to.not.include('<svg');
    expect(page).to.not.include('<b>bold</b>');
    expect(/[\u0000-\u0008\u000b-\u001f]/.test(page)).to.equal(false);
  });

  it('labels in the result language, or the one asked for', () => {
    expect(renderers.html(loadSample('pass'))).to.include('<html lang="es">').and.include('<dt>Escrita</dt>').and.include('<dt>Leída como</dt>');
    expect(renderers.html(loadSample('pass'), { lang: 'en' })).to.include('<html lang="en">').and.include('<dt>Written</dt>').and.include('<dt>Read as</dt>');
  });
});

describe('reports: escaping helpers', () => {
  it('escapeHtml/escapeXml neutralize markup and drop what cannot be shown', () => {
    expect(escapeHtml('<a href="x">&\'</a>')).to.equal('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\u001b[31mc\ud800d\n')).to.equal('abcd&#10;');
    expect(stripControls('x\u001b]0;title\u0007y\r\nz')).to.equal('xy\nz');
  });
  it('csvField quotes separators and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).to.equal('"a,b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).to.equal(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-3.5')).to.equal('-3.5');
    expect(csvField(7.25)).to.equal('7.25');
    expect(csvField(null)).to.equal('');
  });
});
