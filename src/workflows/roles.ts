/**
 * Resolves the principals and roles a workflow's steps name against the
 * account model. A role's ARN carries its path (IAM User Guide,
 * reference_identifiers: arn:aws:iam::ACCOUNT:role/PATH/NAME), but workflow
 * defaults and `--set` values often give only the name: such an ARN is
 * resolved by name to the role's real ARN, so resource-scoped statements
 * (PassRole on the real ARN) match and suggested fixes name a role that
 * exists. An ARN that names no role or user of the model is refused, with the
 * closest names of that account as suggestions.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Universe } from '../account/query.js';
import { findPrincipal } from '../account/query.js';
import { nearest } from '../catalog/text.js';
import { parseArn } from '../primitives/arn.js';
import { classifyCaller } from '../eval/principal.js';
import type { ConcreteStep } from './types.js';

/** The message names no flag: the CLI adds "(check --set and --account)" by code (cli/preflight.ts), the console names its controls. */
function error(message: string): Diagnostic {
  return { code: 'PREFLIGHT_UNKNOWN_PRINCIPAL', severity: 'error', file: '--account', message, line: 1, column: 1, path: [] };
}

/** "did you mean …" for an IAM role or user ARN whose name is not in its account. */
function suggestion(u: Universe, arn: string): string {
  const a = parseArn(arn);
  if (a === undefined || a.service !== 'iam') return '';
  const account = u.accounts.get(a.account);
  if (account === undefined) return ` (account ${a.account} is not loaded)`;
  const kind = a.resource.startsWith('role/') ? 'role' : a.resource.startsWith('user/') ? 'user' : undefined;
  if (kind === undefined) return '';
  const list = kind === 'role' ? account.roles : account.users;
  const name = a.resource.slice(a.resource.lastIndexOf('/') + 1);
  const close = nearest(
    name,
    list.map((e) => e.name),
    2,
  );
  const arns = close.map((n) => list.find((e) => e.name === n)!.arn);
  return arns.length > 0 ? `; did you mean ${arns.join(' or ')}?` : '';
}

/** The model's ARN for a user or role ARN (adds the path); the ARN itself for other principals. */
function canonical(u: Universe, arn: string): string | undefined {
  const p = findPrincipal(u, arn);
  if (p === undefined) return undefined;
  if (p.kind === 'role') return p.role.arn;
  if (p.kind === 'user') return p.user.arn;
  return arn;
}

const ROLE_RESOURCE_ACTION = /^(iam:passrole|sts:assumerole(withsaml|withwebidentity)?)$/i;

/** Steps with every named principal and role resolved to its ARN in the model, or the errors. */
export function resolveStepPrincipals(u: Universe, steps: readonly ConcreteStep[]): { steps: ConcreteStep[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const resolve = (arn: string, what: string): string => {
    const c = canonical(u, arn);
    if (c !== undefined) return c;
    if (!reported.has(arn)) {
      reported.add(arn);
      diagnostics.push(error(`${what} ${arn} is not in the loaded accounts${suggestion(u, arn)}`));
    }
    return arn;
  };
  const out = steps.map((s) => {
    const principal = classifyCaller(s.principal).kind === 'service' ? s.principal : resolve(s.principal, `step ${s.name}: principal`);
    const resource = ROLE_RESOURCE_ACTION.test(s.action) ? resolve(s.resource, `step ${s.name}: role`) : s.resource;
    return principal === s.principal && resource === s.resource ? s : { ...s, principal, resource };
  });
  return { steps: out, diagnostics };
}
