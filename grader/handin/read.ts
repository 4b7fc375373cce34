// Reading a hand-in: bounded zip reading (zip.ts), the manifest through the project's hardened
// YAML/JSON reader and its JSON Schema (exercises/schema/handin.schema.json), then the seal:
// every entry's sha256 and the chain, and each run's evidence chain. What does not hold is said
// exactly (which entry, which line), never silently repaired.
import type { Lang } from '../types.js';
import { Issues, parseYamlText, validateSchema } from '../inputs/yaml-source.js';
import type { FileKind } from '../inputs/paths.js';
import { InputError } from '../types.js';
import { HANDIN_LIMITS, readZip, ZipRefused } from './zip.js';
import { CHAIN_START, brokenLink, sha256, type EvidenceEntry } from './evidence.js';
import { MANIFEST, entryChain, type Manifest } from './format.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/handin.js';
import en from '../i18n/en/handin.js';

const t = translator(es, en);

export interface HandInRunData {
  n: number;
  task: string;
  lab: Buffer;
  evidence: EvidenceEntry[] | null;
  /** Why the evidence could not be read (not JSON lines). */
  evidenceProblem?: string;
  result: unknown;
  reportHtml: Buffer | null;
}

export interface HandIn {
  manifest: Manifest;
  files: Map<string, Buffer>;
  answers: Buffer;
  runs: HandInRunData[];
  /** Seal problems: each the exact reason (empty: the seal holds). */
  sealProblems: string[];
}

/** Why a zip is not a hand-in at all (localized). */
export class HandInRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HandInRefused';
  }
}

export function zipRefusedText(lang: Lang, e: ZipRefused): string {
  return t(lang, `zip_${e.problem.replace(/-/g, '_')}` as 'zip_not_zip', { entry: e.entry ?? '-', detail: e.message });
}

/** Reads and checks one hand-in (a zip in memory or a path); throws HandInRefused when it is not one. */
export async function readHandIn(src: Buffer | string, display: string, lang: Lang): Promise<HandIn> {
  let files: Map<string, Buffer>;
  try {
    files = await readZip(src, HANDIN_LIMITS);
  } catch (e) {
    if (e instanceof ZipRefused) throw new HandInRefused(e.problem, zipRefusedText(lang, e));
    throw e;
  }
  const raw = files.get(MANIFEST);
  if (!raw) throw new HandInRefused('no-manifest', t(lang, 'noManifest', { file: display, manifest: MANIFEST }));
  let manifest: Manifest;
  try {
    const src = parseYamlText(raw, `${display}:${MANIFEST}`, `${display}:${MANIFEST}`, lang);
    const issues = new Issues(lang, src.display, src);
    // The manifest's schema sits with the others (exercises/schema/handin.schema.json).
    await validateSchema(src, 'handin' as FileKind, issues);
    issues.throwIfAny();
    manifest = src.data as Manifest;
  } catch (e) {
    if (e instanceof InputError) {
      throw new HandInRefused('bad-manifest', [e.message, ...e.issues.slice(0, 5).map((i) => `${i.path ?? ''} ${i.message}`)].join('; '));
    }
    throw e;
  }

  const sealProblems: string[] = [];
  // Every entry listed is there, with its hash, in a chain that ends at the seal.
  let prev = CHAIN_START;
  for (const e of manifest.entries) {
    const data = files.get(e.path);
    if (!data) sealProblems.push(t(lang, 'sealMissingEntry', { path: e.path }));
    else if (sha256(data) !== e.sha256) sealProblems.push(t(lang, 'sealHashMismatch', { path: e.path, listed: e.sha256.slice(0, 12), actual: sha256(data).slice(0, 12) }));
    const link = entryChain(prev, e.path, e.sha256);
    if (link !== e.chain) sealProblems.push(t(lang, 'sealChainBroken', { path: e.path }));
    prev = e.chain;
  }
  if (prev !== manifest.seal) sealProblems.push(t(lang, 'sealEndMismatch'));
  const listed = new Set(manifest.entries.map((e) => e.path));
  for (const name of files.keys()) if (name !== MANIFEST && !listed.has(name)) sealProblems.push(t(lang, 'sealUnlisted', { path: name }));

  const answers = files.get('answers.yaml');
  if (!answers) throw new HandInRefused('no-answers', t(lang, 'noEntry', { file: display, path: 'answers.yaml' }));
  const runs: HandInRunData[] = [];
  for (const r of manifest.runs) {
    const at = (name: string): Buffer | undefined => files.get(`runs/${r.n}/${name}`);
    const lab = at('lab.yaml');
    if (!lab) throw new HandInRefused('no-lab', t(lang, 'noEntry', { file: display, path: `runs/${r.n}/lab.yaml` }));
    let evidence: EvidenceEntry[] | null = null;
    let evidenceProblem: string | undefined;
    const ev = at('evidence.jsonl');
    if (!ev) evidenceProblem = t(lang, 'noEntry', { file: display, path: `runs/${r.n}/evidence.jsonl` });
    else {
      try {
        evidence = ev
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l, i) => {
            const e = JSON.parse(l) as unknown;
            if (!wellFormed(e)) throw new Error(t(lang, 'evidenceLineBad', { line: i + 1 }));
            return e;
          });
        const broken = brokenLink(evidence);
        if (broken !== null) sealProblems.push(t(lang, 'evidenceChainBroken', { run: r.n, line: broken }));
      } catch (e) {
        evidence = null;
        evidenceProblem = t(lang, 'evidenceUnreadable', { run: r.n, detail: String((e as Error).message) });
      }
    }
    let result: unknown = null;
    try {
      result = JSON.parse(at('result.json')?.toString('utf8') ?? 'null');
    } catch {
      result = null;
    }
    runs.push({ n: r.n, task: r.task, lab, evidence, ...(evidenceProblem ? { evidenceProblem } : {}), result, reportHtml: at('report.html') ?? null });
  }
  return { manifest, files, answers, runs, sealProblems };
}

const isStr = (x: unknown): x is string => typeof x === 'string';
const isStrs = (x: unknown): x is string[] => Array.isArray(x) && x.every(isStr);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
function isRun(x: unknown): boolean {
  return isObj(x) && (x.exitCode === null || typeof x.exitCode === 'number') && isStr(x.stdout) && isStr(x.stderr);
}
function isErr(x: unknown): boolean {
  return isObj(x) && isStr(x.code) && isStr(x.message);
}

/** An evidence line has the shape replay.ts relies on (everything in it is still untrusted text). */
export function wellFormed(e: unknown): e is EvidenceEntry {
  if (!isObj(e) || typeof e.seq !== 'number' || typeof e.atMs !== 'number' || !isStr(e.chain)) return false;
  const outcome = (e.result === undefined || isRun(e.result)) && (e.error === undefined || isErr(e.error)) && (e.result !== undefined || e.error !== undefined);
  switch (e.kind) {
    case 'virsh':
      return isStrs(e.args) && outcome;
    case 'command':
      return isStr(e.role) && isStr(e.target) && isStr(e.transport) && isStr(e.script) && isStrs(e.args) && outcome;
    case 'open':
      return (
        isStr(e.role) &&
        isStr(e.domain) &&
        typeof e.ok === 'boolean' &&
        Array.isArray(e.trail) &&
        (e.first === undefined || (isObj(e.first) && isStr(e.first.script) && isStrs(e.first.args) && isRun(e.first.result))) &&
        (e.hostKey === undefined || (isObj(e.hostKey) && isStr(e.hostKey.key) && isStr(e.hostKey.keyType) && isStr(e.hostKey.fingerprint)))
      );
    default:
      return false;
  }
}
