/**
 * Line diffs in the unified format (`diff -u`, as `git apply` and `patch`
 * read it), by Myers' O((N+M)·D) algorithm: fast when the change is small
 * against a large file, which is the case for policy fixes.
 */

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The shortest edit script from `a` to `b`. */
function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d, offset);
    }
  }
  return [];
}

function backtrack(a: readonly string[], b: readonly string[], trace: readonly Int32Array[], last: number, offset: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = last; d >= 0; d--) {
    const v = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : (v[offset + prevK] ?? 0);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: ' ', line: a[x] ?? '' });
    }
    if (d === 0) break;
    if (down) ops.push({ kind: '+', line: b[--y] ?? '' });
    else ops.push({ kind: '-', line: a[--x] ?? '' });
  }
  return ops.reverse();
}

/**
 * A unified diff of two texts with `context` lines around each change; empty
 * when they are equal. `from`/`to` name the files in the `---`/`+++` lines.
 */
export function unifiedDiff(before: string, after: string, from: string, to: string, context = 3): string {
  const ops = myers(splitLines(before), splitLines(after));
  if (ops.every((o) => o.kind === ' ')) return '';
  const out = [`--- ${from}`, `+++ ${to}`];
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]?.kind === ' ') i++;
    if (i >= ops.length) break;
    let start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within 2·context unchanged lines.
    for (;;) {
      while (end < ops.length && ops[end]?.kind !== ' ') end++;
      let gap = end;
      while (gap < ops.length && ops[gap]?.kind === ' ') gap++;
      if (gap < ops.length && gap - end <= 2 * context) end = gap;
      else break;
    }
    end = Math.min(ops.length, end + context);
    out.push(hunkHeader(ops, start, end), ...ops.slice(start, end).map((o) => `${o.kind}${o.line}`));
    i = end;
    start = end;
  }
  return `${out.join('\n')}\n`;
}

function hunkHeader(ops: readonly Op[], start: number, end: number): string {
  let aLine = 1;
  let bLine = 1;
  for (let j = 0; j < start; j++) {
    if (ops[j]?.kind !== '+') aLine++;
    if (ops[j]?.kind !== '-') bLine++;
  }
  let aCount = 0;
  let bCount = 0;
  for (let j = start; j < end; j++) {
    if (ops[j]?.kind !== '+') aCount++;
    if (ops[j]?.kind !== '-') bCount++;
  }
  const range = (line: number, count: number): string => `${count === 0 ? line - 1 : line},${count}`;
  return `@@ -${range(aLine, aCount)} +${range(bLine, bCount)} @@`;
}
