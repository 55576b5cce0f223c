/** The parsed, validated form of a SimulateCustomPolicy-shaped request. */
import type { Policy } from '../policy/model.js';
import type { ContextValue } from '../eval/request.js';
import type { PagingOptions } from './options.js';

export interface SimulateRequest {
  readonly policyInputList: readonly Policy[];
  readonly permissionsBoundaryPolicyInputList: readonly Policy[];
  readonly sessionPolicyInputList: readonly Policy[];
  readonly resourcePolicy?: Policy;
  /** Extension: the policy of the VPC endpoint the request goes through. */
  readonly vpcEndpointPolicy?: Policy;
  /** Caller's organization: one list per level, root first. */
  readonly serviceControlPolicyInputList: readonly (readonly Policy[])[];
  /** Resource owner's organization: one list per level, root first. */
  readonly resourceControlPolicyInputList: readonly (readonly Policy[])[];
  readonly actionNames: readonly string[];
  /** Empty means AWS's default, `*`. */
  readonly resourceArns: readonly string[];
  readonly resourceOwner?: string;
  readonly callerArn?: string;
  readonly context: ReadonlyMap<string, ContextValue>;
  readonly callerIsManagementAccount: boolean;
  readonly resourceOwnerIsManagementAccount: boolean;
  readonly callerIsServiceLinkedRole: boolean;
  /** MaxItems, Marker and ResourceHandlingOption. */
  readonly paging: PagingOptions;
}

/** AWS-style error object for one failed request (also one line of a failed batch). */
export interface SimulateError {
  readonly Code: 'MalformedPolicyDocument' | 'InvalidInput';
  readonly Message: string;
}
