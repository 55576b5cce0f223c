/**
 * Plain data model of imported AWS accounts, their IAM entities, resource
 * policies and the AWS Organizations tree. Policy documents are kept as JSON
 * text; callers parse them with `parsePolicy` (src/policy/parse.ts).
 */

/** Where a policy document came from, for citing it in results. */
export interface DocumentOrigin {
  readonly file: string;
  /** 1-based line/column of the document's first character in `file`. */
  readonly line: number;
  readonly column: number;
  /**
   * For a document written as YAML (an iamsim bundle): its JSON path in the file. Its text is re-serialized JSON,
   * so positions inside it are found by path in the YAML file (account/origin-position.ts), not by offset.
   */
  readonly path?: readonly (string | number)[];
  /** For a YAML document: the position in the file of each statement (Statement[i]), for citations. */
  readonly statements?: readonly { readonly line: number; readonly column: number }[];
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** A policy embedded in a user, group or role (IAM "inline" policy). */
export interface InlinePolicy {
  readonly name: string;
  /** JSON text of the policy document. */
  readonly document: string;
  readonly origin?: DocumentOrigin;
}

/** Reference from an entity to a managed policy (customer- or AWS-managed). */
export interface ManagedPolicyRef {
  readonly arn: string;
  readonly name: string;
}

export interface PolicyVersion {
  readonly versionId: string;
  readonly isDefault: boolean;
  readonly document: string;
  readonly createDate?: string;
  readonly origin?: DocumentOrigin;
}

export interface ManagedPolicy {
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly id?: string;
  /** ISO 8601: when the policy was created (it stays when its first version is deleted). */
  readonly createDate?: string;
  readonly description?: string;
  /** True for `arn:aws:iam::aws:policy/...` policies. */
  readonly awsManaged: boolean;
  readonly defaultVersionId: string;
  readonly versions: readonly PolicyVersion[];
  /** JSON text of the default version (the one IAM evaluates). */
  readonly document: string;
  /** TagPolicy's tags (customer managed policies). */
  readonly tags?: readonly Tag[];
}

export interface User {
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly id?: string;
  /** ISO 8601; set for entities created through `iamsim serve` or imported with CreateDate. */
  readonly createDate?: string;
  /** Group names (not ARNs), as in GroupList. */
  readonly groups: readonly string[];
  readonly inlinePolicies: readonly InlinePolicy[];
  readonly managedPolicies: readonly ManagedPolicyRef[];
  /** ARN of the managed policy used as permissions boundary. */
  readonly permissionsBoundary?: string;
  readonly tags: readonly Tag[];
}

export interface Group {
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly id?: string;
  /** ISO 8601; set for entities created through `iamsim serve` or imported with CreateDate. */
  readonly createDate?: string;
  readonly inlinePolicies: readonly InlinePolicy[];
  readonly managedPolicies: readonly ManagedPolicyRef[];
}

export interface Role {
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly id?: string;
  /** ISO 8601; set for entities created through `iamsim serve` or imported with CreateDate. */
  readonly createDate?: string;
  readonly description?: string;
  /** JSON text of the trust policy (AssumeRolePolicyDocument). */
  readonly trustPolicy: string;
  readonly trustPolicyOrigin?: DocumentOrigin;
  readonly inlinePolicies: readonly InlinePolicy[];
  readonly managedPolicies: readonly ManagedPolicyRef[];
  readonly permissionsBoundary?: string;
  readonly tags: readonly Tag[];
  /** Seconds; IAM's default is 3600. */
  readonly maxSessionDuration: number;
  /**
   * ARNs of the instance profiles the role is in (get-account-authorization-details'
   * InstanceProfileList); undefined when the source does not say.
   */
  readonly instanceProfiles?: readonly string[];
}

/** A session of an assumed role (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`). */
export interface RoleSession {
  readonly arn: string;
  readonly roleArn: string;
  readonly roleName: string;
  readonly sessionName: string;
  readonly accountId: string;
}

export type ResourceKind = 's3-bucket' | 'kms-key' | 'vpc-endpoint' | 'ecr-repository' | 'other';

/**
 * Policies of this kind name no Resource: the resource they are attached to is
 * implied (ECR repository policies: Amazon ECR User Guide, "Private repository
 * policy examples", whose statements have no Resource element).
 */
export function impliesResource(kind: ResourceKind): boolean {
  return kind === 'ecr-repository';
}

/**
 * Parse errors a resource policy of this kind is stored with anyway: AWS
 * accepted it, so it is evaluated as written. S3 bucket policies take
 * NotPrincipal with "Effect": "Allow" (IAM User Guide
 * reference_policies_elements_notprincipal: most resource-based policy types
 * reject it, and it then grants every principal not listed).
 */
export function acceptedParseErrors(kind: ResourceKind): ReadonlySet<string> {
  const codes = new Set<string>();
  if (kind === 'ecr-repository') codes.add('MISSING_RESOURCE');
  if (kind === 's3-bucket') codes.add('NOTPRINCIPAL_WITH_ALLOW');
  return codes;
}

export interface ResourcePolicy {
  /** Resource ARN the policy is attached to (bucket, key, endpoint, repository...). */
  readonly arn: string;
  /** Service prefix from the ARN: s3, kms, ec2, ecr, ... */
  readonly service: string;
  readonly kind: ResourceKind;
  /** Owning account, when known (S3 bucket ARNs carry none). */
  readonly accountId?: string;
  readonly document: string;
  readonly origin?: DocumentOrigin;
  /** Extra facts, e.g. vpcEndpointId, serviceName, vpcId for endpoints. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** An instance profile (IAM API InstanceProfile): a container for at most one role that EC2 passes to an instance. */
export interface InstanceProfile {
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  /** Absent for a profile known only from a role's InstanceProfileList (an import). */
  readonly id?: string;
  readonly createDate?: string;
  /** Names of the roles in it (IAM allows one). */
  readonly roles: readonly string[];
  readonly tags: readonly Tag[];
}

/** An IAM OpenID Connect identity provider (CreateOpenIDConnectProvider). */
export interface OidcProvider {
  readonly arn: string;
  /** The issuer URL as created (`https://…`). */
  readonly url: string;
  readonly clientIds: readonly string[];
  readonly thumbprints: readonly string[];
  readonly createDate: string;
  readonly tags: readonly Tag[];
}

/** An IAM SAML 2.0 identity provider (CreateSAMLProvider). */
export interface SamlProvider {
  readonly arn: string;
  readonly name: string;
  readonly metadataDocument: string;
  readonly createDate: string;
  /** ISO 8601, from the metadata's validUntil when it has one. */
  readonly validUntil?: string;
  readonly tags: readonly Tag[];
}

/**
 * An IAM user's access key as IAM keeps its metadata (ListAccessKeys): never the secret, which IAM returns once, in
 * CreateAccessKey's answer, and iamsim does not keep.
 */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly userName: string;
  readonly status: 'Active' | 'Inactive';
  readonly createDate: string;
  /** GetAccessKeyLastUsed: when, with which service, in which Region (absent: never used). */
  readonly lastUsed?: { readonly date: string; readonly serviceName: string; readonly region: string };
}

/** A user's console password as IAM describes it (GetLoginProfile): never the password itself. */
export interface LoginProfile {
  readonly userName: string;
  readonly createDate: string;
  readonly passwordResetRequired: boolean;
}

/** A virtual MFA device (CreateVirtualMFADevice): its seed is returned once and not kept. */
export interface VirtualMfaDevice {
  /** `arn:aws:iam::ACCOUNT:mfa/PATH/NAME`. */
  readonly serialNumber: string;
  readonly createDate: string;
  /** The user it is enabled for (EnableMFADevice), and since when. */
  readonly userName?: string;
  readonly enableDate?: string;
  readonly tags: readonly Tag[];
}

/** A server certificate uploaded to IAM (UploadServerCertificate): never its private key. */
export interface ServerCertificate {
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly id: string;
  readonly uploadDate: string;
  /** The certificate's notAfter, ISO 8601. */
  readonly expiration: string;
  readonly body: string;
  readonly chain?: string;
  readonly tags: readonly Tag[];
}

export interface Account {
  readonly id: string;
  readonly name?: string;
  readonly users: readonly User[];
  readonly groups: readonly Group[];
  readonly roles: readonly Role[];
  /** Customer-managed policies plus every AWS-managed policy the account uses. */
  readonly managedPolicies: readonly ManagedPolicy[];
  /** Resource policies owned by this account (filled by getAccount). */
  readonly resourcePolicies: readonly ResourcePolicy[];
  /** Input files the account was imported from. */
  readonly sources: readonly string[];
  /** Instance profiles held as entities (created through `iamsim serve`); roles' `instanceProfiles` name them too. */
  readonly instanceProfiles?: readonly InstanceProfile[];
  readonly oidcProviders?: readonly OidcProvider[];
  readonly samlProviders?: readonly SamlProvider[];
  /** Users' credentials as IAM describes them (created through `iamsim serve`; an authorization-details export has none). */
  readonly accessKeys?: readonly AccessKey[];
  readonly loginProfiles?: readonly LoginProfile[];
  readonly virtualMfaDevices?: readonly VirtualMfaDevice[];
  readonly serverCertificates?: readonly ServerCertificate[];
}

export type OrgPolicyType = 'SCP' | 'RCP';

export interface OrgPolicy {
  readonly id: string;
  readonly name: string;
  readonly type: OrgPolicyType;
  readonly arn?: string;
  readonly description?: string;
  readonly awsManaged: boolean;
  /** JSON text of the policy content. */
  readonly content: string;
  readonly origin?: DocumentOrigin;
  /** Ids of the roots, OUs and accounts the policy is attached to. */
  readonly targets: readonly string[];
}

export interface OrgRoot {
  readonly id: string;
  readonly name: string;
  readonly arn?: string;
}

export interface OrgUnit {
  readonly id: string;
  readonly name: string;
  readonly arn?: string;
  readonly parentId: string;
}

export interface OrgAccount {
  readonly id: string;
  readonly name?: string;
  readonly email?: string;
  readonly status?: string;
  readonly arn?: string;
  readonly parentId: string;
}

export interface Organization {
  readonly id?: string;
  readonly managementAccountId?: string;
  readonly root: OrgRoot;
  /** Policy types enabled on the root; a disabled type is not evaluated. */
  readonly enabledPolicyTypes: readonly OrgPolicyType[];
  readonly ous: readonly OrgUnit[];
  readonly accounts: readonly OrgAccount[];
  readonly policies: readonly OrgPolicy[];
}

/** Everything one import call produced, written in one transaction. */
export interface ImportBatch {
  readonly accounts: readonly Account[];
  readonly resourcePolicies: readonly ResourcePolicy[];
  readonly organization?: Organization;
}

export const DEFAULT_MAX_SESSION_DURATION = 3600;

/** The AWS-managed SCP attached by default (Organizations guide: orgs_manage_policies_scps). */
export const FULL_AWS_ACCESS_SCP_ID = 'p-FullAWSAccess';
/** The AWS-managed RCP attached to every node when RCPs are enabled (orgs_manage_policies_rcps_examples). */
export const FULL_AWS_ACCESS_RCP_ID = 'p-RCPFullAWSAccess';

export const FULL_AWS_ACCESS_SCP_CONTENT = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
export const FULL_AWS_ACCESS_RCP_CONTENT = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';
