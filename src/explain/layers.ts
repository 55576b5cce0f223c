/**
 * Which layers iamsim finds denying a request, in the names AWS's messages
 * use, and what the model lacks when AWS blames a layer iamsim does not see.
 * A request is denied by every layer that holds a Deny for it, or, without
 * one, by every layer that must allow it and does not (IAM User Guide:
 * reference_policies_evaluation-logic); AWS's message names only one of them
 * (troubleshoot_access-denied: "If multiple policy types deny an
 * authorization request, AWS includes only one of those policy types").
 */
import type { Universe } from '../account/query.js';
import type { Authorization } from '../authz/authorize.js';
import { resourcePolicyRequired } from '../eval/combine.js';
import { parseArn } from '../primitives/arn.js';
import { classifyCaller } from '../eval/principal.js';
import type { LayerResult } from '../eval/types.js';
import type { PolicyType } from '../policy/model.js';
import { LAYER_PHRASE } from './message.js';
import type { Ask, AwsLayer } from './types.js';

export function awsLayerOf(t: PolicyType | string): AwsLayer | undefined {
  switch (t) {
    case 'identity':
    case 'boundary':
    case 'session':
    case 'scp':
    case 'rcp':
      return t;
    case 'resource':
    case 'trust':
      return 'resource';
    case 'vpc-endpoint':
    case 'endpoint':
      return 'endpoint';
    default:
      return undefined;
  }
}

const ORDER: readonly AwsLayer[] = ['scp', 'rcp', 'endpoint', 'resource', 'identity', 'boundary', 'session'];

function implicitLayers(auth: Authorization, action: string): AwsLayer[] {
  const layers = auth.decision.layers ?? [];
  const get = (n: LayerResult['layer']): LayerResult | undefined => layers.find((l) => l.layer === n && l.applies);
  const out = new Set<AwsLayer>();
  for (const n of ['rcp', 'scp'] as const) {
    const l = get(n);
    if (l !== undefined && l.outcome !== 'allow') out.add(n);
  }
  const ep = get('endpoint');
  if (ep !== undefined && ep.outcome !== 'allow') out.add('endpoint');
  const res = get('resource');
  const resourceAllows = (res?.allows.length ?? 0) > 0;
  const id = get('identity');
  const identityAllows = (id?.allows.length ?? 0) > 0;
  if (res !== undefined && !resourceAllows && (resourcePolicyRequired(action.toLowerCase()) || auth.decision.crossAccount)) out.add('resource');
  // A caller without identity-based policies (a service principal) is granted by the resource policy alone.
  if (id !== undefined && !identityAllows && !resourceAllows) out.add('identity');
  if (id === undefined && res !== undefined && !resourceAllows) out.add('resource');
  if (identityAllows && auth.decision.crossAccount && !resourceAllows) out.add('resource');
  for (const n of ['boundary', 'session'] as const) {
    const l = get(n);
    if (l !== undefined && l.outcome !== 'allow' && !resourceAllows) out.add(n);
  }
  return ORDER.filter((l) => out.has(l));
}

/** The layers that deny the request in the model (empty when it is allowed). */
export function denyingLayers(auth: Authorization, action: string): AwsLayer[] {
  const d = auth.decision;
  if (d.decision === 'allowed') return [];
  if (d.decision === 'explicitDeny') {
    const out = new Set<AwsLayer>();
    for (const ref of d.matchedStatements) {
      const l = awsLayerOf(auth.sources.get(ref.policyId)?.layer ?? ref.policyType);
      if (l !== undefined) out.add(l);
    }
    return ORDER.filter((l) => out.has(l));
  }
  return implicitLayers(auth, action);
}

function orgHas(u: Universe, type: 'SCP' | 'RCP'): boolean {
  const org = u.organization;
  return (org?.enabledPolicyTypes.includes(type) ?? false) && (org?.policies.some((p) => p.type === type) ?? false);
}

const IMPORT_ORG = 'aws organizations list-roots, list-organizational-units-for-parent, list-accounts-for-parent, list-policies-for-target --filter';

