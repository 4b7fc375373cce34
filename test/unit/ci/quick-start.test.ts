// CI runs what the README tells a newcomer to run: the commands of the README's quick-start block
// and .ci/run's QUICK_START list are the same commands in the same order, and .ci/run runs nothing
// of its own between them that the tests could come to rely on (no `lab up`).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The commands of the first ```sh block after "## Quick start" (comments and blank lines dropped). */
export function readmeQuickStart(readme: string): string[] {
  const at = readme.indexOf('## Quick start');
  if (at < 0) throw new Error('README: no "## Quick start" section');
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error('README: no ```sh block in the quick start');
  return block[1]!
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** The QUICK_START=( "..." ... ) array of .ci/run. */
export function ciQuickStart(script: string): string[] {
  const m = /^QUICK_START=\(\n([\s\S]*?)^\)/m.exec(script);
  if (!m) throw new Error('.ci/run: no QUICK_START=( ... ) array');
  return [...m[1]!.matchAll(/^\s*"([^"]*)"\s*$/gm)].map((x) => x[1]!);
}

describe('CI runs the README quick start', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const ci = readFileSync(join(root, '.ci/run'), 'utf8');

  it('the quick-start block of the README: the demo, then the tests', () => {
    expect(readmeQuickStart(readme)).to.deep.equal(['sudo npm run demo', 'sudo npm test']);
  });

  it('.ci/run runs the same commands in the same order', () => {
    expect(ciQuickStart(ci)).to.deep.equal(readmeQuickStart(readme));
    expect(ci).to.match(/for cmd in "\$\{QUICK_START\[@\]\}"; do\n\s*as_root "\$cmd"/);
  });

  it('.ci/run keeps the lab required and the single executable under test, and brings no lab up itself', () => {
    expect(ci).to.include('export LABGRADE_REQUIRE_LAB=1');
    expect(ci).to.include('bash scripts/build-sea.sh dist-sea/labgrade');
    expect(ci).to.include('export LABGRADE_SEA_BIN=');
    const commands = ci.split('\n').filter((l) => !l.trim().startsWith('#'));
    expect(commands.join('\n')).not.to.match(/lab up|npm test$/m);
  });

  it('the parsers fail on a changed layout rather than agree on nothing', () => {
    expect(() => readmeQuickStart('# x\n')).to.throw(/Quick start/);
    expect(() => ciQuickStart('echo\n')).to.throw(/QUICK_START/);
    expect(readmeQuickStart('## Quick start\n\n```sh\na   # one\n# c\nb\n```\n')).to.deep.equal(['a', 'b']);
  });
});
