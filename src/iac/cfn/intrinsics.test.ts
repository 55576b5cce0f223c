/**
 * Intrinsic functions and pseudo parameters as CloudFormation evaluates them
 * (CloudFormation User Guide: intrinsic-function-reference,
 * pseudo-parameter-reference), including short-form YAML tags.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SymbolTable } from '../symbols.js';
import { readTemplate } from './template.js';

function policyOf(yaml: string, params: Record<string, string> = {}): { text: string; table: SymbolTable } {
  const table = new SymbolTable();
  const r = readTemplate(yaml, 't.yaml', table, { accountId: '111122223333', region: 'eu-west-1', parameters: params, stackName: 'nb' });
  assert.deepEqual(r.diagnostics, []);
  const f = r.side.facts.find((x) => x.kind === 'managed-policy');
  assert.ok(f && f.kind === 'managed-policy' && 'text' in f.document, JSON.stringify(r.side.facts));
  return { text: f.document.text, table };
}

const head = `Parameters:
  Env: { Type: String, Default: dev }
  Buckets: { Type: CommaDelimitedList, Default: "a,b" }
  NoDefault: { Type: String }
Mappings:
  M: { dev: { Prefix: d }, prod: { Prefix: p } }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
Resources:
  Q: { Type: AWS::SQS::Queue, Properties: { QueueName: jobs } }
  B: { Type: AWS::S3::Bucket }
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: `;

describe('CloudFormation intrinsics', () => {
  const cases: [string, string, Record<string, string>?][] = [
    ['!Sub "arn:${AWS::Partition}:s3:::${Env}-${AWS::Region}-${AWS::AccountId}/*"', 'arn:aws:s3:::dev-eu-west-1-111122223333/*'],
    ['!Sub "arn:aws:s3:::${Env}/*"', 'arn:aws:s3:::prod/*', { Env: 'prod' }],
    ['!Sub ["arn:aws:s3:::${x}/${!literal}", { x: !FindInMap [M, !Ref Env, Prefix] }]', 'arn:aws:s3:::d/${literal}'],
    ['!Join ["", ["arn:aws:s3:::", !Select [1, !Ref Buckets], "/*"]]', 'arn:aws:s3:::b/*'],
    ['!Select [2, !Split ["/", "a/b/arn:aws:s3:::c"]]', 'arn:aws:s3:::c'],
    ['!If [IsProd, "arn:aws:s3:::prod", "arn:aws:s3:::dev"]', 'arn:aws:s3:::dev'],
    ['!If [NotProd, "arn:aws:s3:::dev", !Ref AWS::NoValue]', 'arn:aws:s3:::dev'],
    ['!GetAtt Q.Arn', 'arn:aws:sqs:eu-west-1:111122223333:jobs'],
    ['{ "Fn::GetAtt": [Q, QueueName] }', 'jobs'],
    ['!Sub "arn:aws:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${AWS::StackName}/*"', 'arn:aws:cloudformation:eu-west-1:111122223333:stack/nb/*'],
  ];
  for (const [expr, want, params] of cases) {
    it(expr, () => {
      const { text } = policyOf(head + expr, params);
      const st = (JSON.parse(text) as { Statement: { Resource: unknown }[] }).Statement[0]!;
      assert.equal(st.Resource, want);
    });
  }

  it('a generated bucket name is a symbol shaped as a bucket ARN', () => {
    const { text, table } = policyOf(`${head}!Sub "\${B.Arn}/*"`);
    const r = (JSON.parse(text) as { Statement: { Resource: string }[] }).Statement[0]!.Resource;
    assert.match(r, /^arn:aws:s3:::iamsim-sym\d+-B\/\*$/);
    assert.equal(table.symbolsIn(r)[0]?.address, 'B');
  });

  it('Fn::ImportValue and a parameter without default are holes naming what they wait for', () => {
    for (const expr of ['!ImportValue shared-bucket-arn', '!Ref NoDefault']) {
      const { text, table } = policyOf(head + expr);
      const holes = table.holesIn(text);
      assert.equal(holes.length, 1, expr);
      assert.ok(holes[0]!.address.includes(expr.includes('Import') ? 'shared-bucket-arn' : 'NoDefault'));
    }
  });

  it('short-form tags that CloudFormation does not define are reported with their line', () => {
    const r = readTemplate('Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Bogus x\n', 'bad.yaml', new SymbolTable());
    assert.equal(r.diagnostics[0]?.code, 'CFN_UNKNOWN_TAG');
    assert.equal(r.diagnostics[0]?.line, 5);
  });
});
