/**
 * ARNs: `arn:partition:service:region:account:resource` (the resource part
 * may itself contain colons): parsing, printing, role ARNs, partitions. A
 * primitive every layer may import; the evaluator's ARN pattern matching
 * (ArnLike with policy variables) is in eval/match/arn.ts.
 */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Parses an ARN; undefined when `s` does not start with `arn:` or has fewer than six components. */
export function parseArn(s: string): Arn | undefined {
  if (!s.startsWith('arn:')) return undefined;
  const c1 = 3;
  const c2 = s.indexOf(':', c1 + 1);
  if (c2 < 0) return undefined;
  const c3 = s.indexOf(':', c2 + 1);
  if (c3 < 0) return undefined;
  const c4 = s.indexOf(':', c3 + 1);
  if (c4 < 0) return undefined;
  const c5 = s.indexOf(':', c4 + 1);
  if (c5 < 0) return undefined;
  return {
    partition: s.slice(c1 + 1, c2),
    service: s.slice(c2 + 1, c3),
    region: s.slice(c3 + 1, c4),
    account: s.slice(c4 + 1, c5),
    resource: s.slice(c5 + 1),
  };
}

/** An IAM role ARN (`arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`), optionally under a path prefix such as `aws-service-role/`. */
export function isRoleArn(s: string, pathPrefix = ''): boolean {
  const a = parseArn(s);
  return (
    a !== undefined && a.service === 'iam' && a.region === '' && /^\d{12}$/.test(a.account) && a.resource.startsWith(`role/${pathPrefix}`) && a.partition !== ''
  );
}

/** The partition of an ARN (`aws`, `aws-cn`, ...), or `fallback` when `s` is not an ARN. */
export function partitionOf(s: string, fallback = 'aws'): string {
  const p = parseArn(s)?.partition;
  return p === undefined || p === '' ? fallback : p;
}

/** The ARN text of parsed components (inverse of parseArn). */
export function formatArn(a: Arn): string {
  return `arn:${a.partition}:${a.service}:${a.region}:${a.account}:${a.resource}`;
}
