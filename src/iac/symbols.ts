/**
 * Values known only after apply. Two kinds, both registered per run (no
 * module state):
 *
 * - A **symbol** stands for the name of a resource this change creates (a
 *   bucket, key or role whose physical name is generated). Its token is a
 *   fresh name inside an ARN of the right shape (`arn:aws:s3:::iamsim-sym1-Bucket`),
 *   the same on both sides of the change. A check over tokens is exact when
 *   no other string in the policies can tell one value of the shape from
 *   another (`discriminating`): such a string makes the answer UNKNOWN.
 * - A **hole** is a value whose text is not known at all (a policy string
 *   computed from attributes known after apply, an unresolvable parameter).
 *   Documents are bounded: `materialize(text, 'upper')` widens holes in Allow
 *   statements and drops Deny statements with holes (allows at least as much
 *   as any value could), `'lower'` does the opposite.
 */
import { wildcardContains } from '../primitives/wildcard.js';
import type { PolicyType } from '../policy/model.js';
import type { IacDocument, IacUnknown, SourceRef } from './model.js';

export interface SymbolInfo {
  readonly token: string;
  readonly address: string;
  readonly attribute: string;
  /** Text before the token in the values it appears in (`arn:aws:s3:::`); empty for the account. */
  readonly prefix: string;
  /** The names it stands for contain no `/` (bucket names, key ids, role names). */
  readonly slashFree: boolean;
  readonly kind: 'name' | 'account';
  readonly source?: SourceRef;
}

export interface HoleInfo {
  readonly id: number;
  readonly address: string;
  readonly attribute: string;
  readonly reason: string;
  /** The widest value (an ARN pattern of the right shape, or `*`). */
  readonly shape: string;
  readonly source?: SourceRef;
}

const HOLE = 'iamsim:hole:';
const HOLE_RE = /iamsim:hole:(\d+)|IamsimHole(\d+)/g;

export const ACCOUNT_TOKEN = '000000000000';

export class SymbolTable {
  private readonly symbols = new Map<string, SymbolInfo>();
  private readonly byKey = new Map<string, string>();
  private readonly holes: HoleInfo[] = [];
  /** Bounded texts (materialize) → the holes of the text they were made from. */
  private readonly boundedFrom = new Map<string, Set<number>>();

  /** Remembers that `bounded` was made from a text with `ids` holes. */
  recordBounded(bounded: string, ids: readonly number[]): void {
    if (ids.length === 0) return;
    const set = this.boundedFrom.get(bounded) ?? new Set<number>();
    for (const id of ids) set.add(id);
    this.boundedFrom.set(bounded, set);
  }

  /** The token for (address, attribute), created on first use. */
  symbol(address: string, attribute: string, prefix: string, opts: { slashFree?: boolean; source?: SourceRef } = {}): string {
    const key = `${address}\u0000${attribute}`;
    const hit = this.byKey.get(key);
    if (hit !== undefined) return hit;
    const safe =
      address
        .replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(-40) || 'value';
    const token = `iamsim-sym${this.symbols.size + 1}-${safe}`;
    this.symbols.set(token, {
      token,
      address,
      attribute,
      prefix,
      slashFree: opts.slashFree ?? true,
      kind: 'name',
      ...(opts.source ? { source: opts.source } : {}),
    });
    this.byKey.set(key, token);
    return token;
  }

  /** The account the change deploys to, when nothing names it. */
  accountSymbol(address: string, attribute: string): string {
    if (!this.symbols.has(ACCOUNT_TOKEN)) {
      this.symbols.set(ACCOUNT_TOKEN, { token: ACCOUNT_TOKEN, address, attribute, prefix: '', slashFree: true, kind: 'account' });
    }
    return ACCOUNT_TOKEN;
  }

  /** A marker string for a value not known at all. */
  hole(address: string, attribute: string, reason: string, shape = '*', source?: SourceRef): string {
    const id = this.holes.length;
    this.holes.push({ id, address, attribute, reason, shape, ...(source ? { source } : {}) });
    return `${HOLE}${id}`;
  }

  holeDocument(address: string, attribute: string, reason: string, source?: SourceRef): IacDocument {
    this.hole(address, attribute, reason, '*', source);
    return { hole: this.holes.length - 1 };
  }

