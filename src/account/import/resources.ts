/**
 * Importers for resource policies from their get commands:
 * `aws s3api get-bucket-policy`, `aws kms get-key-policy`,
 * `aws ecr get-repository-policy`, `aws ec2 describe-vpc-endpoints`,
 * `aws lambda get-policy`, `aws sns get-topic-attributes`,
 * `aws sqs get-queue-attributes --attribute-names All` (or `Policy QueueArn`)
 * and `aws secretsmanager get-resource-policy`.
 * Bucket and key policy outputs do not name their resource; the ARN comes
 * from the import options, or is inferred (bucket from the policy's own
 * Resource ARNs; key id and region from the file name).
 */
import { basename } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseArn } from '../../primitives/arn.js';
import type { ResourceKind, ResourcePolicy } from '../model.js';
import { accountOfArn } from './draft.js';
import { isRecord, makeDiagnostic, readArray, readDocument, readString } from './source.js';
import type { InputSource } from './source.js';

export interface ResourceImportOptions {
  /** ARN of the resource a bucket/key/repository policy file belongs to. */
  readonly resourceArn?: string;
  /** Region for ARNs the output does not carry (KMS keys, ECR repositories). */
  readonly region?: string;
  /** Owning account, when the output does not carry it. */
  readonly accountId?: string;
}

export type ResourceShape = 'policy-string' | 'ecr-repository-policy' | 'vpc-endpoints' | 'attributes' | 'secret-policy';

export function detectResourceShape(value: unknown): ResourceShape | undefined {
  if (!isRecord(value)) return undefined;
  const attrs = value['Attributes'];
  if (isRecord(attrs) && (typeof attrs['TopicArn'] === 'string' || typeof attrs['QueueArn'] === 'string')) return 'attributes';
  if (typeof value['ARN'] === 'string' && typeof value['Name'] === 'string' && value['ARN'].includes(':secretsmanager:')) return 'secret-policy';
  if (typeof value['Policy'] === 'string') return 'policy-string';
  if (typeof value['policyText'] === 'string' && 'repositoryName' in value) return 'ecr-repository-policy';
  if (Array.isArray(value['VpcEndpoints'])) return 'vpc-endpoints';
  return undefined;
}

/** Classifies a resource ARN by service and resource type. */
export function resourceKindOf(arn: string): { service: string; kind: ResourceKind } {
  const parsed = parseArn(arn);
  const service = parsed?.service ?? '';
  const rest = parsed?.resource ?? '';
  if (service === 's3' && !rest.includes('/')) return { service, kind: 's3-bucket' };
  if (service === 'kms' && rest.startsWith('key/')) return { service, kind: 'kms-key' };
  if (service === 'ec2' && rest.startsWith('vpc-endpoint/')) return { service, kind: 'vpc-endpoint' };
  if (service === 'ecr' && rest.startsWith('repository/')) return { service, kind: 'ecr-repository' };
  return { service, kind: 'other' };
}

