/**
 * Null (IAM User Guide, reference_policies_elements_condition_operators.md,
 * "Condition operator to check existence of condition keys"): `true` means
 * the key must be absent, `false` that it must be present. Values are OR-ed.
 * No policy variables; IfExists cannot be added to Null. A key present with
 * no values (an empty list) counts as absent (null), per "The request
 * context" in reference_policies_elements_condition.md.
 */
import { q } from './operator.js';

export interface NullCheck {
  /** Whether the clause holds given the key's presence. */
  readonly test: (present: boolean) => boolean;
  readonly error?: string;
}

export function compileNull(values: readonly string[], ifExists: boolean): NullCheck {
  if (ifExists) return { test: () => false, error: 'Null cannot be combined with IfExists' };
  let whenAbsent = false;
  let whenPresent = false;
  for (const v of values) {
    const lower = v.toLowerCase();
    if (lower === 'true') whenAbsent = true;
    else if (lower === 'false') whenPresent = true;
    else return { test: () => false, error: `Null: policy value ${q(v)} is not true or false` };
  }
  return { test: (present) => (present ? whenPresent : whenAbsent) };
}
