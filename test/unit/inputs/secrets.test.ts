import { expect } from 'chai';
import { join } from 'node:path';
import { clearSecretsForTests, redact, registerSecret, resolveSecret } from '../../../grader/inputs/secrets.js';
import { InputError } from '../../../grader/types.js';
import { TempDir, inputError } from './helpers.js';

describe('secrets', () => {
  const tmp = new TempDir();
  after(() => tmp.remove());
  afterEach(() => {
    clearSecretsForTests();
    delete process.env.LABGRADE_TEST_SECRET;
    delete process.env.LABGRADE_TEST_EMPTY;
  });

  it('resolves env, file (relative to the lab file, one trailing newline dropped) and inline values', async () => {
    process.env.LABGRADE_TEST_SECRET = 'from-env-123';
    expect(await resolveSecret({ env: 'LABGRADE_TEST_SECRET' }, tmp.dir)).to.equal('from-env-123');
    tmp.write('pa ss\n', 'pw.txt');
    expect(await resolveSecret({ file: 'pw.txt' }, tmp.dir)).to.equal('pa ss');
    expect(await resolveSecret({ file: join(tmp.dir, 'pw.txt') }, '/nonexistent')).to.equal('pa ss');
    expect(await resolveSecret({ value: 'inline-1' }, tmp.dir)).to.equal('inline-1');
    expect(redact('a from-env-123 b pa ss c inline-1')).to.equal('a *** b *** c ***');
  });

  it('explains a missing variable or file without revealing anything', async () => {
    const e1 = await inputError(() => resolveSecret({ env: 'LABGRADE_TEST_NOPE' }, tmp.dir, { lang: 'en', where: 'winrm alumno@win10' }));
    expect(e1.issues[0]!.message).to.equal('environment variable LABGRADE_TEST_NOPE (password for winrm alumno@win10) is not set');
    process.env.LABGRADE_TEST_EMPTY = '';
    const e2 = await inputError(() => resolveSecret({ env: 'LABGRADE_TEST_EMPTY' }, tmp.dir, { lang: 'es' }));
    expect(e2.issues[0]!.message).to.match(/está vacía/);
    const e3 = await inputError(() => resolveSecret({ file: 'missing.txt' }, tmp.dir, { lang: 'en' }));
    expect(e3.issues[0]!.message).to.match(/cannot read password file .*missing\.txt \(ENOENT\)/);
    tmp.write('\n', 'empty.txt');
    const e4 = await inputError(() => resolveSecret({ file: 'empty.txt' }, tmp.dir, { lang: 'en' }));
    expect(e4).to.be.instanceOf(InputError);
    expect(e4.issues[0]!.message).to.match(/is empty/);
  });

  it('redacts longest first, repeatedly, and in JSON-escaped form', () => {
    registerSecret('abc');
    registerSecret('abcdef');
    registerSecret('q"uote');
    expect(redact('abcdef abc abc')).to.equal('*** *** ***');
    expect(redact(JSON.stringify({ p: 'q"uote' }))).to.equal('{"p":"***"}');
    expect(redact('nothing here')).to.equal('nothing here');
  });
});
