/** Shared by the generator tests. */
/**
 * Security warnings the generated policies keep on purpose: SageMaker needs
 * ecr:GetAuthorizationToken to pull images and the action has no resource-level
 * permissions (SageMaker Developer Guide: execution roles), and VPC-mode jobs
 * need ec2:Create/DeleteNetworkInterfacePermission, which the same guide grants
 * on "*". Lint reports them (CREDENTIALS_EXPOSURE, RESOURCE_EXPOSURE); the
 * generator tests accept exactly these.
 */
const ACCEPTED: readonly RegExp[] = [
  /^SECURITY_WARNING CREDENTIALS_EXPOSURE: Allows ecr:GetAuthorizationToken on /,
  /^SECURITY_WARNING RESOURCE_EXPOSURE: Allows ec2:CreateNetworkInterfacePermission, ec2:DeleteNetworkInterfacePermission on /,
];

/** Is a `TYPE CODE: message` line one of the accepted warnings above? */
export function isAcceptedWarning(line: string): boolean {
  return ACCEPTED.some((re) => re.test(line));
}
