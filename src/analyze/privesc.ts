/**
 * Privilege escalation: permission combinations that let a principal act with
 * permissions it was not given — by passing a role to a service that runs
 * the caller's code (id_roles_use_passrole), by reaching an existing
 * notebook's role, or by editing IAM policies, credentials or memberships.
 * SageMaker paths first, then the well-known IAM ones. Judged over all the
 * identity-based policies of one principal; permissions boundaries given with
 * them must also allow each action (access_policies_boundaries).
 *
 * Deliberately simple: a permission counts when an Allow grants it on a
 * resource pattern with a wildcard, unless an unconditional Deny on "*"
 * removes it. Conditions are ignored except iam:PassedToService, which
 * limits the services a role can be passed to.
 */
import { formatJsonPath } from '../diagnostics/diagnostic.js';
import type { JsonPath } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { Statement } from '../policy/model.js';
import type { LintContext } from './context.js';
import { listForMessage } from './context.js';
import { anyCovers, patternCovers } from './expand.js';
import { isNegated } from './keys.js';
import { withoutVariables } from './resources.js';

interface Combo {
  /** Service principal the role is passed to, when the path needs iam:PassRole. */
  readonly passRoleTo?: string;
  readonly actions: readonly string[];
  readonly effect: string;
}

const SM = 'sagemaker.amazonaws.com';

