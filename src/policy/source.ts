/**
 * Positions on demand. The grammar (parse.ts, statement.ts, ...) reads plain
 * JSON values; every span it hands out is a LazySpan naming a JSON path,
 * resolved the first time anyone reads it (a diagnostic, the citation of a
 * deciding statement, a lint finding). Strict text (read by JSON.parse) is
 * scanned for the path (locate.ts); other text has jsonc-parser's tree, which
 * its road built anyway, and the path is resolved in it. Most cold requests
 * never ask, and pay for neither a scan nor the line table.
 */
import type { Node as JsonNode } from 'jsonc-parser';
import type { JsonPath, Position, Span } from '../diagnostics/diagnostic.js';
import type { OffsetMapper } from '../diagnostics/position.js';
import { parseJson, textMapper } from './json-source.js';
import { locateInStrictJson, type SpanPart } from './locate.js';

export type { SpanPart } from './locate.js';

/** The text a policy was read from, with its tree and line table built on first use. */
export class PolicySource {
  #root: JsonNode | undefined;
  #mapper: OffsetMapper | undefined;
  #strict = false;
  readonly #makeMapper: () => OffsetMapper;

  /**
   * @param text the policy's JSON text (positions are offsets into it), unless `root` is given
   * @param mapper offsets of `text` (or of `root`'s document) to reported positions; default: lines of `text`
   * @param root an already built tree of the policy (an embedded policy object inside a larger document)
   */
  constructor(
    readonly text: string,
    mapper?: () => OffsetMapper,
    root?: JsonNode,
  ) {
    this.#root = root;
    this.#makeMapper = mapper ?? (() => textMapper(text));
  }

  get mapper(): OffsetMapper {
    this.#mapper ??= this.#makeMapper();
    return this.#mapper;
  }

  /** The tree of the policy (built on first use; a tree the caller already has is reused). */
  get root(): JsonNode | undefined {
    this.#root ??= parseJson(this.text).root;
    return this.#root;
  }

  /**
   * Marks the text as read by readStrictJson (strict JSON, no duplicate keys):
   * spans are then found by scanning the text for their path, without a tree.
   */
  markStrict(): void {
    this.#strict = true;
  }

  /** Hands the tree over when the caller built it anyway (the road for text that is not strict JSON). */
  adoptTree(root: JsonNode): void {
    this.#root = root;
  }

  spanAt(offset: number, length: number): Span {
    return { start: this.mapper(offset), end: this.mapper(offset + length) };
  }

  /** A span of the JSON at `path` (plus `last`, when given), computed when first read. */
  span(path: JsonPath, last?: string | number, part: SpanPart = 'value'): Span {
    return new LazySpan(this, path, last, part);
  }

  /** The span now: the node at the path, else (never for a path the grammar read) the whole policy. */
  resolve(path: JsonPath, last: string | number | undefined, part: SpanPart): Span {
    const full = last === undefined ? path : [...path, last];
    const range = this.#strict && this.#root === undefined ? locateInStrictJson(this.text, full, part) : undefined;
    if (range !== undefined) return this.spanAt(range.offset, range.length);
    const root = this.root;
    const at = root === undefined ? undefined : (partAt(root, full, part) ?? root);
    return at === undefined ? this.spanAt(0, 0) : this.spanAt(at.offset, at.length);
  }
}

/**
 * The node of `part` at `path`. In an object the LAST property of a name is
 * taken: JSON.parse keeps the last of duplicate keys, so that is the one the
 * grammar read (the duplicates themselves are reported as DUPLICATE_KEY).
 */
export function partAt(root: JsonNode, path: JsonPath, part: SpanPart = 'value'): JsonNode | undefined {
  let node: JsonNode | undefined = root;
  let prop: JsonNode | undefined;
  for (const segment of path) {
    if (node === undefined) return undefined;
    prop = undefined;
    if (typeof segment === 'number') {
      node = node.type === 'array' ? node.children?.[segment] : undefined;
      continue;
    }
    prop = node.type === 'object' ? lastProperty(node, segment) : undefined;
    node = prop?.children?.[1];
  }
  if (part === 'value' || prop === undefined) return node;
  return part === 'key' ? prop.children?.[0] : prop;
}

function lastProperty(object: JsonNode, key: string): JsonNode | undefined {
  const children = object.children ?? [];
  for (let i = children.length - 1; i >= 0; i--) {
    const prop = children[i];
    if (prop?.type === 'property' && prop.children?.[0]?.value === key) return prop;
  }
  return undefined;
}

/** A Span whose positions are looked up the first time they are read. */
class LazySpan implements Span {
  readonly #source: PolicySource;
  readonly #path: JsonPath;
  readonly #last: string | number | undefined;
  readonly #part: SpanPart;
  #span: Span | undefined;

  constructor(source: PolicySource, path: JsonPath, last: string | number | undefined, part: SpanPart) {
    this.#source = source;
    this.#path = path;
    this.#last = last;
    this.#part = part;
  }

  #resolved(): Span {
    this.#span ??= this.#source.resolve(this.#path, this.#last, this.#part);
    return this.#span;
  }

  get start(): Position {
    return this.#resolved().start;
  }

  get end(): Position {
    return this.#resolved().end;
  }

  toJSON(): Span {
    return { start: this.start, end: this.end };
  }
}
