// The validators generated at build time (dist/validators, scripts/build-validators.mjs) accept and
// reject exactly what ajv compiling the schemas at run time does, with the same errors (the
// loaders turn those errors into positioned messages, so they must not drift).
import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';

type Validate = ((d: unknown) => boolean) & { errors?: { instancePath: string; keyword: string; params: unknown; message?: string }[] | null };
const addFormats = addFormatsImport as unknown as (a: unknown) => void;
const root = process.cwd();
const built = join(root, 'dist', 'validators');

function runtime(schemaFile: string, opts: object): Validate {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  const ajv = new Ajv(opts);
  addFormats(ajv);
  return ajv.compile(schema) as Validate;
}

async function builtValidator(name: string): Promise<Validate> {
  const f = join(built, `${name}.mjs`);
  expect(existsSync(f), `${f} missing: run npm run build`).to.equal(true);
  return ((await import(pathToFileURL(f).href)) as { default: Validate }).default;
}

const shape = (v: Validate) => (v.errors ?? []).map((e) => [e.instancePath, e.keyword, JSON.stringify(e.params), e.message]);

/** Documents to try: the fixtures, plus broken copies of each (a wrong type, an unknown key, emptied). */
function variants(doc: unknown): unknown[] {
  const out: unknown[] = [doc, {}, [], 'text', null];
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    const o = doc as Record<string, unknown>;
    out.push({ ...o, unknownKey: 1 });
    for (const k of Object.keys(o)) {
      out.push({ ...o, [k]: 42 });
      out.push({ ...o, [k]: { nested: 'x' } });
    }
  }
  return out;
}

const YAML_OPTS = { allErrors: true, strict: true, verbose: true, allowUnionTypes: true };

describe('validators compiled at build time', () => {
  const cases: [string, string, string[]][] = [
    ['lab', 'exercises/schema/lab.schema.json', ['test/fixtures/spec/lab-full.yaml', 'test/fixtures/spec/lab-minimal.yaml']],
    ['spec', 'exercises/schema/spec.schema.json', ['exercises/clase2-redes.yaml', 'test/fixtures/spec/spec-wrong-type.yaml']],
    ['answers', 'exercises/schema/answers.schema.json', ['exercises/demo/answers-correct.yaml', 'exercises/demo/answers-mistakes.yaml', 'test/fixtures/spec/answers-reference.yaml']],
  ];
  for (const [name, schema, docs] of cases) {
    it(`${name}: same verdicts and errors as compiling at run time`, async () => {
      const b = await builtValidator(name);
      const r = runtime(join(root, schema), YAML_OPTS);
      let tried = 0;
      for (const file of docs) {
        for (const d of variants(parse(readFileSync(join(root, file), 'utf8')))) {
          expect(b(d), `${file}`).to.equal(r(d));
          expect(shape(b)).to.deep.equal(shape(r));
          tried++;
        }
      }
      expect(tried).to.be.greaterThan(10);
    });
  }

  it('roster: same verdicts and errors as compiling at run time', async () => {
    const b = await builtValidator('roster');
    const r = runtime(join(root, 'exercises', 'schema', 'roster.schema.json'), YAML_OPTS);
    const doc = parse('defaults:\n  answers: answers/{id}.yaml\nstudents:\n  - id: s01\n    name: Ana\n    email: ana@x.org\n    lab: labs/s01.yaml\n');
    for (const d of variants(doc)) {
      expect(b(d)).to.equal(r(d));
      expect(shape(b)).to.deep.equal(shape(r));
    }
    expect(b(doc)).to.equal(true);
  });

  it('result: same verdicts and errors as compiling at run time', async () => {
    const b = await builtValidator('result');
    const r = runtime(join(root, 'reports', 'result.schema.json'), { allErrors: true, strict: false });
    const dir = join(root, 'test', 'fixtures', 'reports');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.result.json'))) {
      for (const d of variants(JSON.parse(readFileSync(join(dir, f), 'utf8')))) {
        expect(b(d), f).to.equal(r(d));
        expect(shape(b)).to.deep.equal(shape(r));
      }
    }
  });
});
