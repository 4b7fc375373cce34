/**
 * labgrade as a user gets it, for the packaging tests:
 * - `packedInstall()`: `npm pack` of this checkout (prepack builds it), then `npm install -g` of the
 *   tarball into a temporary prefix: the installed command and package folder, and the tarball's file list.
 * - `singleExecutable()`: `scripts/build-sea.sh` into a temporary folder (or LABGRADE_SEA_BIN when CI
 *   built it already): the one-file linux-x64 executable.
 * - `pathWithoutNode()`: a PATH folder holding every program of the current PATH except node/npm/npx,
 *   to prove the single executable needs no Node.
 * Each is made once per test process; everything lives under one temporary folder removed at exit.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE_PROGRAMS = new Set(['node', 'nodejs', 'npm', 'npx', 'corepack']);

let base: string | undefined;
function tmp(): string {
  if (!base) {
    base = mkdtempSync(join(tmpdir(), 'labgrade-install-'));
    process.once('exit', () => rmSync(base!, { recursive: true, force: true }));
  }
  return base;
}

export interface Installed {
  /** The `labgrade` command npm linked into the prefix's bin/. */
  bin: string;
  /** The installed package folder (prefix/lib/node_modules/labgrade). */
  pkgDir: string;
  /** Paths inside the tarball (package/ stripped). */
  files: string[];
  /** The prefix's bin/ (to put first on PATH). */
  binDir: string;
}

let installed: Installed | undefined;
export function packedInstall(): Installed {
  if (installed) return installed;
  const dir = join(tmp(), 'pack');
  mkdirSync(dir, { recursive: true });
  const npmEnv = { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
  const run = spawnSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, env: npmEnv, encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) throw new Error(`npm pack failed (exit ${run.status}):\n${run.stderr}`);
  const packed = JSON.parse(run.stdout) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(dir, packed[0]!.filename);
  const prefix = join(tmp(), 'prefix');
  // --prefer-offline: the dependencies are in npm's cache after `npm ci`; nothing is downloaded twice.
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', tarball], { cwd: dir, env: npmEnv, stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  installed = {
    bin: join(prefix, 'bin', 'labgrade'),
    binDir: join(prefix, 'bin'),
    pkgDir: join(prefix, 'lib', 'node_modules', 'labgrade'),
    files: packed[0]!.files.map((f) => f.path),
  };
  return installed;
}

let sea: string | undefined;
export function singleExecutable(): string {
  if (sea) return sea;
  const prebuilt = process.env.LABGRADE_SEA_BIN;
  if (prebuilt && existsSync(prebuilt)) return (sea = prebuilt);
  const out = join(tmp(), 'sea', 'labgrade');
  execFileSync('bash', [join(ROOT, 'scripts', 'build-sea.sh'), out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  return (sea = out);
}

let noNode: string | undefined;
/** A PATH value with every program of the current PATH except Node's. */
export function pathWithoutNode(): string {
  if (noNode) return noNode;
  const dir = join(tmp(), 'path-without-node');
  mkdirSync(dir, { recursive: true });
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/local/sbin', '/usr/sbin', '/sbin']);
  for (const d of dirs) {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names) {
      if (NODE_PROGRAMS.has(n) || existsSync(join(dir, n))) continue;
      try {
        if (statSync(join(d, n)).isFile()) symlinkSync(join(d, n), join(dir, n));
      } catch {
        /* dangling link or unreadable: not a program we need */
      }
    }
  }
  return (noNode = dir);
}

/** Runs a program with a given PATH (and a private HOME, so nothing of the user's is read). */
export function runWith(bin: string, args: string[], opts: { path: string; cwd?: string; env?: Record<string, string> }): { code: number | null; stdout: string; stderr: string } {
  const home = join(tmp(), 'home');
  mkdirSync(home, { recursive: true });
  const r = spawnSync(bin, args, {
    encoding: 'utf8',
    cwd: opts.cwd ?? tmp(),
    timeout: 300_000,
    env: { PATH: opts.path, HOME: home, LANG: 'C.UTF-8', ...opts.env },
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

export function scratch(name: string): string {
  const d = join(tmp(), name);
  mkdirSync(d, { recursive: true });
  return d;
}
