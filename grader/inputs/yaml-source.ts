// Reading the three YAML inputs (spec, lab file, answers file) safely and with positions:
// size limit, binary junk, YAML syntax errors, aliases, prototype-polluting keys, JSON-Schema
// validation (ajv) mapped back to `file:line:column` and the key path. Every problem becomes an
// InputIssue; the loaders throw one InputError listing all of them.
import { patternText, typeText } from './schema-text.js';
import { readFile } from 'node:fs/promises';
import { readInput, ReadInputError, type Trust } from './read.js';
import { importBuiltValidator } from '../util/validators.js';
import { resolve } from 'node:path';
import {
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import { InputError, type InputIssue, type Lang } from '../types.js';
import { translator, type Params } from '../i18n/translate.js';
import { detectLang } from '../i18n/lang.js';
import es from '../i18n/es/spec.js';
import en from '../i18n/en/spec.js';
import { didYouMean } from './did-you-mean.js';
import { schemaPath, type FileKind } from './paths.js';

export const t = translator(es, en);
export type SpecMsg = keyof typeof es;

/** Largest input file accepted (specs, lab files and answers are a few KiB). */
export const MAX_FILE_BYTES = 1024 * 1024;
/**
 * Most lines plus flow items (`,` `[` `{`) accepted, counted before parsing (linear, fast): the YAML
 * library's time grows faster than the text, and a student's file under 1 MiB with 93,000 keys
 * must be refused in milliseconds, not parsed for a minute. A teacher's roster for a big class
 * stays far below the teacher limit; a student's lab or answers file (even with pasted command
 * output) below the student one.
 */
export const MAX_ITEMS: Readonly<Record<Trust, number>> = { teacher: 50_000, student: 5_000 };
/** Deepest nesting accepted (the formats need about 6 levels). */
export const MAX_DEPTH = 32;
const MAX_ALIASES = 200;
/** Problems listed per file; the rest are counted ("... and N more"). */
const MAX_ISSUES = 50;
/** Keys that could reach Object.prototype if some consumer used them carelessly. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type PathSeg = string | number;

export interface LoadOptions {
  /** Language of the messages (default: from the locale). */
  lang?: Lang;
  /** Receives non-fatal findings (unanswered questions, inline secrets...). */
  warnings?: InputIssue[];
  /** The file was handed in by a student: a symbolic link is refused (it could point at our files). */
  noFollow?: boolean;
  /** The folder a student's file must lie in, no symbolic link below it (grader/inputs/read.ts). */
  within?: string;
  /** The file's bytes, already read once (batch reads each student file once, under its deadline). */
  bytes?: Uint8Array;
  signal?: AbortSignal;
}

export function langOf(opts?: LoadOptions): Lang {
  return opts?.lang ?? detectLang();
}

export interface YamlSource {
  /** Absolute path. */
  file: string;
  /** The path as the user gave it (for messages). */
  display: string;
  text: string;
  doc: Document.Parsed;
  lc: LineCounter;
  /** Plain JS value of the document (null when it could not be built). */
  data: unknown;
}

