#!/usr/bin/env node
// Build step (after tsc): compiles the JSON Schemas to standalone validator modules with ajv's
// code generation, so a run loads a few small generated modules instead of ajv's compiler and
// compiling every schema at startup (the profile showed ~130 ms of CPU for it per `check`).
// Output: dist/validators/<kind>.mjs for exercises/schema/<kind>.schema.json and
// dist/validators/result.mjs for reports/result.schema.json. Each is bundled with the few ajv
// runtime helpers it calls (esbuild), so the installed package needs no node_modules. The options must stay those of the
// runtime fallbacks in grader/inputs/yaml-source.ts and reports/validate.ts (used when running from
// the sources, e.g. the tests under tsx).
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'validators');
mkdirSync(out, { recursive: true });

/** Same options as the runtime compilers, plus code generation (ES module). */
function compile(schema, opts) {
  const ajv = new Ajv({ ...opts, code: { source: true, esm: true } });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const code = standaloneCode.default ? standaloneCode.default(ajv, validate) : standaloneCode(ajv, validate);
  // ajv's ESM output still calls require() for its small runtime helpers (ucs2length, formats):
  // the bundling step below puts them inside the module.
  return `${code}\n`;
}

const raw = join(root, 'dist', 'validators-src');
rmSync(raw, { recursive: true, force: true });
mkdirSync(raw, { recursive: true });

const specDir = join(root, 'exercises', 'schema');
for (const f of readdirSync(specDir).filter((x) => x.endsWith('.schema.json'))) {
  const schema = JSON.parse(readFileSync(join(specDir, f), 'utf8'));
  delete schema.$schema;
  const kind = f.replace(/\.schema\.json$/, '');
  writeFileSync(join(raw, `${kind}.mjs`), compile(schema, { allErrors: true, strict: true, verbose: true, allowUnionTypes: true }));
}
const result = JSON.parse(readFileSync(join(root, 'reports', 'result.schema.json'), 'utf8'));
writeFileSync(join(raw, 'result.mjs'), compile(result, { allErrors: true, strict: false }));

await build({
  entryPoints: readdirSync(raw).map((f) => join(raw, f)),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: out,
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
rmSync(raw, { recursive: true, force: true });
