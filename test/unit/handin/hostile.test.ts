// Hand-ins are student-supplied zips: a zip bomb, `../` entries, symlink entries and 100,000 entries
// are each refused with the reason, per student, while the rest of the class is graded. The hostile
// zips are generated here. (Time and memory are measured in bench/, not asserted here.)
import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { readZip, walkZip, writeZip, HANDIN_LIMITS, ZipRefused, safeEntryPath } from '../../../grader/handin/zip.js';
import { readHandIn, HandInRefused } from '../../../grader/handin/read.js';
import { writeHandIn } from '../../../grader/handin/create.js';
import { gradeHandIns, collectSubmissions, matchSubmission } from '../../../grader/handin/batch.js';
import { parseMoodleName, feedbackFolder } from '../../../grader/handin/moodle.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadRoster } from '../../../grader/batch/roster.js';
import { sha256 } from '../../../grader/handin/evidence.js';
import type { GradeResult } from '../../../grader/types.js';
import { fileURLToPath } from 'node:url';
import { dotDotZip, manyEntries, zipOf } from '../../helpers/hostile-zips.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = `${root}exercises/clase2-redes.yaml`;

async function refusal(src: Buffer): Promise<string> {
  try {
    await readZip(src, HANDIN_LIMITS);
  } catch (e) {
    expect(e).to.be.instanceOf(ZipRefused);
    return (e as ZipRefused).problem;
  }
  throw new Error('expected a refusal');
}