const REGION = /(?:^|[^a-z])((?:[a-z]{2}(?:-gov|-iso[a-z]?)?)-[a-z]+-\d)(?![0-9])/;
const KEY_ID = /(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/;

function uniqueMatches(text: string, re: RegExp): string[] {
  return [...new Set([...text.matchAll(re)].map((m) => m[1] ?? ''))];
}

function inferArn(src: InputSource, doc: string, value: Record<string, unknown>, opts: ResourceImportOptions): { arn?: string; why: string } {
  if (opts.resourceArn) return { arn: opts.resourceArn, why: '' };
  // `aws lambda get-policy` prints the policy with its RevisionId; its statements name the function.
  if (typeof value['RevisionId'] === 'string') {
    const fns = uniqueMatches(doc, /(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9$_-]+)?)"/g);
    if (fns.length === 1) return { arn: fns[0] ?? '', why: '' };
    return { why: fns.length > 1 ? `the Lambda policy names several functions (${fns.join(', ')})` : 'the Lambda policy names no function' };
  }
  // Legacy us-east-1 bucket names may hold capitals and underscores, up to 255 characters (S3 User Guide: bucket naming rules).
  const buckets = uniqueMatches(doc, /arn:aws[a-z-]*:s3:::([A-Za-z0-9._-]{3,255})(?:\/|"|$)/g);
  const looksKms = typeof value['PolicyName'] === 'string' || (buckets.length === 0 && /"kms:/.test(doc));
  if (!looksKms) {
    if (buckets.length === 1) return { arn: `arn:aws:s3:::${buckets[0] ?? ''}`, why: '' };
    return { why: buckets.length > 1 ? `the policy names several buckets (${buckets.join(', ')})` : 'the policy names no bucket' };
  }
  const name = basename(src.file);
  const keyId = KEY_ID.exec(name)?.[1];
  const region = opts.region ?? REGION.exec(name)?.[1];
  const accounts = uniqueMatches(doc, /arn:aws[a-z-]*:iam::(\d{12}):root/g);
  const account = opts.accountId ?? (accounts.length === 1 ? accounts[0] : undefined);
  if (keyId && region && account) return { arn: `arn:aws:kms:${region}:${account}:key/${keyId}`, why: '' };
  const missing = [keyId ? '' : 'key id (file name)', region ? '' : 'region', account ? '' : 'account id'].filter(Boolean);
  return { why: `this looks like a KMS key policy but its ${missing.join(', ')} cannot be inferred` };
}

function make(
  arn: string,
  document: string,
  src: InputSource,
  path: (string | number)[],
  accountId: string | undefined,
  attributes?: Record<string, string>,
): ResourcePolicy {
  const { service, kind } = resourceKindOf(arn);
  const p = src.position(path);
  const acct = accountOfArn(arn) ?? accountId;
  return {
    arn,
    service,
    kind,
    document,
    origin: { file: src.file, line: p.line, column: p.column },
    ...(acct !== undefined ? { accountId: acct } : {}),
    ...(attributes ? { attributes } : {}),
  };
}

export function importResourceOutput(src: InputSource, shape: ResourceShape, opts: ResourceImportOptions, out: Diagnostic[]): ResourcePolicy[] {
  const value = src.value as Record<string, unknown>;
  switch (shape) {
    case 'policy-string': {
      const doc = readDocument(src, ['Policy'], 'resource policy', out);
      if (!doc) return [];
      const { arn, why } = inferArn(src, doc.text, value, opts);
      if (!arn) {
        out.push(
          makeDiagnostic(src, 'RESOURCE_ARN_UNKNOWN', 'error', `cannot tell which resource this policy belongs to: ${why}; pass the resource ARN explicitly`, [
            'Policy',
          ]),
        );
        return [];
      }
      return [make(arn, doc.text, src, ['Policy'], opts.accountId)];
    }
    case 'ecr-repository-policy': {
      const repo = readString(src, value, 'repositoryName', [], out, true);
      const registry = readString(src, value, 'registryId', [], out) ?? opts.accountId;
      const doc = readDocument(src, ['policyText'], `ECR repository ${repo ?? ''} policy`, out);
      if (!doc || !repo) return [];
      const region = opts.region ?? REGION.exec(basename(src.file))?.[1];
      const arn = opts.resourceArn ?? (region && registry ? `arn:aws:ecr:${region}:${registry}:repository/${repo}` : undefined);
      if (!arn) {
        out.push(makeDiagnostic(src, 'RESOURCE_ARN_UNKNOWN', 'error', `cannot build the ARN of ECR repository ${repo}: pass the region or the resource ARN`));
        return [];
      }
      return [make(arn, doc.text, src, ['policyText'], registry)];
    }
    case 'attributes': {
      // SNS topic and SQS queue attributes carry the resource's ARN; a resource without a policy has no Policy attribute.
      const attrs = value['Attributes'] as Record<string, unknown>;
      const key = typeof attrs['TopicArn'] === 'string' ? 'TopicArn' : 'QueueArn';
      const arn = opts.resourceArn ?? String(attrs[key]);
      if (attrs['Policy'] === undefined) return [];
      const doc = readDocument(src, ['Attributes', 'Policy'], `${arn} policy`, out);
      return doc ? [make(arn, doc.text, src, ['Attributes', 'Policy'], opts.accountId)] : [];
    }
    case 'secret-policy': {
      // A secret without a resource policy has no ResourcePolicy member.
      const arn = opts.resourceArn ?? String(value['ARN']);
      if (value['ResourcePolicy'] === undefined) return [];
      const doc = readDocument(src, ['ResourcePolicy'], `${arn} policy`, out);
      return doc ? [make(arn, doc.text, src, ['ResourcePolicy'], opts.accountId)] : [];
    }
    case 'vpc-endpoints': {
      const result: ResourcePolicy[] = [];
      readArray(src, value, 'VpcEndpoints', [], out).forEach((item, i) => {
        const p = ['VpcEndpoints', i];
        if (!isRecord(item)) return;
        const id = readString(src, item, 'VpcEndpointId', p, out, true);
        const serviceName = readString(src, item, 'ServiceName', p, out) ?? '';
        const owner = readString(src, item, 'OwnerId', p, out) ?? opts.accountId;
        if (!id) return;
        if (item['PolicyDocument'] === undefined) return; // e.g. Gateway Load Balancer endpoints carry no policy
        const doc = readDocument(src, [...p, 'PolicyDocument'], `VPC endpoint ${id} policy`, out);
        if (!doc) return;
        // Service names look like com.amazonaws.us-east-1.s3.
        const region = /^com\.amazonaws\.([a-z0-9-]+)\./.exec(serviceName)?.[1] ?? opts.region;
        if (!region || !owner) {
          out.push(makeDiagnostic(src, 'RESOURCE_ARN_UNKNOWN', 'error', `cannot build the ARN of VPC endpoint ${id}: region or owner unknown`, p));
          return;
        }
        const attributes: Record<string, string> = { vpcEndpointId: id, serviceName };
        const vpcId = readString(src, item, 'VpcId', p, out);
        const type = readString(src, item, 'VpcEndpointType', p, out);
        if (vpcId) attributes['vpcId'] = vpcId;
        if (type) attributes['vpcEndpointType'] = type;
        result.push(make(`arn:aws:ec2:${region}:${owner}:vpc-endpoint/${id}`, doc.text, src, [...p, 'PolicyDocument'], owner, attributes));
      });
      return result;
    }
  }
}
