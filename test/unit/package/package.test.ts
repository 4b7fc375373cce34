// labgrade as users get it (no lab needed): the npm tarball holds exactly what runs and works once
// installed into a fresh prefix; the single executable runs on a PATH without `node`. The real
// `check` of both against the lab is in test/lab/package/installed-check.test.ts.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ROOT, packedInstall, pathWithoutNode, runWith, scratch, singleExecutable } from '../../helpers/install.js';

describe('package: the npm tarball, installed into a temporary prefix', function () {
  this.timeout(900_000);
  let pathWithBin: string;
  before(function () {
    packedInstall();
    pathWithBin = `${packedInstall().binDir}${delimiter}${process.env.PATH ?? ''}`;
  });

  it('holds the bundle, the exercises, the schemas and the docs; no sources, separate modules, tests, benchmarks or maps', () => {
    const files = packedInstall().files;
    for (const f of [
      'package.json',
      'README.md',
      'bin/labgrade.js',
      'dist/bundle/cli/main.js',
      'exercises/clase2-redes.yaml',
      'exercises/clase1-4-puente.yaml',
      'exercises/clase7-router-nat.yaml',
      'exercises/demo/answers-correct.yaml',
      'exercises/schema/lab.schema.json',
      'exercises/schema/roster.schema.json',
      'grader/transports/netns-relay.mjs',
      'dist/validators/lab.mjs',
      'grader/lab/image/build-image.sh',
      'grader/lab/image/build-debian.sh',
      'grader/lab/image/build-router-overlay.sh',
      'docs/es/glosario.md',
    ]) {
      expect(files, f).to.include(f);
    }
    const stray = files.filter((f) => /^(test|bench|dist\/test|dist\/bench|dist\/grader|dist\/checks|dist\/reports|scripts|\.ci)\//.test(f) || /\.ts$|\.map$/.test(f) || f === 'tsconfig.json');
    expect(stray).to.deep.equal([]);
  });

  it('has no runtime dependencies: the bundle holds them all, and the installed package has no node_modules', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.dependencies ?? {}).to.deep.equal({});
    for (const dep of ['commander', 'ssh2', 'yaml', 'ajv', 'playwright-core', 'mocha']) expect(pkg.devDependencies, dep).to.have.property(dep);
    expect(existsSync(join(packedInstall().pkgDir, 'node_modules'))).to.equal(false);
    // Nothing the package runs reaches outside it for a module: no bare import/require in the bundle or the validators.
    const { pkgDir } = packedInstall();
    const bare: string[] = [];
    for (const rel of packedInstall().files.filter((f) => /^dist\/.*\.(m?js)$/.test(f) || f === 'grader/transports/netns-relay.mjs')) {
      const text = readFileSync(join(pkgDir, rel), 'utf8');
      for (const m of text.matchAll(/(?:^|[\s;(])(?:import\s*(?:[\w*{}\s,]+from\s*)?|import\(|require\()\s*["']([^"'./][^"']*)["']/g)) {
        const spec = m[1]!;
        if (!spec.startsWith('node:') && !/^(fs|path|os|url|crypto|net|tty|util|events|stream|child_process|module|assert|zlib|http|https|dns|buffer|readline|worker_threads|timers|string_decoder|constants|perf_hooks|cpu-features)(\/|$)/.test(spec)) bare.push(`${rel}: ${spec}`);
      }
    }
    expect(bare).to.deep.equal([]);
  });

  it('runs --version and --help', () => {
    const { bin } = packedInstall();
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const v = runWith(bin, ['--version'], { path: pathWithBin });
    expect(v.code, v.stderr).to.equal(0);
    expect(v.stdout.trim()).to.equal(pkg.version);
    const h = runWith(bin, ['--help'], { path: pathWithBin });
    expect(h.code, h.stderr).to.equal(0);
    expect(h.stdout).to.include('Usage: labgrade').and.include('check [options] <spec>');
    const es = runWith(bin, ['--lang', 'es', 'check', '--help'], { path: pathWithBin });
    expect(es.stdout).to.include('Uso: labgrade check').and.include('muestra la ayuda de la orden');
  });

  it('lists its exercises and validates them, the demo answers and a lab file', () => {
    const { bin, pkgDir } = packedInstall();
    const ex = runWith(bin, ['exercises', '--format', 'json'], { path: pathWithBin });
    expect(ex.code, ex.stderr).to.equal(0);
    const list = JSON.parse(ex.stdout) as { id: string; path: string }[];
    expect(list.map((x) => x.id)).to.include('clase2-redes');
    expect(list[0]!.path.startsWith(pkgDir)).to.equal(true);
    const v = runWith(bin, ['validate', join(pkgDir, 'exercises', 'clase2-redes.yaml'), join(pkgDir, 'exercises', 'demo', 'answers-correct.yaml'), join(ROOT, 'test', 'fixtures', 'spec', 'lab-minimal.yaml')], { path: pathWithBin });
    expect(v.code, v.stderr).to.equal(0);
    expect(v.stdout).to.include('3 valid, 0 with errors');
  });

  it('writes an answers template for an exercise given by id', () => {
    const { bin, pkgDir } = packedInstall();
    const dir = scratch('answers-npm');
    const r = runWith(bin, ['answers', 'init', 'clase2-redes', '-o', 'respuestas.yaml'], { path: pathWithBin, cwd: dir });
    expect(r.code, r.stderr).to.equal(0);
    const text = readFileSync(join(dir, 'respuestas.yaml'), 'utf8');
    expect(text.split('\n')[0]).to.equal(`# yaml-language-server: $schema=${join(pkgDir, 'exercises', 'schema', 'answers.schema.json')}`);
    expect(text).to.include('exercise: clase2-redes');
  });
});

describe('package: the single executable (linux-x64), on a PATH without node', function () {
  this.timeout(900_000);
  let bin: string;
  let path: string;
  before(function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    bin = singleExecutable();
    path = pathWithoutNode();
  });

  it('the PATH really has no node', () => {
    const r = spawnSync('/bin/sh', ['-c', 'command -v node || command -v nodejs'], { env: { PATH: path }, encoding: 'utf8' });
    expect(r.status).to.not.equal(0);
    expect(r.stdout.trim()).to.equal('');
  });

  it('runs --version, --help and exercises', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const v = runWith(bin, ['--version'], { path });
    expect(v.code, v.stderr).to.equal(0);
    expect(v.stdout.trim()).to.equal(pkg.version);
    const h = runWith(bin, ['--help'], { path });
    expect(h.code, h.stderr).to.equal(0);
    expect(h.stdout).to.include('Usage: labgrade');
    const ex = runWith(bin, ['exercises'], { path });
    expect(ex.code, ex.stderr).to.equal(0);
    expect(ex.stdout).to.include('clase2-redes');
  });

  it('validates, writes an answers template, and reports bad input with exit 2', () => {
    const dir = scratch('answers-sea');
    const a = runWith(bin, ['answers', 'init', 'clase2-redes', '-o', 'respuestas.yaml'], { path, cwd: dir });
    expect(a.code, a.stderr).to.equal(0);
    expect(readFileSync(join(dir, 'respuestas.yaml'), 'utf8')).to.include('exercise: clase2-redes');
    const v = runWith(bin, ['validate', join(ROOT, 'exercises', 'demo', 'answers-correct.yaml'), join(ROOT, 'test', 'fixtures', 'spec', 'lab-minimal.yaml')], { path });
    expect(v.code, `${v.stdout}${v.stderr}`).to.equal(0);
    const bad = runWith(bin, ['validate', join(ROOT, 'test', 'fixtures', 'spec', 'spec-wrong-type.yaml')], { path });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('wrong type: expected number, found text');
 
    // The SSH library's optional native parts are missing in the bundle: it falls back silently.
    const doctor = runWith(bin, ['doctor', '--uri', 'qemu+unix:///system?socket=/nonexistent/labgrade-sock'], { path });
    expect(doctor.code, doctor.stdout + doctor.stderr).to.equal(1);
    expect(doctor.stdout).to.include('the socket /nonexistent/labgrade-sock does not exist');
    expect(doctor.stderr).to.not.match(/Warning/i);
  });
});
