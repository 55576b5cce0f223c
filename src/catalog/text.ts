/** Small string helpers for the catalog: "did you mean" ranking. (Wildcards: primitives/wildcard.) */

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition),
 * case-insensitive. Returns `limit + 1` as soon as the distance is known to
 * exceed `limit`, which keeps ranking thousands of candidates cheap.
 */
export function editDistance(a: string, b: string, limit = Number.MAX_SAFE_INTEGER): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  const n = t.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n] ?? 0;
}

/** How many edits a suggestion for a word of this length may be away. */
export function suggestionLimit(word: string): number {
  return Math.max(2, Math.floor(word.length / 3));
}

/**
 * The candidates closest to `word` (within `limit` edits, or sharing a
 * case-insensitive prefix/containment relation), best first, at most `max`.
 */
export function nearest(word: string, candidates: Iterable<string>, max: number, limit = suggestionLimit(word)): string[] {
  const lower = word.toLowerCase();
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    let d = editDistance(word, c, limit);
    if (d > limit && lower.length >= 4 && c.length >= 4) {
      const cl = c.toLowerCase();
      // A truncated or over-long spelling ("sagemaker:CreateEndp") still deserves a hint.
      if (cl.startsWith(lower) || lower.startsWith(cl)) d = limit + 0.5;
    }
    if (d <= limit + 0.5) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || x.c.length - y.c.length || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0));
  return scored.slice(0, Math.max(0, max)).map((x) => x.c);
}
