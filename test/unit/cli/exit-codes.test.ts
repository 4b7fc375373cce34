// One exit-code table for every command (docs/en/exit-codes.md):
//   0  the command did its job and everything it checked is fine
//   1  it ran, and something failed or could not be measured (grading, inspection, doctor)
//   2  bad input or usage: unknown option, missing argument, bad --format / --lang / --uri,
//      a file that does not validate; also when labgrade cannot run at all (internal error)
// (`batch` interrupted by Ctrl-C exits 130, the shell's convention for SIGINT.)
// Every command of the CLI must have a row here: adding a command without one fails this test.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram } from '../../../grader/cli/main.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'labgrade-exit-'));
const NO_SOCKET = 'qemu+unix:///system?socket=/nonexistent/labgrade-test-sock';
const unreachableLab = join(tmp, 'lab-unreachable.yaml');
writeFileSync(
  unreachableLab,
  `uri: "${NO_SOCKET}"\nnetworks: { nat: red-nat, isolated: red-aislada, very_isolated: red-muy-aislada }\nvms:\n  linux: { domain: debian12, access: [agent] }\n  windows: { domain: win10, access: [agent] }\n`,
);
const badYaml = join(tmp, 'bad.yaml');
writeFileSync(badYaml, 'tasks: [\n');
const correct = join(root, 'exercises', 'demo', 'answers-correct.yaml');

function labgrade(args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'labgrade.js'), ...args], {
    encoding: 'utf8',
    cwd: tmp,
    timeout: 120_000,
    env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LABGRADE_DEBUG: '' },
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

/** command path -> cases [args, expected exit code]. */
const TABLE: Record<string, [string[], 0 | 1 | 2][]> = {
  validate: [
    [['validate', join(root, 'exercises', 'clase2-redes.yaml')], 0],
    [['validate', badYaml], 2],
    [['validate', badYaml, '--format', 'json'], 2],
    [['validate', '--kind', 'nope', badYaml], 2],
    [['validate', correct, '--format', 'xml'], 2],
  ],
  answers: [[['answers', 'bogus'], 2]],
  'answers init': [
    [['answers', 'init', 'clase2-redes'], 0],
    [['answers', 'init', 'no-such-exercise'], 2],
    [['answers', 'init', 'clase2-redes', '-o', '/nonexistent/labgrade-dir/a.yaml'], 2],
  ],
  lab: [[['lab', 'bogus'], 2]],
  'lab up': [[['lab', 'up', '--format', 'xml'], 2], [['lab', 'up', '--scenario'], 2]],
  'lab down': [[['lab', 'down', '--format', 'xml'], 2]],
  'lab status': [[['lab', 'status', '--format', 'xml'], 2]],
  'lab scenarios': [
    [['lab', 'scenarios'], 0],
    [['lab', 'scenarios', '--format', 'json'], 0],
    [['lab', 'scenarios', '--format', 'xml'], 2],
  ],
  inspect: [
    [['inspect', '--uri', NO_SOCKET], 1],
    [['inspect', '--uri', 'foo'], 2],
    [['inspect', '--format', 'xml'], 2],
    [['inspect', '--lab', badYaml], 2],
  ],
  check: [
    [['check', 'clase2-redes', '--lab', unreachableLab, '--answers', correct, '--task', 'nat'], 1],
    [['check', 'clase2-redes', '--lab', unreachableLab], 2],
    [['check', 'clase2-redes', '--lab', join(tmp, 'missing.yaml'), '--answers', correct], 2],
    [['check', 'no-such-exercise', '--lab', unreachableLab, '--answers', correct], 2],
    [['check', 'clase2-redes', '--lab', unreachableLab, '--answers', correct, '--format', 'xml'], 2],
    [['check', 'clase2-redes', '--lab', unreachableLab, '--answers', correct, '--task', 'nope'], 2],
    [['check', 'clase2-redes', '--lab', unreachableLab, '--answers', correct, '-o', '/nonexistent/labgrade-dir/r.txt'], 2],
  ],
  demo: [[['demo', 'extra-argument'], 2]],
  batch: [
    [['batch', 'clase2-redes', '--out', join(tmp, 'out')], 2],
    [['batch', 'clase2-redes', '--roster', join(tmp, 'missing.yaml'), '--out', join(tmp, 'out')], 2],
    [['batch', 'clase2-redes', '--roster', badYaml, '--out', join(tmp, 'out'), '--concurrency', 'x'], 2],
    [['batch', 'clase2-redes', '--roster', badYaml, '--out', join(tmp, 'out'), '--shard', '3/2'], 2],
    [['batch', 'clase2-redes', '--roster', badYaml, '--out', '/nonexistent/labgrade-dir/out'], 2],
    [['batch', 'clase2-redes', '--roster', badYaml, '--out', join(tmp, 'out'), '--hand-ins', tmp, '--since', 'yesterday'], 2],
  ],
  handin: [[['handin', 'bogus'], 2]],
  'handin show': [
    [['handin', 'show', join(tmp, 'missing.zip')], 2],
    [['handin', 'show', badYaml], 2],
  ],
  'batch-merge': [
    [['batch', 'merge', '--out', join(tmp, 'merged')], 2],
    [['batch', 'merge', tmp, '--roster', join(tmp, 'missing.yaml'), '--out', join(tmp, 'merged')], 2],
    [['batch-merge', tmp, '--roster', badYaml, '--out', join(tmp, 'merged')], 2],
  ],
  watch: [
    [['watch', 'clase2-redes'], 2],
    [['watch', 'clase2-redes', '--roster', badYaml, '--listen', 'localhost:8750'], 2],
    [['watch', 'clase2-redes', '--roster', badYaml, '--every', 'x'], 2],
    [['watch', 'clase2-redes', '--roster', join(tmp, 'missing.yaml'), '--listen', '127.0.0.1:0'], 2],
  ],
  init: [
    [['init', '--uri', 'foo', '-o', '-'], 2],
    [['init', '-o', '/nonexistent/labgrade-dir/lab.yaml'], 2],
  ],
  completion: [
    [['completion', 'bash'], 0],
    [['completion', 'zsh'], 0],
    [['completion', 'fish'], 2],
  ],
  doctor: [
    [['doctor', '--uri', NO_SOCKET], 1],
    [['doctor', '--uri', 'foo'], 2],
    [['doctor', '--format', 'xml'], 2],
  ],
  exercises: [
    [['exercises'], 0],
    [['exercises', '--format', 'json'], 0],
    [['exercises', '--format', 'xml'], 2],
    [['exercises', '--no-color'], 0],
    [['--color', 'exercises'], 0],
  ],
  report: [
    [['report', join(root, 'test', 'fixtures', 'reports', 'mixed.result.json'), '--format', 'html'], 0],
    [['report', join(root, 'test', 'fixtures', 'reports', 'mixed.result.json'), '--format', 'xml'], 2],
    [['report', join(root, 'README.md')], 2],
    [['report', join(root, 'package.json')], 2],
  ],
};