describe('hand-ins: hostile zips', function () {
  this.timeout(120_000);
  let bomb: Buffer;
  let ratio: Buffer;
  let dotdot: Buffer;
  let symlink: Buffer;
  let many: Buffer;
  before(async () => {
    bomb = await zipOf((z) => z.addBuffer(Buffer.alloc(20 * 1024 * 1024), 'runs/1/evidence.jsonl'));
    ratio = await zipOf((z) => z.addBuffer(Buffer.alloc(4 * 1024 * 1024), 'answers.yaml'));
    dotdot = await dotDotZip();
    symlink = await zipOf((z) => z.addBuffer(Buffer.from('/etc/shadow'), 'answers.yaml', { mode: 0o120777 }));
    many = manyEntries(100_000);
  });

  it('refuses a zip bomb (an entry larger than the bound), a high ratio, `../`, a symlink and 100,000 entries', async () => {
    expect(await refusal(bomb)).to.equal('entry-too-big');
    expect(await refusal(ratio)).to.equal('ratio');
    expect(await refusal(dotdot)).to.equal('bad-path');
    expect(await refusal(symlink)).to.equal('symlink');
    expect(await refusal(many)).to.equal('too-many-entries');
  });

  it('never reads past the bound even when the header lies about the size', async () => {
    // The local and central headers say 10 bytes; the data inflates to 20 MiB.
    const honest = await zipOf((z) => z.addBuffer(Buffer.alloc(20 * 1024 * 1024), 'a'));
    const problem = await refusal(honest);
    expect(problem).to.equal('entry-too-big');
    let read = 0;
    await walkZip(await zipOf((z) => z.addBuffer(Buffer.alloc(1000), 'a')), { ...HANDIN_LIMITS, maxEntryBytes: 10_000 }, () => true, (_e, d) => (read += d.length));
    expect(read).to.equal(1000);
  });

  it('entry paths: relative and inside only', () => {
    for (const ok of ['answers.yaml', 'runs/1/lab.yaml', 'Ana_1_assignsubmission_file/entrega.zip']) expect(safeEntryPath(ok), ok).to.equal(true);
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'C:/x', 'a\\..\\x', 'a/./b', '']) expect(safeEntryPath(bad), bad).to.equal(false);
  });

  it('Moodle names: download folders parsed, feedback folders as the importer reads them', () => {
    expect(parseMoodleName('Ana García_1234567_assignsubmission_file')).to.deep.equal({ fullName: 'Ana García', participant: '1234567', rest: '' });
    expect(parseMoodleName('Ana García_1234567_assignsubmission_file_')).to.deep.equal({ fullName: 'Ana García', participant: '1234567', rest: '' });
    expect(parseMoodleName('Ana_x_assignsubmission_file')).to.equal(null);
    expect(parseMoodleName('ana')).to.equal(null);
    expect(feedbackFolder('Ana_García', '1234567')).to.equal('Ana García_1234567_assignfeedback_file');
  });

  it('a class with hostile hand-ins: each refused with its reason, the rest of the class graded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'labgrade-hostile-'));
    try {
      const spec = await loadSpec(SPEC);
      // One honest (if empty) hand-in: no evidence, so every item "could not be measured".
      const good = join(dir, 'good.zip');
      const answers = await readFile(`${root}exercises/demo/answers-correct.yaml`);
      const result = { startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), totals: { points: 0, maxPoints: 0, percent: 0 }, student: { name: 'Ana' } } as unknown as GradeResult;
      await writeHandIn({
        path: good,
        answers,
        exercise: { id: spec.id, sha256: sha256(await readFile(SPEC)) },
        student: { name: 'Ana' },
        tool: { name: 'labgrade', version: '0', build: `sha256:${'1'.repeat(64)}` },
        run: { task: 'nat', lab: 'uri: qemu:///system\nvms:\n  linux: { domain: debian12, access: [ { agent: {} } ] }\n  windows: { domain: win10, os: linux, access: [ { agent: {} } ] }\n', evidence: [], result, reportHtml: '<p>x</p>' },
        redact: (s) => s,
        lang: 'en',
        now: new Date(),
      });
      const moodle = await writeZip(
        [
          { name: 'Ana Garcia_11_assignsubmission_file/entrega.zip', data: await readFile(good) },
          { name: 'Bomb Student_12_assignsubmission_file/entrega.zip', data: bomb },
          { name: 'Dots Student_13_assignsubmission_file/entrega.zip', data: dotdot },
          { name: 'Link Student_14_assignsubmission_file/entrega.zip', data: symlink },
          { name: 'Many Student_15_assignsubmission_file/entrega.zip', data: many },
          { name: 'Nobody Known_99_assignsubmission_file/entrega.zip', data: await readFile(good) },
        ],
        new Date(),
      );
      await writeFile(join(dir, 'download.zip'), moodle);
      await writeFile(
        join(dir, 'clase.yaml'),
        'export: { identity: id }\nstudents:\n' +
          ['ana:11', 'bomb:12', 'dots:13', 'link:14', 'many:15', 'absent:16'].map((x) => `  - { id: ${x.split(':')[0]}, name: ${x.split(':')[0]}, participant: ${x.split(':')[1]} }`).join('\n') +
          '\n',
      );
      const roster = await loadRoster(join(dir, 'clase.yaml'), 'en', { handIns: true });
      const subs = await collectSubmissions(join(dir, 'download.zip'), 'en');
      expect(subs.map((s) => matchSubmission(s, roster.students)?.id ?? null)).to.deep.equal(['ana', 'bomb', 'dots', 'link', 'many', null]);
      const out = join(dir, 'notas');
      const cls = await gradeHandIns({ spec, specSha256: sha256(await readFile(SPEC)), lang: 'en', build: `sha256:${'1'.repeat(64)}`, redact: (s) => s, roster, source: join(dir, 'download.zip'), outDir: out });
      const by = Object.fromEntries(cls.students.map((s) => [s.id, s]));
      expect(by.ana!.trust).to.not.equal('withheld');
      expect(by.ana!.result).to.equal('students/ana.json');
      expect(by.bomb!.flags[0]!.reason).to.match(/entry «runs\/1\/evidence\.jsonl» is too big/);
      expect(by.dots!.flags[0]!.reason).to.match(/path outside its folder/);
      expect(by.link!.flags[0]!.reason).to.match(/symbolic link/);
      expect(by.many!.flags[0]!.reason).to.match(/too many entries/);
      for (const id of ['bomb', 'dots', 'link', 'many']) expect(by[id]!.trust, id).to.equal('withheld');
      expect(by.absent!.trust).to.equal('missing');
      expect(cls.unmatched).to.deep.equal(['Nobody Known_99_assignsubmission_file']);
      const csv = await readFile(join(out, 'grades.csv'), 'utf8');
      expect(csv.split('\r\n').filter(Boolean).map((l) => l.split(',')[0])).to.deep.equal(['ID', 'ana']);
      const fb = await readZip(await readFile(join(out, 'feedback.zip')), HANDIN_LIMITS);
      expect([...fb.keys()]).to.deep.equal(['Ana Garcia_11_assignfeedback_file/report.html']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a folder of hand-ins: a symlink or a FIFO in place of a zip is refused for that student only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'labgrade-hostile-dir-'));
    try {
      await mkdir(join(dir, 'ana'));
      await writeFile(join(dir, 'ana', 'entrega.zip'), symlink);
      const { symlink: ln } = await import('node:fs/promises');
      await mkdir(join(dir, 'bea'));
      await ln('/etc/passwd', join(dir, 'bea', 'entrega.zip'));
      const subs = await collectSubmissions(dir, 'en');
      expect(subs.map((s) => [s.label, s.data ? 'data' : s.problem])).to.deep.equal([
        ['ana', 'data'],
        ['bea', '«entrega.zip» is not a regular file (a link, a pipe or a device)'],
      ]);
      try {
        await readHandIn(subs[0]!.data!, 'ana', 'en');
        throw new Error('expected a refusal');
      } catch (e) {
        expect(e).to.be.instanceOf(HandInRefused);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