/** Dotted path with indexes: `tasks[1].theory.config`. */
export function formatPath(path: readonly PathSeg[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** Shortens a value for quoting it in a message. */
export function quote(value: unknown, max = 60): string {
  let s: string;
  if (typeof value === 'string') s = value;
  else if (value === null || value === undefined) s = String(value);
  else if (typeof value === 'object') s = JSON.stringify(value) ?? String(value);
  else s = String(value);
  s = s.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

/** Collects the problems of one file; `throwIfAny` turns them into one InputError. */
export class Issues {
  readonly errors: InputIssue[] = [];
  readonly warnings: InputIssue[] = [];
  /** Problems beyond MAX_ISSUES, counted but not listed. */
  private dropped = 0;
  constructor(
    readonly lang: Lang,
    readonly display: string,
    readonly src?: YamlSource,
  ) {}

  msg(key: SpecMsg, params?: Params): string {
    return t(this.lang, key, params);
  }

  /** Appends "Did you mean ...?" when there is a plausible guess. */
  withGuess(message: string, guess: string | undefined): string {
    if (!guess) return message;
    return `${/[.?!]$/.test(message) ? message : `${message}.`} ${this.msg('didYouMean', { guess })}`;
  }

  private issue(path: readonly PathSeg[] | undefined, message: string, onKey: boolean): InputIssue {
    const issue: InputIssue = { file: this.display, message };
    if (path && path.length > 0) issue.path = formatPath(path);
    if (path && this.src) {
      const pos = locate(this.src, path, onKey);
      if (pos) {
        issue.line = pos.line;
        issue.column = pos.column;
      }
    }
    return issue;
  }

  error(path: readonly PathSeg[] | undefined, message: string, opts: { onKey?: boolean } = {}): void {
    if (this.errors.length >= MAX_ISSUES) {
      this.dropped++;
      return;
    }
    this.errors.push(this.issue(path, message, opts.onKey ?? false));
  }

  warn(path: readonly PathSeg[] | undefined, message: string, opts: { onKey?: boolean } = {}): void {
    if (this.warnings.length >= MAX_ISSUES) return;
    this.warnings.push(this.issue(path, message, opts.onKey ?? false));
  }

  /** Positioned by offset in the text (YAML syntax errors). */
  errorAt(offset: number | undefined, message: string): void {
    if (this.errors.length >= MAX_ISSUES) {
      this.dropped++;
      return;
    }
    const issue: InputIssue = { file: this.display, message };
    if (offset !== undefined && this.src) {
      const p = this.src.lc.linePos(offset);
      issue.line = p.line;
      issue.column = p.col;
    }
    this.errors.push(issue);
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  throwIfAny(): void {
    if (this.errors.length === 0) return;
    const sorted = [...this.errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    if (this.dropped > 0) sorted.push({ file: this.display, message: this.msg('moreProblems', { count: this.dropped }) });
    throw new InputError(this.msg('invalidFile', { file: this.display, count: this.errors.length + this.dropped }), sorted);
  }

  /** Counts problems found but not examined (beyond the listing cap). */
  addDropped(n: number): void {
    if (n > 0) this.dropped += n;
  }

  /** Hands warnings to the caller's collector. */
  flushWarnings(opts?: LoadOptions): void {
    opts?.warnings?.push(...this.warnings);
  }
}

function single(lang: Lang, display: string, key: SpecMsg, params?: Params): InputError {
  const message = t(lang, key, { file: display, ...params });
  return new InputError(t(lang, 'invalidFile', { file: display, count: 1 }), [{ file: display, message }]);
}

/**
 * Reads and parses one YAML file. Throws InputError for anything that prevents building a value
 * (missing file, too big, binary, syntax errors, aliases gone wild, reserved keys, deep nesting).
 */
export interface ReadYamlOptions {
  noFollow?: boolean;
  /** Who supplied the file (grader/inputs/read.ts): a student's is read no-follow, inside `within`, with the student item limit. */
  trust?: Trust;
  /** The folder a student's file must lie in (no symbolic link below it). */
  within?: string;
  signal?: AbortSignal;
  /** The file's bytes, already read once by the bounded reader (not read again). */
  bytes?: Uint8Array;
}

export async function readYaml(path: string, lang: Lang, opts: ReadYamlOptions = {}): Promise<YamlSource> {
  const display = path;
  const file = resolve(path);
  let buf: Uint8Array;
  if (opts.bytes) buf = opts.bytes;
  else {
    try {
      buf = await readInput(file, 'yaml', {
        maxBytes: MAX_FILE_BYTES,
        ...(opts.noFollow ? { noFollow: true } : {}),
        ...(opts.trust ? { trust: opts.trust } : {}),
        ...(opts.within !== undefined ? { within: opts.within } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (err) {
      if (!(err instanceof ReadInputError)) throw err;
      throw readInputIssue(err, lang, display);
    }
  }
  return parseYamlText(buf, display, file, lang, opts.trust ?? 'teacher');
}

/** The InputError for a file the bounded reader refused (grader/inputs/read.ts). */
export function readInputIssue(err: ReadInputError, lang: Lang, display: string): InputError {
  switch (err.code) {
    case 'missing':
      return single(lang, display, 'fileNotFound');
    case 'directory':
      return single(lang, display, 'fileIsDirectory');
    case 'not-regular':
      return single(lang, display, 'fileNotRegularKind', { type: err.reason });
    case 'too-big':
      return single(lang, display, 'fileTooBig', { size: err.size ?? 0, max: err.max ?? 0 });
    case 'outside':
      return single(lang, display, 'fileOutside');
    default:
      return single(lang, display, 'fileUnreadable', { reason: err.reason });
  }
}

/** Parses YAML from a buffer (exported for tests and for stdin). */
export function parseYamlText(buf: Uint8Array, display: string, file: string, lang: Lang, trust: Trust = 'teacher'): YamlSource {
  if (buf.includes(0)) throw single(lang, display, 'fileBinary');
  // Lines and flow items, counted on the bytes before anything is decoded or parsed.
  let items = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === 0x0a || c === 0x2c || c === 0x5b || c === 0x7b) items++;
  }
  if (items > MAX_ITEMS[trust]) throw single(lang, display, 'yamlTooManyItems', { count: items, max: MAX_ITEMS[trust] });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw single(lang, display, 'fileNotUtf8');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Control characters other than tab, CR, LF are never part of a hand-written file.
  const ctl = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
  if (ctl) {
    const lc0 = new LineCounter();
    lc0.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lc0.addNewLine(i + 1);
    const p = lc0.linePos(ctl.index);
    throw new InputError(t(lang, 'invalidFile', { file: display, count: 1 }), [
      { file: display, line: p.line, column: p.col, message: t(lang, 'fileBinary') },
    ]);
  }
  if (text.trim() === '') throw single(lang, display, 'fileEmpty');

  const lc = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      lineCounter: lc,
      prettyErrors: false,
      logLevel: 'silent',
      // Duplicate keys are found by walk() in linear time (the library's check is quadratic).
      uniqueKeys: false,
      strict: true,
    }) as unknown as Document.Parsed[];
  } catch (err) {
    throw single(lang, display, err instanceof RangeError ? 'yamlTooDeep' : 'yamlSyntax', { detail: quote((err as Error).message, 200) });
  }
  if (!Array.isArray(docs)) docs = [];
  if (docs.length === 0) throw single(lang, display, 'fileEmpty');
  const doc = docs[0]!;
  const src: YamlSource = { file, display, text, doc, lc, data: null };
  const issues = new Issues(lang, display, src);
  if (docs.length > 1) issues.errorAt(docs[1]!.range[0], issues.msg('yamlMultipleDocs'));
  for (const e of doc.errors) issues.errorAt(e.pos[0], yamlErrorMessage(issues, e.code, e.message));
  for (const w of doc.warnings) issues.errorAt(w.pos[0], yamlErrorMessage(issues, w.code, w.message));
  issues.throwIfAny();

  // Structure walk: depth, keys that are not plain scalars, reserved keys.
  const tooDeep = walk(doc.contents as YamlNode | null, 0, issues);
  issues.throwIfAny();
  if (tooDeep) throw single(lang, display, 'yamlTooDeep', { detail: MAX_DEPTH });

  try {
    src.data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    const m = (err as Error).message ?? '';
    if (/alias/i.test(m) && /excessive/i.test(m)) throw single(lang, display, 'yamlTooManyAliases');
    if (err instanceof RangeError) throw single(lang, display, 'yamlTooDeep', { detail: MAX_DEPTH });
    throw single(lang, display, 'yamlSyntax', { detail: quote(m, 200) });
  }
  return src;
}

function yamlErrorMessage(issues: Issues, code: string, message: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return issues.msg('yamlDuplicateKey');
    case 'TAB_AS_INDENT':
      return issues.msg('yamlTab');
    case 'TAG_RESOLVE_FAILED':
      return issues.msg('yamlTag', { detail: quote(message, 200) });
    default:
      return issues.msg('yamlSyntax', { detail: quote(message, 200) });
  }
}

/** Returns true when nesting exceeds MAX_DEPTH (errors for bad keys go to `issues`). */
function walk(node: YamlNode | null | undefined, depth: number, issues: Issues): boolean {
  if (!node) return false;
  if (depth > MAX_DEPTH) return true;
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = pair.key as YamlNode | null;
      if (key && !isScalar(key)) {
        issues.errorAt(key.range?.[0], issues.msg('yamlComplexKey'));
        continue;
      }
      const name = key && isScalar(key) ? String(key.value) : '';
      if (seen.has(name)) issues.errorAt(key?.range?.[0], issues.msg('yamlDuplicateKey'));
      seen.add(name);
      if (key && isScalar(key) && RESERVED_KEYS.has(String(key.value))) {
        issues.errorAt(key.range?.[0], issues.msg('reservedKey', { key: String(key.value) }));
        continue;
      }
      if (walk(pair.value as YamlNode | null, depth + 1, issues)) return true;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) if (walk(item as YamlNode | null, depth + 1, issues)) return true;
  }
  return false;
}

/** The node at `path` (aliases followed), or undefined. */
export function nodeAt(src: YamlSource, path: readonly PathSeg[]): YamlNode | undefined {
  let node = src.doc.contents as YamlNode | null;
  for (const seg of path) {
    node = deref(src, node);
    if (!node) return undefined;
    const child = childOf(node, seg);
    if (!child) return undefined;
    node = child.value;
  }
  return deref(src, node) ?? undefined;
}

function deref(src: YamlSource, node: YamlNode | null | undefined): YamlNode | null {
  let n = node ?? null;
  for (let i = 0; i < 10 && n && isAlias(n); i++) n = (n.resolve(src.doc) as YamlNode | undefined) ?? null;
  return n;
}

function childOf(node: YamlNode, seg: PathSeg): { key: YamlNode | null; value: YamlNode | null } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = pair.key as YamlNode | null;
      const kv = k && isScalar(k) ? k.value : k;
      if (String(kv) === String(seg)) return { key: k, value: (pair.value as YamlNode | null) ?? null };
    }
    return undefined;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg] as YamlNode | undefined;
    return item === undefined ? undefined : { key: null, value: item };
  }
  return undefined;
}

