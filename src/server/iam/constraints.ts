/**
 * The IAM API's documented limits on request members, in one place (the
 * protocol layer generated from AWS's service models can take them over).
 * Source: IAM API Reference, each action's Request Parameters ("Array
 * Members: Maximum number of N items"), e.g.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagRole.html and
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagRole.html.
 */

/** Most members a list parameter may have, by parameter name (lists IAM documents no maximum for are absent). */
const MAX_MEMBERS: Readonly<Record<string, number>> = {
  // TagRole, TagUser, TagPolicy, TagInstanceProfile, TagOpenIDConnectProvider, TagSAMLProvider, CreateRole, CreateUser, CreatePolicy…
  Tags: 50,
  // UntagRole, UntagUser, …
  TagKeys: 50,
  // CreateOpenIDConnectProvider, UpdateOpenIDConnectProviderThumbprint
  ThumbprintList: 5,
};

export function maxMembers(list: string): number | undefined {
  return MAX_MEMBERS[list];
}
