// "Did you mean ...?" suggestions for unknown keys and ids.

/** Edit distance counting a swap of two neighbours as one edit (small strings only: keys and ids). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    rows.push(row);
  }
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = v;
    }
  }
  return rows[a.length]![b.length]!;
}

function squash(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[-_\s.]+/g, '');
}

/** The closest candidate, when it is close enough to be a plausible typo; else undefined. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  if (input.length > 200) return undefined;
  const sq = squash(input);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const cs = squash(c);
    if (cs === sq) return c;
    const d = editDistance(sq, cs);
    const limit = Math.max(1, Math.floor(Math.max(cs.length, sq.length) / 3));
    if (d <= limit && d < bestScore) {
      best = c;
      bestScore = d;
    } else if (sq.length >= 3 && (cs.startsWith(sq) || sq.startsWith(cs)) && bestScore === Infinity) {
      best = c;
      bestScore = 99;
    }
  }
  return best;
}
