// Tried as a Spanish-speaking newcomer would: every command's --help (and a usage error) with
// --lang es has no English word of commander's or of ours: headings, placeholders (<file>,
// [options], <files...>), "help [command]", "(default: [])", the VM state words.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram } from '../../../grader/cli/main.js';
import { domainStateWord, DOMAIN_STATES } from '../../../grader/libvirt/state-words.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * English words a Spanish help must not show (option names such as --ssh-user are not words here,
 * nor the `help` command's own name; "error" is Spanish too).
 */
const ENGLISH = ['options', 'option', 'files', 'file', 'default', 'help', 'command', 'commands', 'running', 'usage', 'arguments', 'display', 'output', 'dir', 'dirs', 'folder', 'choices', 'seconds', 'name', 'user', 'list', 'path', 'field', 'shut', 'paused', 'unknown', 'required', 'missing', 'try'];
const englishWords = (text: string): string[] =>
  ENGLISH.filter((w) => new RegExp(`(?<![-\\w./=|])${w}(?![-\\w/|=])`, 'i').test(text.replace(/labgrade [a-z -]*--help/g, '').replace(/^ *help \[orden\]/m, '')));

function all(cmd: Command, path: string[] = []): { path: string[]; cmd: Command }[] {
  return [{ path, cmd }, ...cmd.commands.flatMap((c) => all(c, [...path, c.name()]))];
}

describe('Spanish help and usage errors: no English words', function () {
  this.timeout(120_000);

  it('every command and subcommand --help (--lang es)', async () => {
    const program = await buildProgram({ lang: 'es' });
    const commands = all(program);
    expect(commands.length).to.be.greaterThan(12);
    const found: string[] = [];
    for (const { path, cmd } of commands) {
      const words = englishWords(cmd.helpInformation());
      if (words.length) found.push(`labgrade ${path.join(' ')} --help: ${words.join(', ')}`);
    }
    expect(found).to.deep.equal([]);
  });

  it('the word list catches what it must (so the test above can fail)', () => {
    expect(englishWords('Uso: labgrade validate [options] <files...>')).to.include.members(['options', 'files']);
    expect(englishWords('  help [command]   muestra la ayuda')).to.include.members(['help', 'command']);
    expect(englishWords('(por defecto: [])  debian12  running')).to.include('running');
    expect(englishWords('  --ssh-user <usuario>  -h, --help  --known-hosts <fichero>')).to.deep.equal([]);
  });

  it('through the real binary: top-level help, a command help, a usage error', () => {
    for (const args of [['--lang', 'es', '--help'], ['--lang', 'es', 'init', '--help'], ['--lang', 'es', 'check', 'clase2-redes', '--lb', 'x']]) {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'labgrade.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const text = `${r.stdout}${r.stderr}`;
      expect(englishWords(text), `${args.join(' ')}:\n${text}`).to.deep.equal([]);
      expect(text).to.not.include('(por defecto: [])');
    }
  });

  it('Spanish output of commands a newcomer runs first: exercises, doctor, validate, answers init, bad --task', () => {
    const NO_SOCKET = 'qemu+unix:///system?socket=/nonexistent/labgrade-test-sock';
    const runs = [
      ['exercises'],
      ['doctor', '--uri', NO_SOCKET],
      ['validate', '/etc/hostname'],
      ['answers', 'init', 'clase2-redes', '-o', '/nonexistent/labgrade-dir/a.yaml'],
      ['check', 'clase2-redes', '--lab', '/etc/hostname', '--answers', '/etc/hostname', '--task', 'bogus'],
    ];
    for (const args of runs) {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'labgrade.js'), '--lang', 'es', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const text = `${r.stdout}${r.stderr}`.replace(/\S*\/\S*/g, '');
      expect(englishWords(text), `${args.join(' ')}:\n${text}`).to.deep.equal([]);
    }
  });

  it('VM states are in Spanish (inspect, lab status)', () => {
    for (const s of DOMAIN_STATES) expect(englishWords(domainStateWord('es', s)), s).to.deep.equal([]);
    expect(domainStateWord('es', 'running')).to.equal('en marcha');
    expect(domainStateWord('es', 'shut off')).to.equal('apagada');
    expect(domainStateWord('en', 'shut off')).to.equal('shut off');
    expect(domainStateWord('es', 'some new state')).to.equal('some new state');
  });
});