function commandPaths(cmd: Command, prefix = ''): string[] {
  return cmd.commands
    .filter((c) => c.name() !== 'help')
    .flatMap((c) => {
      const p = prefix ? `${prefix} ${c.name()}` : c.name();
      return [p, ...commandPaths(c, p)];
    });
}

describe('exit codes: one table for every command', function () {
  this.timeout(600_000);
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the table has a row for every command of the CLI', async () => {
    const paths = commandPaths(await buildProgram({ lang: 'en' }));
    expect([...paths].sort()).to.deep.equal(Object.keys(TABLE).sort());
  });

  it('every command: --help exits 0, bad usage (unknown option, missing argument) exits 2', async () => {
    for (const path of Object.keys(TABLE)) {
      const words = path.split(' ');
      expect(labgrade([...words, '--help']).code, `${path} --help`).to.equal(0);
      const bad = labgrade([...words, '--no-such-option']);
      expect(bad.code, `${path} --no-such-option: ${bad.out}`).to.equal(2);
      expect(bad.out).to.match(/unknown option '--no-such-option'|required option|missing required argument/);
    }
  });

  it('--lang accepts es and en in any case and as locales (es-ES, en_US); exit 2 otherwise, before anything runs', () => {
    const r = labgrade(['--lang', 'fr', 'exercises']);
    expect(r.code).to.equal(2);
    expect(r.out).to.include('--lang takes es or en (also es-ES, en_US…), not "fr"');
    expect(labgrade(['--lang', 'es', 'exercises']).code).to.equal(0);
    for (const [value, header] of [['EN', 'Bundled exercises'], ['Es', 'Ejercicios incluidos'], ['es-ES', 'Ejercicios incluidos'], ['en_US', 'Bundled exercises'], ['es_ES.UTF-8', 'Ejercicios incluidos']]) {
      const x = labgrade(['--lang', value!, 'exercises']);
      expect(x.code, `--lang ${value}: ${x.out}`).to.equal(0);
      expect(x.out, `--lang ${value}`).to.include(header);
    }
  });

  it('a usage error is one line and where the help is, not the whole help (exit 2)', () => {
    const r = labgrade(['check', 'clase2-redes', '--lab', 'x', '--answers', 'y', '--bogus']);
    expect(r.code).to.equal(2);
    expect(r.out.trim().split('\n')).to.deep.equal(["error: unknown option '--bogus'", 'Try "labgrade check --help" for the options.']);
    const es = labgrade(['--lang', 'es', 'lab', 'up', '--scenario']);
    expect(es.code).to.equal(2);
    expect(es.out).to.include('Prueba «labgrade lab up --help» para ver las opciones.').and.not.include('Uso:');
  });

  it('--task names the unknown task and the valid ones, once', () => {
    const r = labgrade(['check', 'clase2-redes', '--lab', unreachableLab, '--answers', correct, '--task', 'bogus']);
    expect(r.code).to.equal(2);
    expect(r.out.trim()).to.equal('--task: unknown task "bogus"; the valid ones are: auto, all, nat, isolated, very_isolated');
  });

  it('-q / -v: doctor -q shows only what needs attention; check -v shows progress without a terminal; -q hides it', () => {
    const d = labgrade(['doctor', '-q', '--uri', NO_SOCKET]);
    expect(d.code).to.equal(1);
    expect(d.out).to.include('FAIL').and.include('1 failed');
    expect(d.out).to.not.match(/^\s+ok\s+virsh program/m);
    expect(labgrade(['doctor', '--uri', NO_SOCKET]).out).to.match(/^\s+ok\s+virsh program/m);
    const v = labgrade(['check', 'clase2-redes', '--lab', unreachableLab, '--answers', correct, '--task', 'nat', '-v']);
    expect(v.code).to.equal(1);
    expect(v.out).to.include('Inspecting the libvirt host');
    const q = labgrade(['check', 'clase2-redes', '--lab', unreachableLab, '--answers', correct, '--task', 'nat', '-q']);
    expect(q.code).to.equal(1);
    expect(q.out).to.not.include('Inspecting the libvirt host');
    for (const cmd of [['check'], ['batch'], ['batch-merge'], ['doctor'], ['init'], ['inspect'], ['lab', 'up'], ['lab', 'down'], ['demo']]) {
      const h = labgrade([...cmd, '--help']).out;
      expect(h, cmd.join(' ')).to.include('-q, --quiet').and.include('-v, --verbose');
    }
  });

  it('-q and -v together are bad usage (exit 2)', () => {
    const r = labgrade(['doctor', '-q', '-v', '--uri', NO_SOCKET]);
    expect(r.code).to.equal(2);
    expect(r.out).to.include('-q and -v do not go together');
  });

  it('under --format json a failure is one JSON object on stdout, with the same exit code', () => {
    const cases: [string[], number, string][] = [
      [['validate', '--format', 'json'], 2, 'usage'],
      [['inspect', '--format', 'json', '--uri', 'foo'], 2, 'input'],
      [['check', 'clase2-redes', '--lab', join(tmp, 'missing.yaml'), '--answers', correct, '--format', 'json'], 2, 'input'],
      [['--lang', 'fr', 'exercises', '--format', 'json'], 2, 'usage'],
      [['lab', 'up', '--format', 'json', '--flavour', 'no-such-flavour'], 2, 'usage'],
    ];
    for (const [args, code, kind] of cases) {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'labgrade.js'), ...args], { encoding: 'utf8', cwd: tmp, env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '' } });
      expect(r.status, `${args.join(' ')}: ${r.stdout}${r.stderr}`).to.equal(code);
      const obj = JSON.parse(r.stdout) as { error: { code: string; message: string; exitCode: number; file?: string } };
      expect(obj.error.code, args.join(' ')).to.equal(kind);
      expect(obj.error.exitCode).to.equal(code);
      expect(obj.error.message).to.be.a('string').and.match(/\S/);
      expect(r.stderr, args.join(' ')).to.equal('');
    }
    const missing = spawnSync(process.execPath, [join(root, 'bin', 'labgrade.js'), 'check', 'clase2-redes', '--lab', join(tmp, 'missing.yaml'), '--answers', correct, '--format', 'json'], { encoding: 'utf8', cwd: tmp });
    expect((JSON.parse(missing.stdout) as { error: { file: string } }).error.file).to.equal(join(tmp, 'missing.yaml'));
  });

  it('check and batch refuse a spec whose check params are wrong before grading anything (exit 2, as validate says it)', () => {
    const spec = join(tmp, 'router-bad-params.yaml');
    writeFileSync(spec, readFileSync(join(root, 'exercises', 'clase7-router-nat.yaml'), 'utf8').replace('params: { via: linux }', 'params: { via: linux, colour: red }'));
    const v = labgrade(['validate', spec]);
    const c = labgrade(['check', spec, '--lab', unreachableLab, '--answers', correct]);
    const b = labgrade(['batch', spec, '--roster', join(tmp, 'missing.yaml'), '--out', join(tmp, 'out-bad')]);
    for (const r of [v, c, b]) {
      expect(r.code, r.out).to.equal(2);
      expect(r.out).to.include('unknown parameter "colour"');
    }
  });

  for (const [path, cases] of Object.entries(TABLE)) {
    it(`${path}: ${cases.map(([, c]) => c).join(', ')}`, () => {
      for (const [args, want] of cases) {
        const r = labgrade(args);
        expect(r.code, `labgrade ${args.join(' ')}\n${r.out}`).to.equal(want);
        expect(r.out, `labgrade ${args.join(' ')}`).to.not.match(/internal error/);
      }
    });
  }
});
