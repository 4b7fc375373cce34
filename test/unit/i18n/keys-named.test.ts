// Messages from one source of truth: every lab-file/spec/answers/roster key and every command-line
// option a message names must exist (in exercises/schema/*.json and in the CLI), so following a
// message never leads to a validation error. A word that looks like a key but is not one (a file
// name, a value) goes in NOT_KEYS with the reason.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { catalogEntries, ROOT, type Entry } from './catalogs.js';
import { buildProgram } from '../../../grader/cli/main.js';
import { PATTERN_TEXT } from '../../../grader/inputs/schema-text.js';

/** Words shaped like keys (snake_case, camelCase) that are not labgrade keys. */
const NOT_KEYS: Record<string, string> = {
  id_rsa: 'an SSH key file name',
  id_ed25519: 'an SSH key file name',
  id_ecdsa: 'an SSH key file name',
  authorized_keys: 'an OpenSSH file name',
  guest_agent: 'part of the libvirt channel name org.qemu.guest_agent.0',
  x86_64: 'an architecture in a file name',
  idNumber: 'a value of batch --identity / the roster csv.identity (a Moodle field)',
  cap_net_raw: 'a Linux capability (setcap cap_net_raw+ep)',
  ip_forward: 'a Linux kernel parameter (net.ipv4.ip_forward), named by the router checks',
};

/** Programs whose options a message may quote in a command line (their options are not ours). */
const OTHER_TOOLS = ['virsh', 'systemctl', 'ssh-keygen', 'ssh-copy-id', 'ssh-keyscan', 'apt', 'apt-get', 'ip', 'sudo', 'npm', 'winrm', 'dpkg', 'xdg-open'];

function schemaKeys(): Set<string> {
  const keys = new Set<string>();
  const walk = (o: unknown): void => {
    if (Array.isArray(o)) return o.forEach(walk);
    if (!o || typeof o !== 'object') return;
    const rec = o as Record<string, unknown>;
    if (rec.properties && typeof rec.properties === 'object') for (const k of Object.keys(rec.properties)) keys.add(k);
    for (const v of Object.values(rec)) walk(v);
  };
  const dir = join(ROOT, 'exercises', 'schema');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) walk(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return keys;
}

function cliOptions(cmd: Command, out = new Set<string>(['--help', '--version', '--lang'])): Set<string> {
  for (const o of cmd.options) {
    if (o.long) out.add(o.long);
    if (o.negate && o.long) out.add(o.long); // --no-x
  }
  for (const c of cmd.commands) cliOptions(c, out);
  return out;
}

/** Strips {placeholders} (plural forms keep their text) so parameter names are not read as keys. */
function visibleText(text: string): string {
  return text
    .replace(/\{\w+,\s*plural,((?:[^{}]|\{[^{}]*\})*)\}/g, (_m, forms: string) => forms.replace(/(=\d+|\w+)\s*\{([^{}]*)\}/g, ' $2 '))
    .replace(/\{\w+(?:,\s*number)?\}/g, ' ');
}

const where = (e: Entry): string => `${e.file} › ${e.key}: «${e.text}»`;

describe('every key and option a message names exists', () => {
  let entries: Entry[];
  let keys: Set<string>;
  let options: Set<string>;
  before(async () => {
    entries = [...(await catalogEntries('es')), ...(await catalogEntries('en'))];
    keys = schemaKeys();
    options = cliOptions(await buildProgram({ lang: 'en' }));
  });

  it('finds the schemas and the CLI (the check has something to check against)', () => {
    expect(keys).to.include.members(['accept_new_host_key', 'ca_file', 'insecure_skip_verify', 'known_hosts']);
    expect(options).to.include.members(['--lab', '--answers', '--format', '--task']);
  });

  it('lab/spec/answers/roster keys named in messages exist in exercises/schema/*.json', () => {
    const bad: string[] = [];
    for (const e of entries) {
      const words = visibleText(e.text).match(/(?<![\w.~/\\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])|(?<![\w.~/\\-])[a-z]+[A-Z][A-Za-z0-9]*(?![\w-])/g) ?? [];
      for (const w of words) {
        if (keys.has(w) || w in NOT_KEYS) continue;
        bad.push(`${where(e)}\n    names «${w}», which is no key of exercises/schema/*.json: write the schema's key (snake_case, e.g. accept_new_host_key, ca_file), or, if it is not a key, add it to NOT_KEYS in this test with the reason`);
      }
    }
    expect(bad, bad.join('\n')).to.deep.equal([]);
  });

  it('command-line options named in messages exist in the CLI', () => {
    const bad: string[] = [];
    for (const e of entries) {
      // each clause separately, so "virsh list --all" is read as virsh's option, not ours
      for (const clause of visibleText(e.text).split(/[;:()«»"]|, | o | or /)) {
        if (OTHER_TOOLS.some((tool) => new RegExp(`(?:^|\\s)${tool.replace('-', '\\-')}(?:\\s|$)`).test(clause))) continue;
        for (const m of clause.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)) {
          if (!options.has(m[0])) bad.push(`${where(e)}\n    names ${m[0]}, which no labgrade command has: name an existing option (labgrade <command> --help)`);
        }
      }
    }
    expect(bad, bad.join('\n')).to.deep.equal([]);
  });

  it('every pattern of the schemas has its text in both languages (grader/inputs/schema-text.ts)', () => {
    const missing: string[] = [];
    const walk = (o: unknown, file: string): void => {
      if (Array.isArray(o)) return o.forEach((x) => walk(x, file));
      if (!o || typeof o !== 'object') return;
      const rec = o as Record<string, unknown>;
      if (typeof rec.pattern === 'string') {
        const d = rec.description;
        if (typeof d !== 'string' || !(d in PATTERN_TEXT)) missing.push(`${file}: pattern ${rec.pattern} (description ${JSON.stringify(d)}) has no entry in PATTERN_TEXT: add one and its 'pattern.*' text to grader/i18n/{es,en}/spec.ts`);
      }
      for (const v of Object.values(rec)) walk(v, file);
    };
    const dir = join(ROOT, 'exercises', 'schema');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) walk(JSON.parse(readFileSync(join(dir, f), 'utf8')), f);
    expect(missing, missing.join('\n')).to.deep.equal([]);
  });
});
