/**
 * Reading request parameters for generate from-cloudtrail: the parameter that
 * names a placeholder of a resource type's ARN format (Service Authorization
 * Reference), and the actions request headers add (Amazon S3 API Reference,
 * PutObject permissions).
 */
import { Catalog } from '../catalog/catalog.js';
import { formatPlaceholders } from './arn.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
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
export function namePlaceholders(formats: readonly string[]): Map<string, number> {
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
export function placeholderValues(ph: string, params: Record<string, unknown>, named: ReadonlyMap<string, number>): string[] {
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
export function headerCompanions(action: string, params: Record<string, unknown>, catalog: Catalog = new Catalog()): string[] {
  const info = catalog.getAction(action);
  if (info === undefined) return [];
  const own = new Set(catalog.resourceTypesForAction(action).map((t) => t.key));
  const out = new Set<string>();
  for (const [k, v] of Object.entries(params)) {
    if (!/^x-amz-/i.test(k) || (typeof v !== 'string' && !Array.isArray(v))) continue;
    const words = k.toLowerCase().slice('x-amz-'.length).split('-');
    const runs = new Set<string>(words[0] === 'grant' ? ['acl'] : []);
    for (let i = 0; i < words.length; i++) for (let j = i + 1; j <= words.length; j++) runs.add(words.slice(i, j).join(''));
    for (const run of runs) {
      const dep = catalog.getAction(`${info.service}:${info.name}${run}`);
      if (dep === undefined || dep.name.toLowerCase() === info.name.toLowerCase()) continue;
      const types = catalog.resourceTypesForAction(`${dep.service}:${dep.name}`).map((t) => t.key);
      if (types.length > 0 && types.every((t) => own.has(t))) out.add(`${dep.service}:${dep.name}`);
    }
  }
  return [...out].sort();
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
