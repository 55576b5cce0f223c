/**
 * Lints every policy of the seed documents (as extracted to
 * examples/policies/) and asserts exactly the findings judged real:
 *
 * - MLSpace notebook policy (seed 004), as published (.jsonc): comments and
 *   trailing commas; statement 8 requires aws:RequestTag/* for Describe/
 *   Delete/Invoke/Stop actions, which never carry request tags; the two
 *   "deny untagged" statements AND their Null checks; the last statement
 *   grants bedrock:* on a sagemaker ARN (never matches), only when the tags
 *   are absent, and lists bedrock:Retrieve* twice. Its two CreateEndpoint
 *   statements (endpoint/* and endpoint-config/*) are correct.
 * - Seed 003: fsx:DescribeFileSystem does not exist (DescribeFileSystems);
 *   ECR ARNs without Region/account (arn:aws:ecr:::repository/…) match no
 *   repository; duplicated resources in the model policy; iam:PassRole on
 *   every role (to SageMaker) with sagemaker:* is a privilege-escalation path.
 * - Seeds 000/001: PassRole on arn:aws:iam::*:role/* limited by
 *   iam:PassedToService is not a PassRole finding, but with
 *   sagemaker:CreateTrainingJob it lets the job run as any SageMaker role;
 *   the S3DriverAccess statement is covered by the last statement; the KMS
 *   template's "your_KMS_key_ARN" placeholder is not an ARN.
 * - Seed 002: s3:GetBucketLocation on an object ARN pattern never matches a
 *   bucket; the trust policy has an empty Sid.
 * - ecr:GetAuthorizationToken (a registry password) on "*" is no finding: the
 *   action supports only "Resource": "*"; ecr:SetRepositoryPolicy,
 *   kms:CreateGrant and ec2:*NetworkInterfacePermission on "*" without a
 *   condition get RESOURCE_EXPOSURE (access level "Permissions management").
 * - s3:GetObject on "*" (the broad seeds, the notebook job policies) and
 *   sagemaker:* on "*" (it includes sagemaker:GetRecord, a feature-store
 *   record) get DATA_EXFILTRATION (src/catalog/risk-categories.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { PolicyType } from '../policy/model.js';
import { lintPolicy } from './lint.js';

const dir = new URL('../../../examples/policies/', import.meta.url);

/** [file, policy type, findings as CODE@line:column in document order]. */
const EXPECTED: readonly (readonly [string, PolicyType, readonly string[]])[] = [
  [
    'create-notebook-instance-broad.json',
    'identity',
    ['DATA_EXFILTRATION@7:17', 'PRIVILEGE_ESCALATION@7:17', 'RESOURCE_EXPOSURE@12:17', 'INVALID_ACTION@44:17'],
  ],
  [
    'create-notebook-instance-scoped.json',
    'identity',
    [
      'DATA_EXFILTRATION@7:17',
      'PRIVILEGE_ESCALATION@7:17',

      'MISSING_ARN_REGION@61:17',
      'MISSING_ARN_REGION@62:17',
      'MISSING_ARN_REGION@63:17',
    ],
  ],
  ['hpo-job-broad.json', 'identity', ['DATA_EXFILTRATION@12:17']],
  ['hpo-job-scoped.json', 'identity', ['MISSING_ARN_REGION@43:25']],
  ['iot-container-execution-trust.json', 'trust', ['EMPTY_SID_VALUE@5:20']],
  ['iot-container-execution.json', 'identity', ['ACTION_RESOURCE_MISMATCH@7:17']],
  ['iot-notebook-containerize.json', 'identity', []],
  ['kms-key-policy-default.json', 'resource', []],
  ['kms-key-policy-grants-notebook-role.json', 'resource', []],
  ['kms-key-policy-no-iam-delegation.json', 'resource', []],
  [
    'mlspace-notebook-policy.json',
    'identity',
    [
      'RESOURCE_EXPOSURE@17:17',
      'UNSUPPORTED_ACTION_FOR_CONDITION_KEY@138:17',
      'TAG_ENFORCEMENT_DENY_AND@194:13',
      'TAG_ENFORCEMENT_DENY_AND@211:13',
      'ALLOW_ONLY_WHEN_TAGS_ABSENT@233:13',
      'REDUNDANT_ACTION@259:17',
      'STATEMENT_NEVER_MATCHES@261:13',
    ],
  ],
  [
    'mlspace-notebook-policy.jsonc',
    'identity',
    [
      'RESOURCE_EXPOSURE@17:13',
      'JSON_SYNTAX_ERROR@40:5',
      'UNSUPPORTED_ACTION_FOR_CONDITION_KEY@162:13',
      'TAG_ENFORCEMENT_DENY_AND@218:9',
      'TAG_ENFORCEMENT_DENY_AND@233:9',
      'ALLOW_ONLY_WHEN_TAGS_ABSENT@256:9',
      'REDUNDANT_ACTION@285:13',
      'STATEMENT_NEVER_MATCHES@287:9',
    ],
  ],
  ['model-broad.json', 'identity', ['DATA_EXFILTRATION@12:17']],
  ['model-scoped.json', 'identity', ['REDUNDANT_RESOURCE@23:17', 'MISSING_ARN_REGION@34:17', 'MISSING_ARN_REGION@35:17', 'REDUNDANT_RESOURCE@35:17']],
  ['notebook-job-kms-template.json', 'identity', ['INVALID_ARN_PREFIX@14:25']],
  ['notebook-job-kms.json', 'identity', []],
  [
    'notebook-job-permissions-v2.json',
    'identity',
    [
      'REDUNDANT_STATEMENT@45:9',
      'RESOURCE_EXPOSURE@83:17',

      'DATA_EXFILTRATION@103:17',
      'PRIVILEGE_ESCALATION@111:17',
      'PRIVILEGE_ESCALATION@115:17',
    ],
  ],
  [
    'notebook-job-permissions.json',
    'identity',
    ['RESOURCE_EXPOSURE@71:17', 'DATA_EXFILTRATION@91:17', 'PRIVILEGE_ESCALATION@98:17', 'PRIVILEGE_ESCALATION@102:17'],
  ],
  ['notebook-job-trust.json', 'trust', []],
  ['processing-job-broad.json', 'identity', ['DATA_EXFILTRATION@12:17']],
  ['processing-job-scoped.json', 'identity', ['MISSING_ARN_REGION@43:25']],
  ['rcp-full-access.json', 'rcp', []],
  ['s3-vpce-headless-endpoint-policy.json', 'vpc-endpoint', []],
  ['sagemaker-execution-trust.json', 'trust', []],
  ['sagemaker-job-kms-creategrant.json', 'identity', ['RESOURCE_EXPOSURE@7:17']],
  ['sagemaker-job-kms-decrypt.json', 'identity', []],
  ['sagemaker-job-kms-encrypt.json', 'identity', []],
  ['sagemaker-job-vpc.json', 'identity', ['RESOURCE_EXPOSURE@8:17']],
  ['scp-deny-regions.json', 'scp', []],
  ['scp-full-access.json', 'scp', []],
  ['training-job-broad.json', 'identity', ['DATA_EXFILTRATION@12:17']],
  ['training-job-scoped.json', 'identity', ['MISSING_ARN_REGION@43:25']],
];

