/**
 * Turns a workflow definition and the user's `name=value` settings into
 * concrete requests: parameters are resolved in declaration order (a default
 * may refer to earlier parameters), then each step whose `when` holds is
 * expanded.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ContextKeyType } from '../eval/request.js';
import { evalWhen, expand } from './template.js';
import type { ConcreteStep, ContextEntryDef, WorkflowDef } from './types.js';

/**
 * A problem with a workflow parameter. The message names no command-line flag
 * or API field (each shell says how to give a parameter: the CLI's --set, the
 * console's form); `path` is the parameter's name.
 */
function diag(code: string, message: string, name?: string): Diagnostic {
  return { code, severity: 'error', file: '--set', message, line: 1, column: 1, path: name !== undefined ? [name] : [] };
}

/** Resolves parameter values; unknown names, missing required values and bad choices are errors. */
/** Values of `fromAccount` parameters the loaded accounts imply: the candidates of a kind in an account. */
export type ImpliedValues = (kind: 'kms-key' | 'vpc-endpoint', accountId: string | undefined) => readonly string[];

export interface ResolvedParameters {
  readonly params: Map<string, string>;
  readonly diagnostics: Diagnostic[];
  /** Parameter → why its value was read from the accounts (or why it was not, with several candidates). */
  readonly implied: Map<string, string>;
}

export function resolveParameters(wf: WorkflowDef, settings: ReadonlyMap<string, string>, impliedBy?: ImpliedValues): ResolvedParameters {
  const implied = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const declared = new Set(wf.parameters.map((p) => p.name));
  for (const name of settings.keys()) {
    if (!declared.has(name)) diagnostics.push(diag('PREFLIGHT_UNKNOWN_PARAMETER', `workflow ${wf.id} has no parameter ${JSON.stringify(name)}`, name));
  }
  const params = new Map<string, string>();
  for (const p of wf.parameters) {
    let given = settings.get(p.name);
    if (given === undefined && p.fromAccount !== undefined && impliedBy !== undefined) {
      const what = p.fromAccount === 'kms-key' ? 'KMS key with a key policy' : 'VPC endpoint with a policy';
      const found = impliedBy(p.fromAccount, params.get('accountId'));
      if (found.length === 1) {
        given = found[0];
        implied.set(p.name, `from the accounts: their only ${what}`);
      } else if (found.length > 1) {
        implied.set(
          p.name,
          `not set: the accounts hold ${found.length} of them (${found.slice(0, 3).join(', ')}${found.length > 3 ? ', …' : ''}); set ${p.name} to check one`,
        );
      }
    }
    const value = given ?? (p.default !== undefined ? expand(p.default, params) : '');
    if (p.required === true && value === '')
      diagnostics.push(diag('PREFLIGHT_MISSING_PARAMETER', `workflow ${wf.id} needs the parameter ${p.name} (${p.description})`, p.name));
    if (p.choices !== undefined && value !== '' && !p.choices.includes(value)) {
      diagnostics.push(diag('PREFLIGHT_BAD_CHOICE', `${p.name} must be one of ${p.choices.join(', ')}, not ${JSON.stringify(value)}`, p.name));
    }
    if (p.name === 'region') {
      const problem = regionProblem(value);
      if (problem !== undefined) diagnostics.push(diag('PREFLIGHT_BAD_REGION', `region ${JSON.stringify(value)}: ${problem}`, p.name));
    }
    params.set(p.name, value);
  }
  return { params, diagnostics, implied };
}

/** Partitions other than `aws`, by region prefix (IAM User Guide, reference_identifiers: ARN partitions). */
const OTHER_PARTITIONS: readonly (readonly [RegExp, string])[] = [
  [/^cn-/, 'aws-cn'],
  [/^us-gov-/, 'aws-us-gov'],
  [/^us-isob-/, 'aws-iso-b'],
  [/^us-iso-/, 'aws-iso'],
  [/^eu-isoe-/, 'aws-iso-e'],
  [/^us-isof-/, 'aws-iso-f'],
  [/^eusc-/, 'aws-eusc'],
];

/**
 * Workflows build `arn:aws:` ARNs, so their region must be a region of the
 * `aws` partition; an empty or malformed region is an error too.
 */
function regionProblem(region: string): string | undefined {
  if (region === '') return 'the region must not be empty (e.g. us-east-1)';
  if (!/^[a-z]{2,4}(-[a-z]+)+-\d+$/.test(region)) return 'is not a region name such as us-east-1';
  const other = OTHER_PARTITIONS.find(([re]) => re.test(region));
  if (other !== undefined) return `is in the ${other[1]} partition; the workflows build ARNs of the aws partition (arn:aws:…), so they cannot be checked there`;
  return undefined;
}

function entries(list: readonly ContextEntryDef[], params: ReadonlyMap<string, string>): ConcreteStep['context'] {
  const out: { key: string; type: ContextKeyType; values: string[] }[] = [];
  for (const e of list) {
    if (!evalWhen(e.when, params)) continue;
    const values = e.values.map((v) => expand(v, params)).filter((v) => v !== '');
    if (values.length === 0) continue;
    out.push({ key: expand(e.key, params), type: e.type ?? (values.length > 1 ? 'stringList' : 'string'), values });
  }
  return out;
}

/** The steps to run, in definition order. */
export function planSteps(wf: WorkflowDef, params: ReadonlyMap<string, string>): ConcreteStep[] {
  const common = entries(wf.context ?? [], params);
  const steps: ConcreteStep[] = [];
  for (const s of wf.steps) {
    if (!evalWhen(s.when, params)) continue;
    const own = entries(s.context ?? [], params);
    const ownKeys = new Set(own.map((e) => e.key.toLowerCase()));
    const context = [...common.filter((e) => !ownKeys.has(e.key.toLowerCase())), ...own];
    const vpce = s.vpcEndpointId !== undefined ? expand(s.vpcEndpointId, params) : '';
    let fixCondition: Record<string, Record<string, string[]>> | undefined;
    if (s.fixCondition !== undefined) {
      fixCondition = {};
      for (const [op, block] of Object.entries(s.fixCondition)) {
        const inner: Record<string, string[]> = {};
        for (const [key, val] of Object.entries(block)) inner[key] = (typeof val === 'string' ? [val] : [...val]).map((v) => expand(v, params));
        fixCondition[op] = inner;
      }
    }
    const fixResource = s.fixResource !== undefined ? expand(s.fixResource, params) : '';
    steps.push({
      name: s.name,
      title: s.title !== undefined ? expand(s.title, params) : s.name,
      principal: expand(s.principal, params),
      action: s.action,
      resource: expand(s.resource, params),
      context,
      expect: s.expect ?? 'allowed',
      why: s.why,
      ...(vpce !== '' ? { vpcEndpointId: vpce } : {}),
      ...(fixCondition !== undefined ? { fixCondition } : {}),
      ...(fixResource !== '' ? { fixResource } : {}),
    });
  }
  return steps;
}
