/**
 * One table that says what each policy type allows. The parser enforces it;
 * the linter and generators can read it instead of re-encoding the rules.
 *
 * Sources (doc page names under /work/shared/aws-docs unless noted):
 * - reference_policies_grammar (Id not in identity policies; Principal required
 *   in resource-based and trust policies, forbidden in identity policies;
 *   IAM Sids are alphanumeric)
 * - reference_policies_elements_principal / _notprincipal (NotPrincipal not in
 *   identity or trust policies; NotPrincipal with Allow rejected by most types)
 * - reference_policies_elements_resource (Resource or NotResource required)
 * - access_policies_boundaries (boundaries are identity-style managed policies)
 * - orgs_manage_policies_scps_syntax + the September 2025 "SCPs support the full
 *   IAM language" change (AWS Security Blog): Principal/NotPrincipal stay
 *   unsupported; conditions, ARNs, NotAction and NotResource now allowed
 * - orgs_manage_policies_rcps_syntax (docs.aws.amazon.com): Version 2012-10-17
 *   mandatory; Principal required and "*" only; no NotPrincipal/NotAction;
 *   Allow only in the RCPFullAWSAccess policy, and "Action": "*" likewise only there
 *   (a customer RCP names the services and actions it restricts)
 */
import type { Severity } from '../diagnostics/diagnostic.js';
import type { Effect, PolicyType } from './model.js';

/** 'required': must be present; 'forbidden': error when present; 'optional'. */
export type Presence = 'required' | 'optional' | 'forbidden';

export interface PolicyTypeRules {
  /** Human label used in messages, e.g. 'identity-based policy'. */
  readonly label: string;
  /** Version element: 'optional' (absent → warning) or 'required' (absent → error, must be 2012-10-17). */
  readonly version: 'optional' | 'required';
  /** Id element: allowed, or discouraged (warning). */
  readonly id: 'allowed' | 'discouraged';
  /** Principal: required means Principal or NotPrincipal must be present. */
  readonly principal: Presence;
  /** Only `"Principal": "*"` is accepted (RCPs). */
  readonly principalWildcardOnly: boolean;
  readonly notPrincipal: 'allowed' | 'forbidden';
  readonly notAction: 'allowed' | 'forbidden';
  /** Resource/NotResource: required, optional, or forbidden (error when present). */
  readonly resource: 'required' | 'optional' | 'forbidden';
  readonly notResource: 'allowed' | 'forbidden';
  /** Effects usable in custom policies of this type. */
  readonly effects: readonly Effect[];
  /**
   * Allow statements accepted despite `effects` when they are exactly the
   * full-access form (Principal "*", Action "*", Resource "*", no Condition).
   */
  readonly fullAccessAllowException: boolean;
  /**
   * `"Action": "*"` is reserved to that full-access Allow (RCPs: the
   * RCPFullAWSAccess policy); a customer statement must name services.
   */
  readonly actionWildcardOnlyInFullAccess: boolean;
  /** Severity for a Sid with non-alphanumeric characters; undefined: no check. */
  readonly sidFormat: Severity | undefined;
  /** Whether CanonicalUser principals are expected (S3-style resource policies). */
  readonly canonicalUser: boolean;
}

const IDENTITY: PolicyTypeRules = {
  label: 'identity-based policy',
  version: 'optional',
  id: 'discouraged',
  principal: 'forbidden',
  principalWildcardOnly: false,
  notPrincipal: 'forbidden',
  notAction: 'allowed',
  resource: 'required',
  notResource: 'allowed',
  effects: ['Allow', 'Deny'],
  fullAccessAllowException: false,
  actionWildcardOnlyInFullAccess: false,
  sidFormat: 'error',
  canonicalUser: false,
};

export const POLICY_TYPE_RULES: Readonly<Record<PolicyType, PolicyTypeRules>> = {
  identity: IDENTITY,
  boundary: { ...IDENTITY, label: 'permissions boundary' },
  // Session policies are passed to STS, not stored by IAM; the Sid rule is a
  // warning because the IAM-only character restriction is not documented for STS.
  session: { ...IDENTITY, label: 'session policy', sidFormat: 'warning' },
  resource: {
    label: 'resource-based policy',
    version: 'optional',
    id: 'allowed',
    principal: 'required',
    principalWildcardOnly: false,
    notPrincipal: 'allowed',
    notAction: 'allowed',
    resource: 'required',
    notResource: 'allowed',
    effects: ['Allow', 'Deny'],
    fullAccessAllowException: false,
    actionWildcardOnlyInFullAccess: false,
    sidFormat: undefined,
    canonicalUser: true,
  },
  trust: {
    label: 'role trust policy',
    version: 'optional',
    id: 'allowed',
    principal: 'required',
    principalWildcardOnly: false,
    notPrincipal: 'forbidden',
    notAction: 'allowed',
    // IAM refuses a trust policy with Resource ("Has prohibited field Resource"): the role is the resource.
    resource: 'forbidden',
    notResource: 'allowed',
    effects: ['Allow', 'Deny'],
    fullAccessAllowException: false,
    actionWildcardOnlyInFullAccess: false,
    sidFormat: 'warning',
    canonicalUser: false,
  },
  'vpc-endpoint': {
    label: 'VPC endpoint policy',
    version: 'optional',
    id: 'allowed',
    principal: 'required',
    principalWildcardOnly: false,
    notPrincipal: 'allowed',
    notAction: 'allowed',
    resource: 'required',
    notResource: 'allowed',
    effects: ['Allow', 'Deny'],
    fullAccessAllowException: false,
    actionWildcardOnlyInFullAccess: false,
    sidFormat: undefined,
    canonicalUser: false,
  },
  scp: {
    ...IDENTITY,
    label: 'service control policy',
    id: 'allowed',
    sidFormat: 'warning',
  },
  rcp: {
    label: 'resource control policy',
    version: 'required',
    id: 'allowed',
    principal: 'required',
    principalWildcardOnly: true,
    notPrincipal: 'forbidden',
    notAction: 'forbidden',
    resource: 'required',
    notResource: 'allowed',
    effects: ['Deny'],
    fullAccessAllowException: true,
    actionWildcardOnlyInFullAccess: true,
    sidFormat: undefined,
    canonicalUser: false,
  },
};

export function rulesFor(type: PolicyType): PolicyTypeRules {
  return POLICY_TYPE_RULES[type];
}

/** The type label with its indefinite article, e.g. 'an identity-based policy'. */
export function withArticle(rules: PolicyTypeRules): string {
  return `${/^[aeiou]/i.test(rules.label) ? 'an' : 'a'} ${rules.label}`;
}

/** Upper-cases the first letter (for labels at the start of a message). */
export function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
