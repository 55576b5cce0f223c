/** Result types of the evaluator (eval/evaluate.ts). */
import type { ClauseOutcome } from './conditions/index.js';
import type { CompiledPolicy, StatementRef } from './compile.js';
import type { EvalMemo } from './memo.js';
import type { PrincipalMatch } from './principal.js';

export type EvalDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export type LayerName = 'rcp' | 'scp' | 'endpoint' | 'resource' | 'identity' | 'boundary' | 'session';

/** Why one statement did or did not apply (only with `explain`). */
export interface StatementTrace {
  readonly ref: StatementRef;
  readonly outcome: 'applied' | 'action' | 'resource' | 'principal' | 'condition' | 'error';
  readonly principalMatch?: PrincipalMatch;
  readonly clauses?: readonly ClauseOutcome[];
  readonly error?: string;
}

export interface LayerResult {
  readonly layer: LayerName;
  /** False when the layer takes no part (absent, exempt, not applicable to this caller). */
  readonly applies: boolean;
  /** allow: at least one Allow (every level for SCP/RCP); deny: an explicit Deny; none: no Allow. */
  readonly outcome: 'allow' | 'deny' | 'none' | 'skipped';
  readonly note: string;
  readonly allows: readonly StatementRef[];
  readonly denies: readonly StatementRef[];
  /** SCP/RCP: per organization level, root first. */
  readonly levels?: readonly { readonly level: number; readonly allowed: boolean }[];
  readonly statements?: readonly StatementTrace[];
}

export interface EvaluationInput {
  readonly identity: readonly CompiledPolicy[];
  /** Undefined or empty: no permissions boundary. */
  readonly boundary?: readonly CompiledPolicy[];
  /** Undefined or empty: no session policy. */
  readonly session?: readonly CompiledPolicy[];
  readonly resource?: CompiledPolicy;
  /**
   * The policy of the VPC endpoint the request travels through. It grants
   * nothing; the request must be allowed by it, and a Deny in it denies
   * (AWS PrivateLink guide, VPC endpoint policies).
   */
  readonly endpoint?: CompiledPolicy;
  /** One list per organization level (root → account) for the caller's account. */
  readonly scp?: readonly (readonly CompiledPolicy[])[];
  /** One list per organization level (root → account) for the resource owner's account. */
  readonly rcp?: readonly (readonly CompiledPolicy[])[];
  readonly callerIsManagementAccount?: boolean;
  readonly resourceOwnerIsManagementAccount?: boolean;
  readonly callerIsServiceLinkedRole?: boolean;
  /**
   * Account that owns the resource when the request does not say (RequestContext.resourceOwner
   * wins); default: the caller's account.
   */
  readonly resourceOwnerAccount?: string;
}

export interface EvaluateOptions {
  /** Build per-statement traces and per-layer notes (slower). */
  readonly explain?: boolean;
  /** Use the per-action statement index (default true); false runs the plain scan. */
  readonly useIndex?: boolean;
  /**
   * What to remember between decisions (callers classified, actions lower-cased): a long-lived process passes
   * its engine's (`Iamsim.memo`); without one each decision computes them afresh (same answer, slower).
   */
  readonly memo?: EvalMemo;
}

export interface Decision {
  readonly decision: EvalDecision;
  /** The statements that decided: the Denies for explicitDeny, the Allows that granted for allowed. */
  readonly matchedStatements: readonly StatementRef[];
  /** Condition keys (as written in the policies) that applicable statements needed and the request lacked. */
  readonly missingContextValues: readonly string[];
  readonly crossAccount: boolean;
  /** Defined when SCPs were given. */
  readonly allowedByOrganizations: boolean | undefined;
  /** Defined when RCPs were given. */
  readonly allowedByResourceControlPolicies: boolean | undefined;
  /** Defined when a permissions boundary takes part. */
  readonly allowedByPermissionsBoundary: boolean | undefined;
  /** Cross-account only: the decision of each side. */
  readonly details: Readonly<Record<string, EvalDecision>> | undefined;
  /** One sentence saying why. */
  readonly reason: string;
  /** Per-layer results, with `explain` only. */
  readonly layers: readonly LayerResult[] | undefined;
  /** Internal or policy errors met during evaluation; their presence forces a denial. */
  readonly errors: readonly string[];
}
