// The requests bench/serve.js sends: one authorization of the SageMaker execution role's iam:PassRole, and one
// SimulateCustomPolicy call, as JSON and as IAM's Query form.
export const AUTHORIZE = {
  principal: 'arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole-20240110T090000',
  action: 'iam:PassRole',
  resource: 'arn:aws:iam::111122223333:role/NotebookJobExecutionRole',
  context: [{ key: 'iam:PassedToService', type: 'string', values: ['sagemaker.amazonaws.com'] }],
};

/** A batch of `n` authorizations (alternating two actions, so not every decision is the same). */
export function batchBody(n) {
  const requests = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? AUTHORIZE : { ...AUTHORIZE, action: 'iam:GetRole' }));
  return JSON.stringify({ requests });
}

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: 'arn:aws:iam::*:role/*',
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    },
    { Effect: 'Deny', Action: 's3:Delete*', Resource: '*' },
  ],
});

export const SIMULATE = {
  PolicyInputList: [POLICY],
  ActionNames: ['iam:PassRole'],
  ResourceArns: ['arn:aws:iam::123456789012:role/Job'],
  ContextEntries: [{ ContextKeyName: 'iam:PassedToService', ContextKeyValues: ['sagemaker.amazonaws.com'], ContextKeyType: 'string' }],
};

export const FORM = new URLSearchParams({
  Action: 'SimulateCustomPolicy',
  Version: '2010-05-08',
  'PolicyInputList.member.1': POLICY,
  'ActionNames.member.1': 'iam:PassRole',
  'ResourceArns.member.1': 'arn:aws:iam::123456789012:role/Job',
  'ContextEntries.member.1.ContextKeyName': 'iam:PassedToService',
  'ContextEntries.member.1.ContextKeyValues.member.1': 'sagemaker.amazonaws.com',
  'ContextEntries.member.1.ContextKeyType': 'string',
}).toString();
