/**
 * The linter: parses a policy with the shared parser (its diagnostics become
 * findings), then runs each rule family over the parsed model.
 */
import { Catalog } from '../catalog/catalog-object.js';
import { findNodeAtLocation, getNodeValue } from 'jsonc-parser';
import type { PolicyType } from '../policy/model.js';
import { parseJson } from '../policy/json-source.js';
import { parsePolicy } from '../policy/parse.js';
import { checkJsonBounds, MAX_NESTING_DEPTH, MAX_POLICY_CHARS } from '../diagnostics/input-text.js';
import { checkSize } from './size.js';
import { checkActions } from './actions.js';
import { checkConditions } from './conditions.js';
import { checkExposure } from './exposure.js';
import { LintContext } from './context.js';
import { compareFindings } from './finding.js';
import type { Finding } from './finding.js';
import { mapDiagnostics } from './parse-map.js';
import { checkPassRole } from './passrole.js';
import { checkPrincipalActions } from './principals.js';
import { checkPrivilegeEscalation } from './privesc.js';
import { checkRedundancy } from './redundancy.js';
import { checkResources } from './resources.js';
import { checkTagLogic } from './tags.js';
import { checkWildcards } from './wildcards.js';
import { inferPolicyType, looksLikeTrustPolicy } from './policy-type.js';
import type { InferredPolicyType } from './policy-type.js';

export { inferPolicyType, looksLikeTrustPolicy } from './policy-type.js';
export type { InferredPolicyType } from './policy-type.js';

export interface LintOptions {
  readonly type: PolicyType;
  /** File name reported with each finding. */
  readonly file?: string;
  /** Name used to cite the policy in cross-policy messages; default: file. */
  readonly name?: string;
  /**
   * Accept documentation-style JSON (comments, trailing commas): one
   * SUGGESTION instead of a JSON_SYNTAX_ERROR. Either way the other checks run.
   */
  readonly lenient?: boolean;
  /** The catalog to ask (an engine's, `Iamsim.catalog`): pass one across many policies; default: one for this call. */
  readonly catalog?: Catalog;
}

export interface PrincipalDocument {
  readonly name: string;
  readonly text: string;
  readonly type: PolicyType;
}

/** Rule families that look at one policy at a time, in order. */
const SINGLE_POLICY_RULES: readonly ((ctx: LintContext) => void)[] = [
  checkActions,
  checkResources,
  checkConditions,
  checkPrincipalActions,
  checkTagLogic,
  checkPassRole,
  checkWildcards,
  checkExposure,
  checkRedundancy,
];

interface Linted {
  readonly findings: Finding[];
  readonly ctx: LintContext | undefined;
}

/** Findings for a document the parser refuses to read (too deep or too large): nothing else is run. */
function unreadable(text: string, options: LintOptions): Linted {
  const { diagnostics } = parsePolicy(text, {
    type: options.type,
    name: options.name ?? options.file ?? 'policy',
    lenient: true,
    ...(options.file !== undefined ? { file: options.file } : {}),
  });
  return { findings: mapDiagnostics(diagnostics, { type: options.type, lenient: options.lenient === true, valueAt: () => undefined }), ctx: undefined };
}

function lintOne(text: string, given: LintOptions, rules: readonly ((ctx: LintContext) => void)[] = SINGLE_POLICY_RULES): Linted {
  if (checkJsonBounds(text, MAX_NESTING_DEPTH, MAX_POLICY_CHARS) !== undefined) return unreadable(text, given);
  const { root, errors } = parseJson(text);
  const asTrust = given.type === 'resource' && root !== undefined && looksLikeTrustPolicy(getNodeValue(root));
  const options: LintOptions = asTrust ? { ...given, type: 'trust' } : given;
  const lenient = options.lenient === true;
  const name = options.name ?? options.file ?? 'policy';
  const { policy, diagnostics } = parsePolicy(text, {
    type: options.type,
    name,
    lenient: true,
    ...(options.file !== undefined ? { file: options.file } : {}),
  });
  const valueAt = (path: readonly (string | number)[]): unknown => (root ? findNodeAtLocation(root, [...path])?.value : undefined);
  const findings = mapDiagnostics(diagnostics, { type: options.type, lenient, valueAt });
  // After a real syntax error the tree is a guess: stop at the JSON findings.
  if (!policy || !root || errors.length > 0) return { findings, ctx: undefined };
  const ctx = new LintContext(text, root, policy, options.type, options.file, options.catalog ?? new Catalog());
  const size = checkSize(text, options.type);
  if (size !== undefined) ctx.report(size.code, size.message, ctx.span(root), []);
  if (size?.skipRest === true) return { findings: [...findings, ...ctx.findings], ctx: undefined };
  for (const rule of rules) rule(ctx);
  return { findings, ctx };
}