/**
 * Line and column (1-based) of the value at `path`, or of its key when `onKey`; when the path does
 * not exist entirely, the deepest existing ancestor.
 */
export function locate(src: YamlSource, path: readonly PathSeg[], onKey = false): { line: number; column: number } | undefined {
  let node = deref(src, src.doc.contents as YamlNode | null);
  let best: YamlNode | null = node;
  for (let i = 0; i < path.length; i++) {
    if (!node) break;
    const child = childOf(node, path[i]!);
    if (!child) break;
    const last = i === path.length - 1;
    if (last && onKey && child.key) {
      best = child.key;
      break;
    }
    // An empty value (`key:`) has no useful range of its own: point at the key.
    const value = deref(src, child.value);
    best = value && value.range && !(isScalar(value) && value.value === null && child.key) ? value : child.key ?? value;
    node = value;
  }
  const offset = best?.range?.[0];
  if (offset === undefined) return undefined;
  const p = src.lc.linePos(offset);
  return { line: p.line, column: p.col };
}

/** The source text of the node at `path` (as written, whitespace collapsed). */
export function sourceText(src: YamlSource, path: readonly PathSeg[]): string | undefined {
  const node = nodeAt(src, path);
  if (!node?.range) return undefined;
  if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) return String(node.value);
  return src.text.slice(node.range[0], node.range[1]).replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------- JSON Schema