export const ESCALATION_COMBOS: readonly Combo[] = [
  { passRoleTo: SM, actions: ['sagemaker:CreateNotebookInstance'], effect: 'start a notebook instance that runs as any role SageMaker can assume' },
  { passRoleTo: SM, actions: ['sagemaker:CreateTrainingJob'], effect: 'run a training job with their own code as any role SageMaker can assume' },
  { passRoleTo: SM, actions: ['sagemaker:CreateProcessingJob'], effect: 'run a processing job with their own code as any role SageMaker can assume' },
  { passRoleTo: SM, actions: ['sagemaker:CreateHyperParameterTuningJob'], effect: 'run tuning jobs with their own code as any role SageMaker can assume' },
  { passRoleTo: SM, actions: ['sagemaker:CreateUserProfile', 'sagemaker:CreatePresignedDomainUrl'], effect: 'open a Studio user profile that runs as any role SageMaker can assume' },
  { actions: ['sagemaker:CreatePresignedNotebookInstanceUrl'], effect: "open any notebook instance and act as its execution role" },
  {
    actions: ['sagemaker:UpdateNotebookInstanceLifecycleConfig', 'sagemaker:StopNotebookInstance', 'sagemaker:StartNotebookInstance'],
    effect: "replace a notebook's lifecycle script and restart it to run code as its role",
  },
  {
    actions: ['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:UpdateNotebookInstance', 'sagemaker:StopNotebookInstance', 'sagemaker:StartNotebookInstance'],
    effect: "attach a new lifecycle script to a notebook and restart it to run code as its role",
  },
  { passRoleTo: 'lambda.amazonaws.com', actions: ['lambda:CreateFunction', 'lambda:InvokeFunction'], effect: 'run a Lambda function as any role Lambda can assume' },
  { passRoleTo: 'ec2.amazonaws.com', actions: ['ec2:RunInstances'], effect: 'start an instance whose profile role they choose' },
  { passRoleTo: 'cloudformation.amazonaws.com', actions: ['cloudformation:CreateStack'], effect: 'create any resource through a stack that runs as a role they choose' },
  { passRoleTo: 'glue.amazonaws.com', actions: ['glue:CreateDevEndpoint'], effect: 'open a Glue endpoint that runs as a role they choose' },
  { actions: ['glue:UpdateDevEndpoint'], effect: "add their SSH key to an existing Glue endpoint and use its role" },
  { actions: ['lambda:UpdateFunctionCode'], effect: "replace a function's code and run it as the function's role" },
  { actions: ['iam:CreatePolicyVersion'], effect: 'rewrite a managed policy (new default version) to grant anything' },
  { actions: ['iam:SetDefaultPolicyVersion'], effect: 'switch a managed policy to a more permissive old version' },
  { actions: ['iam:AttachUserPolicy'], effect: 'attach any managed policy (AdministratorAccess) to a user' },
  { actions: ['iam:AttachGroupPolicy'], effect: 'attach any managed policy to a group' },
  { actions: ['iam:PutUserPolicy'], effect: 'write an inline policy granting anything to a user' },
  { actions: ['iam:PutGroupPolicy'], effect: 'write an inline policy granting anything to a group' },
  { actions: ['iam:AttachRolePolicy', 'sts:AssumeRole'], effect: 'attach any policy to a role and assume it' },
  { actions: ['iam:PutRolePolicy', 'sts:AssumeRole'], effect: 'write an inline policy on a role and assume it' },
  { actions: ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'], effect: "change a role's trust policy and assume it" },
  { actions: ['iam:AddUserToGroup'], effect: 'join a group with more permissions' },
  { actions: ['iam:CreateAccessKey'], effect: "create access keys for other users and act as them" },
  { actions: ['iam:CreateLoginProfile'], effect: 'set a console password for another user and sign in as them' },
  { actions: ['iam:UpdateLoginProfile'], effect: "change another user's console password and sign in as them" },
];

interface Site {
  readonly ctx: LintContext;
  readonly s: Statement;
  readonly path: JsonPath;
  readonly span: Span;
}

const broad = (values: readonly string[]): boolean => values.some((v) => withoutVariables(v).includes('*') && !v.includes('${'));

function covers(s: Statement, action: string): { path: 'Action' | 'NotAction'; index: number } | undefined {
  if (s.action) {
    const index = s.action.values.findIndex((v) => patternCovers(v, action));
    return index >= 0 ? { path: 'Action', index } : undefined;
  }
  if (s.notAction && !anyCovers(s.notAction.values, action)) return { path: 'NotAction', index: -1 };
  return undefined;
}

/** Can this statement's PassRole be used to pass a role to `service`? */
function passesTo(s: Statement, service: string): boolean {
  for (const c of s.conditions) {
    if (c.key.toLowerCase() !== 'iam:passedtoservice' || c.baseOperator === 'Null') continue;
    const hit = c.values.some((v) => patternCovers(v, service));
    if (isNegated(c.baseOperator) ? hit : !hit) return false;
  }
  return true;
}

function deniedOutright(ctxs: readonly LintContext[], action: string): boolean {
  return ctxs.some((ctx) =>
    ctx.policy.statements.some(
      (s) => s.effect === 'Deny' && s.conditions.length === 0 && (s.resource?.values.includes('*') ?? false) && covers(s, action) !== undefined,
    ),
  );
}

function findGrant(grants: readonly LintContext[], action: string, passTo: string | undefined): Site | undefined {
  for (const ctx of grants) {
    for (const s of ctx.policy.statements) {
      if (s.effect !== 'Allow') continue;
      const hit = covers(s, action);
      if (!hit) continue;
      if (!(s.notResource || broad(s.resource?.values ?? []))) continue;
      if (passTo !== undefined && !passesTo(s, passTo)) continue;
      const list = hit.path === 'Action' ? s.action : s.notAction;
      const base = [...ctx.statementPath(s), hit.path];
      const path = hit.index >= 0 && list ? ctx.valuePath(s, 'Action', list, hit.index) : base;
      const span = hit.index >= 0 && list ? (list.spans[hit.index] ?? list.span) : ctx.keySpan(base, s.span);
      return { ctx, s, path, span };
    }
  }
  return undefined;
}

function allowedByBoundaries(boundaries: readonly LintContext[], action: string): boolean {
  if (boundaries.length === 0) return true;
  return boundaries.every(
    (b) => b.policy.statements.some((s) => s.effect === 'Allow' && covers(s, action) !== undefined) && !deniedOutright([b], action),
  );
}

function where(site: Site, from: Site): string {
  const stmt = formatJsonPath(site.ctx.statementPath(site.s));
  return site.ctx === from.ctx ? stmt : `${site.ctx.policy.name} ${stmt}`;
}

/**
 * Reports each escalation path once, at the grant of its first non-PassRole
 * action, in the document that grants it. `grants`: identity-based policies;
 * `boundaries`: permissions boundaries of the same principal.
 */
export function checkPrivilegeEscalation(grants: readonly LintContext[], boundaries: readonly LintContext[] = []): void {
  const bySite = new Map<string, { site: Site; parts: string[]; effects: string[] }>();
  for (const combo of ESCALATION_COMBOS) {
    const needed = combo.passRoleTo !== undefined ? ['iam:PassRole', ...combo.actions] : combo.actions;
    if (needed.some((a) => deniedOutright(grants, a) || !allowedByBoundaries(boundaries, a))) continue;
    const pass = combo.passRoleTo !== undefined ? findGrant(grants, 'iam:PassRole', combo.passRoleTo) : undefined;
    if (combo.passRoleTo !== undefined && !pass) continue;
    const sites = combo.actions.map((a) => findGrant(grants, a, undefined));
    const anchor = sites[0];
    if (!anchor || sites.some((x) => x === undefined)) continue;
    const with_: string[] = [];
    if (pass) with_.push(`iam:PassRole (${where(pass, anchor)})`);
    combo.actions.slice(1).forEach((a, i) => {
      const site = sites[i + 1];
      if (site) with_.push(site.ctx === anchor.ctx && site.s === anchor.s ? a : `${a} (${where(site, anchor)})`);
    });
    const part = [combo.actions[0] ?? '', ...with_].join(' + ');
    const key = `${anchor.ctx.file ?? anchor.ctx.policy.name}|${formatJsonPath(anchor.path)}`;
    const entry = bySite.get(key) ?? { site: anchor, parts: [], effects: [] };
    entry.parts.push(part);
    entry.effects.push(combo.effect);
    bySite.set(key, entry);
  }
  for (const { site, parts, effects } of bySite.values()) {
    site.ctx.report(
      'PRIVILEGE_ESCALATION',
      `Privilege escalation via ${listForMessage(parts, 2)}: the principal can ${effects[0] ?? ''}; scope the resources (for iam:PassRole, name the roles) or drop these permissions`,
      site.span,
      site.path,
    );
  }
}
