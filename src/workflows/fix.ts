/**
 * The smallest change that moves one step towards its expected decision,
 * read from the layer that decided it (IAM User Guide:
 * reference_policies_evaluation-logic, "Determining whether a request is
 * allowed or denied within an account"):
 *  - an explicit Deny: narrow that statement so it no longer matches this
 *    request (exempt the request's value in a negated condition, else add an
 *    ArnNotLike aws:PrincipalArn exception) — guardrails are never removed;
 *  - no Allow at an SCP/RCP level: an Allow in that level's policy;
 *  - the VPC endpoint policy: the resource added to its Allow for the action,
 *    or a new Allow statement;
 *  - a service principal, or a KMS key policy that does not admit the caller
 *    (key policies must allow explicitly; KMS developer guide, key policies):
 *    a statement in the trust or key policy naming the principal;
 *  - the permissions boundary or the identity-based policies: the change to a
 *    statement that only failed one positive string condition (add the
 *    request's value), else a new Allow for exactly this action and resource.
 * A step expected to be denied but allowed gets the step's fixCondition added
 * to the Allow that granted it (or a Deny when it has none).
 */
import { parse as parseJsonc } from 'jsonc-parser';
import { expandActionPattern, getAction } from '../catalog/actions.js';
import type { Universe } from '../account/query.js';
import { findPrincipal, orgPoliciesFor } from '../account/query.js';
import type { PolicySourceInfo } from '../authz/assemble.js';
import type { Authorization } from '../authz/authorize.js';
import type { StatementRef } from '../eval/compile.js';
import { accountOf, classifyCaller } from '../eval/principal.js';
import type { LayerResult, StatementTrace } from '../eval/types.js';
import { statementLabel } from '../policy/model.js';
import { patchStatement } from './apply.js';
import { resourceGap, valuesOf } from './near-miss.js';
import type { ConcreteStep, Fix, FixLayer, StatementPatch } from './types.js';

export const FIX_POLICY_NAME = 'iamsim-preflight-fixes';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const POSITIVE = new Set(['StringEquals', 'StringLike', 'StringEqualsIgnoreCase', 'ArnEquals', 'ArnLike']);
const NEGATED = new Set(['StringNotEquals', 'StringNotLike', 'StringNotEqualsIgnoreCase', 'ArnNotEquals', 'ArnNotLike']);

/** The step's fixCondition as a policy Condition block (one value written as a string). */
function conditionOf(step: ConcreteStep): Obj | undefined {
  if (step.fixCondition === undefined) return undefined;
  const out: Obj = {};
  for (const [op, block] of Object.entries(step.fixCondition)) {
    out[op] = Object.fromEntries(Object.entries(block).map(([k, v]) => [k, v.length === 1 ? v[0] : [...v]]));
  }
  return out;
}

function sidFor(step: ConcreteStep): string {
  return `Preflight${step.name
    .split('-')
    .map((w) => (w[0] ?? '').toUpperCase() + w.slice(1))
    .join('')}`;
}

/**
 * Line of a statement in its file: a YAML bundle's statement where it stands, a verbatim JSON document's shifted
 * by the document's line, else inside the document.
 */
export function statementLine(src: PolicySourceInfo | undefined, ref: StatementRef): { line: number; file?: string } {
  const yaml = src?.statements?.[ref.index];
  if (src?.file !== undefined && yaml !== undefined) return { line: yaml.line, file: src.file };
  if (src?.file !== undefined && src.line !== undefined && src.file.endsWith('.json')) {
    return { line: src.line + ref.span.start.line - 1, file: src.file };
  }
  return { line: ref.span.start.line };
}

function statementJson(src: PolicySourceInfo, index: number): Obj {
  const doc: unknown = parseJsonc(src.document, [], { allowTrailingComma: true });
  if (!isObj(doc)) return {};
  const s = doc['Statement'];
  const st: unknown = Array.isArray(s) ? s[index] : s;
  return isObj(st) ? st : {};
}

