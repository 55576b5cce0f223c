/**
 * Accepted access: what a team has approved, as access (actions on
 * resources, optionally for a principal or on a resource's policy), not as a
 * rule id. New access within it is not reported; access beyond it (a later
 * widening) still is. The file is YAML or JSON:
 *
 *   accepted:
 *     - principal: arn:aws:iam::111122223333:role/NotebookRole   # optional, wildcards allowed
 *       actions: [s3:GetObject]
 *       resources: ["arn:aws:s3:::ml-data/*"]                  # optional, default *
 *     - resource: arn:aws:s3:::ml-data                           # a resource policy's new grants
 *       principals: ["arn:aws:iam::444455556666:root"]           # optional, default anyone
 *       actions: [s3:GetObject]
 */
import { parse as parseYaml } from 'yaml';
import { compilePolicy } from '../../eval/compile.js';
import { compileWildcard } from '../../primitives/wildcard.js';
import { parsePolicy } from '../../policy/parse.js';
import type { PolicySet } from '../../reason/problem.js';

export interface AcceptEntry {
  readonly principal?: string;
  readonly resource?: string;
  readonly principals?: readonly string[];
  readonly actions: readonly string[];
  readonly resources?: readonly string[];
  readonly reason?: string;
}

export class AcceptError extends Error {}

function strings(v: unknown, where: string, required: boolean): string[] | undefined {
  if (v === undefined && !required) return undefined;
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || list.some((x) => typeof x !== 'string' || x === '')) {
    throw new AcceptError(`${where}: expected a non-empty list of strings`);
  }
  return list as string[];
}

/** Reads an accept file's text; errors name the entry. */
export function readAccept(text: string, file: string): AcceptEntry[] {
  let v: unknown;
  try {
    v = parseYaml(text);
  } catch (e) {
    throw new AcceptError(`${file}: not YAML or JSON (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  const list = Array.isArray(v) ? v : (v as { accepted?: unknown } | null)?.accepted;
  if (!Array.isArray(list)) throw new AcceptError(`${file}: expected a list, or a mapping with an "accepted" list`);
  return list.map((item: unknown, i): AcceptEntry => {
    const where = `${file}: accepted[${i}]`;
    if (typeof item !== 'object' || item === null) throw new AcceptError(`${where}: expected a mapping`);
    const o = item as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!['principal', 'resource', 'principals', 'actions', 'resources', 'reason'].includes(k))
        throw new AcceptError(`${where}: unknown key ${JSON.stringify(k)}`);
    }
    const one = (k: string): string | undefined => {
      if (o[k] === undefined) return undefined;
      if (typeof o[k] !== 'string' || o[k] === '') throw new AcceptError(`${where}.${k}: expected a string`);
      return o[k] as string;
    };
    const principal = one('principal');
    const resource = one('resource');
    const reason = one('reason');
    const principals = strings(o['principals'], `${where}.principals`, false);
    const resources = strings(o['resources'], `${where}.resources`, false);
    return {
      actions: strings(o['actions'], `${where}.actions`, true)!,
      ...(principal ? { principal } : {}),
      ...(resource ? { resource } : {}),
      ...(principals ? { principals } : {}),
      ...(resources ? { resources } : {}),
      ...(reason ? { reason } : {}),
    };
  });
}

function applies(pattern: string | undefined, arn: string): boolean {
  return pattern === undefined || compileWildcard(pattern, false)(arn);
}

function compile(doc: unknown, type: 'identity' | 'resource', id: string) {
  const { policy, diagnostics } = parsePolicy(JSON.stringify(doc), { type, name: id });
  if (!policy || diagnostics.some((d) => d.severity === 'error')) {
    throw new AcceptError(`accepted access for ${id}: ${diagnostics.map((d) => d.message).join('; ')}`);
  }
  return compilePolicy(policy, id);
}

/** Accepted access of a principal, as an identity-side set; undefined when nothing applies. */
export function acceptedForPrincipal(entries: readonly AcceptEntry[], arn: string): PolicySet | undefined {
  const mine = entries.filter((e) => e.resource === undefined && applies(e.principal, arn));
  if (mine.length === 0) return undefined;
  const Statement = mine.map((e) => ({ Effect: 'Allow', Action: e.actions, Resource: e.resources ?? '*' }));
  return { mode: 'identity', identity: [compile({ Version: '2012-10-17', Statement }, 'identity', 'Accepted')], boundary: [], scp: [] };
}

function principalBlock(list: readonly string[]): Record<string, string[]> {
  const service = list.filter((p) => p.endsWith('.amazonaws.com') || p.endsWith('.amazonaws.com.cn'));
  const aws = list.filter((p) => !service.includes(p));
  return { ...(aws.length > 0 ? { AWS: aws } : {}), ...(service.length > 0 ? { Service: service } : {}) };
}

/** Accepted grants of a resource's (or trust) policy, as a resource-side set. */
export function acceptedForResource(entries: readonly AcceptEntry[], arn: string, trust: boolean): PolicySet | undefined {
  const mine = entries.filter((e) => e.resource !== undefined && applies(e.resource, arn));
  if (mine.length === 0) return undefined;
  const Statement = mine.map((e) => ({
    Effect: 'Allow',
    Principal: e.principals ? principalBlock(e.principals) : '*',
    Action: e.actions,
    Resource: e.resources ?? (trust ? arn : '*'),
  }));
  return { mode: 'resource', identity: [], boundary: [], scp: [], resource: compile({ Version: '2012-10-17', Statement }, 'resource', 'Accepted') };
}
