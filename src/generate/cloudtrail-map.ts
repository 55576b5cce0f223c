/**
 * From one CloudTrail event to the IAM action it was authorized as and the
 * resources it touched. eventSource names the service endpoint
 * (`sagemaker.amazonaws.com`), eventName the API operation; most operations
 * are authorized as the action of the same name, the exceptions below are
 * listed per service (Service Authorization Reference: "Actions defined by",
 * the API operation column; Amazon S3 User Guide: "Required permissions for
 * Amazon S3 API operations").
 */
import { getAction, resourceTypesForAction, serviceExists } from '../catalog/catalog.js';
import { formatPlaceholders, fillFormat, partitionForRegion, type ArnScope } from './arn.js';
import { matchFormat } from './generalize.js';

/** Endpoint prefixes that differ from the IAM service prefix. */
const SOURCE_ALIASES: Readonly<Record<string, string>> = {
  monitoring: 'cloudwatch',
  'runtime.sagemaker': 'sagemaker',
  'api.sagemaker': 'sagemaker',
  'bedrock-runtime': 'bedrock',
  'bedrock-agent': 'bedrock',
  'bedrock-agent-runtime': 'bedrock',
  email: 'ses',
  'runtime.lex': 'lex',
  'models.lex': 'lex',
  'data.iot': 'iot',
  'api.ecr': 'ecr',
  'api.pricing': 'pricing',
};

/** Operations authorized as a differently named action. */
const EVENT_ALIASES: Readonly<Record<string, Readonly<Record<string, string | null>>>> = {
  s3: {
    ListObjects: 'ListBucket', ListObjectsV2: 'ListBucket', HeadBucket: 'ListBucket', HeadObject: 'GetObject',
    ListObjectVersions: 'ListBucketVersions', CreateMultipartUpload: 'PutObject', UploadPart: 'PutObject',
    CompleteMultipartUpload: 'PutObject', UploadPartCopy: 'PutObject', CopyObject: 'PutObject', DeleteObjects: 'DeleteObject',
    ListBuckets: 'ListAllMyBuckets', SelectObjectContent: 'GetObject', ListMultipartUploads: 'ListBucketMultipartUploads',
    ListParts: 'ListMultipartUploadParts', GetBucketEncryption: 'GetEncryptionConfiguration', PutBucketEncryption: 'PutEncryptionConfiguration',
    DeleteBucketEncryption: 'PutEncryptionConfiguration', GetBucketLifecycle: 'GetLifecycleConfiguration',
    GetBucketLifecycleConfiguration: 'GetLifecycleConfiguration', PutBucketLifecycle: 'PutLifecycleConfiguration',
    PutBucketLifecycleConfiguration: 'PutLifecycleConfiguration', DeleteBucketLifecycle: 'PutLifecycleConfiguration',
    GetBucketReplication: 'GetReplicationConfiguration', PutBucketReplication: 'PutReplicationConfiguration',
    DeleteBucketReplication: 'PutReplicationConfiguration', GetBucketCors: 'GetBucketCORS', PutBucketCors: 'PutBucketCORS',
    DeleteBucketCors: 'PutBucketCORS', DeleteBucketPublicAccessBlock: 'PutBucketPublicAccessBlock', DeleteBucketTagging: 'PutBucketTagging',
    PutBucketNotificationConfiguration: 'PutBucketNotification', GetBucketNotificationConfiguration: 'GetBucketNotification',
    DeleteBucketOwnershipControls: 'PutBucketOwnershipControls', GetObjectAttributes: 'GetObjectAttributes',
  },
  bedrock: { Converse: 'InvokeModel', ConverseStream: 'InvokeModelWithResponseStream' },
  // Needs no permission (AWS STS API reference: GetCallerIdentity); web-identity and SAML
  // federation are authorized by the role's trust policy, not by the caller's policies.
  sts: { GetCallerIdentity: null, AssumeRoleWithWebIdentity: null, AssumeRoleWithSAML: null },
};

export type MapOutcome =
  | { readonly kind: 'call'; readonly call: MappedCall }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly source: string; readonly eventName: string; readonly message: string };

