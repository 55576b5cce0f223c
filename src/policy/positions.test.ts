/**
 * Properties of the parser's lazy positions (source.ts) and of its two roads
 * to a plain value (JSON.parse for strict JSON, jsonc-parser's tree for
 * documentation-style JSON): every span points at the text of what it
 * describes, and both roads give the same model and the same diagnostics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { positionAt } from '../diagnostics/position.js';
import type { Policy, Statement, ValueList } from './model.js';
import { parsePolicy } from './parse.js';
import { chooser, type Json, jsoncText, layoutArb, policyArb, strictText } from './test-policies.test.js';

const slice = (text: string, span: Span): string => text.slice(span.start.offset, span.end.offset);

/** The value a span's text denotes (comments allowed, as in documentation-style text). */
function denoted(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  assert.deepEqual(errors, [], `not exactly one JSON value: ${text}`);
  return value;
}

function assertConsistent(text: string, span: Span, what: string): void {
  for (const p of [span.start, span.end]) {
    const { offset, ...lineColumn } = p;
    assert.deepEqual(lineColumn, (({ offset: _o, ...rest }) => rest)(positionAt(text, offset)), `${what}: line/column of offset ${offset}`);
  }
}

function statementValues(doc: { [key: string]: Json }): Json[] {
  const s = doc['Statement'];
  return Array.isArray(s) ? s : [s as Json];
}

/** Each value of a list element sits at its span; the element's span is its whole property. */
function checkList(text: string, list: ValueList, name: string, element: Json): void {
  assert.deepEqual(denoted(`{${slice(text, list.span)}}`), { [name]: element }, `${name} element span`);
  list.values.forEach((v, i) => {
    const span = list.spans[i];
    assert.ok(span);
    assert.equal(denoted(slice(text, span)), v, `${name}[${i}] span`);
    assertConsistent(text, span, `${name}[${i}]`);
  });
}

function checkStatement(text: string, s: Statement, value: Json): void {
  assert.deepEqual(denoted(slice(text, s.span)), value, `statement ${s.index} span`);
  assertConsistent(text, s.span, `statement ${s.index}`);
  const object = value as { [key: string]: Json };
  for (const name of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    const list = s[name === 'Action' ? 'action' : name === 'NotAction' ? 'notAction' : name === 'Resource' ? 'resource' : 'notResource'];
    if (list) checkList(text, list, name, object[name] as Json);
  }
  for (const c of s.conditions) {
    const block = (object['Condition'] as { [op: string]: { [key: string]: Json } })[c.operator];
    assert.deepEqual(denoted(`{${slice(text, c.span)}}`), { [c.key]: block?.[c.key] }, `condition ${c.operator} ${c.key}`);
  }
  const principal = s.principal;
  if (principal) assert.deepEqual(denoted(`{${slice(text, principal.span)}}`), { Principal: object['Principal'] });
}

function checkPolicy(text: string, policy: Policy | undefined, doc: { [key: string]: Json }, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    assert.ok(d.span, `${d.code} has a span`);
    assertConsistent(text, d.span, d.code);
    assert.deepEqual([d.line, d.column], [d.span.start.line, d.span.start.column]);
  }
  if (!policy) return;
  assert.deepEqual(denoted(slice(text, policy.span)), doc);
  const values = statementValues(doc);
  for (const s of policy.statements) checkStatement(text, s, values[s.index] as Json);
}

/** The document as JSON text denotes it (-0 is written 0). */
const asRead = (doc: { [key: string]: Json }): { [key: string]: Json } => JSON.parse(JSON.stringify(doc)) as { [key: string]: Json };

/** The model without positions: what a decision depends on. */
function shape(policy: Policy | undefined): unknown {
  return JSON.parse(JSON.stringify(policy ?? null, (key, v: unknown) => (key === 'span' || key === 'spans' ? undefined : v)));
}

/** Diagnostics without positions and without the lenient road's own warnings. */
function codes(diagnostics: readonly Diagnostic[]): unknown[] {
  return diagnostics.filter((d) => !d.code.startsWith('LENIENT_')).map((d) => [d.code, d.severity, d.message, d.path]);
}

test('every span of a strict policy points at the text of the value it describes (property)', () => {
  fc.assert(
    fc.property(policyArb, layoutArb, (generated, layout) => {
      const doc = asRead(generated);
      const text = strictText(doc, layout);
      const { policy, diagnostics } = parsePolicy(text, { type: 'identity' });
      checkPolicy(text, policy, doc, diagnostics);
    }),
    { numRuns: 300 },
  );
});

test('strict and documentation-style texts of one policy: same model, same diagnostics, spans on the same values (property)', () => {
  fc.assert(
    fc.property(policyArb, layoutArb, fc.integer(), (generated, layout, seed) => {
      const doc = asRead(generated);
      const strict = parsePolicy(strictText(doc, layout), { type: 'identity' });
      const text = jsoncText(doc, chooser(seed));
      const lenient = parsePolicy(text, { type: 'identity', lenient: true });
      assert.deepEqual(shape(lenient.policy), shape(strict.policy));
      assert.deepEqual(codes(lenient.diagnostics), codes(strict.diagnostics));
      checkPolicy(text, lenient.policy, doc, lenient.diagnostics);
    }),
    { numRuns: 200 },
  );
});

test('the same policy as any other policy type: positions still point at the values (property)', () => {
  fc.assert(
    fc.property(policyArb, fc.constantFrom('resource', 'trust', 'scp', 'rcp', 'vpc-endpoint') as fc.Arbitrary<'resource'>, (generated, type) => {
      const doc = asRead(generated);
      const text = JSON.stringify(doc, null, 2);
      const { policy, diagnostics } = parsePolicy(text, { type });
      checkPolicy(text, policy, doc, diagnostics);
    }),
    { numRuns: 100 },
  );
});
