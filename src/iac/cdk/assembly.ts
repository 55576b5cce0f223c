/**
 * A CDK cloud assembly (`cdk.out`: manifest.json and one template per stack,
 * nested assemblies for stages) → one side of a change: every stack's
 * template read as CloudFormation, each resource cited by its construct path
 * (the `aws:cdk:path` metadata CDK writes into the template).
 */
import { dirname, join } from 'node:path';
import { readUtf8File } from '../../diagnostics/input-text.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { readTemplate } from '../cfn/template.js';
import type { Fact, IacSide, IacUnknown } from '../model.js';
import type { SymbolTable } from '../symbols.js';
import { isRecord as isObj } from '../../account/import/source.js';

/** A cloud assembly manifest: `artifacts` whose entries have a `type` such as `aws:cloudformation:stack`. */
export function isCdkManifest(v: unknown): boolean {
  return isObj(v) && isObj(v['artifacts']) && typeof v['version'] === 'string' && !isObj(v['Resources']);
}

export class AssemblyError extends Error {}

interface Opts {
  readonly accountId?: string;
  readonly region?: string;
  readonly parameters?: Readonly<Record<string, string>>;
}

function readJson(path: string): unknown {
  const r = readUtf8File(path);
  if ('error' in r) throw new AssemblyError(`${path}: cannot read: ${r.error}`);
  try {
    return JSON.parse(r.text) as unknown;
  } catch (e) {
    throw new AssemblyError(`${path}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** `aws://123456789012/us-east-1` → its parts; `unknown-account` / `unknown-region` are not known. */
function environment(env: unknown): { account?: string; region?: string } {
  const m = typeof env === 'string' ? /^aws:\/\/([^/]+)\/(.+)$/.exec(env) : null;
  if (!m) return {};
  return { ...(/^\d{12}$/.test(m[1]!) ? { account: m[1]! } : {}), ...(m[2] !== 'unknown-region' ? { region: m[2]! } : {}) };
}

function collect(
  manifestPath: string,
  table: SymbolTable,
  opts: Opts,
  facts: Fact[],
  unknowns: IacUnknown[],
  files: string[],
  depth: number,
): string | undefined {
  if (depth > 10) throw new AssemblyError(`${manifestPath}: nested assemblies deeper than 10 levels`);
  const m = readJson(manifestPath);
  if (!isCdkManifest(m)) throw new AssemblyError(`${manifestPath}: not a CDK cloud assembly manifest (no "artifacts")`);
  const dir = dirname(manifestPath);
  let account: string | undefined;
  for (const [id, art] of Object.entries((m as { artifacts: Record<string, unknown> }).artifacts)) {
    if (!isObj(art)) continue;
    const props = isObj(art['properties']) ? art['properties'] : {};
    if (art['type'] === 'cdk:cloud-assembly' && typeof props['directoryName'] === 'string') {
      account ??= collect(join(dir, props['directoryName'], 'manifest.json'), table, opts, facts, unknowns, files, depth + 1);
      continue;
    }
    if (art['type'] !== 'aws:cloudformation:stack' || typeof props['templateFile'] !== 'string') continue;
    const file = join(dir, props['templateFile']);
    const read = readUtf8File(file);
    if ('error' in read) throw new AssemblyError(`${file}: cannot read: ${read.error}`);
    const env = environment(art['environment']);
    const accountId = opts.accountId ?? env.account;
    const region = opts.region ?? env.region;
    const params = { ...(isObj(props['parameters']) ? (props['parameters'] as Record<string, string>) : {}), ...(opts.parameters ?? {}) };
    const r = readTemplate(read.text, file, table, {
      constructPaths: constructPaths(art['metadata']),
      ...(accountId ? { accountId } : {}),
      ...(region ? { region } : {}),
      parameters: params,
      stackName: typeof props['stackName'] === 'string' ? props['stackName'] : id,
    });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new AssemblyError(errors.map(formatDiagnostic).join('\n'));
    facts.push(...r.side.facts);
    unknowns.push(...r.side.unknowns);
    files.push(file);
    account ??= r.side.accountId;
  }
  return account;
}

/** Logical id → construct path, from a stack artifact's metadata (`{"/Stack/Role/Resource": [{type: "aws:cdk:logicalId", data: "Role1ABC"}]}`). */
function constructPaths(meta: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!isObj(meta)) return out;
  for (const [path, entries] of Object.entries(meta)) {
    for (const e of Array.isArray(entries) ? entries : []) {
      if (isObj(e) && e['type'] === 'aws:cdk:logicalId' && typeof e['data'] === 'string') out.set(e['data'], path.replace(/^\//, ''));
    }
  }
  return out;
}

/** Reads every stack of a cloud assembly (given by its manifest.json) into one side. */
export function readCloudAssembly(manifestPath: string, table: SymbolTable, opts: Opts = {}): IacSide {
  const facts: Fact[] = [];
  const unknowns: IacUnknown[] = [];
  const files: string[] = [];
  const account = collect(manifestPath, table, opts, facts, unknowns, files, 0);
  const first = (f: Fact) => (f.kind === 'user' || f.kind === 'group' || f.kind === 'role' || f.kind === 'managed-policy' || f.kind === 'org-policy' ? 0 : 1);
  return {
    accountId: account ?? opts.accountId ?? table.accountSymbol('AWS::AccountId', 'the account the app deploys to'),
    facts: facts.sort((a, b) => first(a) - first(b)),
    unknowns,
    files,
  };
}
