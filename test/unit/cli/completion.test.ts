// `labgrade completion bash|zsh`: bash accepts the script (bash -n), and with it sourced the
// completion function completes command names, subcommands, options, option values and the
// bundled exercises' ids (COMP_WORDS/COMP_CWORD set as bash sets them).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../../grader/cli/main.js';
import { bashCompletion, zshCompletion } from '../../../grader/cli/completion.js';
import { bundledExerciseIds } from '../../../grader/inputs/exercises.js';

const tmp = mkdtempSync(join(tmpdir(), 'labgrade-completion-'));
let script = '';

/** Runs the completion function for the words typed so far (the last one is being completed). */
function complete(words: string[]): string[] {
  const arr = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `source ${join(tmp, 'labgrade.bash')}; COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _labgrade; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8', cwd: tmp });
  expect(r.status, r.stderr).to.equal(0);
  return r.stdout.split('\n').filter(Boolean);
}

describe('shell completion', function () {
  this.timeout(60_000);
  before(async () => {
    script = bashCompletion(await buildProgram({ lang: 'en' }), bundledExerciseIds(), { format: ['text', 'json', 'junit', 'html'] });
    writeFileSync(join(tmp, 'labgrade.bash'), script);
    writeFileSync(join(tmp, 'lab.yaml'), 'x');
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('bash -n accepts the script', () => {
    const r = spawnSync('bash', ['-n', join(tmp, 'labgrade.bash')], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
  });

  it('completes a command name, and every command is offered', () => {
    expect(complete(['labgrade', 'ch'])).to.deep.equal(['check']);
    expect(complete(['labgrade', 'ins'])).to.deep.equal(['inspect']);
    expect(complete(['labgrade', ''])).to.include.members(['check', 'batch', 'batch-merge', 'doctor', 'init', 'inspect', 'lab', 'demo', 'exercises', 'validate', 'answers', 'completion', 'help']);
    expect(complete(['labgrade', '--lang', 'es', 'doc'])).to.deep.equal(['doctor']);
  });

  it('completes subcommands, options, option values and exercise ids', () => {
    expect(complete(['labgrade', 'lab', 'u'])).to.deep.equal(['up']);
    expect(complete(['labgrade', 'check', '--la'])).to.include.members(['--lab', '--lang']);
    expect(complete(['labgrade', 'check', 'clase2-redes', '--format', 'j'])).to.deep.equal(['json', 'junit']);
    expect(complete(['labgrade', '--lang', ''])).to.deep.equal(['es', 'en']);
    expect(complete(['labgrade', 'check', 'clase'])).to.include.members(bundledExerciseIds());
    expect(complete(['labgrade', 'check', 'clase2-redes', '--lab', 'lab.'])).to.deep.equal(['lab.yaml']);
    expect(complete(['labgrade', 'lab', 'up', '--'])).to.include.members(['--scenario', '--flavour', '--quiet', '--verbose']);
    expect(bundledExerciseIds()).to.include.members(['clase2-redes', 'clase1-4-puente', 'clase7-router-nat']);
  });

  it('zsh: the same function through bashcompinit', async () => {
    const z = zshCompletion(await buildProgram({ lang: 'en' }), bundledExerciseIds());
    expect(z.split('\n')[0]).to.equal('#compdef labgrade');
    expect(z).to.include('bashcompinit').and.include('_labgrade()').and.include('complete -o default -F _labgrade labgrade');
    const r = spawnSync('bash', ['-n'], { input: z.split('\n').filter((l) => !l.startsWith('autoload')).join('\n'), encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
  });
});
