/**
 * Resource-based policies folded into a principal's effective set: within
 * one account, a resource-based policy that names a user or role by ARN
 * grants it the request on that resource even when no identity-based policy
 * does, and a Deny in a resource-based policy that applies to it denies
 * (IAM User Guide, reference_policies_evaluation-logic.html, "Resource-based
 * policies" and "How AWS enforcement code logic evaluates requests"). Each
 * such statement becomes an identity-side statement scoped to the resource it
 * is attached to, so the new-access check over the principal's set sees it.
 *
 * What is folded, per the evaluator's own principal matching (eval/principal.ts):
 * - an Allow that names the role (its ARN) or the user (its ARN); for a role
 *   the permissions boundary still applies (the role path of eval/combine.ts),
 *   so the statement joins the identity policies; for a user with a boundary
 *   the grant stands outside the boundary, which one identity layer cannot
 *   say: the set is then marked undecided;
 * - a Deny that applies to the principal however it names it ("*", the
 *   account, NotPrincipal);
 * - an Allow to "*" only when the policy holds a value known only after apply
 *   (the unknown value may name the principal); a literal "*" grant is reported
 *   as the resource's own new access and exposure, not as every principal's.
 * An Allow naming the account delegates to the identity policies: it adds nothing.
 * Only policies of the principal's own account are folded (cross-account
 * access needs both sides, which the identity set already bounds).
 */
import type { ResourcePolicy } from '../../account/model.js';
import type { Universe } from '../../account/query.js';
import { compilePolicy, type CompiledPolicy, type CompiledStatement } from '../../eval/compile.js';
import { classifyCaller } from '../../eval/principal.js';
import type { DocumentOrigin } from '../../account/model.js';
import { parsePolicy } from '../../policy/parse.js';
import { hasWildcards, wildcardContains } from '../../primitives/wildcard.js';

export interface FoldedPolicy {
  /** An identity-type policy holding the folded statements. */
  readonly text: string;
  /** The resource or trust policy's own (bounded) text: what its unknown values are looked up in. */
  readonly from: string;
  readonly name: string;
  readonly origin?: DocumentOrigin;
}

export interface Folded {
  readonly policies: readonly FoldedPolicy[];
  /** Why the set cannot say exactly what these policies grant (empty: it can). */
  readonly undecided: readonly string[];
}

export interface FoldSubject {
  readonly arn: string;
  readonly kind: 'user' | 'role';
  readonly account: string;
  readonly hasBoundary: boolean;
}

interface Attached {
  readonly arn: string;
  readonly text: string;
  readonly type: 'resource' | 'trust';
  /** The resources the policy governs: the resource itself (and a bucket's objects). */
  readonly scope: readonly string[];
  readonly origin?: DocumentOrigin;
}

function attached(u: Universe, account: string): Attached[] {
  const out: Attached[] = [];
  for (const rp of u.resourcePolicies.values()) {
    if (rp.accountId !== account) continue;
    out.push({ arn: rp.arn, text: rp.document, type: 'resource', scope: scopeOf(rp), ...(rp.origin ? { origin: rp.origin } : {}) });
  }
  for (const r of u.accounts.get(account)?.roles ?? []) {
    out.push({ arn: r.arn, text: r.trustPolicy, type: 'trust', scope: [r.arn], ...(r.trustPolicyOrigin ? { origin: r.trustPolicyOrigin } : {}) });
  }
  return out;
}

function scopeOf(rp: ResourcePolicy): string[] {
  return rp.kind === 's3-bucket' ? [rp.arn, `${rp.arn}/*`] : [rp.arn];
}