export interface ObservedResource {
  /** Literal ARN, or a wildcarded ARN when the event did not identify the resource. */
  readonly arn: string;
  /** The catalog ARN format it fits (undefined for "*"). */
  readonly format?: string;
  readonly resourceType?: string;
  /** False when the names were not in the event (wildcards stand in). */
  readonly resolved: boolean;
}

export interface MappedCall {
  readonly action: string;
  readonly resources: readonly ObservedResource[];
  /** Role ARNs found in the request parameters, passed to `passedTo` (a service principal). */
  readonly passedRoles: readonly string[];
  readonly passedTo: string;
  readonly scope: ArnScope;
  readonly denied: boolean;
  readonly principal: string | undefined;
}

/** IAM service prefix for an eventSource, or undefined. */
export function serviceOfSource(source: string): string | undefined {
  const host = source.replace(/\.amazonaws\.com(\.cn)?$/, '');
  const alias = SOURCE_ALIASES[host];
  if (alias !== undefined) return alias;
  if (serviceExists(host)) return host.toLowerCase();
  const labels = host.split('.');
  for (const l of [labels[labels.length - 1], labels[0]]) if (l !== undefined && serviceExists(l)) return l.toLowerCase();
  return undefined;
}

/** Action name for an operation: aliases, then versioned Lambda names (`CreateFunction20150331v2`). */
export function actionOfEvent(service: string, eventName: string): string | null | undefined {
  const alias = EVENT_ALIASES[service]?.[eventName];
  if (alias !== undefined) return alias === null ? null : `${service}:${alias}`;
  for (const name of [eventName, eventName.replace(/\d{8}(v\d+)?$/, '')]) {
    const info = getAction(`${service}:${name}`);
    if (info !== undefined) return `${info.service}:${info.name}`;
  }
  return undefined;
}

const DENIED = /AccessDenied|Unauthorized|Forbidden/i;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

export function principalOf(rec: Record<string, unknown>): string | undefined {
  const ui = obj(rec['userIdentity']);
  return str(ui?.['arn']) ?? str(obj(obj(ui?.['sessionContext'])?.['sessionIssuer'])?.['arn']);
}

/** Does the event's caller match `principal` (the ARN as recorded, or the role of an assumed-role session)? */
export function matchesPrincipal(rec: Record<string, unknown>, principal: string): boolean {
  const ui = obj(rec['userIdentity']);
  const arn = str(ui?.['arn']);
  if (arn === principal) return true;
  const issuer = str(obj(obj(ui?.['sessionContext'])?.['sessionIssuer'])?.['arn']);
  if (issuer === principal) return true;
  const assumed = arn === undefined ? null : /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principal);
  return assumed !== null && role !== null && assumed[2] === role[2] && assumed[3] === role[3];
}

