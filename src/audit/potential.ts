/**
 * Escalation the principal's own policies allow but the account model gives
 * no target for: cloudsplaining's "privilege escalation" category, which
 * judges a principal by its policies alone. The graph (graph.ts) proves a
 * path only when the model holds what the technique needs — a role the
 * principal can assume and then edit, a second version of a policy, a role a
 * service can assume. When it does not, the capability is still reported, as
 * a risk marked `potential` and a SECURITY_WARNING, so that a principal built
 * to escalate is never silent just because the export lacks the other half.
 *
 * The techniques and their decisions are escalationRisks' (policies.ts), the
 * one check `lint --principal` and `generate` use, with the principal's
 * identity policies (its groups' included) and permissions boundary.
 */
import { findPrincipal, principalPolicies, type Universe } from '../account/query.js';
import type { Policy } from '../policy/model.js';
import { parseModelPolicy } from '../account/parsed-policies.js';
import type { Catalog } from '../catalog/catalog-object.js';
import { escalationRisks, type EscalationRisk } from './policies.js';

export interface PotentialEscalation {
  /** Technique ids, in techniques.ts order. */
  readonly techniques: readonly string[];
  /** The actions the techniques need, each once. */
  readonly actions: readonly string[];
}

function parsed(u: Universe, doc: string, name: string): Policy | undefined {
  return parseModelPolicy(u, doc, 'identity', name, true).policy;
}

/** The techniques the principal's policies allow; undefined when none (or the principal is not modelled). */
export function potentialEscalation(u: Universe, arn: string, at: Date, catalog?: Catalog): PotentialEscalation | undefined {
  const p = findPrincipal(u, arn);
  if (p === undefined || p.kind === 'root') return undefined;
  const pp = principalPolicies(p);
  const identity = pp.identity.map((x) => parsed(u, x.document, x.name)).filter((x): x is Policy => x !== undefined);
  const boundary = pp.boundary ? parsed(u, pp.boundary.document, pp.boundary.name) : undefined;
  // A boundary that cannot be read can only deny: nothing is allowed, so nothing is reported as possible.
  if (pp.boundary && boundary === undefined) return undefined;
  const risks: EscalationRisk[] = escalationRisks(identity, boundary ? [boundary] : [], at, catalog);
  if (risks.length === 0) return undefined;
  return {
    techniques: risks.map((r) => r.technique.id),
    actions: [...new Set(risks.flatMap((r) => r.grants.map((g) => g.action)))],
  };
}
