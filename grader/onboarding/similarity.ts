// Name similarity for `labgrade init`: how close a student's libvirt name is to the names a spec
// expects. Only a tie-breaker: networks and VMs are matched by their properties first.

/** Lower case, accents removed, separators (`-`, `_`, `.`, spaces) turned into single dashes. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s_.\-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function tokens(name: string): string[] {
  // Split on separators and on letter/digit boundaries (`win10` -> win, 10).
  return normalizeName(name)
    .split('-')
    .flatMap((t) => t.match(/[a-z]+|[0-9]+/g) ?? [])
    .filter((t) => t.length > 0);
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * 0..1: 1 when the names are the same up to case, accents and separators; otherwise the better of
 * token overlap (Jaccard, so `red-aislada` is closer to `red-aislada` than `red-muy-aislada` is)
 * and edit distance on the joined letters.
 */
export function nameSimilarity(candidate: string, reference: string): number {
  const a = normalizeName(candidate);
  const b = normalizeName(reference);
  if (!a || !b) return 0;
  const ja = a.replace(/-/g, '');
  const jb = b.replace(/-/g, '');
  if (ja === jb) return 1;
  const ta = new Set(tokens(a));
  const tb = new Set(tokens(b));
  let inter = 0;
  for (const t of ta) if (tb.has(t)) inter++;
  const union = new Set([...ta, ...tb]).size;
  const jaccard = union === 0 ? 0 : inter / union;
  const edit = 1 - levenshtein(ja, jb) / Math.max(ja.length, jb.length);
  // Edit distance alone says `nat` ~ `net`; weigh it down so shared words count more.
  return Math.max(jaccard * 0.95, edit * 0.8);
}

/** Best similarity of `candidate` against several references. */
export function bestSimilarity(candidate: string, references: string[]): number {
  let best = 0;
  for (const r of references) best = Math.max(best, nameSimilarity(candidate, r));
  return best;
}
