#!/usr/bin/env node
// Build step (after tsc): the CLI as one ES-module bundle with a chunk per lazily loaded command
// (esbuild, code splitting), in dist/bundle/cli/. bin/labgrade.js runs it when present. Why: a run
// otherwise resolves, reads and compiles ~100 module files (ours and the dependencies'); the
// profile of one `check` put that at ~120 ms of CPU, a fifth of the run (docs/en/benchmarks.md).
// dist/bundle/cli/ sits two folders below the package root, like dist/grader/<area>/, so the paths
// the code builds from import.meta.url (dist/validators, grader/transports/netns-relay.mjs, the
// lab's image scripts, package.json) resolve the same from the bundle as from dist/grader.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle', 'cli');
rmSync(join(root, 'dist', 'bundle'), { recursive: true, force: true });

await build({
  entryPoints: [join(root, 'grader', 'cli', 'main.ts')],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  // ssh2's optional native parts: it falls back to JavaScript when they are missing.
  external: ['cpu-features', '*.node'],
  // CommonJS dependencies (ssh2, yaml, commander) inside an ES module still need these.
  banner: {
    js: [
      "import { createRequire as __lgRequire } from 'node:module';",
      "import { fileURLToPath as __lgPath } from 'node:url';",
      "import { dirname as __lgDir } from 'node:path';",
      'const require = __lgRequire(import.meta.url);',
      'const __filename = __lgPath(import.meta.url);',
      'const __dirname = __lgDir(__filename);',
    ].join(' '),
  },
  logLevel: 'warning',
});
