/**
 * Resources against the Service Authorization Reference: each ARN must fit
 * one of its service's resource types (reference-arns,
 * access-analyzer-reference-policy-checks: missing ARN Region, invalid ARN
 * resource, ...), and each action of a statement must be authorized against
 * at least one of the statement's resources — an action that supports only
 * other resource types (or only "*") is never matched by the statement
 * (reference_policies_elements_resource; the reference's resource-types column).
 * An action authorized against several types (sagemaker:CreateEndpoint:
 * endpoint and endpoint-config) matches an ARN of any of them.
 */
import { type Catalog, listResourceTypes, serviceExists, suggestServices } from '../catalog/catalog.js';
import type { Statement } from '../policy/model.js';
import { formatArn, parseArn } from '../primitives/arn.js';
import { checkResource } from '../policy/values.js';
import type { LintContext } from './context.js';
import { listForMessage } from './context.js';
import { expand } from './expand.js';
import type { IssueCode } from './registry.js';

const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);
const WILD = /[*?]/;

/** Policy variables match anything as far as static checks go. */
export function withoutVariables(value: string): string {
  return value.replace(/\$\{[^}]*\}/g, '*');
}

/**
 * The pattern used to compare with the reference's ARN formats. An empty
 * account field is widened to "*": AWS-owned resources have ARNs without an
 * account (arn:aws:ssm:us-east-1::document/AWS-RunShellScript) although the
 * reference writes ${Account} in their format.
 */
export function matchPattern(value: string): string {
  const text = withoutVariables(value);
  const arn = parseArn(text);
  return arn === undefined || arn.account !== '' ? text : formatArn({ ...arn, account: '*' });
}

export function checkResources(ctx: LintContext): void {
  for (const s of ctx.policy.statements) {
    const valid: string[] = [];
    for (const element of ['Resource', 'NotResource'] as const) {
      const list = element === 'Resource' ? s.resource : s.notResource;
      if (!list) continue;
      list.values.forEach((value, i) => {
        const problem = arnProblem(value, ctx.catalog);
        if (problem) ctx.report(problem.code, problem.message, list.spans[i] ?? list.span, ctx.valuePath(s, element, list, i));
        // Values the parser rejected (not an ARN, ...) are left out of the action checks too.
        else if (element === 'Resource' && (value === '*' || checkResource(value, true).length === 0)) valid.push(value);
      });
    }
    if (s.action && s.resource && !s.notAction && !s.notResource) checkActionsAgainstResources(ctx, s, valid);
  }
}

interface Problem {
  readonly code: IssueCode;
  readonly message: string;
}

/** Format problems of one Resource value; undefined when fine or reported by the parser. */
export function arnProblem(raw: string, catalog: Catalog): Problem | undefined {
  if (raw === '*' || checkResource(raw, true).length > 0) return undefined;
  const value = withoutVariables(raw);
  const parsed = parseArn(value);
  if (parsed === undefined) return undefined; // checkResource has reported it
  const { partition, service, region, account } = parsed;
  if (!WILD.test(partition) && !PARTITIONS.has(partition)) {
    return { code: 'INVALID_PARTITION', message: `"${raw}": "${partition}" is not an AWS partition (aws, aws-cn, aws-us-gov, ...)` };
  }
  if (!serviceExists(service)) {
    const hint = suggestServices(service);
    return { code: 'INVALID_SERVICE', message: `"${raw}": no AWS service has the prefix "${service}"${hint.length ? `; did you mean "${hint[0]}"?` : ''}` };
  }
  if (service !== service.toLowerCase()) {
    return { code: 'INVALID_ARN_SERVICE_CASE', message: `"${raw}": write the service as "${service.toLowerCase()}" (ARN service prefixes are lower case)` };
  }
  if (account !== '' && account !== 'aws' && !WILD.test(account) && !/^\d{12}$/.test(account)) {
    return { code: 'INVALID_ARN_ACCOUNT', message: `"${raw}": the account "${account}" is not a 12-digit AWS account ID` };
  }
  const types = listResourceTypes(service);
  const probe = matchPattern(raw);
  if (types.length === 0 || types.some((t) => catalog.arnPatternCanMatchFormat(probe, t.arnFormat))) return undefined;
  const formats = types.map((t) => t.arnFormat);
  // Which single field change would make the ARN fit a resource type?
  const fitsWith = (field: 'region' | 'account', text: string, widenAccount = true): boolean => {
    const changed = formatArn({ ...parsed, [field]: text });
    const probeText = widenAccount ? matchPattern(changed) : changed;
    return formats.some((f) => catalog.arnPatternCanMatchFormat(probeText, f));
  };
  if (region === '' && fitsWith('region', '*')) {
    const alsoAccount = account === '' && !fitsWith('region', '*', false) ? ' and an account ID' : '';
    return { code: 'MISSING_ARN_REGION', message: `"${raw}": ${service} ARNs need a Region${alsoAccount}, so this pattern matches no ${service} resource` };
  }
  if (region !== '' && !WILD.test(region) && fitsWith('region', '')) {
    return { code: 'ARN_REGION_NOT_ALLOWED', message: `"${raw}": these ${service} ARNs have no Region; leave that field empty` };
  }
  if (account !== '' && !WILD.test(account) && fitsWith('account', '', false)) {
    return { code: 'ARN_ACCOUNT_NOT_ALLOWED', message: `"${raw}": these ${service} ARNs have no account ID; leave that field empty` };
  }
  return {
    code: 'INVALID_ARN_RESOURCE',
    message: `"${raw}" fits none of the ${service} resource types in the Service Authorization Reference (e.g. ${formats[0] ?? ''})`,
  };
}

