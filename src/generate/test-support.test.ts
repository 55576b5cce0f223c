/** Shared helpers for the generate tests (a `.test.ts` file so it stays out of the library). */
import { test } from 'node:test';
import { isAcceptedWarning } from '../../test/support/accepted-warnings.js';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PolicyType } from '../policy/model.js';
import { parsePolicy } from '../policy/parse.js';
import { compilePolicy } from '../eval/compile.js';
import { evaluate } from '../eval/evaluate.js';
import { makeContext, type ContextKeyType } from '../eval/request.js';
import type { EvalDecision } from '../eval/types.js';
import type { PolicyDocument } from './policy-doc.js';
import { lintPolicy } from '../analyze/lint.js';

/** examples/generate/ in the repository (tests run from dist/src/generate/). */
export const EXAMPLES = fileURLToPath(new URL('../../../examples/generate/', import.meta.url));
/** examples/policies/ (the seed policies). */
export const SEED_POLICIES = fileURLToPath(new URL('../../../examples/policies/', import.meta.url));

export function readExample(name: string): string {
  return readFileSync(EXAMPLES + name, 'utf8');
}

/** Parses a generated document and fails the test on any diagnostic at all. */
export function parseClean(doc: PolicyDocument | string, type: PolicyType = 'identity', name = 'generated') {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2);
  const { policy, diagnostics } = parsePolicy(text, { type, name });
  assert.deepEqual(
    diagnostics.map((d) => `${d.code}: ${d.message}`),
    [],
    `${name} must parse without diagnostics`,
  );
  assert.ok(policy);
  return policy;
}

export interface Ctx {
  readonly key: string;
  readonly values: readonly string[];
  readonly type?: ContextKeyType;
}

export const CALLER = 'arn:aws:iam::111122223333:role/caller';

/** Identity-policy decision for one request against the given documents (all attached to one principal). */
export function decide(
  docs: readonly (PolicyDocument | string)[],
  action: string,
  resource: string,
  context: readonly Ctx[] = [],
  principal = CALLER,
): EvalDecision {
  const compiled = docs.map((d, i) => compilePolicy(parseClean(d, 'identity', `p${i + 1}`), `PolicyInputList.${i + 1}`));
  const ctx = makeContext(context.map((c) => ({ key: c.key, type: c.type ?? (c.values.length > 1 ? 'stringList' : 'string'), values: c.values })));
  return evaluate({ identity: compiled }, { principal, action, resource, context: ctx }).decision;
}

/** Request tags as AWS puts them in the request context: aws:RequestTag/KEY and aws:TagKeys. */
export function requestTags(tags: Readonly<Record<string, string>>): Ctx[] {
  const keys = Object.keys(tags);
  return [
    ...keys.map((k) => ({ key: `aws:RequestTag/${k}`, values: [tags[k] as string] })),
    ...(keys.length > 0 ? [{ key: 'aws:TagKeys', values: keys, type: 'stringList' as const }] : []),
  ];
}

/** Lints with src/analyze when it is present; returns ERROR and SECURITY_WARNING findings, or undefined without a linter. */
export function severeFindings(text: string, type: PolicyType, file: string): string[] {
  return lintPolicy(text, { type, file })
    .filter((f) => f.findingType === 'ERROR' || f.findingType === 'SECURITY_WARNING')
    .map((f) => `${f.findingType} ${f.issueCode}: ${f.message}`)
    .filter((line) => !isAcceptedWarning(line));
}

test('examples directory resolves', () => {
  assert.ok(existsSync(`${EXAMPLES}training-job.yaml`), EXAMPLES);
});