export function mapEvent(rec: Record<string, unknown>): MapOutcome {
  const eventType = str(rec['eventType']);
  if (eventType !== undefined && eventType !== 'AwsApiCall') return { kind: 'skip', reason: `eventType ${eventType}` };
  const source = str(rec['eventSource']);
  const eventName = str(rec['eventName']);
  if (source === undefined || eventName === undefined) return { kind: 'skip', reason: 'no eventSource or eventName' };
  if (obj(rec['userIdentity'])?.['type'] === 'AWSService') return { kind: 'skip', reason: 'call made by an AWS service principal' };
  const service = serviceOfSource(source);
  if (service === undefined) return { kind: 'unknown', source, eventName, message: `no IAM service for eventSource ${source}` };
  const action = actionOfEvent(service, eventName);
  if (action === null) return { kind: 'skip', reason: `${service}:${eventName} needs no identity-based permission` };
  if (action === undefined) return { kind: 'unknown', source, eventName, message: `no action ${service}:${eventName} in the catalog` };
  const region = str(rec['awsRegion']) ?? 'us-east-1';
  const account = str(rec['recipientAccountId']) ?? str(obj(rec['userIdentity'])?.['accountId']) ?? '*';
  const scope: ArnScope = { partition: partitionForRegion(region), region, account };
  const params = obj(rec['requestParameters']) ?? {};
  return {
    kind: 'call',
    call: {
      action,
      resources: resourcesOf(action, rec, params, scope),
      passedRoles: rolesIn(params),
      passedTo: source.replace(/^(runtime|api)\./, ''),
      scope,
      denied: DENIED.test(str(rec['errorCode']) ?? ''),
      principal: principalOf(rec),
    },
  };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** ARN-valued strings anywhere in a (small) object, a few levels deep. */
function arnsIn(v: unknown, out: Set<string>, depth = 0): void {
  if (depth > 4) return;
  if (typeof v === 'string') {
    if (v.startsWith('arn:')) out.add(v);
  } else if (Array.isArray(v)) {
    for (const x of v.slice(0, 50)) arnsIn(x, out, depth + 1);
  } else {
    const o = obj(v);
    if (o !== undefined) for (const x of Object.values(o)) arnsIn(x, out, depth + 1);
  }
}

function resourcesOf(action: string, rec: Record<string, unknown>, params: Record<string, unknown>, scope: ArnScope): ObservedResource[] {
  const types = resourceTypesForAction(action);
  if (types.length === 0) return [{ arn: '*', resolved: true }];
  const candidates = new Set<string>();
  const listed = rec['resources'];
  if (Array.isArray(listed)) for (const r of listed) { const a = str(obj(r)?.['ARN']); if (a !== undefined) candidates.add(a); }
  arnsIn(params, candidates);
  arnsIn(rec['responseElements'], candidates);
  // Build ARNs from request parameters named like the format's placeholders (TrainingJobName → trainingJobName).
  for (const t of types) {
    const values: Record<string, string> = {};
    let complete = formatPlaceholders(t.arnFormat).some((ph) => ph !== 'Partition' && ph !== 'Region' && ph !== 'Account');
    for (const ph of formatPlaceholders(t.arnFormat)) {
      if (ph === 'Partition' || ph === 'Region' || ph === 'Account') continue;
      const key = ph === 'ObjectName' ? 'key' : ph === 'RoleNameWithPath' ? 'roleName' : lowerFirst(ph);
      const v = str(params[key]);
      if (v === undefined || v.startsWith('arn:')) {
        complete = false;
        break;
      }
      values[ph] = v;
    }
    if (complete) candidates.add(fillFormat(t.arnFormat, scope, values));
  }
  const out: ObservedResource[] = [];
  for (const arn of [...candidates].sort()) {
    if (arn.includes('*')) continue;
    // The most specific format the ARN fits (an object ARN is not a bucket ARN).
    const fits = types.filter((t) => matchFormat(t.arnFormat, arn) !== undefined).sort((a, b) => b.arnFormat.length - a.arnFormat.length)[0];
    if (fits !== undefined) out.push({ arn, format: fits.arnFormat, resourceType: fits.key, resolved: true });
  }
  if (out.length > 0) return out;
  // Not identified by the event: every resource of the required types, names unknown. With only
  // optional types the request may name no resource, and then only "*" matches it.
  const required = types.filter((t) => t.required);
  if (required.length === 0) return [{ arn: '*', resolved: false }];
  return required.map((t) => ({ arn: fillFormat(t.arnFormat, scope), format: t.arnFormat, resourceType: t.key, resolved: false }));
}

/** Role ARNs in request parameters whose key names a role (roleArn, executionRoleArn, RoleArn, …). */
function rolesIn(params: Record<string, unknown>, depth = 0): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, key: string, d: number): void => {
    if (d > 4) return;
    if (typeof v === 'string') {
      if (/role(arn)?$/i.test(key) && /^arn:[^:]+:iam::\d{12}:role\//.test(v)) out.add(v);
    } else if (Array.isArray(v)) for (const x of v.slice(0, 50)) walk(x, key, d + 1);
    else { const o = obj(v); if (o !== undefined) for (const [k, x] of Object.entries(o)) walk(x, k, d + 1); }
  };
  walk(params, '', depth);
  return [...out].sort();
}
