import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getAction, resourceTypesForAction } from '../catalog/catalog.js';
import { Catalog } from '../catalog/catalog-object.js';
import { CREDENTIAL_ACTIONS, SHARING_ACTIONS, isResourceExposureAction, isUnrestrictedFor } from './exposure.js';
import { lintPolicy } from './lint.js';

test('every listed credentials and sharing action is an action of the catalog, in canonical spelling', () => {
  for (const a of [...CREDENTIAL_ACTIONS, ...SHARING_ACTIONS]) {
    const info = getAction(a);
    assert.ok(info, `${a} is not in the catalog`);
    assert.equal(`${info.service}:${info.name}`.toLowerCase(), a.toLowerCase());
  }
});

test('resource exposure follows the catalog access level', () => {
  assert.ok(isResourceExposureAction('s3:PutBucketPolicy'));
  assert.ok(isResourceExposureAction('lambda:AddPermission'));
  assert.ok(isResourceExposureAction('ram:CreateResourceShare'));
  assert.ok(!isResourceExposureAction('s3:GetObject'));
});

test('every resource: "*", or a resource type format with all names wildcarded', () => {
  assert.ok(isUnrestrictedFor('iam:CreateAccessKey', 'arn:aws:iam::111122223333:user/*', new Catalog()));
  assert.ok(isUnrestrictedFor('s3:PutObjectAcl', 'arn:aws:s3:::*/*', new Catalog()));
  assert.ok(!isUnrestrictedFor('s3:PutObjectAcl', 'arn:aws:s3:::bucket/*', new Catalog()));
  assert.ok(!isUnrestrictedFor('iam:CreateAccessKey', 'arn:aws:iam::111122223333:user/${aws:username}', new Catalog()));
});

const codes = (doc: unknown): string[] => lintPolicy(JSON.stringify(doc), { type: 'identity' }).map((f) => f.issueCode);

test('property: a listed credentials action on "*" is reported unless a condition or an unconditional Deny covers it, or it supports only "*"', () => {
  fc.assert(
    fc.property(fc.constantFrom(...CREDENTIAL_ACTIONS), fc.boolean(), fc.boolean(), (action, conditioned, denied) => {
      const scopable = resourceTypesForAction(action).length > 0;
      const allow = { Effect: 'Allow', Action: action, Resource: '*', ...(conditioned ? { Condition: { Bool: { 'aws:SecureTransport': 'true' } } } : {}) };
      const statements = denied ? [allow, { Effect: 'Deny', Action: action, Resource: '*' }] : [allow];
      const reported = codes({ Version: '2012-10-17', Statement: statements }).includes('CREDENTIALS_EXPOSURE');
      assert.equal(reported, scopable && !conditioned && !denied, `${action} conditioned=${conditioned} denied=${denied} scopable=${scopable}`);
    }),
  );
});

test('an action that supports only "Resource": "*" is never asked to be scoped, in any category', () => {
  // ecr:GetAuthorizationToken (credentials), secretsmanager:BatchGetSecretValue (data), ram:CreateResourceShare (sharing):
  // the Service Authorization Reference lists no resource type for them.
  for (const action of ['ecr:GetAuthorizationToken', 'secretsmanager:BatchGetSecretValue', 'ram:CreateResourceShare']) {
    assert.equal(resourceTypesForAction(action).length, 0, action);
    assert.deepEqual(codes({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] }), [], action);
  }
  // A look-alike that does support a resource type keeps its warning: ecr:SetRepositoryPolicy on "*".
  assert.deepEqual(codes({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:SetRepositoryPolicy', Resource: '*' }] }), ['RESOURCE_EXPOSURE']);
});
