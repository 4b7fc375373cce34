// The bounded, typed reader every input goes through: regular files only (a FIFO with no writer
// and /dev/zero are refused at once instead of blocking or growing memory), a size limit per kind,
// and a file grown past the limit after fstat is still cut off.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INPUT_LIMITS, readInput, ReadInputError } from '../../../grader/inputs/read.js';
import { readYaml } from '../../../grader/inputs/yaml-source.js';
import { resolveSecret } from '../../../grader/inputs/secrets.js';
import { InputError } from '../../../grader/types.js';

async function refused(p: Promise<unknown>): Promise<ReadInputError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ReadInputError) return e;
    throw e;
  }
  throw new Error('expected ReadInputError');
}

describe('inputs/read: bounded, typed reads', () => {
  let dir: string;
  let fifo: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labgrade-read-'));
    fifo = join(dir, 'answers.yaml');
    execFileSync('mkfifo', [fifo]);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a regular file (and one behind a symlink)', async () => {
    await writeFile(join(dir, 'ok.txt'), 'hello');
    await symlink(join(dir, 'ok.txt'), join(dir, 'link.txt'));
    expect((await readInput(join(dir, 'ok.txt'), 'yaml')).toString()).to.equal('hello');
    expect((await readInput(join(dir, 'link.txt'), 'secret')).toString()).to.equal('hello');
    // A student's file must be the file itself.
    const e = await refused(readInput(join(dir, 'link.txt'), 'yaml', { noFollow: true }));
    expect(e.code).to.equal('not-regular');
    expect(e.reason).to.equal('symlink');
  });

  it('a FIFO without a writer is refused at once (a blocking open would hang this test)', async () => {
    const e = await refused(readInput(fifo, 'yaml'));
    expect(e.code).to.equal('not-regular');
    expect(e.reason).to.equal('fifo');
  });

  it('/dev/zero is refused before a single byte is read, whatever the kind', async () => {
    for (const kind of Object.keys(INPUT_LIMITS) as (keyof typeof INPUT_LIMITS)[]) {
      const e = await refused(readInput('/dev/zero', kind));
      expect(e.code, kind).to.equal('not-regular');
      expect(e.reason).to.equal('character-device');
    }
  });

  it('a folder, a missing file and a file over the limit are refused with their own code', async () => {
    expect((await refused(readInput(dir, 'yaml'))).code).to.equal('directory');
    expect((await refused(readInput(join(dir, 'nope'), 'yaml'))).code).to.equal('missing');
    await writeFile(join(dir, 'big'), Buffer.alloc(INPUT_LIMITS.secret + 1, 'a'));
    const big = await refused(readInput(join(dir, 'big'), 'secret'));
    expect(big.code).to.equal('too-big');
    expect(big.max).to.equal(INPUT_LIMITS.secret);
    // The same file within a larger kind's limit reads fine.
    expect((await readInput(join(dir, 'big'), 'yaml')).length).to.equal(INPUT_LIMITS.secret + 1);
  });

  it('the YAML loader and the secret resolver say what the file is, positioned on the file', async () => {
    try {
      await readYaml(fifo, 'en');
      expect.fail('should throw');
    } catch (e) {
      expect(e).to.be.instanceOf(InputError);
      expect((e as InputError).issues[0]!.message).to.include('not a regular file').and.include('fifo');
      expect((e as InputError).issues[0]!.file).to.equal(fifo);
    }
    try {
      await resolveSecret({ file: '/dev/zero' }, dir, { lang: 'en' });
      expect.fail('should throw');
    } catch (e) {
      expect(e).to.be.instanceOf(InputError);
      expect((e as InputError).issues[0]!.message).to.include('/dev/zero').and.include('character-device');
    }
  });
});
