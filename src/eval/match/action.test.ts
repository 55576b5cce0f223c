import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileActionPattern } from './action.js';

// reference_policies_elements_action.md: prefix and action are case-insensitive.
test('actions match case-insensitively with wildcards', () => {
  assert.equal(compileActionPattern('iam:ListAccessKeys')('iam:listaccesskeys'), true);
  assert.equal(compileActionPattern('IAM:listaccesskeys')('iam:listaccesskeys'), true);
  assert.equal(compileActionPattern('s3:*')('s3:getobject'), true);
  assert.equal(compileActionPattern('s3:*')('s3express:createsession'), false);
  assert.equal(compileActionPattern('iam:*AccessKey*')('iam:createaccesskey'), true);
  assert.equal(compileActionPattern('iam:*AccessKey*')('iam:updateaccesskey'), true);
  assert.equal(compileActionPattern('iam:*AccessKey*')('iam:listusers'), false);
  assert.equal(compileActionPattern('*')('sagemaker:createnotebookinstance'), true);
  assert.equal(compileActionPattern('ec2:Describe?pcs')('ec2:describevpcs'), true);
  assert.equal(compileActionPattern('s3:Get*')('s3:putobject'), false);
});
