// Converts AWS's published custom-policy-check samples into test/cases/reason/aws-samples.json.
// Source: https://github.com/aws-samples/iam-access-analyzer-custom-policy-check-samples (MIT-0, Amazon.com, Inc.
// or its affiliates). Each sample page has one reference policy (ExistingPolicyDocument of CheckNoNewAccess) and
// candidate policies (NewPolicyDocument) headed "Candidate policy N: PASS|FAIL - why".
// Usage: node scripts/aws-samples-cases.mjs <git dir of a checkout> <commit> > test/cases/reason/aws-samples.json
import { execFileSync } from 'node:child_process';

const [gitDir, commit] = process.argv.slice(2);
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
const files = git('ls-tree', '-r', '--name-only', commit)
  .split('\n')
  .filter((f) => f.endsWith('.md') && (f.startsWith('identity-policies/') || f.startsWith('resource-policies/')))
  .sort();

/** The first ```json block after line `from`. */
function jsonBlock(lines, from) {
  let i = from;
  while (i < lines.length && !/^\s*```json\s*$/.test(lines[i])) i++;
  let j = i + 1;
  while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) j++;
  return { text: lines.slice(i + 1, j).join('\n'), end: j };
}

/** Placeholders the samples ask the reader to fill in, filled as the samples' own candidates do. */
const FILL = { '<ACCOUNT ID>': '111111111111' };
const fill = (text) => Object.entries(FILL).reduce((t, [k, v]) => t.split(k).join(v), text);

/** Samples whose stated result is not what the policies say (the case keeps AWS's text and says why). */
const ERRATA = {
  'identity-policies/check-access-to-sensitive-resource/ec2-network-acl #3': {
    expect: 'PASS',
    note: "The sample says FAIL, but its candidate allows ec2:DeleteNetworkAclEntry on network-acl/acl-123456, not on the reference policy's sensitive network-acl/acl-sensitive: no new access (an error in the sample; iamsim and --resource-types any both answer PASS).",
  },
};

const cases = [];
for (const file of files) {
  const lines = git('show', `${commit}:${file}`).split('\n');
  const refAt = lines.findIndex((l) => /^#+\s*Reference policy/i.test(l));
  const refText = jsonBlock(lines, refAt).text;
  const reference = JSON.parse(fill(refText));
  const policyType = file.startsWith('resource-policies/') ? 'RESOURCE_POLICY' : 'IDENTITY_POLICY';
  lines.forEach((l, i) => {
    const m = /^#+\s*Candidate policy (\d+):\s*(PASS|FAIL)\s*-?\s*(.*)$/i.exec(l);
    if (m === null) return;
    const candidate = JSON.parse(fill(jsonBlock(lines, i + 1).text));
    const id = `${file.replace(/\.md$/, '')} #${m[1]}`;
    const erratum = ERRATA[id];
    const filled = Object.keys(FILL).filter((k) => refText.includes(k));
    cases.push({
      name: `${id}: ${m[3].trim()}`,
      source: 'https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckNoNewAccess.html',
      sample: `https://github.com/aws-samples/iam-access-analyzer-custom-policy-check-samples/blob/${commit}/${file}`,
      license: 'MIT-0 (Amazon.com, Inc. or its affiliates)',
      check: 'no-new-access',
      policyType,
      existingDocument: reference,
      newDocument: candidate,
      expect: erratum?.expect ?? m[2].toUpperCase(),
      ...(erratum !== undefined ? { awsSampleSays: m[2].toUpperCase(), note: erratum.note } : {}),
      ...(filled.length > 0 ? { filled: filled.map((k) => `${k} = ${FILL[k]}`) } : {}),
    });
  });
}
// The samples' README, Example 2: AWS's checks do not know which resource types an action acts on, so this
// reference policy gives false positives for actions that act on no resource (s3:ListAllMyBuckets). iamsim
// restricts actions to their resource types (docs/reason.md, Differences from AWS); --resource-types any answers as AWS.
const readme = `https://github.com/aws-samples/iam-access-analyzer-custom-policy-check-samples/blob/${commit}/README.md`;
const example2 = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::my-sensitive-bucket' },
  ],
};
const listBuckets = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] };
for (const [resourceTypes, expect, note] of [
  [
    'restricted',
    'PASS',
    's3:ListAllMyBuckets acts on no resource type (only "*"), which the reference allows: iamsim answers PASS where AWS reports the false positive the README describes.',
  ],
  ['any', 'FAIL', 'With --resource-types any every action acts on any resource, as AWS assumes: the false positive of the README.'],
]) {
  cases.push({
    name: `README example 2 (--resource-types ${resourceTypes}): s3:ListAllMyBuckets against a reference denying s3:* on one bucket`,
    source: 'https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckNoNewAccess.html',
    sample: readme,
    license: 'MIT-0 (Amazon.com, Inc. or its affiliates)',
    check: 'no-new-access',
    policyType: 'IDENTITY_POLICY',
    existingDocument: example2,
    newDocument: listBuckets,
    ...(resourceTypes === 'any' ? { resourceTypes } : {}),
    expect,
    note,
  });
}
process.stdout.write(`${JSON.stringify(cases, null, 2)}\n`);