/** undefined: cannot judge (unknown action, or the reference names types of another service). */
function actionMatches(action: string, resource: string, catalog: Catalog): boolean | undefined {
  const info = catalog.getAction(action);
  if (!info) return undefined;
  const types = catalog.resourceTypesForAction(action);
  if (types.length !== info.resourceTypes.length) return undefined;
  return types.some((t) => catalog.arnPatternCanMatchFormat(resource, t.arnFormat) && !bucketWithSlash(t.service, t.key, resource));
}

/**
 * The reference's placeholders may contain "/" (object keys do), but S3
 * bucket names cannot (S3 bucket naming rules): a pattern with a slash in
 * its resource part never names a bucket.
 */
function bucketWithSlash(service: string, key: string, resource: string): boolean {
  return service === 's3' && key === 'bucket' && (parseArn(resource)?.resource.includes('/') ?? false);
}

function expectedTypes(action: string, catalog: Catalog): string {
  const types = catalog.resourceTypesForAction(action);
  if (types.length === 0) return 'supports only "Resource": "*"';
  return `is authorized against ${listForMessage(types.map((t) => t.key))} (${types[0]?.arnFormat ?? ''})`;
}

function checkActionsAgainstResources(ctx: LintContext, s: Statement, resources: readonly string[]): void {
  const action = s.action;
  const resource = s.resource;
  if (!action || !resource || resources.length === 0 || resources.includes('*')) return;
  const patterns = resources.map(matchPattern);
  const used = new Set<number>();
  const ineffective: number[] = [];
  let judged = 0;
  action.values.forEach((value, i) => {
    const actions = value === '*' ? undefined : expand(value, ctx.catalog);
    if (!actions || actions.length === 0) {
      for (let r = 0; r < patterns.length; r++) used.add(r);
      return;
    }
    let effective = false;
    let unknown = false;
    for (const a of actions) {
      patterns.forEach((r, ri) => {
        const m = actionMatches(a, r, ctx.catalog);
        if (m === undefined) unknown = true;
        if (m !== false) {
          effective = true;
          used.add(ri);
        }
      });
    }
    if (unknown) for (let r = 0; r < patterns.length; r++) used.add(r);
    judged++;
    if (!effective) ineffective.push(i);
  });
  if (judged === 0) return;
  const verb = s.effect === 'Allow' ? 'allows' : 'denies';
  if (ineffective.length === action.values.length) {
    const first = action.values[0] ?? '';
    const firstAction = expand(first, ctx.catalog)?.[0] ?? first;
    const message =
      `No action of this statement applies to ${listForMessage(
        resources.map((r) => `"${r}"`),
        2,
      )}: ` +
      `${listForMessage(
        action.values.map((v) => `"${v}"`),
        2,
      )} — e.g. ${firstAction} ${expectedTypes(firstAction, ctx.catalog)}; the statement never ${verb} anything`;
    const path = [...ctx.statementPath(s), 'Resource'];
    ctx.report('STATEMENT_NEVER_MATCHES', message, ctx.keySpan(path, resource.span), path);
    return;
  }
  for (const i of ineffective) {
    const value = action.values[i] ?? '';
    const sample = expand(value, ctx.catalog)?.[0] ?? value;
    const what = /[*?]/.test(value) ? `no action matching "${value}" applies` : `"${value}" ${expectedTypes(sample, ctx.catalog)};`;
    const message = /[*?]/.test(value)
      ? `${what} to the listed resources, so this statement never ${verb} them`
      : `${what} none of the listed resources is one, so this statement never ${verb} it`;
    ctx.report('ACTION_RESOURCE_MISMATCH', message, action.spans[i] ?? action.span, ctx.valuePath(s, 'Action', action, i));
  }
  resource.values.forEach((value, i) => {
    const r = resources.indexOf(value);
    if (r < 0 || used.has(r)) return;
    ctx.report(
      'RESOURCE_ACTION_MISMATCH',
      `No action of this statement is authorized against "${value}"; remove it or add the action it was meant for`,
      resource.spans[i] ?? resource.span,
      ctx.valuePath(s, 'Resource', resource, i),
    );
  });
}
