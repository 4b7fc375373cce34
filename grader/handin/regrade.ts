// Grading one hand-in with the teacher's exercise and the teacher's labgrade: re-grade every run
// from its evidence (replay.ts, no guest contacted), then check what the student's labgrade could
// have been made to say: the seal, the student's own result against the re-grade, the evidence
// against itself, the tool build, the time window. Each flag carries the exact contradiction.
// `withhold` flags keep the grade out of the gradebook CSV (the evidence is not what labgrade
// wrote, or contradicts itself, or is another student's): such a hand-in never gains a point.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExerciseSpec, GradeResult, Lang } from '../types.js';
import { InputError } from '../types.js';
import { loadLab } from '../inputs/load-lab.js';
import { loadAnswers } from '../inputs/load-answers.js';
import { gradeStudent } from '../engine/run.js';
import { mergeResults } from '../engine/totals.js';
import { parseDomainXml, parseNetworkXml } from '../libvirt/xml.js';
import { parseLeaseTable } from '../libvirt/leases.js';
import { normalizeMac } from '../libvirt/mac.js';
import { parseIpAddr, addressOrigin } from '../probes/linux/collector.js';
import { splitSections } from '../probes/measurement.js';
import { inSubnet, isIpv4 } from '../net/ipv4.js';
import { replayDeps } from './replay.js';
import { sha256, type EvidenceEntry } from './evidence.js';
import type { HandIn } from './read.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/handin.js';
import en from '../i18n/en/handin.js';

const t = translator(es, en);

export type FlagCode = 'seal' | 'result-disagrees' | 'evidence-contradiction' | 'evidence-incomplete' | 'unknown-build' | 'exercise-changed' | 'outside-window' | 'same-hand-in' | 'same-lab' | 'refused';

export interface Flag {
  code: FlagCode;
  /** withhold: no grade goes to the gradebook; review: graded, for the teacher to look at. */
  severity: 'withhold' | 'review';
  reason: string;
}

export interface LabFingerprint {
  seal: string;
  uuids: string[];
  macs: string[];
  hostKeys: string[];
}

export interface GradedHandIn {
  result: GradeResult | null;
  flags: Flag[];
  fingerprint: LabFingerprint;
}

export interface RegradeOptions {
  spec: ExerciseSpec;
  specSha256: string;
  lang: Lang;
  build: string;
  acceptBuilds?: string[];
  since?: Date;
  until?: Date;
  redact: (s: string) => string;
}

function pct(r: { points: number; maxPoints: number; percent: number }, lang: Lang): string {
  return t(lang, 'scoreText', { points: r.points, max: r.maxPoints, percent: r.percent });
}

/** What in one run's evidence identifies the lab: domain UUIDs, NIC MACs, guest host keys. */
function fingerprintOf(entries: EvidenceEntry[]): Omit<LabFingerprint, 'seal'> {
  const uuids = new Set<string>();
  const macs = new Set<string>();
  const keys = new Set<string>();
  for (const e of entries) {
    if (e.kind === 'virsh' && e.args[0] === 'dumpxml' && e.result?.exitCode === 0) {
      try {
        const d = parseDomainXml(e.result.stdout);
        if (d.uuid) uuids.add(d.uuid.toLowerCase());
        for (const i of d.interfaces) {
          const m = normalizeMac(i.mac);
          if (m) macs.add(m);
        }
      } catch {
        /* unreadable XML: the re-grade says so */
      }
    }
    if (e.kind === 'open' && e.hostKey) keys.add(e.hostKey.fingerprint);
  }
  return { uuids: [...uuids], macs: [...macs], hostKeys: [...keys] };
}

/**
 * The evidence against itself: domain XML vs the guest's `ip addr` vs the leases vs the network,
 * reach results vs routes. `doubts` receives what is unlikely but possible (a DHCP guest whose
 * default gateway is not the network's address: libvirt's DHCP gives that one, a student may add
 * another route by hand).
 */
