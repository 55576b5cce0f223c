/**
 * Output types for code that answers in an AWS shape (the server's handlers,
 * the simulator's AWS-shaped results): the generated model types
 * (generated/*.ts), read-only where an answer is built, and a check that an
 * answer carries no member the model lacks.
 */

/**
 * The output a handler may answer for the model's output `T`: `T`, except that
 * an entity's `CreateDate` may be absent — the one required member iamsim may
 * not know (an entity read from a hand-written bundle has no creation date;
 * iamsim invents none) — and lists may be read-only.
 */
export type Answer<T> = T extends readonly (infer E)[]
  ? readonly Answer<E>[]
  : T extends object
    ? { readonly [P in keyof T as P extends 'CreateDate' ? never : P]: Answer<T[P]> } & { readonly [P in keyof T as P extends 'CreateDate' ? P : never]?: T[P] }
    : T;

/**
 * `R` with every member that `T` does not name, at any depth, typed `never`:
 * an answer that carries a member the model's output lacks (a
 * misspelled `Marker`, an iamsim field in an AWS shape) does not compile.
 * TypeScript checks a returned object literal's extra members only loosely
 * (not through spreads, helpers or unions), so the check is spelled out.
 */
export type Exact<T, R> = R extends readonly (infer E)[]
  ? [T] extends [readonly (infer TE)[]]
    ? readonly Exact<TE, E>[]
    : R
  : R extends object
    ? [T] extends [object]
      ? { readonly [P in keyof R]: P extends keyof T ? Exact<NonNullable<T[P]>, R[P]> : never }
      : R
    : R;

/** IAM's PolicySourceType (a simulation's MatchedStatements: user | group | role | aws-managed | user-managed | resource | none). */
export type PolicySourceType = NonNullable<import('./generated/iam.js').Statement['SourcePolicyType']>;
