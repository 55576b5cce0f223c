/**
 * Building resource ARNs for generated policies from the catalog's ARN formats
 * (Service Authorization Reference), and reading the locations users write in
 * specs: `s3://` URIs, ECR image URIs, KMS key ids.
 *
 * ARN layout: IAM User Guide, reference-arns ("arn:partition:service:region:account-id:resource").
 */
import { getAction, getResourceType, resourceTypesForAction } from '../catalog/catalog.js';

/** The partition a Region belongs to (IAM User Guide: reference-arns, partitions). */
export function partitionForRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

export interface ArnScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** The `${Name}` placeholders of an ARN format, in order. */
export function formatPlaceholders(format: string): string[] {
  return [...format.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1] as string);
}

/**
 * Fills an ARN format. Partition/Region/Account come from `scope`; other
 * placeholders from `values`, else `fallback` (default `*`).
 */
export function fillFormat(format: string, scope: ArnScope, values: Readonly<Record<string, string>> = {}, fallback = '*'): string {
  return format.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
    if (name === 'Partition') return scope.partition;
    if (name === 'Region') return scope.region;
    if (name === 'Account') return scope.account;
    return values[name] ?? fallback;
  });
}

/** A resource type's ARN with every name part `*`, e.g. `arn:aws:sagemaker:us-east-1:111122223333:training-job/*`. */
export function wildcardArn(service: string, resourceType: string, scope: ArnScope): string | undefined {
  const rt = getResourceType(service, resourceType);
  return rt === undefined ? undefined : fillFormat(rt.arnFormat, scope);
}

/**
 * ARNs covering every resource of the action's required resource types (all
 * types when none is marked required), names wildcarded; `["*"]` when the
 * action supports no resource-level permissions (Service Authorization
 * Reference: an empty resource-types column means `"Resource": "*"`).
 */
export function wildcardArnsForAction(action: string, scope: ArnScope): string[] {
  const types = resourceTypesForAction(action);
  if (types.length === 0) return ['*'];
  const required = types.filter((t) => t.required);
  const chosen = required.length > 0 ? required : types;
  return [...new Set(chosen.map((t) => fillFormat(t.arnFormat, scope)))];
}

/** Does the action (or one of its resource types) accept this condition key? Templated keys match by prefix. */
export function actionSupportsKey(action: string, key: string, where: 'action' | 'resource' | 'any' = 'any'): boolean {
  const info = getAction(action);
  if (info === undefined) return false;
  const lower = key.toLowerCase();
  const matches = (keys: readonly string[] | undefined): boolean =>
    (keys ?? []).some((k) => {
      const kl = k.toLowerCase();
      const brace = kl.indexOf('${');
      return brace >= 0 ? lower.startsWith(kl.slice(0, brace)) : kl === lower;
    });
  if (where !== 'resource' && matches(info.conditionKeys)) return true;
  if (where === 'action') return false;
  return resourceTypesForAction(action).some((rt) => matches(rt.conditionKeys));
}

// ---------------------------------------------------------------------------
// S3

export interface S3Location {
  readonly uri: string;
  readonly bucket: string;
  /** Key or key prefix, without a trailing `*`; '' for the whole bucket. */
  readonly key: string;
  /** prefix: every key starting with `key`; object: exactly `key`. */
  readonly kind: 'prefix' | 'object';
}

/** Bucket naming rules (Amazon S3 User Guide: bucket naming rules), loosely: 3-63 of [a-z0-9.-]. */
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Reads `s3://bucket[/key]`. A URI that names only the bucket, ends in `/`
 * (a folder) or ends in `*` is a prefix; anything else is one object.
 */
