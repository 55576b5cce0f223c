/**
 * No module-level mutable state in src/: what iamsim keeps between calls
 * belongs to an object (the engine, engine/iamsim.ts; a server; a reader), so
 * two engines in one process share nothing. Every source file is parsed (swc)
 * and its top level searched for:
 * - `let` and `var` declarations;
 * - a `const` holding an empty container to be filled later (`new Map()`,
 *   `new Set()`, `new WeakMap()`, `new WeakSet()`, `[]`, `{}`) or an instance
 *   of a cache or of the reasoner (`new …Cache(…)`, `new Reasoner()`);
 * - `static` class fields that are not `readonly`.
 * Constant tables (a `Set` or `Map` built from literal data, frozen objects)
 * are fine, and so are empty sentinels typed read-only (`readonly T[]`,
 * `ReadonlyMap`, `ReadonlySet`, `Readonly<…>`, `never[]`), or through a
 * read-only alias listed in CONSTANTS. So are constants built on first use
 * through primitives/lazy.ts (`lazy`, `lazyTable`): values derived only from
 * immutable inputs (the package's files, the runtime's Unicode data), made at
 * most once and never changed, over a finite domain (the catalog's services,
 * formats, keys) — see that module — and values `derived` from one object,
 * made once per object and held only while it lives. A cache of answers to callers' input is
 * not such a constant: it belongs to an object. KNOWN lists what is left to move into an object, exactly: the test
 * also fails when an entry is gone, so the list only shrinks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from '@swc/core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');

/** Module state not yet moved into an object (file: names). Remove entries as they move; never add one. */
const KNOWN: Readonly<Record<string, readonly string[]>> = {};

/** Empty sentinels whose declared type is a read-only alias the scanner cannot see through (file: names). */
const CONSTANTS: Readonly<Record<string, readonly string[]>> = {
  'src/eval/match/arn.ts': ['NO_CONTEXT'], // RequestContextMap = ReadonlyMap
  'src/eval/match/resource.ts': ['NO_CONTEXT'], // RequestContextMap = ReadonlyMap
  'src/audit/share.ts': ['EMPTY'], // RequestContext['context'] = RequestContextMap
  'src/policy/parse.ts': ['ROOT'], // JsonPath = readonly (string | number)[]
  'src/reason/problem.ts': ['NO_CONTEXT_MAP'], // RequestContextMap = ReadonlyMap
};

const CONTAINERS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet']);
const STATEFUL_CLASS = /Cache$|^Reasoner$|^Confirmer$/;

type Node = { type: string; [k: string]: unknown };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** A declared type that cannot be written through. */
function readonlyType(t: Node | undefined): boolean {
  if (t === undefined) return false;
  if (t.type === 'TsTypeOperator') return t['op'] === 'readonly';
  if (t.type === 'TsTypeReference') return /^Readonly/.test(((t['typeName'] as Node)['value'] as string | undefined) ?? '');
  if (t.type === 'TsArrayType') return (t['elemType'] as Node).type === 'TsKeywordType' && (t['elemType'] as Node)['kind'] === 'never';
  return false;
}

/** Why an initial value is mutable state, or undefined for a constant. */
function mutableInit(init: Node | undefined, declared: Node | undefined): string | undefined {
  if (init === undefined) return undefined;
  if (readonlyType(declared)) return undefined;
  const inner = init.type === 'TsAsExpression' || init.type === 'TsSatisfiesExpression' ? (init['expression'] as Node) : init;
  if (inner.type === 'ArrayExpression' && (inner['elements'] as unknown[]).length === 0) return 'an empty array';
  if (inner.type === 'ObjectExpression' && (inner['properties'] as unknown[]).length === 0) return 'an empty object';
  if (inner.type === 'NewExpression') {
    const callee = inner['callee'] as Node;
    const name = callee.type === 'Identifier' ? (callee['value'] as string) : '';
    const args = (inner['arguments'] as unknown[] | undefined) ?? [];
    if (CONTAINERS.has(name) && args.length === 0) return `an empty ${name}`;
    if (STATEFUL_CLASS.test(name)) return `a ${name}`;
  }
  return undefined;
}

