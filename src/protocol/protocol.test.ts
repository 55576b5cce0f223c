/** The model-driven Query parser, validator and serializers (src/protocol) on IAM's, STS's and Access Analyzer's models. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ACCESSANALYZER_MODEL } from './generated/accessanalyzer.js';
import { IAM_MODEL } from './generated/iam.js';
import { STS_MODEL } from './generated/sts.js';
import { jsonOutput, parseJsonInput } from './json.js';
import { parseQueryInput } from './query.js';
import { queryResponseXml } from './query-xml.js';
import { matchRestOperation, restOperations } from './rest-uri.js';
import { validateQueryInput, violations } from './validate.js';

const op = (name: string) => IAM_MODEL.operations[name]!;
const parse = (name: string, q: string): Record<string, unknown> => parseQueryInput(IAM_MODEL, op(name), new URLSearchParams(q));

test('Query input: members by shape, lists of structures, booleans and integers typed, unknown parameters ignored', () => {
  const input = parse(
    'CreateRole',
    'Action=CreateRole&RoleName=r&AssumeRolePolicyDocument=%7B%7D&MaxSessionDuration=7200&Tags.member.1.Key=a&Tags.member.1.Value=1&Tags.member.2.Key=b&Tags.member.2.Value=&Bogus=x',
  );
  assert.deepEqual(input, {
    RoleName: 'r',
    AssumeRolePolicyDocument: '{}',
    MaxSessionDuration: 7200,
    Tags: [
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '' },
    ],
  });
  assert.deepEqual(parse('CreatePolicyVersion', 'PolicyArn=arn&PolicyDocument=x&SetAsDefault=true'), {
    PolicyArn: 'arn',
    PolicyDocument: 'x',
    SetAsDefault: true,
  });
  assert.deepEqual(parse('UntagRole', 'RoleName=r&TagKeys='), { RoleName: 'r', TagKeys: [] }, 'Name= alone is an empty list (botocore sends it)');
  assert.throws(() => parse('CreatePolicyVersion', 'SetAsDefault=yes'), { code: 'ValidationError', message: /true or false/ });
  assert.throws(() => parse('ListRoles', 'MaxItems=1e3'), { code: 'ValidationError', message: /integer/ });
});

test('Query input: list indexes are bounded by the members sent (no gaps, no allocation by index)', () => {
  for (const index of ['0', '01', '-1', '1e3', '4294967295', 'x']) {
    assert.throws(() => parse('UntagRole', `RoleName=r&TagKeys.member.1=a&TagKeys.member.${index}=b`), { status: 400, code: 'ValidationError' }, index);
  }
  assert.deepEqual(parse('UntagRole', 'TagKeys.member.2=b&TagKeys.member.1=a'), { TagKeys: ['a', 'b'] }, 'order of the parameters does not matter');
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 5 }), { maxLength: 30 }), (keys) => {
      const q = new URLSearchParams();
      for (const [i, k] of keys.entries()) q.append(`TagKeys.member.${i + 1}`, k);
      assert.deepEqual(parseQueryInput(IAM_MODEL, op('UntagRole'), q)['TagKeys'], keys.length === 0 ? undefined : keys);
    }),
  );
});

test("validation: AWS's messages, every violation listed in model order, paths as AWS writes them", () => {
  assert.deepEqual(violations(IAM_MODEL, 'CreateRoleRequest', { RoleName: 'has space', Tags: [{ Key: 'k' }] }), [
    "Value 'has space' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    "Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null",
    "Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null",
  ]);
  assert.throws(() => validateQueryInput(IAM_MODEL, 'ListPoliciesRequest', { Scope: 'Mine', MaxItems: 0 }), {
    status: 400,
    code: 'ValidationError',
    message:
      "2 validation errors detected: Value 'Mine' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]; Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
  });
  assert.match(
    violations(IAM_MODEL, 'TagRoleRequest', { RoleName: 'r', Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: '' })) })[0]!,
    /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50/,
  );
  assert.deepEqual(violations(IAM_MODEL, 'CreateRoleRequest', { RoleName: 'ok', AssumeRolePolicyDocument: '{}' }), []);
  // Sensitive values are never echoed.
  const v = violations(IAM_MODEL, 'CreateLoginProfileRequest', { UserName: 'u', Password: '' });
  assert.ok(v.length > 0 && v.every((m) => !m.includes("Value ''")), v.join('\n'));
});

test('Query XML: result wrapper, model order, empty lists, maps, timestamps, unknown members dropped, escaping', () => {
  const xml = queryResponseXml(
    IAM_MODEL,
    op('GetRole'),
    { Role: { Arn: 'arn:aws:iam::1:role/r', RoleName: 'r<&>', Path: '/', RoleId: 'AROA', CreateDate: '2026-01-02T03:04:05.000Z', Tags: [], Extra: 'x' } },
    'req-1',
  );
  assert.equal(
    xml,
    '<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\n  <GetRoleResult>\n    <Role>\n      <Path>/</Path>\n      <RoleName>r&lt;&amp;&gt;</RoleName>\n      <RoleId>AROA</RoleId>\n      <Arn>arn:aws:iam::1:role/r</Arn>\n      <CreateDate>2026-01-02T03:04:05Z</CreateDate>\n      <Tags/>\n    </Role>\n  </GetRoleResult>\n  <ResponseMetadata>\n    <RequestId>req-1</RequestId>\n  </ResponseMetadata>\n</GetRoleResponse>\n',
  );
  const sim = queryResponseXml(
    IAM_MODEL,
    op('SimulateCustomPolicy'),
    { EvaluationResults: [{ EvalActionName: 's3:GetObject', EvalDecision: 'allowed', EvalDecisionDetails: { a: 'allowed' } }], IsTruncated: false },
    'r',
  );
  assert.match(sim, /<EvalDecisionDetails>\s*<entry>\s*<key>a<\/key>\s*<value>allowed<\/value>\s*<\/entry>\s*<\/EvalDecisionDetails>/);
  const none = queryResponseXml(IAM_MODEL, op('DeleteRole'), undefined, 'r');
  assert.doesNotMatch(none, /Result/);
  const sts = queryResponseXml(STS_MODEL, STS_MODEL.operations['GetCallerIdentity']!, { Account: '1' }, 'r');
  assert.match(
    sts,
    /^<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">\n {2}<GetCallerIdentityResult>\n {4}<Account>1<\/Account>/,
  );
});

test("JSON input (Access Analyzer): types checked, query-string members read, constraints as AWS's ValidationException", () => {
  const vp = ACCESSANALYZER_MODEL.operations['ValidatePolicy']!;
  assert.deepEqual(
    parseJsonInput(ACCESSANALYZER_MODEL, vp, { policyDocument: '{}', policyType: 'IDENTITY_POLICY' }, new URLSearchParams('maxResults=5&nextToken=a')),
    {
      policyDocument: '{}',
      policyType: 'IDENTITY_POLICY',
      maxResults: 5,
      nextToken: 'a',
    },
  );
  assert.throws(() => parseJsonInput(ACCESSANALYZER_MODEL, vp, { policyDocument: 1, policyType: 'IDENTITY_POLICY' }), { code: 'ValidationException' });
  assert.throws(
    () => parseJsonInput(ACCESSANALYZER_MODEL, vp, { policyDocument: '{}', policyType: 'NOPE' }),
    (e: { code: string; extra: { reason: string; fieldList: { name: string }[] } }) =>
      e.code === 'ValidationException' && e.extra.reason === 'fieldValidationFailed' && e.extra.fieldList[0]!.name === 'policyType',
  );
  assert.throws(() => parseJsonInput(ACCESSANALYZER_MODEL, vp, { policyType: 'IDENTITY_POLICY' }), /policyDocument/);
  assert.deepEqual(jsonOutput(ACCESSANALYZER_MODEL, vp, { findings: [], bogus: 1 }), { findings: [] });
});

test('REST routing from the model: every Access Analyzer operation is matched by its own method and URI template', () => {
  const ops = restOperations(ACCESSANALYZER_MODEL);
  assert.equal(ops.length, Object.keys(ACCESSANALYZER_MODEL.operations).length);
  for (const op of ops) {
    const path = op.uri.replace(/\{\w+\+?\}/g, 'x1');
    assert.equal(matchRestOperation(ops, op.method, path)?.name, op.name, `${op.method} ${path}`);
  }
  assert.equal(matchRestOperation(ops, 'POST', '/analyzer/findings/statistics')?.name, 'GetFindingsStatistics');
  assert.equal(matchRestOperation(ops, 'GET', '/analyzer/a/archive-rule/r')?.name, 'GetArchiveRule');
  assert.equal(matchRestOperation(ops, 'GET', '/analyzer/a/b/c'), undefined, 'a label is one path segment');
  assert.equal(matchRestOperation(ops, 'PATCH', '/analyzer'), undefined);
});

test('query XML: a member the output shape lacks is left out, or refused with strict (at any depth)', () => {
  const op = IAM_MODEL.operations['GetUser']!;
  const user = { Path: '/', UserName: 'u', UserId: 'AIDAAAAAAAAAAAAAAAAAA', Arn: 'arn:aws:iam::111122223333:user/u', CreateDate: '2026-01-01T00:00:00Z' };
  assert.doesNotMatch(queryResponseXml(IAM_MODEL, op, { User: { ...user, Usrname: 'x' } }, 'r'), /Usrname/);
  assert.throws(() => queryResponseXml(IAM_MODEL, op, { User: { ...user, Usrname: 'x' } }, 'r', { strict: true }), /User has no member Usrname/);
  assert.throws(() => queryResponseXml(IAM_MODEL, op, { User: user, Extra: 1 }, 'r', { strict: true }), /GetUserResponse has no member Extra/);
  assert.match(queryResponseXml(IAM_MODEL, op, { User: user }, 'r', { strict: true }), /<UserName>u<\/UserName>/);
});
