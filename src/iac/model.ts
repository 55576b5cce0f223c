/**
 * What an infrastructure-as-code reader produces: the IAM facts of one side
 * of a change (a Terraform plan's before or after, a CloudFormation
 * template, a CDK cloud assembly), each with the place in the source it
 * came from. Facts are applied to an account model by overlay.ts.
 *
 * Values known only after apply are never guessed: a policy document holds
 * symbol tokens (a resource this change creates, whose ARN has a known shape)
 * and hole markers (a value whose text is not known), registered in a
 * SymbolTable (symbols.ts); a whole document that is not known is a `hole`.
 */

/** Where a fact came from: the file (a .tf file, a template), its line, and the IaC address. */
export interface SourceRef {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** Terraform address (`module.m.aws_iam_role.r`), CloudFormation logical id, or CDK construct path. */
  readonly address: string;
  /** The template's logical id, when the address is a CDK construct path. */
  readonly logicalId?: string;
  /** The resource type (`aws_iam_role`, `AWS::IAM::Role`). */
  readonly type?: string;
}

/** A policy document: JSON text (may contain symbol tokens and hole markers), or not known at all. */
export type IacDocument = { readonly text: string } | { readonly hole: number };

/** A user, group or role by name in the fact's account (names are unique per account and kind). */
export interface EntityRef {
  readonly kind: 'user' | 'group' | 'role';
  readonly name: string;
}

/** A managed policy by ARN (AWS managed or customer managed, possibly holding a symbol token). */
export type PolicyRef = string;

interface FactBase {
  readonly source: SourceRef;
}

export interface EntityFact extends FactBase {
  readonly kind: 'user' | 'group' | 'role';
  readonly name: string;
  readonly path: string;
  /** Roles only. */
  readonly trust?: IacDocument;
  readonly inline: readonly { readonly name: string; readonly document: IacDocument }[];
  readonly managed: readonly PolicyRef[];
  readonly boundary?: PolicyRef;
  /** Users: group names. */
  readonly groups?: readonly string[];
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

export interface ManagedPolicyFact extends FactBase {
  readonly kind: 'managed-policy';
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly document: IacDocument;
}

export interface InlinePolicyFact extends FactBase {
  readonly kind: 'inline-policy';
  readonly owner: EntityRef;
  readonly name: string;
  readonly document: IacDocument;
}

export interface AttachmentFact extends FactBase {
  readonly kind: 'attachment';
  readonly owner: EntityRef;
  readonly policy: PolicyRef;
}

export interface BoundaryFact extends FactBase {
  readonly kind: 'boundary';
  readonly owner: EntityRef;
  readonly policy: PolicyRef;
}

export interface MembershipFact extends FactBase {
  readonly kind: 'membership';
  readonly user: string;
  readonly groups: readonly string[];
}

export interface ResourcePolicyFact extends FactBase {
  readonly kind: 'resource-policy';
  readonly arn: string;
  readonly document: IacDocument;
  /**
   * Statements added to the resource's policy (Lambda permissions) rather
   * than a whole policy replacing it.
   */
  readonly merge?: boolean;
}

export interface OrgPolicyFact extends FactBase {
  readonly kind: 'org-policy';
  readonly id: string;
  readonly name: string;
  readonly type: 'SCP' | 'RCP';
  readonly document: IacDocument;
}

export interface OrgAttachmentFact extends FactBase {
  readonly kind: 'org-attachment';
  readonly policyId: string;
  readonly target: string;
}

/** A workload (SageMaker notebook, domain, model, …) that runs as a role. */
export interface ExecutionRoleFact extends FactBase {
  readonly kind: 'execution-role';
  readonly roleArn: string;
}

export type Fact =
  | EntityFact
  | ManagedPolicyFact
  | InlinePolicyFact
  | AttachmentFact
  | BoundaryFact
  | MembershipFact
  | ResourcePolicyFact
  | OrgPolicyFact
  | OrgAttachmentFact
  | ExecutionRoleFact;

/** Something the reader could not decide: a value named by address and attribute. */
export interface IacUnknown {
  readonly address: string;
  readonly attribute: string;
  readonly reason: string;
  readonly source?: SourceRef;
  /**
   * The undecided value's text, when the other side may hold the same: an unknown both sides hold alike
   * (an unchanged policy of a type iamsim does not read) changes nothing and is dropped.
   */
  readonly value?: string;
}

/** One side of a change. */
export interface IacSide {
  /** The account the facts belong to (may be the account symbol's token). */
  readonly accountId: string;
  /** The region the change deploys to, when the input says (the plan's provider, --region). */
  readonly region?: string;
  readonly facts: readonly Fact[];
  /** Facts the reader could not place at all (an attachment to a role it cannot name…). */
  readonly unknowns: readonly IacUnknown[];
  /** Input files, for messages. */
  readonly files: readonly string[];
}
