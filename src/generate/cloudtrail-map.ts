/**
 * From one CloudTrail event to the IAM action it was authorized as and the
 * resources it touched. eventSource names the service endpoint
 * (`sagemaker.amazonaws.com`), eventName the API operation; most operations
 * are authorized as the action of the same name, the exceptions below are
 * listed per service (Service Authorization Reference: "Actions defined by",
 * the API operation column; Amazon S3 User Guide: "Required permissions for
 * Amazon S3 API operations").
 */
import { Catalog, serviceExists } from '../catalog/catalog.js';
import { formatPlaceholders, fillFormat, partitionForRegion, type ArnScope } from './arn.js';
import { matchFormat } from './generalize.js';
import { isRoleArn } from '../primitives/arn.js';
import { headerCompanions, namePlaceholders, placeholderValues } from './cloudtrail-params.js';

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
    ListObjects: 'ListBucket',
    ListObjectsV2: 'ListBucket',
    HeadBucket: 'ListBucket',
    HeadObject: 'GetObject',
    ListObjectVersions: 'ListBucketVersions',
    CreateMultipartUpload: 'PutObject',
    UploadPart: 'PutObject',
    CompleteMultipartUpload: 'PutObject',
    UploadPartCopy: 'PutObject',
    CopyObject: 'PutObject',
    DeleteObjects: 'DeleteObject',
    ListBuckets: 'ListAllMyBuckets',
    SelectObjectContent: 'GetObject',
    ListMultipartUploads: 'ListBucketMultipartUploads',
    ListParts: 'ListMultipartUploadParts',
    GetBucketEncryption: 'GetEncryptionConfiguration',
    PutBucketEncryption: 'PutEncryptionConfiguration',
    DeleteBucketEncryption: 'PutEncryptionConfiguration',
    GetBucketLifecycle: 'GetLifecycleConfiguration',
    GetBucketLifecycleConfiguration: 'GetLifecycleConfiguration',
    PutBucketLifecycle: 'PutLifecycleConfiguration',
    PutBucketLifecycleConfiguration: 'PutLifecycleConfiguration',
    DeleteBucketLifecycle: 'PutLifecycleConfiguration',
    GetBucketReplication: 'GetReplicationConfiguration',
    PutBucketReplication: 'PutReplicationConfiguration',
    DeleteBucketReplication: 'PutReplicationConfiguration',
    GetBucketCors: 'GetBucketCORS',
    PutBucketCors: 'PutBucketCORS',
    DeleteBucketCors: 'PutBucketCORS',
    DeleteBucketPublicAccessBlock: 'PutBucketPublicAccessBlock',
    DeleteBucketTagging: 'PutBucketTagging',
    PutBucketNotificationConfiguration: 'PutBucketNotification',
    GetBucketNotificationConfiguration: 'GetBucketNotification',
    DeleteBucketOwnershipControls: 'PutBucketOwnershipControls',
    GetObjectAttributes: 'GetObjectAttributes',
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
  /**
   * Permission-only actions the same request also needed on the same
   * resources: sts:TagSession when session tags were passed
   * (id_session-tags: permissions required), sts:SetSourceIdentity when a
   * source identity was set (id_credentials_temp_control-access_monitor).
   */
  readonly companions: readonly string[];
  /** Condition keys whose request value the event shows (kms:ViaService, s3:prefix), key → value. */
  readonly observed: Readonly<Record<string, string>>;
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
export function actionOfEvent(service: string, eventName: string, catalog: Catalog = new Catalog()): string | null | undefined {
  const alias = EVENT_ALIASES[service]?.[eventName];
  if (alias !== undefined) return alias === null ? null : `${service}:${alias}`;
  for (const name of [eventName, eventName.replace(/\d{8}(v\d+)?$/, '')]) {
    const info = catalog.getAction(`${service}:${name}`);
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

/** Why sign-in events are not in the policy (IAM User Guide: cloudtrail-integration, logging sign-in events). */
export const SIGN_IN_REASON = 'sign-in event: signing in to the console or portal is not an action an identity-based policy grants';

/** `catalog`: the one to ask (a caller mapping many records passes one: the same few actions recur); default: one for this call. */
export function mapEvent(rec: Record<string, unknown>, catalog: Catalog = new Catalog()): MapOutcome {
  const eventType = str(rec['eventType']);
  const source = str(rec['eventSource']);
  // Sign-in records carry eventType AwsConsoleSignIn, or none at all in older logs.
  if (eventType === 'AwsConsoleSignIn' || source === 'signin.amazonaws.com') return { kind: 'skip', reason: SIGN_IN_REASON };
  if (eventType !== undefined && eventType !== 'AwsApiCall') return { kind: 'skip', reason: `eventType ${eventType}` };
  const eventName = str(rec['eventName']);
  if (source === undefined || eventName === undefined) return { kind: 'skip', reason: 'no eventSource or eventName' };
  if (obj(rec['userIdentity'])?.['type'] === 'AWSService') return { kind: 'skip', reason: 'call made by an AWS service principal' };
  const service = serviceOfSource(source);
  if (service === undefined) return { kind: 'unknown', source, eventName, message: `no IAM service for eventSource ${source}` };
  const action = actionOfEvent(service, eventName, catalog);
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
      companions: companionsOf(action, params, catalog),
      observed: observedKeys(action, rec, params, region),
      resources: resourcesOf(action, rec, params, scope, catalog),
      // A role in an STS request is the role assumed, not one passed to a service (id_roles_use_passrole).
      passedRoles: service === 'sts' ? [] : rolesIn(params),
      passedTo: source.replace(/^(runtime|api)\./, ''),
      scope,
      denied: DENIED.test(str(rec['errorCode']) ?? ''),
      principal: principalOf(rec),
    },
  };
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

function resourcesOf(action: string, rec: Record<string, unknown>, params: Record<string, unknown>, scope: ArnScope, catalog: Catalog): ObservedResource[] {
  const types = catalog.resourceTypesForAction(action);
  if (types.length === 0) return [{ arn: '*', resolved: true }];
  const candidates = new Set<string>();
  const listed = rec['resources'];
  if (Array.isArray(listed))
    for (const r of listed) {
      const a = str(obj(r)?.['ARN']);
      if (a !== undefined) candidates.add(a);
    }
  arnsIn(params, candidates);
  arnsIn(rec['responseElements'], candidates);
  // Build ARNs from request parameters named like the format's placeholders (TrainingJobName →
  // trainingJobName), at any depth (instancesSet.items[].instanceId): one ARN per value when the
  // format names one resource, or when every name part has a single value.
  const named = namePlaceholders(types.map((t) => t.arnFormat));
  for (const t of types) {
    const names = formatPlaceholders(t.arnFormat).filter((ph) => ph !== 'Partition' && ph !== 'Region' && ph !== 'Account');
    if (names.length === 0) continue;
    const found = names.map((ph) => placeholderValues(ph, params, named));
    if (found.some((v) => v.length === 0)) continue;
    if (names.length === 1) {
      for (const v of found[0] ?? []) candidates.add(fillFormat(t.arnFormat, scope, { [names[0] as string]: v }));
    } else if (found.every((v) => v.length === 1)) {
      candidates.add(fillFormat(t.arnFormat, scope, Object.fromEntries(names.map((n, i) => [n, found[i]?.[0] ?? '']))));
    }
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
      if (/role(arn)?$/i.test(key) && isRoleArn(v)) out.add(v);
    } else if (Array.isArray(v)) for (const x of v.slice(0, 50)) walk(x, key, d + 1);
    else {
      const o = obj(v);
      if (o !== undefined) for (const [k, x] of Object.entries(o)) walk(x, k, d + 1);
    }
  };
  walk(params, '', depth);
  return [...out].sort();
}

