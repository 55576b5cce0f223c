/**
 * AWS SAM's AWS::Serverless::Function, as the SAM translator expands it
 * (AWS SAM Developer Guide, sam-resource-function and
 * serverless-policy-templates): without `Role`, a role `<LogicalId>Role`
 * trusted by lambda.amazonaws.com, with AWSLambdaBasicExecutionRole (plus the
 * X-Ray and VPC managed policies when Tracing or VpcConfig ask for them),
 * and each entry of `Policies` — a managed policy name or ARN, a policy
 * document, or a SAM policy template (all 81 of SAM's, data/sam-policy-templates.json)
 * — as an inline policy or attachment; `PermissionsBoundary`, `RolePath`.
 */
import { resolveAwsManagedPolicy } from '../../account/managed.js';
import type { Fact, IacDocument } from '../model.js';
import type { CfnResource } from './resources.js';
import templates from './data/sam-policy-templates.json' with { type: 'json' };
import { isRecord as isObj } from '../../account/import/source.js';

interface PolicyTemplate {
  readonly Parameters: Record<string, unknown>;
  readonly Definition: Record<string, unknown>;
}

const TEMPLATES = (templates as { Templates: Record<string, PolicyTemplate> }).Templates;

/** The names of the SAM policy templates iamsim expands. */
export function samPolicyTemplateNames(): string[] {
  return Object.keys(TEMPLATES).sort();
}

function substitute(v: unknown, params: Record<string, unknown>): unknown {
  if (Array.isArray(v)) return v.map((x) => substitute(x, params));
  if (!isObj(v)) return v;
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof v['Ref'] === 'string' && v['Ref'] in params) return params[v['Ref']];
  return Object.fromEntries(keys.map((k) => [k, substitute(v[k], params)]));
}

function managedArn(name: string): string | undefined {
  if (name.startsWith('arn:')) return name;
  const found = resolveAwsManagedPolicy(name);
  return found.ok ? found.policy.arn : undefined;
}

export function samFunction(res: CfnResource, add: (f: Fact) => void): void {
  const role = res.props['Role'];
  if (typeof role === 'string') {
    add({ kind: 'execution-role', roleArn: role.startsWith('arn:') ? role : `arn:aws:iam::${res.r.account}:role/${role}`, source: res.source });
    return;
  }
  const raw = res.props['Policies'];
  const entries = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const managed = ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'];
  const tracing = res.props['Tracing'];
  if (tracing === 'Active') managed.push('arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess');
  if (res.props['VpcConfig'] !== undefined) managed.push('arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole');
  const inline: { name: string; document: IacDocument }[] = [];
  entries.forEach((e, i) => {
    const name = `${res.id}RolePolicy${i}`;
    if (typeof e === 'string') {
      const arn = managedArn(e);
      if (arn) managed.push(arn);
      else inline.push({ name, document: res.r.table.holeDocument(res.id, `Policies[${i}]`, `${e} is not an AWS managed policy iamsim knows`, res.source) });
      return;
    }
    if (!isObj(e)) return;
    const [tname] = Object.keys(e);
    const tpl = tname !== undefined && Object.keys(e).length === 1 ? TEMPLATES[tname] : undefined;
    if (tpl) {
      const given = isObj(e[tname!]) ? (e[tname!] as Record<string, unknown>) : {};
      const missing = Object.keys(tpl.Parameters).filter((p) => given[p] === undefined);
      const params = { ...given };
      for (const p of missing) params[p] = res.r.hole(res.id, `Policies[${i}].${tname}.${p}`, 'a policy template parameter that is not given');
      const def = res.r.resolve(substitute(tpl.Definition, params));
      inline.push({ name, document: { text: JSON.stringify({ Version: '2012-10-17', ...(def as object) }) } });
      return;
    }
    if ('Statement' in e) {
      inline.push({ name, document: { text: JSON.stringify(e) } });
      return;
    }
    inline.push({
      name,
      document: res.r.table.holeDocument(res.id, `Policies[${i}]`, `${tname ?? 'entry'} is neither a policy document nor a SAM policy template`, res.source),
    });
  });
  const boundary = typeof res.props['PermissionsBoundary'] === 'string' ? res.props['PermissionsBoundary'] : undefined;
  const path = typeof res.props['RolePath'] === 'string' ? res.props['RolePath'] : '/';
  const roleName = res.r.table.symbol(`${res.id}Role`, 'Ref', `arn:aws:iam::${res.r.account}:role${path}`, { source: res.source });
  add({
    kind: 'role',
    name: roleName,
    path,
    trust: {
      text: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    },
    inline,
    managed,
    ...(boundary ? { boundary } : {}),
    tags: [],
    source: { ...res.source, address: `${res.source.address}Role` },
  });
}
