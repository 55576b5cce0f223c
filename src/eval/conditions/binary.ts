/**
 * BinaryEquals (IAM User Guide, reference_policies_elements_condition_operators.md,
 * "Binary condition operators"): byte-for-byte comparison against the
 * base64-encoded policy value. Request values are base64 too (as in the
 * SimulateCustomPolicy ContextEntries). No policy variables. Invalid base64
 * in the policy is an error; in the request it does not match.
 */
import { Buffer } from 'node:buffer';
import { NO_VARIABLES, failed, q, type CompiledOperator, type OperatorDef } from './operator.js';

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** The canonical (padded) base64 of the bytes `s` encodes; undefined when not base64. */
export function canonicalBase64(s: string): string | undefined {
  if (!BASE64_RE.test(s)) return undefined;
  return Buffer.from(s, 'base64').toString('base64');
}

function compileBinary(values: readonly string[]): CompiledOperator {
  const set = new Set<string>();
  for (const v of values) {
    const c = canonicalBase64(v);
    if (c === undefined) return failed(`BinaryEquals: policy value ${q(v)} is not valid base64`);
    set.add(c);
  }
  const test = (value: string): boolean => {
    if (set.has(value)) return true; // already canonical: no decoding needed
    const c = canonicalBase64(value);
    return c !== undefined && c !== value && set.has(c);
  };
  return { test, variables: NO_VARIABLES, readable: (v) => canonicalBase64(v) !== undefined };
}

export const BINARY_OPERATORS: readonly OperatorDef[] = [{ name: 'BinaryEquals', family: 'Binary', negated: false, compile: compileBinary }];

/** One request value per class BinaryEquals tells apart: each policy value, and bytes no policy value encodes. */
export function binaryRepresentatives(policyValues: readonly string[]): string[] {
  const named = new Set(policyValues.map(canonicalBase64));
  for (let i = 0; ; i++) {
    const other = Buffer.from(`example-${i}`).toString('base64');
    if (!named.has(other)) return [...policyValues, other];
  }
}