function patched(st: Obj, patches: readonly StatementPatch[]): Obj {
  let out = st;
  for (const p of patches) out = patchStatement(out, p);
  return out;
}

function fixLayer(src: PolicySourceInfo): FixLayer | undefined {
  switch (src.layer) {
    case 'identity':
    case 'boundary':
    case 'trust':
    case 'resource':
    case 'vpc-endpoint':
    case 'scp':
    case 'rcp':
      return src.layer;
    default:
      return undefined;
  }
}

function modify(src: PolicySourceInfo, ref: StatementRef, patches: StatementPatch[], change: string): Fix | undefined {
  const layer = fixLayer(src);
  if (layer === undefined || src.awsType === 'aws-managed') return undefined;
  const where = statementLine(src, ref);
  return {
    layer,
    target: src.target,
    policyName: src.name,
    kind: 'modify-statement',
    statement: patched(statementJson(src, ref.index), patches),
    statementIndex: ref.index,
    ...(ref.sid !== undefined && ref.sid !== '' ? { sid: ref.sid } : {}),
    patches,
    line: where.line,
    ...(where.file !== undefined ? { file: where.file } : {}),
    change,
  };
}

function traceOf(layers: readonly LayerResult[] | undefined, ref: StatementRef): StatementTrace | undefined {
  for (const l of layers ?? []) {
    for (const t of l.statements ?? []) if (t.ref.policyId === ref.policyId && t.ref.index === ref.index) return t;
  }
  return undefined;
}

function ctxValues(auth: Authorization, key: string): readonly string[] | undefined {
  return auth.context.get(key.toLowerCase())?.values;
}

function cite(ref: StatementRef): string {
  return `statement ${statementLabel(ref.index, ref.sid)}`;
}

/**
 * Allow statements that matched the step's action and resource and failed only because condition keys they test
 * are absent from the step's request: the workflow does not send what the service would (IAM User Guide,
 * reference_policies_elements_condition: a condition on a key absent from the request context does not match,
 * unless …IfExists or a negated operator). Such a step is reported as missing those keys; no fix is proposed, since
 * any statement that allows the request without those keys would drop a condition the real request may satisfy.
 * Tag keys are not counted: a tag is absent because the principal, resource or request has none, which the model
 * (and the workflow's tag parameters) already say.
 */
const TAG_KEY = /^aws:(ResourceTag|RequestTag|PrincipalTag|TagKeys)\b|:(ResourceTag|ExistingObjectTag|RequestObjectTag|RequestObjectTagKeys)\b/i;

export function missingKeyAllows(auth: Authorization): { readonly statement: string; readonly policy: string; readonly keys: readonly string[] }[] {
  const out: { statement: string; policy: string; keys: string[] }[] = [];
  for (const l of auth.decision.layers ?? []) {
    if (!l.applies || (l.layer !== 'identity' && l.layer !== 'boundary')) continue;
    for (const t of l.statements ?? []) {
      if (t.outcome !== 'condition' || t.ref.effect !== 'Allow') continue;
      const failed = (t.clauses ?? []).filter((c) => !c.matched);
      if (failed.length === 0 || !failed.every((c) => c.missingKeys.length > 0 && !c.missingKeys.some((k) => TAG_KEY.test(k)))) continue;
      const src = auth.sources.get(t.ref.policyId);
      out.push({
        statement: cite(t.ref),
        policy: src ? `${src.name} (${src.target})` : t.ref.policyName,
        keys: [...new Set(failed.flatMap((c) => c.missingKeys))],
      });
    }
  }
  return out;
}

