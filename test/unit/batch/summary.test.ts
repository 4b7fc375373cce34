// The class outputs: Moodle CSV, aggregate JSON, summary page (static checks and headless Chromium).
import { expect } from 'chai';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRoster, type Roster } from '../../../grader/batch/roster.js';
import { runBatch } from '../../../grader/batch/run.js';
import { writeClassOutputs } from '../../../grader/batch/outputs.js';
import { buildSummary, scaleGrade, type ClassSummary } from '../../../grader/batch/summary.js';
import { summaryCsv as renderCsv } from '../../../reports/summary.js';
import type { GradeFn } from '../../../grader/batch/types.js';
import { InputError } from '../../../grader/types.js';
import { redact } from '../../../grader/inputs/secrets.js';
import { ARTIFACTS, chromiumAvailable, withChromium } from '../reports/chromium.js';
import { HOSTILE_NAME } from '../reports/samples.js';
import { fakeResult, tempClass, writeFiles } from './helpers.js';

const EXERCISE = { id: 'clase2-redes', title: 'Clase 2: redes', file: '' };

/** Moodle's reader: fgetcsv-like split (quotes, doubled quotes), first line = headers. */
function parseCsv(text: string, sep = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) row.push(field), (field = '');
    else if (c === '\r') continue;
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

async function classWith(dir: string, exportYaml = ''): Promise<Roster> {
  const students = [
    ['ana', 'Ana García', 'ana@x.org', '111'],
    ['luis', 'Luis, "el Rápido"', 'luis@x.org', '222'],
    ['marta', HOSTILE_NAME, 'marta@x.org', '333'],
    ['pedro', 'Pedro', 'pedro@x.org', '444'],
    ['sara', 'Sara', 'sara@x.org', '555'],
    ['tom', 'Tom', 'tom@x.org', '666'],
  ];
  const lines = ['defaults:', '  answers: a/{id}.yaml', '  lab: lab.yaml', exportYaml, 'students:'];
  for (const [id, name, email, num] of students) lines.push(`  - { id: ${id}, name: ${JSON.stringify(name)}, email: ${JSON.stringify(email)}, idNumber: "${num}" }`);
  await writeFiles(dir, { 'roster.yaml': `${lines.filter(Boolean).join('\n')}\n`, 'spec.yaml': 'x\n' });
  return loadRoster(join(dir, 'roster.yaml'), 'es');
}

const grade: GradeFn = async (s) => {
  switch (s.id) {
    case 'ana':
      return fakeResult(s.name);
    case 'luis':
      return fakeResult(s.name, { failing: ['nat.config.linux', 'nat.config.windows', 'nat.dns_server.linux'], partial: ['nat.vm_config.linux'] });
    case 'marta':
      return fakeResult(s.name, { failing: ['nat.config.linux', 'nat.vm_to_vm.windows'] });
    case 'pedro':
      return fakeResult(s.name, { failing: ['nat.config.linux'] });
    case 'sara':
      return fakeResult(s.name, { unmeasured: ['nat.outside.windows'], errors: ['win10: el huésped está apagado'] });
    default:
      throw new InputError('bad answers', [{ file: 'a/tom.yaml', line: 2, column: 3, message: 'respuesta no válida' }]);
  }
};