export function parseS3Uri(uri: string): S3Location | string {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (m === null) return `not an s3:// URI: ${JSON.stringify(uri)}`;
  const bucket = m[1] as string;
  if (!BUCKET_RE.test(bucket)) return `not a valid bucket name: ${JSON.stringify(bucket)}`;
  let key = m[2] ?? '';
  if (key === '') return { uri, bucket, key: '', kind: 'prefix' };
  if (key.endsWith('*')) {
    key = key.replace(/\*+$/, '');
    if (key.includes('*')) return `a * may only end an S3 URI: ${JSON.stringify(uri)}`;
    return { uri, bucket, key, kind: 'prefix' };
  }
  if (key.includes('*')) return `a * may only end an S3 URI: ${JSON.stringify(uri)}`;
  return { uri, bucket, key, kind: key.endsWith('/') ? 'prefix' : 'object' };
}

/** `arn:aws:s3:::bucket` (S3 ARNs have no Region or account: Amazon S3 resource types). */
export function s3BucketArn(loc: { bucket: string }, partition: string): string {
  return `arn:${partition}:s3:::${loc.bucket}`;
}

/** `s3://b/p/` → `arn:aws:s3:::b/p/*`; `s3://b/k` → `arn:aws:s3:::b/k`. */
export function s3ObjectArn(loc: S3Location, partition: string): string {
  return `arn:${partition}:s3:::${loc.bucket}/${loc.key}${loc.kind === 'prefix' ? '*' : ''}`;
}

/** The `s3:prefix` value (StringLike) that lets ListBucket list this location; undefined for the whole bucket. */
export function s3ListPrefix(loc: S3Location): string | undefined {
  if (loc.key === '') return undefined;
  return loc.kind === 'prefix' ? `${loc.key}*` : loc.key;
}

// ---------------------------------------------------------------------------
// ECR

export interface EcrRepository {
  readonly account: string;
  readonly region: string;
  readonly name: string;
}

/**
 * Reads an image URI `ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]/NAME[:tag|@digest]`,
 * a repository ARN, or a bare repository name (in the spec's account and Region).
 */
export function parseEcrImage(image: string, scope: ArnScope): EcrRepository | string {
  const arn = /^arn:[^:]+:ecr:([^:]+):(\d{12}):repository\/(.+)$/.exec(image);
  if (arn) return { region: arn[1] as string, account: arn[2] as string, name: arn[3] as string };
  const uri = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?:[:@].*)?$/.exec(image);
  if (uri) return { account: uri[1] as string, region: uri[2] as string, name: uri[3] as string };
  if (/^[a-z0-9][a-z0-9._/-]*$/.test(image) && !image.includes('.amazonaws.com')) {
    return { account: scope.account, region: scope.region, name: image };
  }
  return `not an ECR image URI, repository ARN or repository name: ${JSON.stringify(image)}`;
}

/** `arn:aws:ecr:REGION:ACCOUNT:repository/NAME` (the catalog's ECR repository format; seed 003 omits Region and account). */
export function ecrRepositoryArn(repo: EcrRepository, partition: string): string {
  return `arn:${partition}:ecr:${repo.region}:${repo.account}:repository/${repo.name}`;
}

// ---------------------------------------------------------------------------
// KMS

/**
 * A KMS key ARN from an ARN or a bare key id. Aliases are refused: KMS
 * authorizes use of a key against the key ARN, so an alias ARN in Resource
 * does not match (AWS KMS Developer Guide: using aliases to control access).
 */
export function kmsKeyArn(key: string, scope: ArnScope): string | { error: string } {
  if (/^arn:[^:]+:kms:[^:]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(key)) return key;
  if (/^(mrk-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key) || /^mrk-[0-9a-f]{32}$/.test(key)) {
    return `arn:${scope.partition}:kms:${scope.region}:${scope.account}:key/${key}`;
  }
  if (key.startsWith('alias/') || key.includes(':alias/')) {
    return { error: `${JSON.stringify(key)} is an alias; give the key ARN or key id (policies on key use match the key ARN, not the alias)` };
  }
  return { error: `not a KMS key ARN or key id: ${JSON.stringify(key)}` };
}
