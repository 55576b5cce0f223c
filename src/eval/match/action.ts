/**
 * Action / NotAction values: `service:Action`, case-insensitive, with `*`
 * and `?` wildcards (IAM User Guide, reference_policies_elements_action.md:
 * prefix and action name are case-insensitive; wildcards may appear in the
 * action name; `*` alone means every action).
 */
import { compileWildcard } from '../../primitives/wildcard.js';

/**
 * Compiles an Action pattern. The returned predicate expects the request
 * action already lower-cased (done once per request by the caller).
 */
export function compileActionPattern(pattern: string): (actionLowerCase: string) => boolean {
  return compileWildcard(pattern.toLowerCase(), false);
}