function denyFix(auth: Authorization): Fix | undefined {
  const ref = auth.decision.matchedStatements.find((r) => r.effect === 'Deny');
  const src = ref ? auth.sources.get(ref.policyId) : undefined;
  if (ref === undefined || src === undefined) return undefined;
  const trace = traceOf(auth.decision.layers, ref);
  for (const c of trace?.clauses ?? []) {
    const values = ctxValues(auth, c.clause.key);
    if (c.matched && NEGATED.has(c.clause.baseOperator) && c.clause.setQualifier === undefined && values !== undefined && values.length > 0) {
      return modify(
        src,
        ref,
        [{ op: 'add-values', path: ['Condition', c.clause.operator, c.clause.key], value: [...values] }],
        `Narrow the Deny ${cite(ref)} of ${src.name} (${src.target}): add ${values.join(', ')} to its ${c.clause.operator} ${c.clause.key} list so this request is exempt.`,
      );
    }
  }
  const principalArn = ctxValues(auth, 'aws:PrincipalArn')?.[0];
  if (principalArn === undefined) return undefined;
  return modify(
    src,
    ref,
    [{ op: 'add-values', path: ['Condition', 'ArnNotLike', 'aws:PrincipalArn'], value: [principalArn] }],
    `Narrow the Deny ${cite(ref)} of ${src.name} (${src.target}): exempt ${principalArn} with an ArnNotLike aws:PrincipalArn condition (review whether the guardrail should apply to it).`,
  );
}

function orgGapFix(step: ConcreteStep, u: Universe, layer: LayerResult, type: 'SCP' | 'RCP'): Fix | undefined {
  const gap = layer.levels?.find((l) => !l.allowed)?.level;
  const account = type === 'SCP' ? classifyCaller(step.principal).account : (accountOf(step.resource) ?? classifyCaller(step.principal).account);
  if (gap === undefined || account === undefined) return undefined;
  const node = orgPoliciesFor(u, account, type)?.levels[gap];
  if (node === undefined) return undefined;
  const own = node.policies.find((p) => !p.awsManaged);
  const statement: Obj = { Sid: sidFor(step), Effect: 'Allow', ...(type === 'RCP' ? { Principal: '*' } : {}), Action: step.action, Resource: '*' };
  const policyName = own?.name ?? `iamsim-preflight-allow-${node.nodeId}`;
  return {
    layer: type === 'SCP' ? 'scp' : 'rcp',
    target: `${node.kind}:${node.nodeId}`,
    policyName,
    kind: 'add-statement',
    statement,
    change: `No ${type} attached to ${node.kind} ${node.name} (${node.nodeId}) allows ${step.action}: add this Allow to ${own ? `the ${type} ${own.name}` : `a new ${type} ${policyName} attached there`}.`,
  };
}

function sourceOfLayer(auth: Authorization, layer: PolicySourceInfo['layer']): PolicySourceInfo | undefined {
  for (const s of auth.sources.values()) if (s.layer === layer) return s;
  return undefined;
}

function endpointFix(step: ConcreteStep, auth: Authorization, layer: LayerResult): Fix | undefined {
  const src = sourceOfLayer(auth, 'vpc-endpoint');
  if (src === undefined) return undefined;
  const resource = step.fixResource ?? step.resource;
  const near = layer.statements?.find((t) => t.outcome === 'resource' && t.ref.effect === 'Allow');
  if (near !== undefined && statementJson(src, near.ref.index)['Resource'] !== undefined) {
    const f = modify(
      src,
      near.ref,
      [{ op: 'add-values', path: ['Resource'], value: [resource] }],
      `The VPC endpoint policy ${src.target} lets ${step.action} through only for other resources: add ${resource} to the Resource of its ${cite(near.ref)}.`,
    );
    if (f) return f;
  }
  return {
    layer: 'vpc-endpoint',
    target: src.target,
    policyName: src.name,
    kind: 'add-statement',
    statement: { Sid: sidFor(step), Effect: 'Allow', Principal: '*', Action: step.action, Resource: resource },
    change: `The VPC endpoint policy ${src.target} does not let ${step.action} on ${resource} through: add this statement.`,
  };
}

