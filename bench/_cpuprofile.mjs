// Summarises a V8 .cpuprofile (node --cpu-prof): where the CPU time of one run went, grouped by
// package (node_modules/<pkg>), by labgrade module (grader/..., checks/..., reports/...), node's
// own internals, the GC and the program (compiling/loading). Used by the benchmarks to print
// what the profile shows next to their figures.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function groupOf(url, fn) {
  if (!url) return fn === '(garbage collector)' ? '(gc)' : fn === '(program)' ? '(program: compile, load, native)' : fn === '(idle)' ? '(idle)' : `(${fn || 'native'})`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `npm:${nm[1]}`;
  if (url.startsWith('node:internal/')) return `node:internal/${url.slice(14).split('/').slice(0, url.includes('/modules/') ? 2 : 1).join('/')}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const own = /\/(dist\/)?((grader|checks|reports|bin)\/[^/]+(?:\/[^/]+)?)/.exec(url);
  if (own) return own[2].replace(/\.js$/, '');
  return url.replace(/^file:\/\//, '');
}

/** { totalMs, idleMs, groups: [{ group, ms }] } sorted by time, from one profile file. */
export function summarise(file) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = p.timeDeltas;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]);
    const ms = (dt[i] ?? 0) / 1000;
    const g = groupOf(n.callFrame.url, n.callFrame.functionName);
    self.set(g, (self.get(g) ?? 0) + ms);
  }
  const idleMs = self.get('(idle)') ?? 0;
  self.delete('(idle)');
  const groups = [...self].map(([group, ms]) => ({ group, ms })).sort((a, b) => b.ms - a.ms);
  const totalMs = groups.reduce((a, g) => a + g.ms, 0);
  return { totalMs, idleMs, groups };
}

/** The newest .cpuprofile in dir. */
export function newestProfile(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  return files.length ? join(dir, files[files.length - 1]) : null;
}

export function formatSummary(s, top = 12) {
  const lines = [`  on-CPU ${s.totalMs.toFixed(0)} ms of the main thread (idle ${s.idleMs.toFixed(0)} ms waiting for guests/virsh):`];
  for (const g of s.groups.slice(0, top)) lines.push(`    ${g.ms.toFixed(0).padStart(6)} ms  ${(100 * g.ms / s.totalMs).toFixed(0).padStart(3)} %  ${g.group}`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const f = process.argv[2];
  const file = f.endsWith('.cpuprofile') ? f : newestProfile(f);
  process.stdout.write(`${file}\n${formatSummary(summarise(file), Number(process.argv[3] ?? 25))}\n`);
}
