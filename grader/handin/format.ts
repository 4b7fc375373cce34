// The hand-in file (`check --hand-in entrega.zip`), format version 1: a zip holding
//   labgrade-handin.json        the manifest (exercises/schema/handin.schema.json)
//   answers.yaml                the answers exactly as written
//   runs/<n>/lab.yaml           the lab file of run n, without secrets (paths, passwords, keys dropped)
//   runs/<n>/evidence.jsonl     the raw evidence of run n, one entry a line, hash-chained (evidence.ts)
//   runs/<n>/result.json        the result as the student's labgrade computed it (never trusted)
//   runs/<n>/report.html        the report the student saw
// The manifest lists every entry with its sha256 in the order it was taken, each chained to the
// previous one; `seal` is the last link. docs/en/formats.md describes it.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { parseYamlText } from '../inputs/yaml-source.js';
import { projectRoot, toolVersion } from '../version.js';
import { CHAIN_START, sha256 } from './evidence.js';

export const HANDIN_FORMAT = 'labgrade-handin';
export const HANDIN_VERSION = 1;
export const MANIFEST = 'labgrade-handin.json';
export const MAX_RUNS = 10;

export interface ManifestEntry {
  path: string;
  sha256: string;
  size: number;
  /** sha256 over the previous entry's chain (64 zeros first), this path and this sha256. */
  chain: string;
}

export interface ManifestRun {
  n: number;
  /** The task selection the run was made with (`auto`, `all` or a task id). */
  task: string;
  startedAt: string;
  finishedAt: string;
  /** The score the student's labgrade gave (informative: the teacher re-grades). */
  score: { points: number; maxPoints: number; percent: number };
  evidenceEntries: number;
}

export interface Manifest {
  format: typeof HANDIN_FORMAT;
  version: typeof HANDIN_VERSION;
  createdAt: string;
  tool: { name: 'labgrade'; version: string; build: string };
  exercise: { id: string; sha256: string };
  student: { name: string; id?: string; email?: string };
  runs: ManifestRun[];
  entries: ManifestEntry[];
  seal: string;
}

export function entryChain(prev: string, path: string, hash: string): string {
  return sha256(`${prev}\n${path}\n${hash}`);
}

/** The manifest's entries for files in this order, chained. */
export function chainEntries(files: { name: string; data: Buffer }[]): { entries: ManifestEntry[]; seal: string } {
  let prev = CHAIN_START;
  const entries = files.map((f) => {
    const h = sha256(f.data);
    prev = entryChain(prev, f.name, h);
    return { path: f.name, sha256: h, size: f.data.length, chain: prev };
  });
  return { entries, seal: prev };
}

let buildCache: Promise<string> | undefined;

/**
 * This labgrade's build: sha256 over the code that runs (the bundle when it runs, else the compiled
 * modules, else the sources under tsx), each file's path and hash in path order. The same release
 * gives the same hash on every machine; an edited file changes it.
 */
export function buildHash(): Promise<string> {
  buildCache ??= (async () => {
    const root = projectRoot();
    const here = fileURLToPath(import.meta.url);
    const dirs = here.includes(`${join('dist', 'bundle')}`)
      ? ['dist/bundle']
      : here.includes(`${join('', 'dist', '')}`)
        ? ['dist/grader', 'dist/checks', 'dist/reports']
        : ['grader', 'checks', 'reports'];
    const files: string[] = [];
    for (const d of dirs) {
      const list = await readdir(join(root, d), { recursive: true, withFileTypes: true }).catch(() => []);
      for (const f of list) {
        if (f.isFile() && /\.(m?js|ts|sh)$/.test(f.name) && !f.name.endsWith('.map')) files.push(relative(root, join(f.parentPath, f.name)));
      }
    }
    files.sort();
    const h = createHash('sha256');
    for (const f of files) h.update(`${f}\n${sha256(await readFile(join(root, f)))}\n`);
    return `sha256:${h.digest('hex')}`;
  })();
  return buildCache;
}

export function toolInfo(build: string): Manifest['tool'] {
  return { name: 'labgrade', version: toolVersion(), build };
}

const SSH_KEEP = ['user', 'host', 'port'];
const WINRM_KEEP = ['user', 'host', 'scheme', 'port', 'auth'];

/**
 * The lab file as it goes into a hand-in: what grading reads (URI, networks, VMs and their roles,
 * OS, the kinds of access, probe targets), without secrets, local paths or local options (keys,
 * passwords, known_hosts, ssh config, CA files, the namespace, the host's SSH settings). Every
 * string also goes through the run's redactor.
 */
export function labForHandIn(text: string, redact: (s: string) => string): string {
  // Through the inputs module's hardened parser (bounded, alias-safe): the one YAML parser.
  const doc = (text.trim() === '' ? null : parseYamlText(Buffer.from(text, 'utf8'), 'lab.yaml', 'lab.yaml', 'en').data) as Record<string, unknown> | null;
  const out: Record<string, unknown> = {};
  if (doc && typeof doc === 'object') {
    for (const k of ['uri', 'networks', 'probes']) if (k in doc) out[k] = doc[k];
    const vms = doc.vms;
    if (vms && typeof vms === 'object') {
      const v: Record<string, unknown> = {};
      for (const [role, raw] of Object.entries(vms as Record<string, unknown>)) {
        const vm = (raw ?? {}) as Record<string, unknown>;
        const access = Array.isArray(vm.access)
          ? vm.access.map((a: unknown) => {
              const m = (a ?? {}) as Record<string, Record<string, unknown> | null>;
              if (m.ssh) return { ssh: pick(m.ssh, SSH_KEEP) };
              if (m.winrm) return { winrm: pick(m.winrm, WINRM_KEEP) };
              return { agent: {} };
            })
          : [];
        v[role] = { domain: vm.domain, ...(vm.os ? { os: vm.os } : {}), access };
      }
      out.vms = v;
    }
  }
  return redact(`# labgrade hand-in: the lab file without secrets or local paths\n${stringify(out)}`);
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
}