/** The part of a statement's Resource inside the policy's scope; `undefined` when it overlaps the scope only in part. */
function scoped(patterns: readonly string[] | undefined, scope: readonly string[]): string[] | undefined {
  if (patterns === undefined) return [...scope];
  const out = new Set<string>();
  for (const p of patterns) {
    if (p === '*') {
      for (const s of scope) out.add(s);
      continue;
    }
    const inside = scope.some((s) => wildcardContains(s, p, false));
    if (inside) {
      out.add(p);
      continue;
    }
    const covered = scope.filter((s) => wildcardContains(p, s, false));
    for (const s of covered) out.add(s);
    if (covered.length === scope.length || !hasWildcards(p)) continue;
    // A pattern whose literal start is compatible with an uncovered part of the scope may match some of it.
    const head = p.slice(0, Math.min(...['*', '?'].map((c) => (p.includes(c) ? p.indexOf(c) : p.length))));
    if (scope.some((s) => !covered.includes(s) && (s.startsWith(head) || head.startsWith(s.replace(/\*$/, ''))))) return undefined;
  }
  return [...out];
}

function statementsOf(text: string): unknown[] {
  try {
    const doc = JSON.parse(text) as { Statement?: unknown };
    return Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement];
  } catch {
    return [];
  }
}

/** Whether the statement is folded for the subject, and why not exactly when it cannot be. */
function verdict(st: CompiledStatement, s: FoldSubject, holed: boolean): 'fold' | 'skip' | string {
  const match = st.matchPrincipal?.(classifyCaller(s.arn));
  if (match === undefined) return 'skip';
  if (st.isDeny) return 'fold';
  if (match === 'account') return 'skip';
  if ((match === 'wildcard' || match === 'not-principal') && !holed) return 'skip';
  if ((s.kind === 'user' || match === 'wildcard' || match === 'not-principal') && s.hasBoundary)
    return `a resource-based policy names ${s.arn}, which has a permissions boundary: that grant is not limited by it`;
  return 'fold';
}

/** A resource or trust policy parsed and compiled (undefined when it does not parse: reported where it is checked). */
export function compileAttached(text: string, type: 'resource' | 'trust'): CompiledPolicy | undefined {
  const { policy } = parsePolicy(text, { type, name: type, file: type });
  return policy === undefined ? undefined : compilePolicy(policy, type);
}

/**
 * The folded policies of a principal: one per resource or trust policy of its account with a statement that
 * applies to it. `holed(text)`: whether a policy text holds a value known only after apply; `compile`: compileAttached
 * or a memo of it.
 */
export function foldFor(
  u: Universe,
  s: FoldSubject,
  holed: (text: string) => boolean,
  compile: (text: string, type: 'resource' | 'trust') => CompiledPolicy | undefined = compileAttached,
): Folded {
  const policies: FoldedPolicy[] = [];
  const undecided: string[] = [];
  for (const a of attached(u, s.account)) {
    if (!a.text.includes('rincipal')) continue;
    const compiled = compile(a.text, a.type);
    if (compiled === undefined) continue;
    const policy = compiled.policy;
    const raw = statementsOf(a.text);
    const kept: unknown[] = [];
    const isHoled = holed(a.text);
    for (const st of compiled.statements) {
      const v = verdict(st, s, isHoled);
      if (v === 'skip') continue;
      if (v !== 'fold') {
        undecided.push(v);
        continue;
      }
      const body = raw[st.ref.index];
      if (typeof body !== 'object' || body === null) continue;
      const { Principal: _p, NotPrincipal: _np, Resource: _r, NotResource: notResource, ...rest } = body as Record<string, unknown>;
      if (notResource !== undefined) {
        undecided.push(`a statement of the ${a.type} policy of ${a.arn} that applies to ${s.arn} uses NotResource`);
        continue;
      }
      const resources = scoped(st.statement.resource?.values, a.scope);
      if (resources === undefined) {
        undecided.push(`a statement of the ${a.type} policy of ${a.arn} names ${s.arn} on resources that overlap ${a.arn} only in part`);
        continue;
      }
      if (resources.length > 0) kept.push({ ...rest, Resource: resources });
    }
    if (kept.length === 0) continue;
    policies.push({
      text: JSON.stringify({ Version: policy.version ?? '2012-10-17', Statement: kept }),
      from: a.text,
      name: `${a.type === 'trust' ? 'trust policy' : 'resource policy'} of ${a.arn}`,
      ...(a.origin ? { origin: a.origin } : {}),
    });
  }
  return { policies, undecided };
}
