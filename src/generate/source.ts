/**
 * Reading generator inputs (workload specs, installation parameters) written
 * as YAML or JSON, with every problem reported as a Diagnostic that points at
 * the file, line and column of the offending value. JSON is read by the YAML
 * parser too (YAML 1.2 is a superset of JSON), so both get the same positions.
 */
import { LineCounter, isMap, parseDocument, type Document } from 'yaml';
import type { Diagnostic, JsonPath } from '../diagnostics/diagnostic.js';

export class SourceDoc {
  readonly diagnostics: Diagnostic[] = [];
  readonly value: unknown;
  private readonly doc: Document;
  private readonly lines: LineCounter;

  constructor(
    readonly text: string,
    readonly file: string | undefined,
  ) {
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false });
    for (const e of this.doc.errors) {
      const pos = this.lines.linePos(e.pos[0]);
      this.push({ code: 'SPEC_SYNTAX', severity: 'error', message: e.message.split('\n')[0] ?? e.message, line: pos.line, column: pos.col, path: [] });
    }
    this.value = this.doc.errors.length > 0 ? undefined : this.doc.toJS();
  }

  private push(d: Omit<Diagnostic, 'file'>): void {
    this.diagnostics.push(this.file === undefined ? d : { ...d, file: this.file });
  }

  /** Position of the node at `path`, or of its nearest ancestor that exists. */
  private position(path: JsonPath): { line: number; column: number } {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range !== undefined) {
        const p = this.lines.linePos(range[0]);
        return { line: p.line, column: p.col };
      }
    }
    return { line: 1, column: 1 };
  }

  /** Position of a map key (for unknown-field reports). */
  private keyPosition(path: JsonPath, key: string): { line: number; column: number } | undefined {
    const parent = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    if (!isMap(parent)) return undefined;
    for (const pair of parent.items) {
      const k = pair.key as { value?: unknown; range?: [number, number, number] } | null;
      if (k !== null && k.value === key && k.range !== undefined) {
        const p = this.lines.linePos(k.range[0]);
        return { line: p.line, column: p.col };
      }
    }
    return undefined;
  }

  error(path: JsonPath, message: string, code = 'SPEC_INVALID'): void {
    this.push({ code, severity: 'error', message, ...this.position(path), path });
  }

  warning(path: JsonPath, message: string, code = 'SPEC_WARNING'): void {
    this.push({ code, severity: 'warning', message, ...this.position(path), path });
  }

  /** Reports keys of the object at `path` that are not in `known`. */
  unknownKeys(obj: Record<string, unknown>, path: JsonPath, known: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (known.includes(key)) continue;
      const hint = known.find((k) => k.toLowerCase() === key.toLowerCase());
      const pos = this.keyPosition(path, key) ?? this.position([...path, key]);
      this.push({
        code: 'SPEC_UNKNOWN_FIELD',
        severity: 'error',
        message: `unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ` (expected one of: ${known.join(', ')})`}`,
        ...pos,
        path: [...path, key],
      });
    }
  }

  // --- typed accessors: report and return undefined on a type mismatch -------

  object(v: unknown, path: JsonPath, what = 'an object'): Record<string, unknown> | undefined {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    this.error(path, `expected ${what}, found ${describe(v)}`);
    return undefined;
  }

  string(v: unknown, path: JsonPath): string | undefined {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isInteger(v)) return String(v);
    this.error(path, `expected a string, found ${describe(v)}`);
    return undefined;
  }

  /** A string or a list of strings (a single string counts as a one-element list). */
  strings(v: unknown, path: JsonPath): string[] {
    if (v === undefined) return [];
    if (typeof v === 'string') return [v];
    if (!Array.isArray(v)) {
      this.error(path, `expected a list of strings, found ${describe(v)}`);
      return [];
    }
    const out: string[] = [];
    v.forEach((item, i) => {
      const s = this.string(item, [...path, i]);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  boolean(v: unknown, path: JsonPath): boolean | undefined {
    if (v === undefined || typeof v === 'boolean') return v;
    this.error(path, `expected true or false, found ${describe(v)}`);
    return undefined;
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}

export const ACCOUNT_RE = /^\d{12}$/;
export const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;
