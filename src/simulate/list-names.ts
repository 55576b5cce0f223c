/**
 * AWS's names of a request's policies by list position (`PolicyInputList.3`): the SourcePolicyId of results and
 * the name of a policy's diagnostics. A batch asks for them on every line, so the first positions of each list
 * are made once, when this module loads, and their strings (hashes cached) key the parsed-policy cache and the
 * compilations; later positions are made on demand.
 */

const LISTS = ['PolicyInputList', 'PermissionsBoundaryPolicyInputList', 'SessionPolicyInputList'] as const;
/** Positions named ahead per list (a request rarely lists more policies). */
const AHEAD = 32;

const NAMES: Readonly<Record<string, readonly string[]>> = Object.freeze(
  Object.fromEntries(LISTS.map((field) => [field, Object.freeze(Array.from({ length: AHEAD }, (_, i) => `${field}.${i + 1}`))])),
);

/** `${field}.${i + 1}`: the name of the list's policy at 0-based position `i`. */
export function listEntryName(field: string, i: number): string {
  return NAMES[field]?.[i] ?? `${field}.${i + 1}`;
}