function principalBlock(step: ConcreteStep, u: Universe): Obj {
  const caller = classifyCaller(step.principal);
  if (caller.kind === 'service') return { Service: step.principal };
  const p = findPrincipal(u, step.principal);
  const arn = p?.kind === 'role' || p?.kind === 'assumed-role' ? p.role.arn : p?.kind === 'user' ? p.user.arn : step.principal;
  return { AWS: arn };
}

/** A trust or key policy statement that allows the action for other principals: name this one there too. */
function principalNearMiss(step: ConcreteStep, auth: Authorization, u: Universe, layer: LayerResult | undefined): Fix | undefined {
  const block = principalBlock(step, u);
  const [kind, value] = Object.entries(block)[0] ?? [];
  if (kind === undefined || typeof value !== 'string') return undefined;
  for (const t of layer?.statements ?? []) {
    if (t.outcome !== 'principal' || t.ref.effect !== 'Allow') continue;
    const src = auth.sources.get(t.ref.policyId);
    if (src === undefined) continue;
    const st = statementJson(src, t.ref.index);
    const principal = st['Principal'];
    if (!isObj(principal) || valuesOf(principal[kind]).length === 0 || !grantsOnlyUse(st, src.layer === 'trust')) continue;
    const f = modify(
      src,
      t.ref,
      [{ op: 'add-values', path: ['Principal', kind], value: [value] }],
      `${cite(t.ref)} of ${describeSource(src)} allows the action for other principals: add ${value} to its Principal ${kind} list.`,
    );
    if (f) return f;
  }
  return undefined;
}

const TRUST_ACTIONS = /^sts:(AssumeRole|AssumeRoleWithSAML|AssumeRoleWithWebIdentity|TagSession|SetSourceIdentity|SetContext)$/i;
const USE_LEVELS = new Set(['Read', 'List', 'Write']);

/**
 * Naming one more principal in a statement grants it every action of the
 * statement: acceptable for a trust statement that only lets principals assume
 * the role, or for a resource statement whose actions are all data use (Read,
 * List, Write access levels in the service reference), never for one that
 * grants permissions management (a key administrators' statement, say).
 */
function grantsOnlyUse(st: Obj, trust: boolean): boolean {
  if (st['NotAction'] !== undefined) return false;
  const patterns = valuesOf(st['Action']);
  if (trust) return patterns.every((a) => TRUST_ACTIONS.test(a));
  return patterns.every((p) => {
    const actions = expandActionPattern(p);
    return actions.length > 0 && actions.every((a) => USE_LEVELS.has(getAction(a)?.accessLevel ?? ''));
  });
}

function describeSource(src: PolicySourceInfo): string {
  if (src.layer === 'trust') return `the trust policy of ${src.target}`;
  if (src.layer === 'resource') return `the ${src.target.includes(':kms:') ? 'key' : 'resource'} policy of ${src.target}`;
  return `${src.name} (${src.target})`;
}

function resourceSideFix(step: ConcreteStep, u: Universe, src: PolicySourceInfo, auth: Authorization, layer: LayerResult | undefined): Fix {
  const near = principalNearMiss(step, auth, u, layer);
  if (near !== undefined) return near;
  const trust = src.layer === 'trust';
  const statement: Obj = {
    Sid: sidFor(step),
    Effect: 'Allow',
    Principal: principalBlock(step, u),
    Action: step.action,
    ...(trust ? {} : { Resource: src.target.includes(':kms:') ? '*' : (step.fixResource ?? step.resource) }),
    ...(step.fixCondition ? { Condition: conditionOf(step) } : {}),
  };
  return {
    layer: trust ? 'trust' : 'resource',
    target: src.target,
    policyName: src.name,
    kind: 'add-statement',
    statement,
    change: trust
      ? `The trust policy of ${src.target} does not let ${step.principal} call ${step.action}: add this statement.`
      : `The resource policy of ${src.target} must itself allow ${step.principal} to call ${step.action}: add this statement.`,
  };
}