interface AjvError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
  parentSchema?: Record<string, unknown>;
  data?: unknown;
  propertyName?: string;
}
type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
const validators = new Map<FileKind, Validator>();

async function validatorFor(kind: FileKind): Promise<Validator> {
  const cached = validators.get(kind);
  if (cached) return cached;
  // Built: the validator generated at build time (scripts/build-validators.mjs), no ajv compiler.
  const built = await importBuiltValidator<Validator>(kind);
  if (built) {
    validators.set(kind, built);
    return built;
  }
  // From the sources (tests under tsx): compile now, with the options the build uses.
  const { Ajv } = (await import('ajv')) as unknown as { Ajv: new (o: object) => { compile(s: object): Validator } };
  const addFormats = ((await import('ajv-formats')) as unknown as { default: (a: unknown) => void }).default;
  const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
  addFormats(ajv);
  const schema = JSON.parse(await readFile(schemaPath(kind), 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  const v = ajv.compile(schema);
  validators.set(kind, v);
  return v;
}

function pointerToPath(pointer: string): PathSeg[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/**
 * Validates `src.data` against the kind's JSON Schema; adds positioned issues. Values under a
 * `password` or `value` key (inline secrets) are never quoted.
 */
export async function validateSchema(src: YamlSource, kind: FileKind, issues: Issues): Promise<boolean> {
  const validate = await validatorFor(kind);
  if (validate(src.data)) return true;
  const errors = [...(validate.errors ?? [])];
  const seen = new Set<string>();
  const examined = errors.slice(0, MAX_ISSUES * 4);
  issues.addDropped(errors.length - examined.length);
  for (const e of examined) {
    // Errors inside a failed propertyNames are reported once, as a bad key.
    if (e.keyword !== 'propertyNames' && e.propertyName !== undefined) continue;
    const path = pointerToPath(e.instancePath);
    const isSecret = path.some((p) => p === 'password' || p === 'value');
    const shown = (v: unknown): string => (isSecret ? '***' : quote(v));
    let message: string;
    let where = path;
    let onKey = false;
    switch (e.keyword) {
      case 'required': {
        const key = String(e.params.missingProperty);
        message = issues.msg('schemaRequired', { key });
        onKey = path.length > 0;
        break;
      }
      case 'additionalProperties': {
        const key = String(e.params.additionalProperty);
        const props = e.parentSchema?.properties as Record<string, unknown> | undefined;
        const guess = props ? didYouMean(key, Object.keys(props)) : undefined;
        message = issues.msg('schemaUnknownKey', { key: quote(key) });
        if (guess) message += ` ${issues.msg('didYouMean', { guess })}`;
        else if (props) message += ` ${issues.msg('schemaAllowedKeys', { keys: Object.keys(props).join(', ') })}`;
        where = [...path, key];
        onKey = true;
        break;
      }
      case 'propertyNames': {
        const key = String(e.params.propertyName);
        message = issues.msg('schemaBadKeyName', { key: quote(key) });
        where = [...path, key];
        onKey = true;
        break;
      }
      case 'type': {
        const types = Array.isArray(e.params.type) ? (e.params.type as string[]) : String(e.params.type).split(',');
        const expected = types.map((x) => typeText(issues.lang, x)).join(' | ');
        message = issues.msg('schemaType', { expected, actual: typeText(issues.lang, typeName(e.data)) });
        break;
      }
      case 'enum': {
        const allowed = (e.params.allowedValues as unknown[]).map((v) => String(v)).join(', ');
        const guess = typeof e.data === 'string' ? didYouMean(e.data, (e.params.allowedValues as unknown[]).map(String)) : undefined;
        message = issues.msg('schemaEnum', { value: shown(e.data), allowed });
        if (guess && !isSecret) message += ` ${issues.msg('didYouMean', { guess })}`;
        break;
      }
      case 'const':
        message = issues.msg('schemaEnum', { value: shown(e.data), allowed: String(e.params.allowedValue) });
        break;
      case 'pattern':
      case 'format': {
        const desc = typeof e.parentSchema?.description === 'string' ? e.parentSchema.description : undefined;
        message = issues.msg('schemaPattern', { value: shown(e.data), expected: patternText(issues.lang, desc) });
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        message = issues.msg('schemaRange', { value: shown(e.data), op: String(e.params.comparison), limit: String(e.params.limit) });
        break;
      case 'minLength':
        message = Number(e.params.limit) === 1 ? issues.msg('schemaEmpty') : issues.msg('schemaMinLength', { limit: String(e.params.limit) });
        break;
      case 'maxLength':
        message = issues.msg('schemaMaxLength', { limit: String(e.params.limit) });
        break;
      case 'minItems':
        message = issues.msg('schemaMinItems', { limit: String(e.params.limit) });
        break;
      case 'maxItems':
        message = issues.msg('schemaMaxItems', { limit: String(e.params.limit) });
        break;
      case 'minProperties':
      case 'maxProperties': {
        const props = e.parentSchema?.properties as Record<string, unknown> | undefined;
        const keys = props ? Object.keys(props).join(', ') : '';
        message = e.keyword === 'minProperties' && Number(e.params.limit) === 1 && keys
          ? issues.msg('schemaOneOfKeys', { keys })
          : issues.msg(e.keyword === 'minProperties' ? 'schemaMinProps' : 'schemaMaxProps', { limit: String(e.params.limit), keys });
        break;
      }
      case 'uniqueItems':
        message = issues.msg('schemaUnique', { i: String(e.params.j), j: String(e.params.i) });
        break;
      default:
        message = issues.msg('schemaOther', { detail: e.message ?? e.keyword });
    }
    const sig = `${formatPath(where)}|${message}`;
    if (seen.has(sig)) continue;
    seen.add(sig);
    issues.error(where, message, { onKey });
  }
  return false;
}

// ---------------------------------------------------------------- small helpers for loaders

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Own keys only (never the prototype chain). */
export function own<T = unknown>(obj: unknown, key: string): T | undefined {
  return isRecord(obj) && Object.hasOwn(obj, key) ? (obj[key] as T) : undefined;
}

/** A plain record built from entries (keys validated by the schema). */
export function entries(obj: unknown): [string, unknown][] {
  return isRecord(obj) ? Object.entries(obj) : [];
}

/** Fails early when the top level is not a mapping (every format is one). */
export function requireTopMap(src: YamlSource, issues: Issues): void {
  if (!isRecord(src.data)) {
    issues.error([], issues.msg('topNotMap', { actual: typeName(src.data) }));
    issues.throwIfAny();
  }
}
