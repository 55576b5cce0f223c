/**
 * GetContextKeysForCustomPolicy / GetContextKeysForPrincipalPolicy: the
 * condition keys the policies' Condition elements reference, each once
 * (keys are case-insensitive; the first spelling is kept), in order of appearance.
 */
import type { Policy } from '../policy/model.js';

export function contextKeysOf(policies: readonly Policy[]): string[] {
  const seen = new Map<string, string>();
  for (const p of policies) {
    for (const st of p.statements) {
      for (const c of st.conditions) if (!seen.has(c.key.toLowerCase())) seen.set(c.key.toLowerCase(), c.key);
    }
  }
  return [...seen.values()];
}
