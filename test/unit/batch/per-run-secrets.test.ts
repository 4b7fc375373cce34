// Issue 22 item 3 / issue 21 item 5: redaction is per run. Two students graded in one batch
// process through the real path (realGrader: loaders, engine, transports; libvirt's
// test:///default driver stands in for a host): student A's inline password is `e`; student B's
// report, result and status are exactly what B gets graded alone, never "incompl***t***".
import { expect } from 'chai';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadRoster } from '../../../grader/batch/roster.js';
import { preflight } from '../../../grader/batch/preflight.js';
import { runBatch } from '../../../grader/batch/run.js';
import { realGrader, redact } from '../../../grader/batch/real-grader.js';
import { clearSecretsForTests, runSecrets, Secrets, teacherSecrets } from '../../../grader/inputs/secrets.js';
import type { ExerciseSpec } from '../../../grader/types.js';
import { tempClass, writeFiles } from './helpers.js';

const SPEC = join(process.cwd(), 'exercises', 'clase2-redes.yaml');
const lab = (password: string) =>
  `uri: "test:///default"\nnetworks: { nat: default }\nvms:\n  linux:\n    domain: test\n    access:\n      - ssh: { user: root, host: 127.0.0.1, port: 9, password: { value: "${password}" } }\n`;

describe('batch: one student\'s secrets never touch another student\'s output', function () {
  this.timeout(120_000);
  let dir: string;
  let spec: ExerciseSpec;
  before(async () => {
    dir = await tempClass();
    await writeFiles(dir, {
      'answers/ref.yaml': await readFile(join(process.cwd(), 'test', 'fixtures', 'spec', 'answers-reference.yaml'), 'utf8'),
      'labs/ana.yaml': lab('e'),
      'labs/bea.yaml': lab('bea-own-pass'),
      'roster.yaml': 'defaults:\n  lab: labs/{id}.yaml\n  answers: answers/ref.yaml\n  task: nat\n  deadline: 60\nstudents:\n  - { id: ana, name: Ana, email: ana@x.org }\n  - { id: bea, name: Bea, email: bea@x.org }\n',
      'alone.yaml': 'defaults:\n  lab: labs/{id}.yaml\n  answers: answers/ref.yaml\n  task: nat\n  deadline: 60\nstudents:\n  - { id: bea, name: Bea, email: bea@x.org }\n',
    });
    spec = await loadSpec(SPEC, { lang: 'en' });
  });
  after(async () => {
    clearSecretsForTests();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const run = async (rosterFile: string, out: string) => {
    const roster = await loadRoster(join(dir, rosterFile), 'en');
    const labs = await preflight(roster, spec, 'en');
    const exercise = { id: spec.id, title: spec.title.en, file: spec.file };
    const fixed = () => new Date('2026-01-01T10:00:00Z');
    await runBatch(roster, { exercise, outDir: join(dir, out), concurrency: 2, perHost: 2, resume: false, lang: 'en' }, { grade: realGrader(spec, labs), redact, now: fixed });
  };
  // Times and durations differ between runs; everything else must not.
  const stable = (text: string) => text.replace(/"(resultHash|reportHash|seal)": ?"[^"]*"/g, '"$1":"-"').replace(/"(startedAt|finishedAt)": ?"[^"]*"/g, '"$1":"-"').replace(/"(durationMs|inspectMs|connectMs|probeMs|gradeMs|ms|durationMs)": ?\d+/g, '"$1":0').replace(/\d+(\.\d+)? ?ms\b/g, 'N ms');

  it('B graded beside A (password `e`) reads exactly as B graded alone', async () => {
    await run('roster.yaml', 'class');
    await run('alone.yaml', 'alone');
    const status = JSON.parse(await readFile(join(dir, 'class', 'students', 'bea.status.json'), 'utf8')) as { error?: { message: string } };
    expect(status.error?.message, 'B has a message with plenty of e\'s to mangle').to.match(/e/);
    for (const f of ['bea.json', 'bea.status.json']) {
      const together = await readFile(join(dir, 'class', 'students', f), 'utf8');
      expect(together, f).to.not.include('***t***');
      expect(stable(together), f).to.equal(stable(await readFile(join(dir, 'alone', 'students', f), 'utf8')));
    }
    expect(await readFile(join(dir, 'class', 'students', 'bea.html'), 'utf8')).to.not.include('***t***');
  });

  it('A\'s own password is not in the teacher\'s registry (nothing left behind process-wide)', () => {
    expect(teacherSecrets.redact('e bea-own-pass')).to.equal('e bea-own-pass');
  });
});

describe('Secrets: per-run registries', () => {
  afterEach(() => clearSecretsForTests());

  it('a run sees the teacher\'s secrets and its own; a sibling run sees only the teacher\'s', () => {
    teacherSecrets.add('teacher-pw-1');
    const a = runSecrets();
    const b = runSecrets();
    a.add('ana-pw-22');
    expect(a.redact('teacher-pw-1 ana-pw-22')).to.equal('*** ***');
    expect(b.redact('teacher-pw-1 ana-pw-22')).to.equal('*** ana-pw-22');
  });

  it('a secret shorter than 4 characters is hidden only as a whole token, never inside a word', () => {
    const s = new Secrets();
    s.add('e');
    s.add('ab1');
    expect(s.redact('incomplete; password=e; "e"; e')).to.equal('incomplete; password=***; "***"; ***');
    expect(s.redact('xab1 ab1x ab1 (ab1)')).to.equal('xab1 ab1x *** (***)');
  });

  it('longer secrets are hidden anywhere, longest first', () => {
    const s = new Secrets(teacherSecrets);
    teacherSecrets.add('abcd');
    s.add('abcdef');
    expect(s.redact('xxabcdefyy abcd')).to.equal('xx***yy ***');
  });
});
