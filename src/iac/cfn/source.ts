/**
 * CloudFormation template text → a plain value with positions. JSON is read
 * by the project's JSON reader; YAML by the `yaml` package, with the
 * short-form intrinsic tags (`!Ref`, `!Sub`, `!GetAtt`, …) turned into their
 * long forms (`{"Ref": …}`, `{"Fn::Sub": …}`, `{"Fn::GetAtt": [res, attr]}`).
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { jsonSource, type InputSource } from '../../account/import/source.js';
import type { Diagnostic, JsonPath, Position } from '../../diagnostics/diagnostic.js';
import { checkJsonBounds, MAX_IMPORT_CHARS, MAX_NESTING_DEPTH, stripBom } from '../../diagnostics/input-text.js';
import { textMapper } from '../../diagnostics/position.js';

/** Short-form tags (CloudFormation User Guide, intrinsic-function-reference). */
const TAGS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Not': 'Fn::Not',
  '!FindInMap': 'Fn::FindInMap',
  '!ImportValue': 'Fn::ImportValue',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!GetAZs': 'Fn::GetAZs',
  '!Transform': 'Fn::Transform',
  '!ToJsonString': 'Fn::ToJsonString',
  '!Length': 'Fn::Length',
};

interface Walk {
  readonly lc: LineCounter;
  readonly positions: Map<string, Position>;
  readonly errors: Diagnostic[];
  readonly file: string;
  depth: number;
}

function convert(node: unknown, path: JsonPath, w: Walk): unknown {
  if (++w.depth > MAX_NESTING_DEPTH) throw new RangeError('too deep');
  try {
    if (isAlias(node)) return null;
    const n = node as YamlNode | null;
    if (n?.range) {
      const lp = w.lc.linePos(n.range[0]);
      w.positions.set(JSON.stringify(path), { line: lp.line, column: lp.col, offset: n.range[0] });
    }
    let value: unknown;
    if (isMap(n)) {
      const obj: Record<string, unknown> = {};
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        obj[key] = convert(pair.value, [...path, key], w);
      }
      value = obj;
    } else if (isSeq(n)) value = n.items.map((x, i) => convert(x, [...path, i], w));
    else if (isScalar(n)) value = n.value;
    else value = null;
    const tag = n && 'tag' in n ? (n as { tag?: string }).tag : undefined;
    if (tag === undefined || !tag.startsWith('!')) return value;
    const fn = TAGS[tag];
    if (fn === undefined) {
      const lp = w.lc.linePos(n?.range?.[0] ?? 0);
      w.errors.push({
        code: 'CFN_UNKNOWN_TAG',
        severity: 'error',
        message: `unknown intrinsic function tag ${tag}`,
        file: w.file,
        line: lp.line,
        column: lp.col,
        path,
      });
      return value;
    }
    if (fn === 'Fn::GetAtt' && typeof value === 'string') {
      const dot = value.indexOf('.');
      return { [fn]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
    }
    return { [fn]: value };
  } finally {
    w.depth--;
  }
}

/** A template's value with positions by JSON path. */
export function templateSource(raw: string, file: string): { source?: InputSource; diagnostics: Diagnostic[] } {
  const text = stripBom(raw);
  if (text.trimStart().startsWith('{')) return jsonSource(text, file);
  const bounds = checkJsonBounds(text, MAX_NESTING_DEPTH, MAX_IMPORT_CHARS);
  if (bounds) {
    const p = textMapper(text)(bounds.offset);
    return { diagnostics: [{ code: bounds.code, severity: 'error', message: bounds.message, file, line: p.line, column: p.column, path: [] }] };
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      diagnostics: doc.errors.map((e) => {
        const lp = lc.linePos(e.pos[0]);
        return {
          code: 'YAML_SYNTAX',
          severity: 'error',
          message: `invalid YAML: ${e.message.split('\n')[0] ?? ''}`,
          file,
          line: lp.line,
          column: lp.col,
          path: [],
        };
      }),
    };
  }
  const w: Walk = { lc, positions: new Map(), errors: [], file, depth: 0 };
  let value: unknown;
  try {
    value = convert(doc.contents, [], w);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return {
      diagnostics: [
        {
          code: 'INPUT_TOO_DEEP',
          severity: 'error',
          message: `the template nests deeper than ${MAX_NESTING_DEPTH} levels`,
          file,
          line: 1,
          column: 1,
          path: [],
        },
      ],
    };
  }
  if (w.errors.length > 0) return { diagnostics: w.errors };
  const position = (path: JsonPath): Position => {
    for (let n = path.length; n >= 0; n--) {
      const p = w.positions.get(JSON.stringify(path.slice(0, n)));
      if (p) return p;
    }
    return { line: 1, column: 1, offset: 0 };
  };
  return { source: { file, text, value, format: 'yaml', position, sourceText: () => undefined }, diagnostics: [] };
}
