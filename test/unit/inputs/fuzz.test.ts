// Fuzz-style robustness: the three loaders fed malformed YAML, wrong types, huge files,
// prototype-polluting keys and binary junk. Every case must end in an InputError with clear,
// non-empty messages naming the file, never in another exception or a hang.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { InputError, type ExerciseSpec } from '../../../grader/types.js';
import { TempDir, fixtures, inputError, shipped } from './helpers.js';

type Loader = (path: string) => Promise<unknown>;

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkError(err: InputError, path: string): void {
  expect(err.message).to.be.a('string').and.not.equal('');
  expect(err.issues.length).to.be.greaterThan(0);
  for (const i of err.issues) {
    expect(i.file, JSON.stringify(i)).to.equal(path);
    expect(i.message, JSON.stringify(i)).to.be.a('string');
    expect(i.message.trim(), JSON.stringify(i)).to.not.equal('');
    expect(i.message, JSON.stringify(i)).to.not.match(/undefined|\[object Object\]|\{[a-z]+\}/);
    if (i.line !== undefined) expect(i.line).to.be.at.least(1);
  }
}

/** Loads; returns 'ok' or the InputError (any other exception fails the test). */
async function outcome(load: Loader, path: string): Promise<'ok' | InputError> {
  try {
    await load(path);
    return 'ok';
  } catch (err) {
    if (err instanceof InputError) {
      checkError(err, path);
      return err;
    }
    throw new Error(`${path}: crashed instead of an InputError: ${(err as Error)?.stack ?? String(err)}`);
  }
}

