// Where labgrade writes and which host it reads, the same for every command:
// - an output path whose folder does not exist is refused (exit 2, the folder named), never created;
// - --uri is one option (grader/cli/uri-option.ts) on every command that takes it, and wins over the lab file;
// - a qemu+ssh URI without credentials says where credentials come from in that situation.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram } from '../../../grader/cli/main.js';
import { checkOutputPath } from '../../../grader/cli/output-path.js';
import { resolveUri } from '../../../grader/cli/uri-option.js';
import { sshCommandsFor } from '../../../grader/libvirt/uri.js';
import { InputError } from '../../../grader/types.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'labgrade-outputs-'));

function labgrade(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'labgrade.js'), ...args], { encoding: 'utf8', cwd: tmp, timeout: 60_000, env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI: output paths and --uri, the same for every command', function () {
  this.timeout(120_000);
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('answers init -o into a missing folder: exit 2, the folder named, nothing created', () => {
    const r = labgrade(['answers', 'init', 'clase2-redes', '-o', join(tmp, 'no', 'such', 'a.yaml')]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(`the folder ${join(tmp, 'no', 'such')} does not exist`);
    expect(existsSync(join(tmp, 'no'))).to.equal(false);
    const es = labgrade(['--lang', 'es', 'answers', 'init', 'clase2-redes', '-o', join(tmp, 'no', 'a.yaml')]);
    expect(es.stderr).to.include(`la carpeta ${join(tmp, 'no')} no existe`);
    expect(labgrade(['answers', 'init', 'clase2-redes', '-o', join(tmp, 'a.yaml')]).code).to.equal(0);
    expect(existsSync(join(tmp, 'a.yaml'))).to.equal(true);
  });

  it('one helper: a missing folder or a file in its place is refused; stdout and existing folders pass', () => {
    writeFileSync(join(tmp, 'plain'), 'x');
    expect(() => checkOutputPath(join(tmp, 'missing', 'x'), '-o', 'en')).to.throw(InputError, /does not exist/);
    expect(() => checkOutputPath(join(tmp, 'plain', 'x'), '-o', 'en')).to.throw(InputError, /is not a folder/);
    expect(() => checkOutputPath('-', '-o', 'en')).to.not.throw();
    expect(() => checkOutputPath(undefined, '-o', 'en')).to.not.throw();
    expect(() => checkOutputPath(join(tmp, 'new-out-dir'), '--out', 'en')).to.not.throw();
  });

  it('every command with --uri declares it the same way (one option, one description style)', async () => {
    const program = await buildProgram({ lang: 'en' });
    const withUri = (cmd: Command): string[] => [...(cmd.options.some((o) => o.long === '--uri') ? [cmd.name()] : []), ...cmd.commands.flatMap(withUri)];
    expect(withUri(program).sort()).to.deep.equal(['doctor', 'init', 'inspect']);
    for (const name of ['doctor', 'init', 'inspect']) {
      const o = program.commands.find((c) => c.name() === name)!.options.find((x) => x.long === '--uri')!;
      expect(o.flags, name).to.equal('--uri <uri>');
      expect(o.defaultValue, name).to.equal(undefined);
    }
  });

  it('resolveUri: --uri wins over the lab file, then qemu:///system; a non-URI is exit 2', () => {
    expect(resolveUri('qemu+ssh://a@h/system', 'en', 'qemu:///session')).to.deep.equal({ uri: 'qemu+ssh://a@h/system', fromCli: true });
    expect(resolveUri(undefined, 'en', 'qemu:///session')).to.deep.equal({ uri: 'qemu:///session', fromCli: false });
    expect(resolveUri(undefined, 'en')).to.deep.equal({ uri: 'qemu:///system', fromCli: false });
    expect(() => resolveUri('foo', 'en')).to.throw(InputError);
  });

  it('ssh and ssh-copy-id for a qemu+ssh URI keep its user and port', () => {
    expect(sshCommandsFor('qemu+ssh://nobody@127.0.0.1:1/system')).to.deep.equal({ ssh: 'ssh -p 1 nobody@127.0.0.1', copyId: 'ssh-copy-id -p 1 nobody@127.0.0.1' });
    expect(sshCommandsFor('qemu+ssh://h.example/system')).to.deep.equal({ ssh: 'ssh h.example', copyId: 'ssh-copy-id h.example' });
    expect(sshCommandsFor('qemu:///system')).to.equal(null);
  });

  it('inspect --uri qemu+ssh://… with no agent and no key: names the URI, the agent and ~/.ssh, not a lab file', () => {
    const home = join(tmp, 'home');
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home);
    const env = { HOME: home, SSH_AUTH_SOCK: '' };
    const r = labgrade(['inspect', '--uri', 'qemu+ssh://nobody@127.0.0.1:1/system'], env);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.include('no SSH credentials to log into nobody@127.0.0.1:1 (the host of qemu+ssh://nobody@127.0.0.1:1/system)');
    expect(r.stderr).to.include('SSH_AUTH_SOCK is not set').and.include('ssh-copy-id -p 1 nobody@127.0.0.1').and.include('keyfile= in the URI');
    expect(r.stderr).to.not.include('in the lab file');
  });
});
