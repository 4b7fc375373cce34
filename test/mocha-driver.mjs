// Runs mocha programmatically (loaded with tsx so tests are TypeScript) and prints the summary
// line CI recognises. Exit code: 0 when nothing failed, 1 otherwise.
import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const opts = { grep: undefined, bail: false, unitOnly: false };
const patterns = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--grep' || a === '-g') opts.grep = args[++i];
  else if (a === '--bail' || a === '-b') opts.bail = true;
  else if (a === '--unit') opts.unitOnly = true;
  else patterns.push(a);
}
if (patterns.length === 0) {
  patterns.push('test/unit');
  if (!opts.unitOnly) patterns.push('test/lab');
}
/** A file as given, or every *.test.ts below a folder (unit tests before lab tests, each sorted). */
function expand(p) {
  if (!statSync(p, { throwIfNoEntry: false })?.isDirectory()) return [resolve(p)];
  const out = [];
  for (const e of readdirSync(p, { withFileTypes: true })) {
    const full = join(p, e.name);
    if (e.isDirectory()) out.push(...expand(full));
    else if (e.name.endsWith('.test.ts')) out.push(resolve(full));
  }
  return out.sort();
}
const files = [...new Set(patterns.flatMap(expand))];

const mocha = new Mocha({ timeout: 60000, reporter: 'spec', bail: opts.bail, ...(opts.grep ? { grep: opts.grep } : {}) });
for (const f of files) mocha.addFile(f);
await mocha.loadFilesAsync();
const runner = mocha.run((failures) => {
  const s = runner.stats ?? { passes: 0, failures, pending: 0 };
  process.stdout.write(`\n${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
  const code = s.failures > 0 || s.passes === 0 ? 1 : 0;
  process.exitCode = code;
  // Like mocha --exit, but said aloud: a leaked handle (a child process, a socket) must not hang CI.
  setTimeout(() => {
    const handles = process._getActiveHandles().filter((h) => h !== process.stdout && h !== process.stderr && h !== process.stdin).map((h) => (h?.spawnargs ? `ChildProcess(${h.spawnargs.join(" ").slice(0, 80)})` : h?.remotePort ? `Socket(${h.remoteAddress}:${h.remotePort})` : h?.constructor?.name === "Socket" ? `Socket(fd ${h._handle?.fd ?? "?"}, ${h._handle?.constructor?.name ?? "closed"}${h.destroyed ? ", destroyed" : ""}${h.readable ? ", readable" : ""})` : h?.constructor?.name ?? typeof h));
    const other = process.getActiveResourcesInfo().filter((r) => !['TTYWrap', 'PipeWrap', 'TCPWrap', 'ProcessWrap'].includes(r));
    process.stderr.write(`mocha-driver: open handles remained 5 s after the last test (${[...handles, ...other].join(', ')}); exiting anyway\n`);
    process.exit(code);
  }, 5000).unref();
});
