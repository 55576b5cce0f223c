/**
 * Reading batch lines that begin alike. The lines of a batch usually start
 * with the same long members (the policies, as escaped JSON strings) and
 * differ only after them (action, resource, context). JSON.parse spends most
 * of a line on those repeated strings.
 *
 * A memo remembers a few such beginnings: the raw text up to and including a
 * comma between top-level members, and the members JSON.parse made of it. A
 * line that starts with one of them is parsed as `{` + the rest, and its value
 * is the remembered members followed by the rest's — the very value
 * JSON.parse(line) makes, since `{` + members + `,` + rest is the line itself:
 *   - the rest must parse to an object with at least one member (so `{"a":1,}`
 *     is never accepted);
 *   - members are set in order, so a name the rest repeats keeps its first
 *     place and takes the last value, as JSON.parse does; `__proto__` (which
 *     JSON.parse makes an own member, and assignment would not) is never merged;
 *   - anything else — a syntax error, a bound exceeded, line 1 with its
 *     possible byte order mark — goes to parseJsonBounded, which gives the
 *     error exactly as before.
 * Remembered values are frozen: lines share them, and nothing may change them.
 */
import { nestsDeeper, parseJsonBounded, type BoundedJson } from '../../diagnostics/input-text.js';
import { topLevelComma } from '../../policy/locate.js';

export { topLevelComma };

interface Prefix {
  readonly text: string;
  readonly members: readonly (readonly [string, unknown])[];
}

/** Beginnings shorter than this are not worth remembering. */
const MIN_PREFIX = 512;
/** Beginnings remembered (most recent first). */
const PREFIXES = 4;
/** Lines that match no beginning: one in this many is scanned for a new one (a scan costs about a parse). */
const LEARN_EVERY = 8;

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

export class LinePrefixMemo {
  private readonly prefixes: Prefix[] = [];
  private misses = 0;

  constructor(
    private readonly maxDepth: number,
    private readonly maxChars: number,
  ) {}

  /** parseJsonBounded(line, maxDepth, maxChars), sparing the parse of a remembered beginning. */
  read(line: string, lineNo: number): BoundedJson {
    if (lineNo !== 1 && line.length <= this.maxChars) {
      for (const p of this.prefixes) {
        // Sliced and compared whole: much faster than startsWith, which compares character by character.
        if (line.length > p.text.length && line.slice(0, p.text.length) === p.text) {
          const value = this.withPrefix(p, line);
          if (value !== undefined) return { value };
        }
      }
    }
    const read = parseJsonBounded(line, this.maxDepth, this.maxChars);
    if (lineNo !== 1 && 'value' in read && this.misses++ % LEARN_EVERY === 0) this.learn(line);
    return read;
  }

  private withPrefix(p: Prefix, line: string): Record<string, unknown> | undefined {
    let rest: unknown;
    try {
      rest = JSON.parse(`{${line.slice(p.text.length)}`);
    } catch {
      return undefined;
    }
    const restObject = rest as Record<string, unknown>;
    const names = Object.keys(restObject);
    if (names.length === 0 || nestsDeeper(rest, this.maxDepth)) return undefined;
    if (names.includes('__proto__')) return undefined;
    const value: Record<string, unknown> = {};
    for (const [n, v] of p.members) value[n] = v;
    for (const n of names) value[n] = restObject[n];
    return value;
  }

  /** Remembers the line's beginning up to its first top-level comma past MIN_PREFIX (the line is valid JSON). */
  private learn(line: string): void {
    if (line.charCodeAt(0) !== 123 /* { */) return;
    const comma = topLevelComma(line, MIN_PREFIX);
    if (comma < 0) return;
    const text = line.slice(0, comma + 1);
    const head = JSON.parse(`${text.slice(0, -1)}}`) as Record<string, unknown>;
    if (nestsDeeper(head, this.maxDepth)) return;
    const members = Object.entries(head);
    if (members.some(([n]) => n === '__proto__')) return;
    deepFreeze(head);
    this.prefixes.unshift({ text, members });
    if (this.prefixes.length > PREFIXES) this.prefixes.pop();
  }
}
