/**
 * Why a statement did not apply to a request, in words, from its trace. Shared by the CLI's text output and the
 * web console (which renders the same traces from the JSON response), so it imports nothing.
 */
export interface TraceLike {
  readonly outcome: string;
  readonly error?: string | undefined;
  readonly clauses?: readonly {
    readonly matched: boolean;
    readonly explanation?: string | undefined;
    readonly clause: { readonly operator: string; readonly key: string };
  }[];
}

export function whyNot(t: TraceLike): string {
  switch (t.outcome) {
    case 'action':
      return 'action does not match';
    case 'resource':
      return 'resource does not match';
    case 'principal':
      return 'principal does not match the caller';
    case 'error':
      return `error: ${t.error ?? 'unknown'}`;
    case 'condition': {
      const failed = (t.clauses ?? []).filter((c) => !c.matched);
      if (failed.length === 0) return 'condition not met';
      return `condition not met: ${failed.map((c) => c.explanation ?? `${c.clause.operator} ${c.clause.key}`).join('; ')}`;
    }
    default:
      return 'applies';
  }
}