/** Which command's output holds a resource's policy (docs/accounts.md, the import table). */
function resourceImport(resource: string): string {
  const arn = parseArn(resource);
  switch (arn?.service) {
    case 's3':
      return `aws s3api get-bucket-policy --bucket ${arn.resource.split('/')[0]}`;
    case 'kms':
      return `aws kms get-key-policy --key-id ${resource} --policy-name default`;
    case 'ecr':
      return `aws ecr get-repository-policy --repository-name ${arn.resource.replace(/^repository\//, '')} --region ${arn.region}`;
    case 'lambda':
      return `aws lambda get-policy --function-name ${resource}`;
    case 'secretsmanager':
      return `aws secretsmanager get-resource-policy --secret-id ${resource}`;
    case 'sns':
      return `aws sns get-topic-attributes --topic-arn ${resource}`;
    case 'sqs':
      return 'aws sqs get-queue-attributes --attribute-names Policy QueueArn --queue-url URL';
    case 'iam':
      return 'aws iam get-account-authorization-details (role trust policies)';
    default:
      return "the service's get-…-policy command";
  }
}

/** What the user can give for a layer missingLayer reports: the VPC endpoint, or the session policy. */
export function layerAsk(layer: AwsLayer, gap: string | undefined, vpcEndpointId: string | undefined): Ask | undefined {
  if (gap === undefined) return undefined;
  if (layer === 'session') return { what: 'session-policy' };
  if (layer === 'endpoint' && vpcEndpointId === undefined) return { what: 'vpc-endpoint' };
  return undefined;
}

/** What the model lacks for AWS's layer to deny, or undefined when the layer is in the model. */
export function missingLayer(
  u: Universe,
  layer: AwsLayer,
  req: { principal: string; resource: string; vpcEndpointId?: string },
  auth: Authorization,
): string | undefined {
  const phrase = LAYER_PHRASE[layer];
  const applies = (auth.decision.layers ?? []).some((l) => awsLayerOf(l.layer) === layer && l.applies);
  const account = classifyCaller(req.principal).account ?? '?';
  switch (layer) {
    case 'scp':
    case 'rcp': {
      if (applies) return undefined;
      const type = layer === 'scp' ? 'SCP' : 'RCP';
      const filter = layer === 'scp' ? 'SERVICE_CONTROL_POLICY' : 'RESOURCE_CONTROL_POLICY';
      return orgHas(u, type)
        ? `AWS blames a ${phrase}; the loaded organization has ${type}s but none applies to account ${account}: import the organization tree around it (${IMPORT_ORG} ${filter}, describe-policy)`
        : `AWS blames a ${phrase}; no ${type} is loaded: import \`${IMPORT_ORG} ${filter}\` and \`aws organizations describe-policy\` output`;
    }
    case 'endpoint':
      if (applies) return undefined;
      return req.vpcEndpointId === undefined
        ? `AWS blames a ${phrase}; the request's VPC endpoint is not known (CloudTrail records it as vpcEndpointId)`
        : `AWS blames a ${phrase}; ${req.vpcEndpointId} is not in the model: import \`aws ec2 describe-vpc-endpoints\` output`;
    case 'resource':
      if (applies) return undefined;
      return `AWS blames a ${phrase}; the model has none for ${req.resource}: import \`${resourceImport(req.resource)}\` output`;
    case 'session':
      if (applies) return undefined;
      return `AWS blames a ${phrase}; session policies are passed when the session is created (AssumeRole's Policy and PolicyArns) and are in no export`;
    case 'boundary':
      if (applies) return undefined;
      return `AWS blames a ${phrase}; the model's ${req.principal} has none: re-import \`aws iam get-account-authorization-details\` output of account ${account}`;
    case 'identity':
      if (auth.principalFound) return undefined;
      return `AWS blames an ${phrase}; ${req.principal} is not in the model: import \`aws iam get-account-authorization-details\` output of account ${account}`;
  }
}

/** Who can change a policy of the layer. */
export function ownerOf(layer: AwsLayer, target: string, u: Universe): string {
  const mgmt = u.organization?.managementAccountId;
  const acct = (s: string): string => classifyCaller(s).account ?? parseArn(s)?.account ?? '?';
  switch (layer) {
    case 'scp':
    case 'rcp':
      return `the organization's administrators (management account${mgmt !== undefined ? ` ${mgmt}` : ''}): ${layer.toUpperCase()}s are managed in AWS Organizations, not in the member account`;
    case 'endpoint':
      return `the network administrators of the account that owns ${target}`;
    case 'resource':
      return `the owner of ${target}${acct(target) !== '' && acct(target) !== '?' ? ` (account ${acct(target)})` : ''}`;
    case 'session':
      return 'whoever creates the session (the session policy passed to AssumeRole)';
    case 'boundary':
      return `the IAM administrators of account ${acct(target)} (the permissions boundary is set on the principal)`;
    case 'identity':
      return `the IAM administrators of account ${acct(target)}`;
  }
}
