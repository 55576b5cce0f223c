/**
 * Workflow definitions are data (src/workflows/defs/*.json): parameters, and
 * steps that name a principal, an action, a resource and request context,
 * with `${param}` templates and `when` conditions that switch steps on or off.
 * This module holds their types and the types of a preflight's results.
 */
import type { ContextKeyType } from '../eval/request.js';
import type { EvalDecision } from '../eval/types.js';

export interface ParameterDef {
  readonly name: string;
  readonly description: string;
  /** A template over earlier parameters, e.g. "${studioRoleArn}". */
  readonly default?: string;
  readonly required?: boolean;
  /** When present, the value must be one of these. */
  readonly choices?: readonly string[];
  /**
   * Not --set: read from the loaded accounts when they hold exactly one such resource in the workflow's account
   * (`kms-key`: its ARN; `vpc-endpoint`: its vpce- ID). The account implies it, so the preflight checks it.
   */
  readonly fromAccount?: 'kms-key' | 'vpc-endpoint';
}

export interface ContextEntryDef {
  readonly key: string;
  /** Default 'string' (one value) or 'stringList' (several). */
  readonly type?: ContextKeyType;
  /** Templates; a value that expands to '' is dropped, and an entry left without values is omitted. */
  readonly values: readonly string[];
  readonly when?: WhenDef;
}

/** A condition: "${p}" (set, not "false"), "!${p}", "A == B", "A != B"; a list ANDs them. */
export type WhenDef = string | readonly string[];

export interface StepDef {
  /** Unique within the workflow; the name reports and tests refer to. */
  readonly name: string;
  readonly title?: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: readonly ContextEntryDef[];
  readonly when?: WhenDef;
  /** Template; when it expands to a non-empty id the request travels through that VPC endpoint. */
  readonly vpcEndpointId?: string;
  /** 'allowed' (default) or 'denied': what the policies are meant to decide. */
  readonly expect?: 'allowed' | 'denied';
  /** Condition block (templates in values) to put on a suggested Allow, or to add to an Allow that should not apply. */
  readonly fixCondition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  /** Resource pattern (template) to grant in a suggested fix instead of the exact resource. */
  readonly fixResource?: string;
  /** One line citing the seed: why the workflow needs this request. */
  readonly why: string;
}

export interface WorkflowDef {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Seed documents the workflow is built from, e.g. ["000", "001"]. */
  readonly seeds: readonly string[];
  readonly parameters: readonly ParameterDef[];
  /** Context entries added to every step (a step's own entry with the same key wins). */
  readonly context?: readonly ContextEntryDef[];
  readonly steps: readonly StepDef[];
  /** Definition file, for messages. */
  readonly file?: string;
}

/** A step with its templates expanded. */
export interface ConcreteStep {
  readonly name: string;
  readonly title: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context: readonly { readonly key: string; readonly type: ContextKeyType; readonly values: readonly string[] }[];
  readonly vpcEndpointId?: string;
  readonly expect: 'allowed' | 'denied';
  readonly fixCondition?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  readonly fixResource?: string;
  readonly why: string;
}

export type FixLayer = 'identity' | 'boundary' | 'trust' | 'resource' | 'vpc-endpoint' | 'scp' | 'rcp';

/**
 * A change to one statement: add values under a JSON path, replace one value
 * of the list there (`from` → `value`), or set a value there.
 */
export interface StatementPatch {
  readonly op: 'add-values' | 'replace-value' | 'set';
  /** Path inside the statement, e.g. ["Condition", "StringLike", "iam:PassedToService"]. */
  readonly path: readonly string[];
  readonly value: string | readonly string[] | Readonly<Record<string, unknown>>;
  /** replace-value: the value replaced. */
  readonly from?: string;
}

export interface Fix {
  readonly layer: FixLayer;
  /** What to edit: role/user ARN (inline policy), managed policy ARN, resource ARN, or org node ("root:r-…", "ou:ou-…", "account:…"). */
  readonly target: string;
  /** Inline policy name, managed policy name, SCP/RCP name, or a description of the resource policy. */
  readonly policyName: string;
  readonly kind: 'add-statement' | 'modify-statement';
  /** The statement to add, or the statement as it reads after the change. */
  readonly statement: Readonly<Record<string, unknown>>;
  /** modify-statement: 0-based index of the statement in its policy, its Sid, and the patches. */
  readonly statementIndex?: number;
  readonly sid?: string;
  readonly patches?: readonly StatementPatch[];
  readonly file?: string;
  readonly line?: number;
  /** One sentence saying what to change. */
  readonly change: string;
}

/** A statement that decided a step, for citing it. */
export interface DecidingStatement {
  readonly policy: string;
  readonly layer: string;
  readonly target: string;
  readonly effect: 'Allow' | 'Deny';
  readonly index: number;
  readonly sid?: string;
  /** Line in `file` when known, else the line inside the policy document. */
  readonly line: number;
  readonly file?: string;
}

export interface StepResult {
  readonly name: string;
  readonly title: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly expect: 'allowed' | 'denied';
  readonly decision: EvalDecision;
  readonly passed: boolean;
  readonly reason: string;
  readonly decidedBy: readonly DecidingStatement[];
  /** Fixes that make the step pass, in the order to apply them (empty when it passed or none was found). */
  readonly fix: readonly Fix[];
  readonly why: string;
  /** What the model lacks to decide as AWS does (e.g. a KMS key without its key policy). */
  readonly warnings: readonly string[];
  /** The resource pattern a fix may grant instead of the exact resource (the workflow's fixResource). */
  readonly fixResource?: string;
}

export interface PreflightResult {
  readonly workflow: string;
  readonly passed: boolean;
  readonly parameters: Readonly<Record<string, string>>;
  readonly steps: readonly StepResult[];
  /** The fix plan: each edit once, with the steps it fixes, in the order to apply them. */
  readonly fixes: readonly { readonly fix: Fix; readonly steps: readonly string[] }[];
  /** True when the preflight, rerun with every edit applied, passes. */
  readonly fixesVerified: boolean;
  /** Steps that still fail with every edit applied. */
  readonly unresolved: readonly string[];
  /** `fromAccount` parameters: where the value came from, or why none was read (several candidates). */
  readonly impliedParameters?: Readonly<Record<string, string>>;
}