export function contradictions(entries: EvidenceEntry[], lang: Lang, doubts: string[] = []): string[] {
  const out: string[] = [];
  const domains = new Map<string, { macs: Set<string>; nets: Map<string, string> }>();
  const nets = new Map<string, { address: string; prefix: number }>();
  const leases: { network: string; mac: string; address: string }[] = [];
  for (const e of entries) {
    if (e.kind !== 'virsh' || e.result?.exitCode !== 0) continue;
    try {
      if (e.args[0] === 'dumpxml') {
        const d = parseDomainXml(e.result.stdout);
        const macs = new Set<string>();
        const onNet = new Map<string, string>();
        for (const i of d.interfaces) {
          const m = normalizeMac(i.mac);
          if (!m) continue;
          macs.add(m);
          if (i.type === 'network') onNet.set(m, i.source);
        }
        domains.set(d.name, { macs, nets: onNet });
      } else if (e.args[0] === 'net-dumpxml') {
        const n = parseNetworkXml(e.result.stdout);
        const ip = n.ips.find((x) => x.family === 'ipv4');
        if (ip) nets.set(n.name, { address: ip.address, prefix: ip.prefix });
      } else if (e.args[0] === 'net-dhcp-leases') {
        const net = e.args[e.args.indexOf('--network') + 1] ?? '';
        for (const l of parseLeaseTable(net, e.result.stdout).leases) leases.push({ network: net, mac: normalizeMac(l.mac) ?? l.mac, address: l.address });
      }
    } catch {
      /* unreadable: nothing to compare */
    }
  }
  const opened = new Map<string, string>();
  for (const e of entries) if (e.kind === 'open' && e.ok) opened.set(e.role, e.domain);
  const seen = new Set<string>();
  for (const e of entries) {
    const run = e.kind === 'command' ? e.result : e.kind === 'open' ? e.first?.result : undefined;
    const role = e.kind === 'command' || e.kind === 'open' ? e.role : null;
    if (!run || !role) continue;
    const sections = splitSections(run.stdout);
    const reach = reachAgainstRoutes(run.stdout, sections, role, lang);
    for (const r of reach) if (!seen.has(r)) (seen.add(r), out.push(r));
    const body = sections.get('addr')?.body;
    if (!body) continue;
    const gateway = defaultGateway(sections);
    const links = parseIpAddr(body);
    const domain = opened.get(role);
    const dom = domain ? domains.get(domain) : undefined;
    if (!links || !dom || !domain) continue;
    for (const l of links) {
      const mac = normalizeMac(l.address ?? '');
      if (!mac || l.link_type !== 'ether' || mac === '00:00:00:00:00:00') continue;
      const key = `${role}|${mac}`;
      if (!dom.macs.has(mac)) {
        if (!seen.has(key)) out.push(t(lang, 'contraMac', { role, domain, ifname: l.ifname ?? '?', mac, xml: [...dom.macs].join(', ') || '-' }));
        seen.add(key);
        continue;
      }
      const net = dom.nets.get(mac);
      const n = net ? nets.get(net) : undefined;
      for (const a of l.addr_info ?? []) {
        if (a.family !== 'inet' || !a.local || addressOrigin(a) !== 'dhcp') continue;
        // An address from the network's own DHCP is inside the network's subnet...
        if (net && n && !sameSubnet(a.local, n.address, n.prefix)) {
          const k = `${key}|net|${a.local}`;
          if (!seen.has(k)) out.push(t(lang, 'contraNetwork', { role, ifname: l.ifname ?? '?', address: a.local, network: net, net: `${n.address}/${n.prefix}` }));
          seen.add(k);
        }
        if (net && n && gateway && sameSubnet(gateway, n.address, n.prefix) && gateway !== n.address) {
          const k = `${key}|gw|${gateway}`;
          if (!seen.has(k)) doubts.push(t(lang, 'doubtGateway', { role, address: a.local, network: net, net: n.address, gateway }));
          seen.add(k);
        }
        // ...and the lease table of that network, when it has one for the MAC, says so too.
        const ls = leases.filter((x) => x.mac === mac && x.network === net);
        if (net && ls.length > 0 && !ls.some((x) => x.address === a.local)) {
          const k = `${key}|lease|${a.local}`;
          if (!seen.has(k)) out.push(t(lang, 'contraLease', { role, ifname: l.ifname ?? '?', address: a.local, mac, network: net, leases: ls.map((x) => x.address).join(', ') }));
          seen.add(k);
        }
      }
    }
  }
  return out;
}

/** The default route's gateway in an `ip -j -4 route` section, when there is one. */
function defaultGateway(sections: ReturnType<typeof splitSections>): string | null {
  const route = sections.get('route');
  if (!route || route.rc !== 0) return null;
  try {
    const j = JSON.parse(route.body) as { dst?: unknown; gateway?: unknown }[];
    const d = Array.isArray(j) ? j.find((r) => r?.dst === 'default') : undefined;
    return typeof d?.gateway === 'string' ? d.gateway : null;
  } catch {
    return null;
  }
}

