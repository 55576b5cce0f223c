/**
 * One reader per typed condition value (IAM User Guide,
 * reference_policies_elements_datatypes.md and the operator families of
 * reference_policies_elements_condition_operators.md). Used by request
 * validation (simulate's ContextEntries, authz contexts) and, through the
 * same parsers, by the operators: a value accepted here is a value the
 * operators can read, and the reverse.
 */
import { canonicalBase64 } from './binary.js';
import { parseBool } from './bool.js';
import { parseDate } from './date.js';
import { newIpBuffer, parseIp } from './ip.js';
import { parseDecimal } from './numeric.js';

export type TypedValueKind = 'string' | 'numeric' | 'boolean' | 'ip' | 'binary' | 'date';

const IP = newIpBuffer();

/** Why `value` cannot be read as `kind`; undefined when it can. */
export function typedValueProblem(kind: TypedValueKind, value: string): string | undefined {
  switch (kind) {
    case 'numeric':
      return parseDecimal(value) !== undefined ? undefined : 'is not an integer or decimal number';
    case 'boolean':
      return parseBool(value) >= 0 ? undefined : 'is not true or false';
    case 'date':
      return Number.isNaN(parseDate(value)) ? 'is not a valid ISO 8601 (W3C profile) date/time or epoch seconds' : undefined;
    case 'ip':
      return parseIp(value, IP) ? undefined : 'is not an IPv4 or IPv6 address or CIDR range';
    case 'binary':
      return canonicalBase64(value) !== undefined ? undefined : 'is not base64';
    case 'string':
      return undefined;
  }
}
