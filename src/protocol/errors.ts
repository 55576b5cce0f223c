/**
 * An error in AWS's shape: the code and HTTP status of an error shape of the
 * model (`ValidationError` 400, `NoSuchEntity` 404, …) and its message; the
 * server writes it in the protocol of the API called (Query XML, JSON).
 */
export class ProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Members beside `message` in JSON protocols (Access Analyzer's `reason`, `fieldList`). */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** The member name as AWS's validation messages spell it (`RoleName` → `roleName`). */
export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
