// Writes a proposed lab file as YAML, in exactly the format `loadLab` (grader/inputs/load-lab.ts)
// reads, with init's notes as comments next to the line they are about.
import { Document, isMap, isScalar, isSeq, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { AccessMethod, Lang, ProbeTargets } from '../types.js';
import type { Note, ProposedLab } from './propose.js';
import { noteText, oneLine, t } from './notes.js';
import { bundledExerciseIds } from '../inputs/exercises.js';

/** One access method as the lab file spells it (grader/inputs/load-lab.ts, exercises/schema/lab.schema.json). */
export function accessToYaml(a: AccessMethod): unknown {
  switch (a.kind) {
    case 'agent':
      return 'agent';
    case 'ssh': {
      const o: Record<string, unknown> = { user: a.user };
      if (a.host) o.host = a.host;
      if (a.port !== 22) o.port = a.port;
      if (a.keyFile) o.key = a.keyFile;
      if (a.password) o.password = a.password;
      // The loader's default: the ssh-agent is used when neither key nor password is given.
      if (a.useAgent !== (a.keyFile === undefined && a.password === undefined)) o.agent = a.useAgent;
      if (a.configHost) o.config_host = a.configHost;
      if (a.knownHostsFile) o.known_hosts = a.knownHostsFile;
      o.accept_new_host_key = a.acceptNewHostKey;
      if (a.jump !== 'auto') o.jump = a.jump;
      return { ssh: o };
    }
    case 'winrm': {
      const o: Record<string, unknown> = { user: a.user, password: a.password };
      if (a.host) o.host = a.host;
      o.scheme = a.scheme;
      o.port = a.port;
      o.auth = a.auth;
      if (a.caFile) o.ca_file = a.caFile;
      o.insecure_skip_verify = a.insecureSkipVerify;
      if (a.jump !== 'auto') o.jump = a.jump;
      return { winrm: o };
    }
  }
}

export function probesToYaml(p: Partial<ProbeTargets>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (p.outsideHost !== undefined) o.outside_host = p.outsideHost;
  if (p.resolveName !== undefined) o.resolve_name = p.resolveName;
  if (p.timeoutMs !== undefined) o.timeout_ms = p.timeoutMs;
  return o;
}

/** The lab file as plain data, keys in file order. */
export function labToYamlData(lab: ProposedLab): Record<string, unknown> {
  const data: Record<string, unknown> = { uri: lab.uri };
  if (lab.netns) data.netns = lab.netns;
  data.networks = { ...lab.networks };
  const vms: Record<string, unknown> = {};
  for (const [role, vm] of Object.entries(lab.vms)) {
    const v: Record<string, unknown> = { domain: vm.domain };
    if (vm.os) v.os = vm.os;
    v.access = vm.access.map(accessToYaml);
    vms[role] = v;
  }
  data.vms = vms;
  if (lab.probes && Object.keys(lab.probes).length > 0) data.probes = probesToYaml(lab.probes);
  return data;
}

const WIDTH = 98;

/** Wraps a sentence into comment lines (each gets a leading space after `#`). */
export function wrapComment(text: string, width = WIDTH): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of oneLine(text).split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = `  ${word}`;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out.map((l) => ` ${l}`);
}

function commentOf(lang: Lang, notes: Note[]): string | undefined {
  if (notes.length === 0) return undefined;
  const sorted = [...notes].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'warning' ? -1 : 1));
  return sorted.flatMap((n) => wrapComment(noteText(lang, n))).join('\n');
}

function pairOf(map: unknown, key: string): Pair<Scalar, unknown> | undefined {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap<Scalar, unknown>).items.find((p) => isScalar(p.key) && p.key.value === key);
}

function attach(pair: Pair<Scalar, unknown> | undefined, comment: string | undefined): void {
  if (!pair || !comment) return;
  const prev = pair.key.commentBefore;
  pair.key.commentBefore = prev ? `${prev}\n${comment}` : comment;
}

export interface RenderOptions {
  lang: Lang;
  exerciseId: string;
  /** The path the file will be written to (for the header's doctor hint). */
  file: string;
  /** Default probe targets of the spec, shown commented out when the lab sets none. */
  specProbes: ProbeTargets;
  /** Fixed date for reproducible output (tests); default now. */
  date?: string;
  /** Where the lab schema is, for editors (`# yaml-language-server: $schema=...`). */
  schemaRef?: string;
}

export function renderLabYaml(lab: ProposedLab, notes: Note[], o: RenderOptions): string {
  // A bundled exercise's id goes in the file, so that `labgrade validate lab.yaml` checks it against
  // that exercise (an exercise given as a path is not named: a student's file names no local path).
  const named = bundledExerciseIds().includes(o.exerciseId) ? { exercise: o.exerciseId } : {};
  const doc = new Document({ ...named, ...labToYamlData(lab) });
  const date = o.date ?? new Date().toISOString().slice(0, 10);
  const header = [
    ...(o.schemaRef ? [` yaml-language-server: $schema=${o.schemaRef}`] : []),
    ...wrapComment(t(o.lang, 'init.header', { exercise: o.exerciseId, uri: lab.uri, date })),
    ...wrapComment(t(o.lang, 'init.header2', { file: o.file })),
    ...wrapComment(t(o.lang, 'init.header3')),
  ];
  doc.commentBefore = header.join('\n');
  const root = doc.contents;
  attach(pairOf(root, 'uri'), commentOf(o.lang, notes.filter((n) => n.path === 'uri')));
  attach(pairOf(root, 'netns'), commentOf(o.lang, notes.filter((n) => n.path === 'netns')));
  const nets = pairOf(root, 'networks')?.value;
  for (const key of Object.keys(lab.networks)) {
    attach(pairOf(nets, key), commentOf(o.lang, notes.filter((n) => n.path === `networks.${key}`)));
  }
  const vms = pairOf(root, 'vms')?.value;
  for (const role of Object.keys(lab.vms)) {
    const vmPair = pairOf(vms, role);
    attach(vmPair, commentOf(o.lang, notes.filter((n) => n.path === `vms.${role}`)));
    const accessPair = pairOf(vmPair?.value, 'access');
    attach(accessPair, commentOf(o.lang, notes.filter((n) => n.path === `vms.${role}.access`)));
    if (accessPair && isSeq(accessPair.value)) accessPair.value.flow = false;
  }
  const probesNotes = notes.filter((n) => n.path === 'probes');
  const probesPair = pairOf(root, 'probes');
  if (probesPair) {
    attach(probesPair, commentOf(o.lang, probesNotes));
  } else {
    const lines = [
      ...(commentOf(o.lang, probesNotes)?.split('\n') ?? []),
      ...new Document({ probes: probesToYaml(o.specProbes) })
        .toString({ lineWidth: 0 })
        .trimEnd()
        .split('\n')
        .map((l) => ` ${l}`),
    ];
    doc.comment = lines.join('\n');
  }
  return doc.toString({ lineWidth: 0 });
}
