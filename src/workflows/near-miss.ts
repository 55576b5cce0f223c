/**
 * Near misses: an Allow whose Action matched the request but whose Resource
 * did not. A reviewer fixes such a statement in place rather than adding a new
 * one, so each gap recognised here says what did not match and the value that
 * replaces the pattern:
 *  - the pattern leaves out the Region and/or account that the service writes
 *    in its ARNs (e.g. `arn:aws:ecr:::repository/my-repo` as published in
 *    SageMaker's documentation): an empty ARN component matches only an empty
 *    one (IAM User Guide, reference_policies_elements_resource, "Including
 *    wildcard characters in the resource ARN");
 *  - the pattern names a key or path with no wildcard while the request is for
 *    a resource under it (`arn:aws:s3:::bucket/path` vs `bucket/path/x`):
 *    Resource patterns match the whole ARN;
 *  - the pattern differs from the resource only in letter case: the resource
 *    part of an ARN is case-sensitive.
 * Patterns with policy variables are not rewritten.
 */
import { parseArn } from '../primitives/arn.js';
import { compileArnPattern } from '../eval/match/arn.js';
import { hasWildcards } from '../primitives/wildcard.js';

export interface ResourceGap {
  /** The pattern in the statement. */
  readonly from: string;
  /** The pattern that replaces it. */
  readonly to: string;
  /** What did not match, in words. */
  readonly why: string;
}

function matches(pattern: string, resource: string): boolean {
  return compileArnPattern(pattern)(resource);
}

function missingParts(pattern: string, resource: string): ResourceGap | undefined {
  const p = parseArn(pattern);
  const r = parseArn(resource);
  if (p === undefined || r === undefined) return undefined;
  const lacksRegion = p.region === '' && r.region !== '';
  const lacksAccount = p.account === '' && r.account !== '';
  if (!lacksRegion && !lacksAccount) return undefined;
  const to = `arn:${p.partition}:${p.service}:${lacksRegion ? r.region : p.region}:${lacksAccount ? r.account : p.account}:${p.resource}`;
  if (!matches(to, resource)) return undefined;
  const what = lacksRegion && lacksAccount ? 'Region and account' : lacksRegion ? 'Region' : 'account';
  return { from: pattern, to, why: `${pattern} has no ${what}, so it matches no ${p.service} resource of this account` };
}

function underPrefix(pattern: string, resource: string, fixResource: string | undefined): ResourceGap | undefined {
  if (hasWildcards(pattern) || !resource.startsWith(`${pattern}/`)) return undefined;
  const to = fixResource?.startsWith(`${pattern}/`) && matches(fixResource, resource) ? fixResource : `${pattern}/*`;
  return { from: pattern, to, why: `${pattern} matches only that exact resource, and the request is for ${resource} under it` };
}

function caseOnly(pattern: string, resource: string): ResourceGap | undefined {
  if (hasWildcards(pattern) || pattern === resource || pattern.toLowerCase() !== resource.toLowerCase()) return undefined;
  return { from: pattern, to: resource, why: `${pattern} differs from ${resource} in letter case, and resource ARNs are case-sensitive` };
}

/** The first gap that explains why `pattern` misses `resource`, if one is recognised. */
export function resourceGap(pattern: string, resource: string, fixResource?: string): ResourceGap | undefined {
  if (pattern.includes('${')) return undefined;
  return missingParts(pattern, resource) ?? underPrefix(pattern, resource, fixResource) ?? caseOnly(pattern, resource);
}

/** The values of a statement element (a string or a list of strings). */
export function valuesOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
