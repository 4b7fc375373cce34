// The small subset of ssh_config(5) labgrade reads from ~/.ssh/config for a `configHost` entry:
// `Host` blocks (patterns with `*`, `?`, `!negation`), and inside them `HostName`, `User`, `Port`
// and `IdentityFile` (repeatable; `~` and the tokens %h %p %r %u %d %% expanded). As in OpenSSH the
// first value found for a keyword wins and IdentityFile accumulates. `Match` blocks, `Include` and
// every other keyword are ignored (listed in `ignored` so callers can say so).
import { readInputText, ReadInputError } from '../inputs/read.js';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { matchPattern } from './known-hosts.js';

export interface SshConfigEntry {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  /** Keywords present in matching blocks that labgrade does not apply. */
  ignored: string[];
  /** Problems (bad Port values...), with line numbers. */
  problems: string[];
}

function splitArgs(rest: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest))) out.push(m[1] ?? m[2] ?? '');
  return out;
}

function hostMatches(patterns: string[], alias: string): boolean {
  let ok = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchPattern(alias, p.slice(1))) return false;
    } else if (matchPattern(alias, p)) ok = true;
  }
  return ok;
}

export function expandTokens(value: string, ctx: { host: string; port: number; user: string }): string {
  let v = value.startsWith('~/') ? join(homedir(), value.slice(2)) : value;
  v = v.replace(/%([%hprud])/g, (_, c: string) => {
    switch (c) {
      case '%':
        return '%';
      case 'h':
        return ctx.host;
      case 'p':
        return String(ctx.port);
      case 'r':
        return ctx.user;
      case 'u':
        return userInfo().username;
      default:
        return homedir();
    }
  });
  return v;
}

/** Settings of `alias` from config text (identity files not yet token-expanded). */
export function parseSshConfig(text: string, alias: string, file = 'ssh_config'): SshConfigEntry {
  const entry: SshConfigEntry = { identityFiles: [], ignored: [], problems: [] };
  let active = true; // lines before the first Host apply to every host
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) return;
    const key = (m[1] ?? '').toLowerCase();
    const args = splitArgs(m[2] ?? '');
    if (key === 'host') {
      active = hostMatches(args, alias);
      return;
    }
    if (key === 'match') {
      active = false;
      if (!entry.ignored.includes('Match')) entry.ignored.push('Match');
      return;
    }
    if (!active) return;
    const value = args[0];
    if (value === undefined) return;
    switch (key) {
      case 'hostname':
        entry.hostName ??= value;
        break;
      case 'user':
        entry.user ??= value;
        break;
      case 'port': {
        const n = Number(value);
        if (Number.isInteger(n) && n > 0 && n < 65536) entry.port ??= n;
        else entry.problems.push(`${file}:${i + 1}: bad Port ${JSON.stringify(value)}`);
        break;
      }
      case 'identityfile':
        if (value.toLowerCase() !== 'none') entry.identityFiles.push(value);
        break;
      default:
        if (!entry.ignored.includes(m[1] ?? key)) entry.ignored.push(m[1] ?? key);
    }
  });
  return entry;
}

export function defaultSshConfigPath(): string {
  return join(homedir(), '.ssh', 'config');
}

/** Reads the user's ssh config (missing file = no settings). */
export async function loadSshConfig(alias: string, path = defaultSshConfigPath()): Promise<SshConfigEntry> {
  let text = '';
  try {
    text = await readInputText(path, 'ssh-config');
  } catch (e) {
    if (!(e instanceof ReadInputError && e.code === 'missing')) throw e;
  }
  return parseSshConfig(text, alias, path);
}
