// A "remote" libvirt host for tests and benchmarks: an OpenSSH server in the lab's namespace
// (listening on 127.0.0.1 there, so nothing outside the namespace can reach it) in front of the
// lab's libvirtd, with a temporary host key, client key and known_hosts. A lab file pointing at it
// (`qemu+ssh://root@127.0.0.1:PORT/system`, `netns: labgrade`, `host_ssh:`) makes labgrade do what
// it does for a student's remote host: virsh over SSH, guests reached by jumping through the host.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOk } from './run.js';
import { LAB_NETNS } from './constants.js';
import { labFileYaml, type LabFileOptions } from './labfile.js';
import { writeFileAtomic } from '../util/fs.js';

export interface RemoteHost {
  dir: string;
  port: number;
  uri: string;
  /** The lab file's `host_ssh` entry for this host. */
  hostSsh: { user: string; host: string; port: number; key: string; known_hosts: string };
  /** A lab file for `roles` (role -> domain) on this host. */
  writeLabFile(path: string, roles: Record<string, string>, opts?: LabFileOptions): Promise<string>;
  stop(): Promise<void>;
}

async function keygen(file: string): Promise<string> {
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'labgrade-remote-host', '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

/** Starts sshd (root only, lab up). */
export async function startRemoteHost(opts: { port?: number } = {}): Promise<RemoteHost> {
  const dir = mkdtempSync(join(tmpdir(), 'labgrade-remote-host-'));
  const port = opts.port ?? 20000 + (process.pid % 20000);
  const hostPub = await keygen(join(dir, 'host_key'));
  await keygen(join(dir, 'client_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')), { mode: 0o600 });
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `HostKey ${dir}/host_key`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      'PidFile none',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'AllowTcpForwarding yes',
      'MaxSessions 32',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child: ChildProcess = spawn('ip', ['netns', 'exec', LAB_NETNS, '/usr/sbin/sshd', '-D', '-e', '-f', join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  // Ready when the port listens inside the namespace.
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${err.trim()}`);
    const listening = await runOk('ip', ['netns', 'exec', LAB_NETNS, 'ss', '-Hltn', `sport = :${port}`]).catch(() => '');
    if (listening.trim() !== '') break;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on 127.0.0.1:${port} in ${LAB_NETNS}: ${err.trim()}`);
    await new Promise((r2) => setTimeout(r2, 100));
  }
  const uri = `qemu+ssh://root@127.0.0.1:${port}/system`;
  const hostSsh = { user: 'root', host: '127.0.0.1', port, key: join(dir, 'client_key'), known_hosts: join(dir, 'known_hosts') };
  return {
    dir,
    port,
    uri,
    hostSsh,
    async writeLabFile(path, roles, o = {}) {
      await writeFileAtomic(path, labFileYaml(roles, { ...o, uri, hostSsh }), 0o600);
      return path;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