/**
 * Reach results against routes, within one script's output (one moment): a ping answered by an
 * address that no route of the guest leads to (no default route, outside every route's and every
 * interface's subnet) cannot have happened.
 */
function reachAgainstRoutes(stdout: string, sections: ReturnType<typeof splitSections>, role: string, lang: Lang): string[] {
  const route = sections.get('route');
  const addr = sections.get('addr');
  if (!route || route.rc !== 0 || !addr || addr.rc !== 0) return [];
  const nets: { net: string; prefix: number }[] = [];
  let hasDefault = false;
  const j = (() => {
    try {
      return JSON.parse(route.body) as unknown;
    } catch {
      return undefined;
    }
  })();
  if (!Array.isArray(j)) return [];
  for (const r of j as { dst?: unknown }[]) {
    const dst = typeof r?.dst === 'string' ? r.dst : '';
    if (dst === 'default' || dst === '0.0.0.0/0') hasDefault = true;
    const m = /^(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?$/.exec(dst);
    if (m) nets.push({ net: m[1]!, prefix: Number(m[2] ?? 32) });
  }
  if (hasDefault) return [];
  for (const l of parseIpAddr(addr.body) ?? []) {
    for (const a of l.addr_info ?? []) if (a.family === 'inet' && a.local) nets.push({ net: a.local, prefix: a.prefixlen ?? 32 });
  }
  const out: string[] = [];
  for (const line of stdout.split('\n')) {
    const p = /^@@LG-PING \S+ 0 .*?\bfrom (\d+\.\d+\.\d+\.\d+)/.exec(line);
    if (!p) continue;
    const from = p[1]!;
    if (from.startsWith('127.') || nets.some((n) => sameSubnet(from, n.net, n.prefix))) continue;
    out.push(t(lang, 'contraReach', { role, address: from, routes: nets.map((n) => `${n.net}/${n.prefix}`).join(', ') || '-' }));
  }
  return out;
}

/** Inside the subnet; an address that cannot be read is never called a contradiction. */
function sameSubnet(a: string, b: string, prefix: number): boolean {
  if (!isIpv4(a) || !isIpv4(b)) return true;
  return inSubnet(a, b, prefix);
}

/** Re-grades and verifies one hand-in (already read and sealed-checked by read.ts). */
export async function regradeHandIn(h: HandIn, o: RegradeOptions): Promise<GradedHandIn> {
  const { lang } = o;
  const flags: Flag[] = [];
  for (const p of h.sealProblems) flags.push({ code: 'seal', severity: 'withhold', reason: p });
  const m = h.manifest;
  const accepted = new Set([o.build, ...(o.acceptBuilds ?? [])]);
  if (!accepted.has(m.tool.build)) flags.push({ code: 'unknown-build', severity: 'review', reason: t(lang, 'flagBuild', { version: m.tool.version, build: m.tool.build, mine: o.build }) });
  if (m.exercise.id !== o.spec.id || m.exercise.sha256 !== o.specSha256) {
    flags.push({ code: 'exercise-changed', severity: 'review', reason: t(lang, 'flagExercise', { id: m.exercise.id, sha: m.exercise.sha256.slice(0, 12), mine: o.spec.id, mineSha: o.specSha256.slice(0, 12) }) });
  }
  const times = [m.createdAt, ...m.runs.flatMap((r) => [r.startedAt, r.finishedAt])];
  for (const x of times) {
    const d = new Date(x);
    if ((o.since && d < o.since) || (o.until && d > o.until)) {
      flags.push({ code: 'outside-window', severity: 'review', reason: t(lang, 'flagWindow', { when: x, since: o.since?.toISOString() ?? '-', until: o.until?.toISOString() ?? '-' }) });
      break;
    }
  }

  const dir = await mkdtemp(join(tmpdir(), 'labgrade-handin-'));
  const results: GradeResult[] = [];
  const fp = { uuids: new Set<string>(), macs: new Set<string>(), hostKeys: new Set<string>() };
  try {
    // The answers and the lab file go through the project's loaders as student-supplied files.
    const answersPath = join(dir, 'answers.yaml');
    await writeFile(answersPath, h.answers, { mode: 0o600 });
    const answers = await loadAnswers(answersPath, o.spec, { lang });
    for (const run of h.runs) {
      const labPath = join(dir, `lab-${run.n}.yaml`);
      await writeFile(labPath, run.lab, { mode: 0o600 });
      const lab = await loadLab(labPath, { lang, trust: 'student' });
      if (!run.evidence) {
        flags.push({ code: 'evidence-incomplete', severity: 'withhold', reason: run.evidenceProblem ?? '' });
        continue;
      }
      const f = fingerprintOf(run.evidence);
      f.uuids.forEach((x) => fp.uuids.add(x));
      f.macs.forEach((x) => fp.macs.add(x));
      f.hostKeys.forEach((x) => fp.hostKeys.add(x));
      const doubts: string[] = [];
      for (const c of contradictions(run.evidence, lang, doubts)) flags.push({ code: 'evidence-contradiction', severity: 'withhold', reason: t(lang, 'inRun', { run: run.n, text: c }) });
      for (const c of doubts) flags.push({ code: 'evidence-contradiction', severity: 'review', reason: t(lang, 'inRun', { run: run.n, text: c }) });
      const replay = replayDeps(lang, run.evidence, o.redact);
      const r = await gradeStudent({ spec: o.spec, lab, answers, task: run.task, lang, deps: replay.deps });
      r.lab = { uri: r.lab.uri, file: `runs/${run.n}/lab.yaml` };
      if (replay.missing.length > 0) {
        flags.push({ code: 'evidence-incomplete', severity: 'review', reason: t(lang, 'flagMissing', { run: run.n, count: replay.missing.length, first: replay.missing.slice(0, 3).join('; ') }) });
      }
      const theirs = run.result as GradeResult | null;
      const claimed = theirs?.totals;
      const listed = m.runs.find((x) => x.n === run.n)?.score;
      for (const c of [claimed, listed]) {
        if (!c || typeof c.points !== 'number' || c.points !== r.totals.points || c.maxPoints !== r.totals.maxPoints) {
          flags.push({ code: 'result-disagrees', severity: 'review', reason: t(lang, 'flagResult', { run: run.n, theirs: c && typeof c.points === 'number' ? pct(c, lang) : '-', mine: pct(r.totals, lang) }) });
          break;
        }
      }
      results.push(r);
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    flags.push({ code: 'refused', severity: 'withhold', reason: [e.message, ...e.issues.slice(0, 3).map((i) => i.message)].join(': ') });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const result = results.length > 0 ? mergeResults(results) : null;
  return { result, flags, fingerprint: { seal: m.seal, uuids: [...fp.uuids], macs: [...fp.macs], hostKeys: [...fp.hostKeys] } };
}

/** Hand-ins that are the same file, or the same lab (shared domain UUIDs, MACs, host keys). */
export function duplicates(list: { id: string; fp: LabFingerprint; answers?: string }[], lang: Lang): Map<string, Flag[]> {
  const out = new Map<string, Flag[]>();
  const add = (id: string, f: Flag): void => {
    out.set(id, [...(out.get(id) ?? []), f]);
  };
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!;
      const b = list[j]!;
      if (a.fp.seal === b.fp.seal) {
        add(a.id, { code: 'same-hand-in', severity: 'withhold', reason: t(lang, 'flagSameHandIn', { other: b.id, seal: a.fp.seal.slice(0, 12) }) });
        add(b.id, { code: 'same-hand-in', severity: 'withhold', reason: t(lang, 'flagSameHandIn', { other: a.id, seal: a.fp.seal.slice(0, 12) }) });
        continue;
      }
      const shared = (x: string[], y: string[]): string[] => x.filter((v) => y.includes(v));
      const u = shared(a.fp.uuids, b.fp.uuids);
      const mac = shared(a.fp.macs, b.fp.macs);
      const k = shared(a.fp.hostKeys, b.fp.hostKeys);
      if (u.length + mac.length + k.length === 0) continue;
      const what = [
        ...(u.length ? [t(lang, 'sharedUuids', { list: u.join(', ') })] : []),
        ...(mac.length ? [t(lang, 'sharedMacs', { list: mac.join(', ') })] : []),
        ...(k.length ? [t(lang, 'sharedKeys', { list: k.join(', ') })] : []),
      ].join('; ');
      add(a.id, { code: 'same-lab', severity: 'review', reason: t(lang, 'flagSameLab', { other: b.id, what }) });
      add(b.id, { code: 'same-lab', severity: 'review', reason: t(lang, 'flagSameLab', { other: a.id, what }) });
    }
  }
  return out;
}

export { sha256 };