  holeInfo(id: number): HoleInfo | undefined {
    return this.holes[id];
  }

  symbolInfo(token: string): SymbolInfo | undefined {
    return this.symbols.get(token);
  }

  allSymbols(): readonly SymbolInfo[] {
    return [...this.symbols.values()];
  }

  /** The holes a text mentions. */
  holesIn(text: string): HoleInfo[] {
    const ids = new Set([...text.matchAll(HOLE_RE)].map((m) => Number(m[1] ?? m[2])));
    for (const id of this.boundedFrom.get(text) ?? []) ids.add(id);
    return [...ids].map((id) => this.holes[id]).filter((h): h is HoleInfo => h !== undefined);
  }

  /** The symbols a text mentions. */
  symbolsIn(text: string): SymbolInfo[] {
    return [...this.symbols.values()].filter((s) => text.includes(s.token));
  }

  /** Symbols some string in `strings` can tell apart from other names of their shape. */
  discriminating(strings: readonly string[]): SymbolInfo[] {
    const out: SymbolInfo[] = [];
    for (const sym of this.symbols.values()) {
      if (!strings.some((s) => s.includes(sym.token))) continue;
      const foreign = strings.filter((s) => !s.includes(sym.token) && !s.includes(HOLE));
      if (foreign.some((s) => discriminates(sym, s))) out.push(sym);
    }
    return out;
  }

  /** The unknowns a text depends on (holes and symbols), for reports. */
  unknownsIn(text: string, reason: string): IacUnknown[] {
    return [
      ...this.holesIn(text).map((h) => ({ address: h.address, attribute: h.attribute, reason: h.reason, ...(h.source ? { source: h.source } : {}) })),
      ...this.symbolsIn(text).map((s) => ({ address: s.address, attribute: s.attribute, reason, ...(s.source ? { source: s.source } : {}) })),
    ];
  }

  /** Replaces tokens by a readable description (`<arn of aws_s3_bucket.b>`), for messages. */
  describe(text: string): string {
    let out = text;
    for (const s of this.symbols.values()) {
      if (s.kind === 'account') out = out.split(s.token).join('<account>');
      else out = out.split(s.token).join(`<${s.address}.${s.attribute}>`);
    }
    return out;
  }
}

function hasWild(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/**
 * Whether string `s` (a pattern or literal the policies hold) may match some
 * names of the symbol's shape and not others. Not discriminating: disjoint
 * from the shape (a literal character differs before any wildcard), covering
 * every name (`arn:aws:s3:::*`, `*`), covering every name's children alike
 * (`arn:aws:s3:::*​/…` when names have no `/`), or a literal without policy
 * variables — a generated physical name is fresh, so no literal names it.
 */
export function discriminates(sym: SymbolInfo, s: string): boolean {
  if (sym.kind === 'account') return /\d{12}/.test(s) || /\d[*?]/.test(s);
  if (!hasWild(s)) return s.includes('${');
  const p = sym.prefix;
  for (let i = 0; i < Math.min(s.length, p.length); i++) {
    const c = s[i]!;
    if (c === '*' || c === '?' || c === '$') break;
    if (c.toLowerCase() !== p[i]!.toLowerCase()) return false;
  }
  if (wildcardContains(s, `${p}*`, false)) return false;
  if (sym.slashFree && s.startsWith(p)) {
    // The name is the text up to the first `/`: a literal name is another resource's; `*` covers every name alike.
    const rest = s.slice(p.length);
    const slash = rest.indexOf('/');
    const name = slash < 0 ? rest : rest.slice(0, slash);
    if (!hasWild(name) && !name.includes('$')) return false;
    if (name === '*' && slash >= 0) return false;
  }
  return true;
}

export type Bound = 'upper' | 'lower';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function hasHole(v: Json | undefined): boolean {
  if (typeof v === 'string') return v.includes(HOLE);
  if (Array.isArray(v)) return v.some(hasHole);
  if (v !== null && typeof v === 'object') return Object.entries(v).some(([k, x]) => k.includes(HOLE) || hasHole(x));
  return false;
}

function widenList(v: Json, shape: (s: string) => string): Json {
  if (typeof v === 'string') return v.includes(HOLE) ? shape(v) : v;
  if (Array.isArray(v)) return [...new Set(v.map((x) => widenList(x, shape)))] as Json;
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, widenList(x, () => '*')]));
  return v;
}

