// bin/labgrade.js picks what to run: the bundle (dist/bundle/cli) when it is at least as new as the
// separate modules (dist/grader), else the modules (`tsc` alone ran after the last full build);
// LABGRADE_NO_BUNDLE=1 always runs the modules. Run against a copy of the launcher with stand-ins.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = (name: string) => `export function main() { process.stdout.write(${JSON.stringify(name)}); }\n`;

function tree(o: { bundle?: number; modules?: number }): string {
  const dir = mkdtempSync(join(tmpdir(), 'labgrade-launcher-'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(resolve('bin/labgrade.js'), join(dir, 'bin', 'labgrade.js'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module","version":"0.0.0"}');
  for (const [key, path] of [['bundle', 'dist/bundle/cli'], ['modules', 'dist/grader/cli']] as const) {
    const t = o[key];
    if (t === undefined) continue;
    mkdirSync(join(dir, path), { recursive: true });
    writeFileSync(join(dir, path, 'main.js'), MAIN(key));
    utimesSync(join(dir, path, 'main.js'), t, t);
  }
  return dir;
}

function runs(dir: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [join(dir, 'bin', 'labgrade.js'), 'anything'], { encoding: 'utf8', env: { ...process.env, LABGRADE_NO_BUNDLE: '', ...env } });
  return r.stdout;
}

describe('bin/labgrade.js: bundle or separate modules', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const make = (o: { bundle?: number; modules?: number }) => {
    const d = tree(o);
    dirs.push(d);
    return d;
  };

  it('runs the bundle when it is as new as the modules or newer (a full build, an installed package)', () => {
    expect(runs(make({ bundle: 2000, modules: 1000 }))).to.equal('bundle');
    expect(runs(make({ bundle: 1000, modules: 1000 }))).to.equal('bundle');
    expect(runs(make({ bundle: 1000 }))).to.equal('bundle');
  });

  it('an installed package (the bundle only, no dist/grader) runs the bundle even with LABGRADE_NO_BUNDLE=1', () => {
    expect(runs(make({ bundle: 1000 }), { LABGRADE_NO_BUNDLE: '1' })).to.equal('bundle');
  });

  it('runs the modules when the bundle is older (tsc ran alone), missing, or LABGRADE_NO_BUNDLE=1', () => {
    expect(runs(make({ bundle: 1000, modules: 2000 }))).to.equal('modules');
    expect(runs(make({ modules: 1000 }))).to.equal('modules');
    expect(runs(make({ bundle: 2000, modules: 1000 }), { LABGRADE_NO_BUNDLE: '1' })).to.equal('modules');
  });
});