/** An Allow whose action matched but whose Resource pattern has a recognised gap: fix the pattern in place. */
function resourceNearMiss(step: ConcreteStep, auth: Authorization, layer: LayerResult | undefined): Fix | undefined {
  for (const t of layer?.statements ?? []) {
    if (t.outcome !== 'resource' || t.ref.effect !== 'Allow') continue;
    const src = auth.sources.get(t.ref.policyId);
    if (src === undefined) continue;
    for (const pattern of valuesOf(statementJson(src, t.ref.index)['Resource'])) {
      const gap = resourceGap(pattern, step.resource, step.fixResource);
      if (gap === undefined) continue;
      const f = modify(
        src,
        t.ref,
        [{ op: 'replace-value', path: ['Resource'], from: gap.from, value: gap.to }],
        `${cite(t.ref)} of ${src.name} (${src.target}) allows the action, but ${gap.why}: change it to ${gap.to}.`,
      );
      if (f) return f;
    }
  }
  return undefined;
}

/**
 * A permissions boundary caps what the identity policies may grant and grants
 * nothing itself (IAM User Guide, access_policies_boundaries), so when its
 * broad Allow (every resource, no condition) lacks the action, listing the
 * action there is the narrow change.
 */
function boundaryActionNearMiss(step: ConcreteStep, auth: Authorization, layer: LayerResult | undefined): Fix | undefined {
  for (const t of layer?.statements ?? []) {
    if (t.outcome !== 'action' || t.ref.effect !== 'Allow') continue;
    const src = auth.sources.get(t.ref.policyId);
    if (src === undefined) continue;
    const st = statementJson(src, t.ref.index);
    if (st['Action'] === undefined || st['Condition'] !== undefined || !valuesOf(st['Resource']).includes('*')) continue;
    const f = modify(
      src,
      t.ref,
      [{ op: 'add-values', path: ['Action'], value: [step.action] }],
      `${cite(t.ref)} of the permissions boundary ${src.name} (${src.target}) allows other actions on every resource: add ${step.action} to its Action list.`,
    );
    if (f) return f;
  }
  return undefined;
}

function identityFix(
  step: ConcreteStep,
  auth: Authorization,
  u: Universe,
  layer: LayerResult | undefined,
  boundary: PolicySourceInfo | undefined,
): Fix | undefined {
  const near = resourceNearMiss(step, auth, layer);
  if (near !== undefined) return near;
  // A statement would allow the request if it carried the keys the service sends: report, never loosen.
  if (missingKeyAllows(auth).length > 0) return undefined;
  for (const t of layer?.statements ?? []) {
    if (t.outcome !== 'condition' || t.ref.effect !== 'Allow') continue;
    const failed = (t.clauses ?? []).filter((c) => !c.matched);
    const c = failed[0];
    if (failed.length !== 1 || c === undefined || !POSITIVE.has(c.clause.baseOperator) || c.clause.setQualifier !== undefined) continue;
    const values = ctxValues(auth, c.clause.key);
    const src = auth.sources.get(t.ref.policyId);
    if (values === undefined || values.length !== 1 || src === undefined) continue;
    const f = modify(
      src,
      t.ref,
      [{ op: 'add-values', path: ['Condition', c.clause.operator, c.clause.key], value: [...values] }],
      `${cite(t.ref)} of ${src.name} (${src.target}) allows the action, but its ${c.clause.operator} ${c.clause.key} condition does not list ${values[0]}: add it.`,
    );
    if (f) return f;
  }
  const statement: Obj = {
    Sid: sidFor(step),
    Effect: 'Allow',
    Action: step.action,
    Resource: step.fixResource ?? step.resource,
    ...(step.fixCondition ? { Condition: conditionOf(step) } : {}),
  };
  if (boundary !== undefined) {
    const widened = boundaryActionNearMiss(step, auth, layer);
    if (widened !== undefined) return widened;
    return {
      layer: 'boundary',
      target: boundary.target,
      policyName: boundary.name,
      kind: 'add-statement',
      statement,
      change: `The permissions boundary ${boundary.name} does not allow ${step.action}: add this statement to it.`,
    };
  }
  const p = findPrincipal(u, step.principal);
  const owner = p?.kind === 'role' || p?.kind === 'assumed-role' ? p.role.arn : p?.kind === 'user' ? p.user.arn : undefined;
  if (owner === undefined) return undefined;
  return {
    layer: 'identity',
    target: owner,
    policyName: FIX_POLICY_NAME,
    kind: 'add-statement',
    statement,
    change: `No identity-based policy of ${owner} allows ${step.action} on ${step.resource}: add this statement to an inline policy (here ${FIX_POLICY_NAME}).`,
  };
}

