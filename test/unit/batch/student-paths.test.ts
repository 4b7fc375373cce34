// A student's path stays inside the folder the roster names for it (issue 22 item 2): with
// `answers: entregas/{id}/respuestas.yaml`, a student whose folder is a symbolic link to a teacher's
// folder, or whose answers file is a link to a teacher's file, is refused unread: nothing of the
// teacher's file (its first line quoted by an "unknown key" message, its sha256) appears in any
// output. Also: a student's lab file of 93,000 keys is refused by the item limit before parsing.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadRoster, studentFolder } from '../../../grader/batch/roster.js';
import { preflight } from '../../../grader/batch/preflight.js';
import { runBatch } from '../../../grader/batch/run.js';
import { realGrader, redact } from '../../../grader/batch/real-grader.js';
import { writeClassOutputs } from '../../../grader/batch/outputs.js';
import { hostKeyOf } from '../../../grader/batch/hosts.js';
import { readInput, ReadInputError } from '../../../grader/inputs/read.js';
import { parseYamlText } from '../../../grader/inputs/yaml-source.js';
import { InputError, type ExerciseSpec } from '../../../grader/types.js';
import { tempClass, writeFiles } from './helpers.js';

const SPEC = join(process.cwd(), 'exercises', 'clase2-redes.yaml');
const FIRST_LINE = 'TEACHER-FIRST-LINE-77ab';
const TEACHER_FILE = `${FIRST_LINE}: private\nother: 1\n`;

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(p);
  }
  return out;
}

describe('batch: every student path stays inside the folder the roster names for it', function () {
  this.timeout(120_000);
  let dir: string;
  let spec: ExerciseSpec;
  const out = () => join(dir, 'out');

  before(async () => {
    dir = await tempClass();
    await writeFiles(dir, {
      'teacher/respuestas.yaml': TEACHER_FILE,
      'entregas/alu01/respuestas.yaml': await readFile(join(process.cwd(), 'test', 'fixtures', 'spec', 'answers-reference.yaml'), 'utf8'),
      'roster.yaml': `defaults:
  lab: { uri: "test:///default", networks: { nat: default }, vms: { linux: { domain: test, access: [agent] } } }
  answers: entregas/{id}/respuestas.yaml
  task: nat
  deadline: 60
students:
  - { id: alu01, name: A, email: a@x.org }
  - { id: alu09, name: B, email: b@x.org }
  - { id: alu10, name: C, email: c@x.org }
`,
    });
    await chmod(join(dir, 'teacher', 'respuestas.yaml'), 0o600);
    // alu09's folder is a link to a teacher's folder; alu10's answers file is a link to a teacher's file.
    await symlink(join(dir, 'teacher'), join(dir, 'entregas', 'alu09'));
    await mkdir(join(dir, 'entregas', 'alu10'));
    await symlink(join(dir, 'teacher', 'respuestas.yaml'), join(dir, 'entregas', 'alu10', 'respuestas.yaml'));
    spec = await loadSpec(SPEC, { lang: 'en' });
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the folder of a pattern is the part before {id}; without {id}, the roster\'s folder (else the file\'s own)', () => {
    expect(studentFolder('entregas/{id}/respuestas.yaml', '/c')).to.equal('/c/entregas');
    expect(studentFolder('{id}.yaml', '/c')).to.equal('/c');
    expect(studentFolder('/srv/x/alu-{id}/a.yaml', '/c')).to.equal('/srv/x');
    // An explicit path below the roster: every folder under the roster's is checked, so a student's
    // folder planted as a link (entregas/s23 -> a teacher folder) is refused (bench/batch-hostile found it).
    expect(studentFolder('answers/ref.yaml', '/c')).to.equal('/c');
    expect(studentFolder('entregas/s23/private.yaml', '/c')).to.equal('/c');
    expect(studentFolder('/srv/y/ref.yaml', '/c')).to.equal('/srv/y');
  });

  it('the reader refuses a link anywhere below the folder, and a path outside it, before reading', async () => {
    const refused = async (p: string, within: string) => {
      try {
        await readInput(p, 'yaml', { trust: 'student', within });
      } catch (err) {
        expect(err).to.be.instanceOf(ReadInputError);
        return (err as ReadInputError).code;
      }
      return 'read';
    };
    const root = join(dir, 'entregas');
    expect(await refused(join(root, 'alu01', 'respuestas.yaml'), root)).to.equal('read');
    expect(await refused(join(root, 'alu09', 'respuestas.yaml'), root)).to.equal('not-regular');
    expect(await refused(join(root, 'alu10', 'respuestas.yaml'), root)).to.equal('not-regular');
    expect(await refused(join(dir, 'teacher', 'respuestas.yaml'), root)).to.equal('outside');
    expect(await refused(join(root, '..', 'teacher', 'respuestas.yaml'), root)).to.equal('outside');
  });

  it('runs the class: the linked students fail unread; nothing of the teacher\'s file is in any output', async () => {
    const roster = await loadRoster(join(dir, 'roster.yaml'), 'en');
    const labs = await preflight(roster, spec, 'en');
    const exercise = { id: spec.id, title: spec.title.en, file: spec.file };
    const outcome = await runBatch(roster, { exercise, outDir: out(), concurrency: 2, perHost: 2, resume: false, lang: 'en' }, { grade: realGrader(spec, labs), redact });
    await writeClassOutputs(roster, outcome, { outDir: out(), exercise, lang: 'en' });
    const status = async (id: string) => JSON.parse(await readFile(join(out(), 'students', `${id}.status.json`), 'utf8')) as { status: string; error?: { message: string } };
    for (const id of ['alu09', 'alu10']) {
      const r = await status(id);
      expect(r.status, id).to.equal('failed');
      expect(r.error?.message, id).to.include('symlink');
    }
    expect((await status('alu01')).status).to.not.equal('failed');
    const hash = createHash('sha256').update(TEACHER_FILE).digest('hex');
    for (const f of await allFiles(out())) {
      const text = await readFile(f, 'utf8');
      expect(text, f).to.not.include(FIRST_LINE);
      expect(text, f).to.not.include(hash);
    }
  });

  it('a student lab file under 1 MiB with 93,000 keys is refused by the item limit, before any parsing', async () => {
    const text = `uri: qemu:///system\nnetworks:\n${Array.from({ length: 93_000 }, (_, i) => ` ${i.toString(36)}: x`).join('\n')}\n`;
    expect(Buffer.byteLength(text)).to.be.below(1024 * 1024);
    let err: unknown;
    try {
      parseYamlText(Buffer.from(text), 'lab.yaml', '/x/lab.yaml', 'en', 'student');
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(InputError);
    expect((err as InputError).issues[0]!.message).to.match(/too many lines or items \(93,?002; at most 5,?000/);
    // The host grouping of batch reads it the same way (no plain YAML parse): grouped by its path.
    const key = await hostKeyOf({ kind: 'file', path: '/x/lab.yaml' }, Buffer.from(text));
    expect(key).to.equal('file:/x/lab.yaml');
  });
});