/** A statement with every hole widened: it applies to at least every request any value makes it apply to. */
function widen(st: Record<string, Json>, table: SymbolTable): Record<string, Json> {
  const out: Record<string, Json> = { ...st };
  const shapeOf = (s: string): string => {
    const h = table.holesIn(s);
    return h.length === 1 && s === `${HOLE}${h[0]!.id}` ? h[0]!.shape : '*';
  };
  for (const [neg, pos] of [
    ['NotAction', 'Action'],
    ['NotResource', 'Resource'],
    ['NotPrincipal', 'Principal'],
  ] as const) {
    if (hasHole(out[neg])) {
      delete out[neg];
      out[pos] = '*';
    }
    if (hasHole(out[pos])) out[pos] = widenList(out[pos]!, pos === 'Resource' ? shapeOf : () => '*');
  }
  const cond = out['Condition'];
  if (hasHole(cond)) {
    if (cond === null || typeof cond !== 'object' || Array.isArray(cond) || typeof cond === 'string') delete out['Condition'];
    else {
      const kept: Record<string, Json> = {};
      for (const [op, clauses] of Object.entries(cond)) {
        if (op.includes(HOLE) || clauses === null || typeof clauses !== 'object' || Array.isArray(clauses)) continue;
        const keep = Object.fromEntries(Object.entries(clauses).filter(([k, v]) => !k.includes(HOLE) && !hasHole(v)));
        if (Object.keys(keep).length > 0) kept[op] = keep;
      }
      if (Object.keys(kept).length > 0) out['Condition'] = kept;
      else delete out['Condition'];
    }
  }
  if (typeof out['Sid'] === 'string' && out['Sid'].includes(HOLE)) delete out['Sid'];
  return out;
}

/**
 * The document with its holes bounded; undefined when no statement is left
 * (the document grants nothing). Text without holes is returned unchanged.
 */
export function materialize(text: string, bound: Bound, table: SymbolTable): string | undefined {
  if (!text.includes(HOLE)) return text;
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    return text;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return text;
  const raw = doc['Statement'];
  const list = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : [];
  const kept: Json[] = [];
  for (const st of list) {
    if (st === null || typeof st !== 'object' || Array.isArray(st) || !hasHole(st)) {
      kept.push(st);
      continue;
    }
    const effect = st['Effect'];
    const allow = typeof effect === 'string' && effect.includes(HOLE) ? bound === 'upper' : effect === 'Allow';
    const keep = bound === 'upper' ? allow : !allow;
    if (!keep) continue;
    kept.push(widen({ ...st, Effect: allow ? 'Allow' : 'Deny' }, table));
  }
  if (kept.length === 0) return undefined;
  const version = typeof doc['Version'] === 'string' && !doc['Version'].includes(HOLE) ? doc['Version'] : '2012-10-17';
  const out = JSON.stringify({ ...doc, Version: version, Statement: kept });
  table.recordBounded(
    out,
    table.holesIn(text).map((h) => h.id),
  );
  return out;
}

/** Allows everything; the Sid names the hole so that results can cite it. */
function allowAll(type: PolicyType, hole: number): string {
  const principal = type === 'trust' || type === 'resource' || type === 'rcp' ? { Principal: '*' } : {};
  const resource = type === 'trust' ? {} : { Resource: '*' };
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: `IamsimHole${hole}`, Effect: 'Allow', ...principal, Action: '*', ...resource }] });
}

/** A policy that allows nothing, for layers that must hold one (boundaries, SCPs, trust). */
export function denyAll(type: PolicyType): string {
  return type === 'trust'
    ? '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*"}]}'
    : type === 'resource' || type === 'rcp'
      ? '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}'
      : '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';
}

/** A document's text under a bound; undefined when it grants nothing. */
export function documentText(doc: IacDocument, type: PolicyType, bound: Bound, table: SymbolTable): string | undefined {
  if ('hole' in doc) {
    return bound === 'lower' ? undefined : allowAll(type, doc.hole);
  }
  return materialize(doc.text, bound, table);
}

/** Every string value in a JSON text (resources, principals, condition values), for `discriminating`. */
export function stringsOf(text: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  try {
    walk(JSON.parse(text));
  } catch {
    out.push(text);
  }
  return out;
}
