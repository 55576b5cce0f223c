/**
 * Generalizing observed resource ARNs the way IAM Access Analyzer's policy
 * generation presents them: either as observed, or with the parts that vary
 * from call to call replaced by wildcards, or by placeholders (`${Region}`,
 * `${Account}`, `${TrainingJobName}` …) to be filled in before use.
 *
 * The varying part of an ARN is its last name part (a job name, an object
 * key, a log stream), unless the resource type is a long-lived container the
 * caller names on purpose (a bucket, a key, a repository, a role …); earlier
 * name parts (the bucket of an object, the log group of a stream) are kept.
 */
import { parseArn } from '../primitives/arn.js';
import { formatPlaceholders } from './arn.js';
import { prune } from './policy-doc.js';

export type ResourceMode = 'exact' | 'wildcard' | 'placeholder';

/** `service:resource-type` keys whose names are kept as observed. */
export const STABLE_TYPES: ReadonlySet<string> = new Set([
  's3:bucket',
  'kms:key',
  'kms:alias',
  'ecr:repository',
  'iam:role',
  'iam:user',
  'iam:group',
  'iam:policy',
  'logs:log-group',
  'lambda:function',
  'dynamodb:table',
  'secretsmanager:secret',
  'sns:topic',
  'sqs:queue',
  'sagemaker:endpoint',
  'sagemaker:domain',
  'sagemaker:user-profile',
  'sagemaker:notebook-instance',
  'bedrock:foundation-model',
  'bedrock:inference-profile',
  'states:statemachine',
  'events:rule',
]);

const SCOPE = new Set(['Partition', 'Region', 'Account']);

function escapeRe(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/**
 * Splits an ARN along an ARN format: the value of each placeholder, or
 * undefined when it does not fit. Region and account may be empty; bucket
 * names never contain `/`; other name parts may (log groups, role paths).
 */
export function matchFormat(format: string, arn: string): Record<string, string> | undefined {
  const names: string[] = [];
  let re = '^';
  let last = 0;
  for (const m of format.matchAll(/\$\{([^}]+)\}/g)) {
    re += escapeRe(format.slice(last, m.index));
    const name = m[1] as string;
    names.push(name);
    re += SCOPE.has(name) ? '([^:]*)' : name === 'BucketName' ? '([^/]+)' : '(.+?)';
    last = (m.index ?? 0) + m[0].length;
  }
  re += `${escapeRe(format.slice(last))}$`;
  const m = new RegExp(re).exec(arn);
  if (m === null) return undefined;
  const out: Record<string, string> = {};
  names.forEach((n, i) => {
    out[n] = m[i + 1] ?? '';
  });
  return out;
}

export interface Observed {
  readonly arn: string;
  readonly format?: string;
  readonly service?: string;
  readonly resourceType?: string;
  readonly resolved: boolean;
}

/** Longest common prefix of the values, cut after its last `/` ('' when none). */
function directoryPrefix(values: readonly string[]): string {
  if (values.length === 0) return '';
  let p = values[0] as string;
  for (const v of values) {
    let i = 0;
    while (i < p.length && i < v.length && p[i] === v[i]) i++;
    p = p.slice(0, i);
  }
  const slash = p.lastIndexOf('/');
  return slash >= 0 ? p.slice(0, slash + 1) : '';
}

/** Generalizes the observed resources of one action; result sorted, covered patterns removed. */
export function generalize(observed: readonly Observed[], mode: ResourceMode): string[] {
  if (mode === 'exact') return prune(observed.map((o) => o.arn));
  // Group by format + the kept parts, to find a common directory of the varying part.
  interface Group {
    format: string;
    values: Record<string, string>;
    varying: string | undefined;
    seen: string[];
    stable: boolean;
  }
  const groups = new Map<string, Group>();
  const out: string[] = [];
  for (const o of observed) {
    const values = o.format === undefined ? undefined : matchFormat(o.format, o.arn);
    if (o.format === undefined || values === undefined) {
      out.push(o.arn);
      continue;
    }
    const nameParts = formatPlaceholders(o.format).filter((p) => !SCOPE.has(p));
    // The resource's own service (an sts:AssumeRole resource is an iam role), from its ARN format.
    const service = parseArn(o.format)?.service ?? o.service;
    const stable = service !== undefined && o.resourceType !== undefined && STABLE_TYPES.has(`${service}:${o.resourceType}`);
    const varying = stable ? undefined : nameParts[nameParts.length - 1];
    const kept = { ...values };
    if (varying !== undefined) delete kept[varying];
    const key = JSON.stringify([o.format, kept]);
    const g = groups.get(key) ?? { format: o.format, values: kept, varying, seen: [], stable };
    if (varying !== undefined && o.resolved) g.seen.push(values[varying] ?? '');
    if (!o.resolved && varying !== undefined) g.seen.push('');
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    const vals: Record<string, string> = { ...g.values };
    if (g.varying !== undefined) {
      const dir = directoryPrefix(g.seen);
      vals[g.varying] = dir + (mode === 'placeholder' ? `\${${g.varying}}` : '*');
    }
    if (mode === 'placeholder') {
      for (const [n, v] of Object.entries(vals)) if (v === '*' && !SCOPE.has(n)) vals[n] = `\${${n}}`;
      if ((vals['Region'] ?? '') !== '') vals['Region'] = '${Region}';
      if ((vals['Account'] ?? '') !== '' && vals['Account'] !== '*') vals['Account'] = '${Account}';
    }
    out.push(g.format.replace(/\$\{([^}]+)\}/g, (_m, n: string) => vals[n] ?? '*'));
  }
  return prune(out);
}