describe('batch: class outputs', function () {
  this.timeout(60_000);
  let dir: string;
  let summary: ClassSummary;
  before(async () => {
    dir = await tempClass();
    const roster = await classWith(dir, 'export: { identity: email, scale: 10, decimals: 2, column: "Práctica 2" }');
    const out = await runBatch(roster, { exercise: { ...EXERCISE, file: join(dir, 'spec.yaml') }, outDir: join(dir, 'out'), concurrency: 3, perHost: 3, resume: false, lang: 'es', graceMs: 10 }, { grade, redact });
    summary = await writeClassOutputs(roster, out, { outDir: join(dir, 'out'), exercise: EXERCISE, lang: 'es' });
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the CSV imports the way Moodle documents: header row, identity column + grade column, only graded students', async () => {
    const text = await readFile(join(dir, 'out', 'grades.csv'), 'utf8');
    expect(text.charCodeAt(0)).to.not.equal(0xfeff);
    expect(text.endsWith('\r\n')).to.equal(true);
    const rows = parseCsv(text);
    expect(rows[0]).to.deep.equal(['Dirección de correo', 'Práctica 2']);
    // Every row has exactly the two columns (Moodle skips rows with one field).
    expect(rows.every((r) => r.length === 2)).to.equal(true);
    const grades = Object.fromEntries(rows.slice(1));
    expect(grades).to.have.keys(['ana@x.org', 'luis@x.org', 'marta@x.org', 'pedro@x.org']);
    expect(grades['ana@x.org']).to.equal('10.00');
    // Luis: 3 of 14 half-points lost and a quarter point -> 5.25/7 = 75 % -> 7.50
    expect(grades['luis@x.org']).to.equal('7.50');
    // Grades are plain numbers with a decimal point (Moodle's unformat_float).
    for (const g of Object.values(grades)) expect(g).to.match(/^\d+(\.\d+)?$/);
    // Incomplete (sara) and failed (tom) are left out so their Moodle grade is not cleared.
    expect(text).to.not.include('sara@x.org');
    expect(text).to.not.include('tom@x.org');
  });

  it('the CSV follows export options: identity, separator, scale, decimals, includeIncomplete', async () => {
    const d2 = await tempClass();
    try {
      const roster = await classWith(d2, 'export: { identity: idNumber, scale: 100, decimals: 0, separator: ";", includeIncomplete: true }');
      const out = await runBatch(roster, { exercise: { ...EXERCISE, file: join(d2, 'spec.yaml') }, outDir: join(d2, 'out'), concurrency: 2, perHost: 2, resume: false, lang: 'en', graceMs: 10 }, { grade, redact });
      const s = buildSummary(roster, out, { exercise: EXERCISE, lang: 'en', version: '0.0.0' });
      const rows = parseCsv(renderCsv(s), ';');
      expect(rows[0]).to.deep.equal(['ID number', 'labgrade clase2-redes']);
      const g = Object.fromEntries(rows.slice(1));
      expect(g['111']).to.equal('100');
      expect(g['555']).to.be.a('string'); // sara, incomplete, included on request
      expect(g['666']).to.equal(undefined);
      expect(s.export.mapTo).to.equal('useridnumber');
    } finally {
      await rm(d2, { recursive: true, force: true });
    }
  });

  it('scaleGrade scales the raw points and rounds half up at the requested decimals', () => {
    expect(scaleGrade(13, 14, { scale: 100, decimals: 2 })).to.equal(92.86); // not 92.90 from a rounded 92.9 %
    expect(scaleGrade(786, 1000, { scale: 10, decimals: 2 })).to.equal(7.86);
    expect(scaleGrade(7, 7, { scale: 20, decimals: 1 })).to.equal(20);
    expect(scaleGrade(1, 3, { scale: 10, decimals: 0 })).to.equal(3);
    expect(scaleGrade(17, 20, { scale: 10, decimals: 0 })).to.equal(9);
    expect(scaleGrade(0, 0, { scale: 10, decimals: 2 })).to.equal(0);
  });

  it('class.json aggregates statuses, statistics, distribution, the question matrix and the common mistakes', async () => {
    const j = JSON.parse(await readFile(join(dir, 'out', 'class.json'), 'utf8')) as ClassSummary;
    expect(j.kind).to.equal('labgrade-class');
    expect(j.counts).to.deep.equal({ students: 6, graded: 4, incomplete: 1, failed: 1, pending: 0 });
    expect(j.columns.length).to.equal(14);
    expect(j.columns[0]).to.include({ id: 'nat.config.linux', task: 'nat', question: 'config', role: 'linux' });
    expect(j.distribution.reduce((n, b) => n + b.count, 0)).to.equal(5); // the failed one has no score
    expect(j.distribution[9]!.count).to.be.greaterThan(0);
    expect(j.mistakes[0]).to.include({ id: 'nat.config.linux', count: 3 });
    expect(j.mistakes[0]!.students.sort()).to.deep.equal(['luis', 'marta', 'pedro']);
    expect(j.mistakes[0]!.codes).to.deep.equal([{ code: 'answer-mismatch', count: 3 }]);
    const tom = j.students.find((s) => s.id === 'tom')!;
    expect(tom).to.include({ status: 'failed', grade: null, percent: null, report: 'students/tom.html' });
    expect(tom.error!.message).to.include('a/tom.yaml:2:3');
    const luis = j.students.find((s) => s.id === 'luis')!;
    expect(luis.verdicts['nat.config.linux']).to.equal('fail');
    expect(luis.verdicts['nat.host.linux']).to.equal('pass');
    expect(luis.verdicts['nat.vm_config.linux']).to.equal('partial');
    expect(j.stats.max).to.equal(100);
  });

  it('the summary page is self-contained, escapes names, and renders in headless Chromium', async function () {
    const file = join(dir, 'out', 'index.html');
    const page = await readFile(file, 'utf8');
    expect(page).to.not.match(/<script/i);
    expect(page).to.not.include(HOSTILE_NAME);
    expect(page).to.not.match(/\b(src)="/i);
    if (!chromiumAvailable()) this.skip();
    await withChromium(async (ctx) => {
      const p = await ctx.newPage();
      const dialogs: string[] = [];
      p.on('dialog', async (d) => {
        dialogs.push(d.message());
        await d.dismiss();
      });
      await p.goto(`file://${file}`);
      // One row per student, one cell per question x VM, coloured by verdict.
      expect(await p.$$eval('tr[data-student]', (r) => r.length)).to.equal(6);
      expect(await p.$$eval('td[data-cell]', (c) => c.length)).to.equal(6 * 14);
      const cell = await p.$eval('td[data-cell="luis|nat.config.linux"]', (c) => ({ cls: c.className, bg: getComputedStyle(c).backgroundColor }));
      expect(cell.cls).to.include('fail');
      const passBg = await p.$eval('td[data-cell="ana|nat.config.linux"]', (c) => getComputedStyle(c).backgroundColor);
      expect(cell.bg).to.not.equal(passBg);
      expect(await p.getAttribute('td[data-cell="luis|nat.vm_config.linux"]', 'data-outcome')).to.equal('partial');
      // Links to every written report, relative to the summary.
      const links = await p.$$eval('tr[data-student] a', (as) => as.map((a) => a.getAttribute('href')));
      expect(links).to.include('students/ana.html');
      expect(links.length).to.equal(6);
      // The hostile name is text; nothing got injected.
      const names = await p.$$eval('tr[data-student] td.name', (tds) => tds.map((td) => td.childNodes[0]?.textContent));
      expect(names).to.include(HOSTILE_NAME);
      expect(await p.$$eval('img, script, iframe', (e) => e.length)).to.equal(0);
      expect(dialogs).to.deep.equal([]);
      // Problems listed with their reason; most common mistake first.
      expect(await p.textContent('tr[data-problem="tom"]')).to.include('a/tom.yaml:2:3');
      expect(await p.getAttribute('.mistake', 'data-mistake')).to.equal('nat.config.linux');
      await p.screenshot({ path: join(ARTIFACTS, 'class-summary.png'), fullPage: true });
      // A student's report opens from the summary.
      await p.click('tr[data-student="luis"] a');
      expect(await p.textContent('#student-name')).to.equal('Luis, "el Rápido"');
    });
  });
});

describe('batch: class outputs of an exercise with its own question titles', function () {
  this.timeout(60_000);
  it('the matrix and the common mistakes use the spec title (questions.<id>.title), not the question id', async () => {
    const dir = await tempClass();
    try {
      const roster = await classWith(dir);
      const titled: GradeFn = async (s) => {
        const r = fakeResult(s.name, s.id === 'luis' ? { failing: ['nat.config.linux'] } : {});
        for (const task of r.tasks) for (const v of task.questions) if (v.question === 'config') v.questionTitle = 'Reenvío persistente';
        return r;
      };
      const out = await runBatch(roster, { exercise: { ...EXERCISE, file: join(dir, 'spec.yaml') }, outDir: join(dir, 'out'), concurrency: 3, perHost: 3, resume: false, lang: 'es', graceMs: 10 }, { grade: titled, redact });
      const summary = await writeClassOutputs(roster, out, { outDir: join(dir, 'out'), exercise: EXERCISE, lang: 'es' });
      expect(summary.columns.find((c) => c.id === 'nat.config.linux')).to.include({ questionTitle: 'Reenvío persistente' });
      const page = await readFile(join(dir, 'out', 'index.html'), 'utf8');
      expect(page).to.include('>Reenvío persistente</th>');
      expect(summary.mistakes.find((m) => m.id === 'nat.config.linux')?.label).to.include('Reenvío persistente');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
