/**
 * The Bedrock part of the MLSpace notebook policy (seed 004, statement 14),
 * rebuilt so that its tag conditions enforce tags instead of requiring their
 * absence, on Bedrock ARNs instead of SageMaker ARNs.
 *
 * Tag conditions only work where the request context carries the key
 * (IAM User Guide: controlling access using tags; Service Authorization
 * Reference: condition keys per action and resource type), so every action
 * the seed's patterns cover is sorted by the catalog into:
 *  - create calls that accept request tags: require aws:RequestTag/user and
 *    /project and the system tag;
 *  - calls on taggable resources: require the same tags on the resource
 *    (aws:ResourceTag);
 *  - calls on resources that cannot be tagged (foundation models, AWS-defined
 *    inference profiles, …) or on no resource at all: no tag condition, since
 *    any tag condition would deny them outright.
 */
import { expandActionPattern, getAction, listActions, resourceTypesForAction } from '../catalog/catalog.js';
import { fillFormat, type ArnScope } from './arn.js';
import { compareStrings, type ConditionMap, type GenStatement } from './policy-doc.js';

/** The seed's patterns, "mutating" then "non-mutating" (bedrock:Retrieve* appeared in both). */
export const BEDROCK_PATTERNS = [
  'Associate*',
  'Create*',
  'BatchDelete*',
  'Delete*',
  'Put*',
  'Retrieve*',
  'Start*',
  'Update*',
  'Apply*',
  'Detect*',
  'List*',
  'Get*',
  'Invoke*',
] as const;

const REQUEST_TAG = 'aws:requesttag/${tagkey}';
const RESOURCE_TAG = 'aws:resourcetag/${tagkey}';

export type TagConditionBuilder = (kind: 'RequestTag' | 'ResourceTag') => ConditionMap;

/** Bedrock statements for the MLSpace notebook policy. */
export function bedrockStatements(scope: ArnScope, tagConditions: TagConditionBuilder): GenStatement[] {
  const actions = new Set<string>();
  for (const p of BEDROCK_PATTERNS) for (const a of expandActionPattern(`bedrock:${p}`)) actions.add(a);

  const create = new Set<string>();
  const createStar = new Set<string>();
  const createArns = new Set<string>();
  const tagged = new Set<string>();
  const taggedArns = new Set<string>();
  const untagged = new Set<string>();
  const untaggedArns = new Set<string>();
  const global = new Set<string>();

  for (const action of [...actions].sort(compareStrings)) {
    const info = getAction(action);
    if (info === undefined) continue;
    const types = resourceTypesForAction(action);
    const acceptsRequestTags = info.conditionKeys.some((k) => k.toLowerCase() === REQUEST_TAG);
    if (info.name.startsWith('Create') && acceptsRequestTags) {
      const required = types.filter((t) => t.required);
      if (required.length === 0) createStar.add(action);
      else {
        create.add(action);
        for (const t of required) createArns.add(fillFormat(t.arnFormat, scope));
      }
      continue;
    }
    if (types.length === 0) {
      global.add(action);
      continue;
    }
    for (const t of types) {
      const arn = fillFormat(t.arnFormat, scope);
      if ((t.conditionKeys ?? []).some((k) => k.toLowerCase() === RESOURCE_TAG)) {
        tagged.add(action);
        taggedArns.add(arn);
      } else {
        untagged.add(action);
        untaggedArns.add(arn);
      }
    }
  }

  const sorted = (s: Set<string>): string[] => [...s].sort(compareStrings);
  const out: GenStatement[] = [];
  const push = (sid: string, members: Set<string>, resources: string[], conditions?: ConditionMap): void => {
    if (members.size === 0) return;
    const roots = BEDROCK_PATTERNS.map((p) => p.slice(0, -1));
    out.push({ sid, effect: 'Allow', actions: compressActions('bedrock', members, roots), resources, ...(conditions ? { conditions } : {}) });
  };
  push('BedrockCreateWithTags', create, sorted(createArns), tagConditions('RequestTag'));
  push('BedrockCreateWithTagsNoResource', createStar, ['*'], tagConditions('RequestTag'));
  push('BedrockUseTaggedResources', tagged, sorted(taggedArns), tagConditions('ResourceTag'));
  push('BedrockUseUntaggableResources', untagged, sorted(untaggedArns));
  push('BedrockAccountLevel', global, ['*']);
  return out;
}

/**
 * Shortens an action list with `Prefix*` patterns where a pattern covers only
 * members (checked against every action of the service in the catalog), so
 * the policy stays within size quotas without granting a non-member. The
 * prefix always ends at a word boundary (`GetAgent*`, never `GetAg*`) and
 * starts with one of `roots`.
 */
export function compressActions(service: string, members: ReadonlySet<string>, roots: readonly string[] = ['']): string[] {
  const all = listActions(service).map((a) => a.slice(service.length + 1));
  const isMember = (name: string): boolean => members.has(`${service}:${name}`);
  const out = new Set<string>();
  for (const full of [...members].sort(compareStrings)) {
    const name = full.slice(service.length + 1);
    let chosen = full;
    for (let len = 1; len < name.length; len++) {
      const ch = name[len] as string;
      if (ch < 'A' || ch > 'Z') continue;
      const prefix = name.slice(0, len);
      // Never broader than the patterns the policy's author wrote (Batch* when they wrote BatchDelete*).
      if (!roots.some((r) => prefix.startsWith(r))) continue;
      const covered = all.filter((n) => n.toLowerCase().startsWith(prefix.toLowerCase()));
      if (covered.length >= 2 && covered.every(isMember)) {
        chosen = `${service}:${prefix}*`;
        break;
      }
    }
    out.add(chosen);
  }
  // A pattern may make an exact name redundant (GetAgent* covers GetAgentAlias).
  const patterns = [...out].filter((a) => a.endsWith('*')).map((p) => p.slice(0, -1).toLowerCase());
  return [...out]
    .filter((a) =>
      a.endsWith('*')
        ? !patterns.some((p) => a.slice(0, -1).toLowerCase() !== p && a.toLowerCase().startsWith(p))
        : !patterns.some((p) => a.toLowerCase().startsWith(p)),
    )
    .sort(compareStrings);
}