for (const [file, type, expected] of EXPECTED) {
  test(`seed policy ${file} (${type})`, () => {
    const findings = lintPolicy(readFileSync(new URL(file, dir), 'utf8'), { type, file });
    const got = findings.map((f) => `${f.issueCode}@${f.span.start.line}:${f.span.start.column}`);
    assert.deepEqual(got, expected, findings.map((f) => `${f.span.start.line}:${f.span.start.column} ${f.issueCode} ${f.message}`).join('\n'));
  });
}

test('every seed policy file has expectations, and every expectation a file', () => {
  const present = readdirSync(dir)
    .filter((f) => /\.jsonc?$/.test(f))
    .sort();
  assert.deepEqual(present, EXPECTED.map(([f]) => f).sort(), 'examples/policies and EXPECTED must list the same files');
});

test('the MLSpace policy with --lenient: the JSON finding becomes a suggestion, the rest is unchanged', () => {
  const text = readFileSync(new URL('mlspace-notebook-policy.jsonc', dir), 'utf8');
  const strict = lintPolicy(text, { type: 'identity' }).map((f) => f.issueCode);
  const lenient = lintPolicy(text, { type: 'identity', lenient: true }).map((f) => f.issueCode);
  assert.deepEqual(
    lenient,
    strict.map((c) => (c === 'JSON_SYNTAX_ERROR' ? 'DOCUMENTATION_STYLE_JSON' : c)),
  );
});