describe('loaders under fuzzing', function () {
  this.timeout(120000);
  const tmp = new TempDir();
  let spec: ExerciseSpec;
  const loaders: Record<string, Loader> = {};
  const valid: Record<string, string> = {
    spec: readFileSync(shipped, 'utf8'),
    lab: readFileSync(join(fixtures, 'lab-full.yaml'), 'utf8'),
    answers: readFileSync(join(fixtures, 'answers-reference.yaml'), 'utf8'),
  };
  before(async () => {
    spec = await loadSpec(shipped, { lang: 'en' });
    loaders.spec = (p) => loadSpec(p, { lang: 'en' });
    loaders.lab = (p) => loadLab(p, { lang: 'en', spec });
    loaders.answers = (p) => loadAnswers(p, spec, { lang: 'en' });
  });
  after(() => tmp.remove());

  const malformed: [string, string | Uint8Array][] = [
    ['unclosed flow sequence', 'a: [1, 2\n'],
    ['unterminated quote', 'a: "abc\n'],
    ['tab indentation', 'a:\n\t- b\n'],
    ['duplicate keys', 'vms: 1\nvms: 2\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['undefined alias', 'a: *nowhere\n'],
    ['self-referencing alias', 'a: &x [*x]\n'],
    ['unknown tag', 'a: !js/function "return 1"\n'],
    ['binary tag', 'a: !!binary AAAA\n'],
    ['complex key', '? [a, b]\n: c\n'],
    ['a list', '- a\n- b\n'],
    ['a scalar', 'just text\n'],
    ['a number', '42\n'],
    ['null document', '~\n'],
    ['empty', ''],
    ['whitespace only', '   \n\n  '],
    ['comments only', '# nothing\n# here\n'],
    ['bare colons', ': :\n'],
    ['indentation soup', 'a:\n  b: 1\n c: 2\n'],
    ['NUL bytes', 'a: 1\n\0\0\0'],
    ['invalid UTF-8', Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a])],
    ['UTF-16 with BOM', Buffer.from('\ufeffa: 1\n', 'utf16le')],
    ['control characters', 'a: b\u0007c\n'],
    ['wrong type at the top', 'vms: 3\ntasks: {}\nanswers: []\nstudent: yes\n'],
    ['deep flow nesting', `${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['deep block nesting', Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' x\n'],
    [
      'alias bomb',
      'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n',
    ],
  ];

  for (const kind of ['spec', 'lab', 'answers']) {
    describe(`${kind} loader`, () => {
      for (const [name, content] of malformed) {
        it(`rejects ${name} with a clear error`, async () => {
          const p = tmp.write(content);
          const r = await outcome(loaders[kind]!, p);
          expect(r, name).to.be.instanceOf(InputError);
        });
      }

      it('rejects a file over 1 MiB without parsing it', async () => {
        const p = tmp.write(`${valid[kind]}\n# ${'x'.repeat(1024 * 1024)}\n`);
        const err = (await outcome(loaders[kind]!, p)) as InputError;
        expect(err.issues[0]!.message).to.match(/too big/);
      });

      it('handles a large file under the limit (long values, many keys) with a clear error', async () => {
        const many = Array.from({ length: 10000 }, (_, i) => `k${i}: v`).join('\n');
        const p = tmp.write(`${many}\nlong: ${'y'.repeat(200000)}\n`);
        const err = await outcome(loaders[kind]!, p);
        expect(err).to.be.instanceOf(InputError);
        // Listing is capped: the rest are counted in a last line.
        const issues = (err as InputError).issues;
        expect(issues.length).to.be.at.most(51);
        expect(issues[issues.length - 1]!.message).to.match(/and \d+ more problem/);
      });

      it('rejects __proto__, constructor and prototype keys anywhere, and nothing is polluted', async () => {
        const base = valid[kind]!;
        const variants = [
          `__proto__: { polluted: true }\n${base}`,
          base.replace(/\n(\s+)([a-z_]+):/, '\n$1__proto__: { polluted: true }\n$1$2:'),
          base.replace(/\n(\s+)([a-z_]+):/, '\n$1constructor: { polluted: true }\n$1$2:'),
          `prototype: 1\n${base}`,
        ];
        for (const v of variants) {
          const p = tmp.write(v);
          const err = await outcome(loaders[kind]!, p);
          expect(err, v.slice(0, 80)).to.be.instanceOf(InputError);
          expect((err as InputError).issues.some((i) => /reserved/.test(i.message)), JSON.stringify((err as InputError).issues)).to.equal(true);
          expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
          expect(Object.prototype).to.not.have.property('polluted');
        }
      });

      it('rejects random binary junk', async () => {
        const rnd = prng(kind.length * 7919);
        for (let n = 0; n < 30; n++) {
          const buf = Buffer.alloc(1 + Math.floor(rnd() * 4096));
          for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(rnd() * 256);
          const r = await outcome(loaders[kind]!, tmp.write(buf));
          expect(r).to.be.instanceOf(InputError);
        }
      });

      it('survives 200 random mutations of a valid file (loads or explains, never crashes)', async () => {
        const rnd = prng(1234 + kind.length);
        const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
        const junk = [':', '-', '[', ']', '{', '}', ',', '"', "'", '&a', '*a', '!', '?', '#', '|', '>', '\t', '\n', '  ', '__proto__:', '~', 'null', 'true', '0x1F', '1e999', '%', '@', '`', 'é', '\u2028'];
        let rejected = 0;
        for (let n = 0; n < 200; n++) {
          let text = valid[kind]!;
          const edits = 1 + Math.floor(rnd() * 3);
          for (let e = 0; e < edits; e++) {
            const at = Math.floor(rnd() * text.length);
            const op = rnd();
            if (op < 0.35) text = text.slice(0, at) + pick(junk) + text.slice(at);
            else if (op < 0.6) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 20));
            else if (op < 0.8) {
              const lines = text.split('\n');
              const i = Math.floor(rnd() * lines.length);
              lines.splice(i, 0, lines[Math.floor(rnd() * lines.length)]!);
              text = lines.join('\n');
            } else {
              const lines = text.split('\n');
              const i = Math.floor(rnd() * lines.length);
              lines[i] = rnd() < 0.5 ? ` ${lines[i]}` : lines[i]!.replace(/^ /, '');
              text = lines.join('\n');
            }
          }
          const r = await outcome(loaders[kind]!, tmp.write(text, `m-${kind}-${n}.yaml`));
          if (r !== 'ok') rejected++;
        }
        // Most mutations break something; the point is that none crashed.
        expect(rejected).to.be.greaterThan(50);
      });
    });
  }
});
