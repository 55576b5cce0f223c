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
import { isRoleArn } from '../primitives/arn.js';

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

/** Why sign-in events are not in the policy (IAM User Guide: cloudtrail-integration, logging sign-in events). */
export const SIGN_IN_REASON = 'sign-in event: signing in to the console or portal is not an action an identity-based policy grants';

export function mapEvent(rec: Record<string, unknown>): MapOutcome {
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
      companions: companionsOf(action, params),
      observed: observedKeys(action, rec, params, region),
      resources: resourcesOf(action, rec, params, scope),
      // A role in an STS request is the role assumed, not one passed to a service (id_roles_use_passrole).
      passedRoles: service === 'sts' ? [] : rolesIn(params),
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

/** Lower-case words of a camel-case name: `GroupNameWithPath` → group, name, with, path; `s3BucketName` → s3, bucket, name. */
function camelWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter((w) => w !== '');
}

/** The placeholder's words without the `WithPath` of IAM's path-qualified names. */
function placeholderWords(ph: string): string[] {
  const w = camelWords(ph);
  return w.length > 2 && w[w.length - 2] === 'with' && w[w.length - 1] === 'path' ? w.slice(0, -2) : w;
}

/** Is `sub` an ordered subsequence of `all`? */
function subsequence(sub: readonly string[], all: readonly string[]): boolean {
  let i = 0;
  for (const w of all) if (w === sub[i]) i++;
  return i === sub.length;
}

/** How many of the formats' name placeholders end with each last word (a bare `name` parameter is only read when one does). */
function namePlaceholders(formats: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of new Set(formats)) {
    for (const ph of formatPlaceholders(f)) {
      if (ph === 'Partition' || ph === 'Region' || ph === 'Account') continue;
      const last = placeholderWords(ph).at(-1) ?? '';
      out.set(last, (out.get(last) ?? 0) + 1);
    }
  }
  return out;
}

/**
 * The request parameter that names a placeholder of the resource type's ARN
 * format (Service Authorization Reference): the parameter spelled like the
 * placeholder (TrainingJobName → trainingJobName), else the parameter whose
 * words are the placeholder's in order and end alike (GroupNameWithPath →
 * groupName, KeyPairName → keyName, TrailName → name — a bare `name` only when
 * a single placeholder of the action ends with Name), the longest such one;
 * nested ids (instancesSet.items[].instanceId) for `…Id` placeholders. S3
 * calls the object name `key` (Amazon S3 API Reference: the Key parameter).
 */
function placeholderValues(ph: string, params: Record<string, unknown>, named: ReadonlyMap<string, number>): string[] {
  const key = ph === 'ObjectName' ? 'key' : lowerFirst(ph);
  const direct = str(params[key]);
  const vals = new Set<string>();
  if (direct !== undefined) {
    if (!direct.startsWith('arn:')) vals.add(direct);
    return [...vals];
  }
  const want = placeholderWords(ph);
  const last = want.at(-1);
  let best: { words: number; value: string } | undefined;
  let tie = false;
  for (const [k, v] of Object.entries(params)) {
    const value = str(v);
    if (value === undefined || value.startsWith('arn:')) continue;
    const words = camelWords(k);
    if (words.at(-1) !== last || !subsequence(words, want)) continue;
    if (words.length === 1 && (named.get(last ?? '') ?? 0) !== 1) continue;
    if (best === undefined || words.length > best.words) {
      best = { words: words.length, value };
      tie = false;
    } else if (words.length === best.words) tie = true;
  }
  if (best !== undefined && !tie) {
    const path = str(params['path']);
    const withPath = camelWords(ph).slice(-2).join(' ') === 'with path' && path?.startsWith('/') === true;
    vals.add(withPath ? `${(path as string).replace(/^\//, '')}${best.value}` : best.value);
    return [...vals];
  }
  // Nested ids only (instancesSet.items[].instanceId): names like `key` recur in tag lists.
  if (ph.endsWith('Id')) valuesNamed(params, key.toLowerCase(), vals);
  return [...vals];
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

/**
 * Actions a request header in the parameters makes the call need besides its
 * own (Amazon S3 API Reference, PutObject, Permissions: x-amz-acl and the grant
 * headers need s3:PutObjectAcl, x-amz-tagging s3:PutObjectTagging; the object
 * lock legal hold header s3:PutObjectLegalHold): an action of the same service
 * named as the call's action followed by words of the header
 * (`x-amz-acl` → PutObject + Acl), on the same resource types. The grant
 * headers (`x-amz-grant-*`) set the ACL (Amazon S3 User Guide, access control
 * list overview: "x-amz-grant-…" request headers), so they count as `acl`.
 */
export function headerCompanions(action: string, params: Record<string, unknown>): string[] {
  const info = getAction(action);
  if (info === undefined) return [];
  const own = new Set(resourceTypesForAction(action).map((t) => t.key));
  const out = new Set<string>();
  for (const [k, v] of Object.entries(params)) {
    if (!/^x-amz-/i.test(k) || (typeof v !== 'string' && !Array.isArray(v))) continue;
    const words = k.toLowerCase().slice('x-amz-'.length).split('-');
    const runs = new Set<string>(words[0] === 'grant' ? ['acl'] : []);
    for (let i = 0; i < words.length; i++) for (let j = i + 1; j <= words.length; j++) runs.add(words.slice(i, j).join(''));
    for (const run of runs) {
      const dep = getAction(`${info.service}:${info.name}${run}`);
      if (dep === undefined || dep.name.toLowerCase() === info.name.toLowerCase()) continue;
      const types = resourceTypesForAction(`${dep.service}:${dep.name}`).map((t) => t.key);
      if (types.length > 0 && types.every((t) => own.has(t))) out.add(`${dep.service}:${dep.name}`);
    }
  }
  return [...out].sort();
}

/** sts:TagSession and sts:SetSourceIdentity for an AssumeRole that passed tags or a source identity; the header-derived actions. */
function companionsOf(action: string, params: Record<string, unknown>): string[] {
  if (action !== 'sts:AssumeRole' && action !== 'sts:GetFederationToken') return headerCompanions(action, params);
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

/** String values under keys named `key` (case-insensitive) anywhere in request parameters, a few levels deep. */
function valuesNamed(v: unknown, key: string, out: Set<string>, depth = 0): void {
  if (depth > 5) return;
  if (Array.isArray(v)) {
    for (const x of v.slice(0, 100)) valuesNamed(x, key, out, depth + 1);
    return;
  }
  const o = obj(v);
  if (o === undefined) return;
  for (const [k, x] of Object.entries(o)) {
    if (k.toLowerCase() === key && typeof x === 'string' && x !== '' && !x.startsWith('arn:')) out.add(x);
    else if (typeof x === 'object' && x !== null) valuesNamed(x, key, out, depth + 1);
  }
}