/**
 * The policy type a document's shape implies (`lint FILE` without --policy-type): trust, RCP, resource or
 * identity, with the reason. Text that is not JSON even leniently is identity.
 */
export function inferDocumentType(text: string): InferredPolicyType {
  if (checkJsonBounds(text, MAX_NESTING_DEPTH, MAX_POLICY_CHARS) !== undefined) return { type: 'identity', reason: 'unreadable document' };
  const { root } = parseJson(text);
  return inferPolicyType(root ? getNodeValue(root) : undefined);
}

function finish(findings: Finding[]): Finding[] {
  return findings.sort(compareFindings);
}

/** Lints one policy document; findings are in document order. */
export function lintPolicy(text: string, options: LintOptions): Finding[] {
  const { findings, ctx } = lintOne(text, options);
  if (ctx && (options.type === 'identity' || options.type === 'session')) checkPrivilegeEscalation([ctx]);
  return finish([...findings, ...(ctx?.findings ?? [])]);
}

/**
 * Lints all the policies of one principal: each document on its own, plus
 * the checks that need all of them together (privilege escalation across
 * identity-based policies, filtered by any permissions boundary among them).
 * Each document's `name` is used as its file name.
 */
export function lintPolicies(docs: readonly PrincipalDocument[], options: { readonly lenient?: boolean; readonly catalog?: Catalog } = {}): Finding[] {
  const catalog = options.catalog ?? new Catalog();
  const all: Finding[] = [];
  const grants: LintContext[] = [];
  const boundaries: LintContext[] = [];
  const contexts: LintContext[] = [];
  for (const doc of docs) {
    const { findings, ctx } = lintOne(doc.text, {
      type: doc.type,
      file: doc.name,
      name: doc.name,
      catalog,
      ...(options.lenient !== undefined ? { lenient: options.lenient } : {}),
    });
    all.push(...findings);
    if (!ctx) continue;
    contexts.push(ctx);
    if (doc.type === 'identity' || doc.type === 'session') grants.push(ctx);
    else if (doc.type === 'boundary') boundaries.push(ctx);
  }
  checkPrivilegeEscalation(grants, boundaries);
  for (const ctx of contexts) all.push(...ctx.findings);
  return finish(all);
}

/**
 * Only the checks that need all of one principal's policies together
 * (privilege escalation across its identity-based policies, under its
 * boundary): each finding's `file` is the name of the document it points into.
 */
export function crossPolicyFindings(
  docs: readonly PrincipalDocument[],
  options: { readonly lenient?: boolean; readonly cache?: Map<string, LintContext | undefined>; readonly catalog?: Catalog } = {},
): Finding[] {
  const catalog = options.catalog ?? new Catalog();
  const grants: LintContext[] = [];
  const boundaries: LintContext[] = [];
  const before = new Map<LintContext, number>();
  for (const doc of docs) {
    // Only the parsed model is needed here (the single-policy rules ran on each document already);
    // a cache shared across principals parses each (type, name, text) once.
    const id = `${doc.type}\u0000${doc.name}\u0000${doc.text}`;
    let ctx = options.cache?.get(id);
    if (ctx === undefined && !options.cache?.has(id)) {
      ctx = lintOne(doc.text, { type: doc.type, file: doc.name, name: doc.name, catalog }, []).ctx;
      options.cache?.set(id, ctx);
    }
    if (!ctx) continue;
    before.set(ctx, ctx.findings.length);
    if (doc.type === 'identity' || doc.type === 'session') grants.push(ctx);
    else if (doc.type === 'boundary') boundaries.push(ctx);
  }
  checkPrivilegeEscalation(grants, boundaries);
  const out: Finding[] = [];
  for (const [ctx, n] of before) out.push(...ctx.findings.slice(n));
  return finish(out);
}
