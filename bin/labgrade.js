#!/usr/bin/env node
// Thin launcher. `--version` is answered here, before loading anything (cold start matters for
// scripts that call it); everything else runs the compiled CLI (`npm run build` makes dist/).
import { readFileSync, statSync } from 'node:fs';

const args = process.argv.slice(2);
const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  // Debian 12's own nodejs is 18: say so plainly instead of failing somewhere inside.
  process.stderr.write(`labgrade needs Node.js 20 or newer (this is ${process.versions.node}); see docs/en/install.md (or the single executable, which needs no Node)\n`);
  process.exit(2);
} else if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  // The bundle (scripts/build-bundle.mjs: one file plus a chunk per command, every dependency
  // inside) is what the npm package ships: it needs no node_modules. In a clone, the plain compiled
  // modules (dist/grader) run instead when LABGRADE_NO_BUNDLE=1 or when the bundle is older than
  // them (`tsc` alone ran after the last full build); an installed package has no dist/grader.
  const bundled = freshBundle() && (process.env.LABGRADE_NO_BUNDLE !== '1' || !hasModules());
  import(bundled ? '../dist/bundle/cli/main.js' : '../dist/grader/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/grader')) {
      process.stderr.write('labgrade: not built yet; run `npm run build` first\n');
    } else {
      process.stderr.write(`labgrade: internal error: ${err && err.stack ? err.stack : err}\n`);
    }
    process.exit(2);
  });
}

function mtime(rel) {
  return statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
}

function hasModules() {
  return mtime('../dist/grader/cli/main.js') !== undefined;
}

function freshBundle() {
  const bundle = mtime('../dist/bundle/cli/main.js');
  const modules = mtime('../dist/grader/cli/main.js');
  return bundle !== undefined && (modules === undefined || bundle >= modules);
}