/** sts:TagSession and sts:SetSourceIdentity for an AssumeRole that passed tags or a source identity; the header-derived actions. */
function companionsOf(action: string, params: Record<string, unknown>, catalog: Catalog): string[] {
  if (action !== 'sts:AssumeRole' && action !== 'sts:GetFederationToken') return headerCompanions(action, params, catalog);
  const out: string[] = [];
  const tags = params['tags'];
  const transitive = params['transitiveTagKeys'];
  if ((Array.isArray(tags) && tags.length > 0) || (Array.isArray(transitive) && transitive.length > 0)) out.push('sts:TagSession');
  if (action === 'sts:AssumeRole' && str(params['sourceIdentity']) !== undefined) out.push('sts:SetSourceIdentity');
  return out;
}

/**
 * Condition-key values the event shows: kms:ViaService for a KMS call an AWS
 * service made for the caller (userIdentity.invokedBy, CloudTrail userIdentity
 * element; the key's value is SERVICE.REGION.amazonaws.com, AWS KMS Developer
 * Guide: kms:ViaService), s3:prefix for a listing with a prefix (Amazon S3:
 * condition keys; ListObjects request parameter prefix).
 */
function observedKeys(action: string, rec: Record<string, unknown>, params: Record<string, unknown>, region: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (action.startsWith('kms:')) {
    const by = str(obj(rec['userIdentity'])?.['invokedBy']);
    const m = by === undefined ? null : /^([a-z0-9-]+)\.amazonaws\.com$/.exec(by);
    if (m !== null) out['kms:ViaService'] = `${m[1] as string}.${region}.amazonaws.com`;
  }
  if (action === 's3:ListBucket') {
    const prefix = str(params['prefix']);
    if (prefix !== undefined) out['s3:prefix'] = prefix;
  }
  return out;
}