/** The module-level mutable state of a module's text: `name (why)`. */
function moduleState(text: string): string[] {
  const mod = parseSync(text, { syntax: 'typescript', target: 'es2022' }) as unknown as { body: Node[] };
  const found: string[] = [];
  for (const item of mod.body) {
    const decl = item.type === 'ExportDeclaration' ? (item['declaration'] as Node) : item;
    if (decl.type === 'VariableDeclaration') {
      for (const d of decl['declarations'] as Node[]) {
        const id = d['id'] as Node;
        const name = id.type === 'Identifier' ? (id['value'] as string) : '(pattern)';
        if (decl['kind'] !== 'const') found.push(`${name} (${decl['kind'] as string})`);
        else {
          const declared = (id['typeAnnotation'] as Node | undefined)?.['typeAnnotation'] as Node | undefined;
          const why = mutableInit(d['init'] as Node | undefined, declared);
          if (why !== undefined) found.push(`${name} (${why})`);
        }
      }
    } else if (decl.type === 'ClassDeclaration') {
      const cls = (decl['identifier'] as Node | undefined)?.['value'] as string | undefined;
      for (const m of decl['body'] as Node[]) {
        if ((m.type === 'ClassProperty' || m.type === 'PrivateProperty') && m['isStatic'] === true && m['readonly'] !== true) {
          const key = m['key'] as Node;
          found.push(
            `${cls ?? '(class)'}.${(key['value'] as string | undefined) ?? ((key['id'] as Node | undefined)?.['value'] as string)} (static, not readonly)`,
          );
        }
      }
    }
  }
  return found;
}

function scan(): Map<string, string[]> {
  const all = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const key = relative(ROOT, file).replaceAll('\\', '/');
    const constants = new Set(CONSTANTS[key] ?? []);
    const found = moduleState(readFileSync(file, 'utf8')).filter((n) => !constants.has(n.slice(0, n.indexOf(' '))));
    if (found.length > 0) all.set(key, found);
  }
  return all;
}

test('the scanner finds each kind of module state and passes constants', () => {
  const probe = moduleState;
  assert.deepEqual(probe('let n = 0;'), ['n (let)']);
  assert.deepEqual(probe('export var v;'), ['v (var)']);
  assert.deepEqual(probe('const m = new Map<string, number>();'), ['m (an empty Map)']);
  assert.deepEqual(probe('const w = new WeakMap();'), ['w (an empty WeakMap)']);
  assert.deepEqual(probe('export const list: string[] = [];'), ['list (an empty array)']);
  assert.deepEqual(probe('const o = {} as Record<string, number>;'), ['o (an empty object)']);
  assert.deepEqual(probe('const c = new PolicyTextCache(32, 8192);'), ['c (a PolicyTextCache)']);
  assert.deepEqual(probe('class K { static hits = 0; static readonly MAX = 3; }'), ['K.hits (static, not readonly)']);
  assert.deepEqual(probe('const e: readonly string[] = []; const m: ReadonlyMap<string, number> = new Map(); const z: never[] = [];'), []);
  assert.deepEqual(probe('const scratch: string[] = [];'), ['scratch (an empty array)']);
  assert.deepEqual(probe("const S = new Set(['a', 'b']); const N = 4; export const T = Object.freeze({ a: 1 }); function f() { let x = 1; return x; }"), []);
});

test('no module-level mutable state in src/ beyond the known list, and every known entry still exists', () => {
  const found = scan();
  const unexpected: string[] = [];
  for (const [file, names] of found) {
    const known = new Set(KNOWN[file] ?? []);
    for (const n of names) if (!known.has(n)) unexpected.push(`${file}: ${n}`);
  }
  assert.deepEqual(unexpected, [], 'module-level mutable state: keep it in an object (see docs/development.md, "Architecture")');
  const gone: string[] = [];
  for (const [file, names] of Object.entries(KNOWN)) for (const n of names) if (!(found.get(file) ?? []).includes(n)) gone.push(`${file}: ${n}`);
  assert.deepEqual(gone, [], 'moved out of module state: delete these entries from KNOWN');
});