function restrictFix(step: ConcreteStep, auth: Authorization, u: Universe): Fix | undefined {
  for (const ref of auth.decision.matchedStatements) {
    const src = auth.sources.get(ref.policyId);
    if (ref.effect !== 'Allow' || src === undefined || step.fixCondition === undefined) continue;
    const patches: StatementPatch[] = [];
    for (const [op, block] of Object.entries(step.fixCondition)) {
      for (const [key, values] of Object.entries(block)) patches.push({ op: 'add-values', path: ['Condition', op, key], value: values });
    }
    const f = modify(
      src,
      ref,
      patches,
      `${cite(ref)} of ${src.name} (${src.target}) allows ${step.action} even for this request, which should be denied: add the conditions shown.`,
    );
    if (f) return f;
  }
  const p = findPrincipal(u, step.principal);
  const owner = p?.kind === 'role' || p?.kind === 'assumed-role' ? p.role.arn : p?.kind === 'user' ? p.user.arn : undefined;
  if (owner === undefined) return undefined;
  return {
    layer: 'identity',
    target: owner,
    policyName: FIX_POLICY_NAME,
    kind: 'add-statement',
    statement: {
      Sid: sidFor(step),
      Effect: 'Deny',
      Action: step.action,
      Resource: step.resource,
      ...(step.fixCondition ? { Condition: conditionOf(step) } : {}),
    },
    change: `${step.action} should be denied here but is allowed: add this Deny to an inline policy of ${owner}.`,
  };
}

/** The next fix for a step that did not get its expected decision (undefined when none is known). */
export function nextFix(step: ConcreteStep, auth: Authorization, u: Universe): Fix | undefined {
  const d = auth.decision;
  if (step.expect === 'denied') return d.decision === 'allowed' ? restrictFix(step, auth, u) : undefined;
  if (d.decision === 'allowed') return undefined;
  if (d.decision === 'explicitDeny') return denyFix(auth);
  const layer = (name: LayerResult['layer']): LayerResult | undefined => d.layers?.find((l) => l.layer === name && l.applies);
  const rcp = layer('rcp');
  if (rcp && rcp.outcome !== 'allow') return orgGapFix(step, u, rcp, 'RCP');
  const scp = layer('scp');
  if (scp && scp.outcome !== 'allow') return orgGapFix(step, u, scp, 'SCP');
  const endpoint = layer('endpoint');
  if (endpoint && endpoint.outcome === 'none') return endpointFix(step, auth, endpoint);
  const resourceSrc = sourceOfLayer(auth, 'trust') ?? sourceOfLayer(auth, 'resource');
  const resourceAllows = (layer('resource')?.allows.length ?? 0) > 0;
  const service = classifyCaller(step.principal).kind === 'service';
  const kms = step.action.toLowerCase().startsWith('kms:') || /^sts:assumerole/i.test(step.action);
  if (resourceSrc !== undefined && !resourceAllows && (service || kms)) return resourceSideFix(step, u, resourceSrc, auth, layer('resource'));
  if (service) return undefined;
  const boundaryLayer = layer('boundary');
  const identity = layer('identity');
  if (identity && identity.outcome === 'none') return identityFix(step, auth, u, identity, undefined);
  if (boundaryLayer && boundaryLayer.outcome === 'none') return identityFix(step, auth, u, boundaryLayer, sourceOfLayer(auth, 'boundary'));
  return undefined;
}
