/**
 * A CloudFormation or SAM template (JSON or YAML) → one side of a change.
 * Parameters take `--parameters` values, else their defaults; resources whose
 * Condition is false are left out; intrinsics are evaluated (intrinsics.ts);
 * each resource type iamsim models becomes facts (resources.ts, sam.ts).
 * A resource's source is its place in the template and, for CDK output,
 * its construct path (the `aws:cdk:path` metadata).
 */
import { basename, extname } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { InputSource } from '../../account/import/source.js';
import type { Fact, IacSide, IacUnknown, SourceRef } from '../model.js';
import type { SymbolTable } from '../symbols.js';
import { Resolver } from './intrinsics.js';
import { CFN_TYPES, type CfnResource } from './resources.js';
import { samFunction } from './sam.js';
import { templateSource } from './source.js';
import { isRecord as isObj } from '../../account/import/source.js';

export { templateSource };

/** A template has a Resources mapping (and usually AWSTemplateFormatVersion or a SAM Transform). */
export function isTemplate(v: unknown): boolean {
  return isObj(v) && isObj(v['Resources']) && !('resource_changes' in v);
}

export interface TemplateOptions {
  readonly accountId?: string;
  readonly region?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly stackName?: string;
  /** Names the template in sources (e.g. a CDK stack's template file). */
  readonly label?: string;
  /** Construct paths by logical id (a CDK manifest's `aws:cdk:logicalId` metadata), for templates without `aws:cdk:path`. */
  readonly constructPaths?: ReadonlyMap<string, string>;
}

function sourceFor(src: InputSource, id: string, res: Record<string, unknown>, paths?: ReadonlyMap<string, string>): SourceRef {
  const meta = isObj(res['Metadata']) ? res['Metadata'] : {};
  const cdkPath = typeof meta['aws:cdk:path'] === 'string' ? meta['aws:cdk:path'] : paths?.get(id);
  const pos = src.position(['Resources', id]);
  return {
    file: src.file,
    line: pos.line,
    column: pos.column,
    address: cdkPath ?? id,
    ...(cdkPath ? { logicalId: id } : {}),
    ...(typeof res['Type'] === 'string' ? { type: res['Type'] } : {}),
  };
}

/** Reads a template's text into the facts of one side. */
export function readTemplate(text: string, file: string, table: SymbolTable, opts: TemplateOptions = {}): { side: IacSide; diagnostics: Diagnostic[] } {
  const { source, diagnostics } = templateSource(text, file);
  if (!source) return { side: { accountId: '', facts: [], unknowns: [], files: [file] }, diagnostics };
  return { side: sideOf(source, table, opts), diagnostics };
}

export function sideOf(src: InputSource, table: SymbolTable, opts: TemplateOptions): IacSide {
  const t = src.value as Record<string, unknown>;
  const resources = isObj(t['Resources']) ? t['Resources'] : {};
  const account = opts.accountId ?? table.accountSymbol('AWS::AccountId', 'the account the stack deploys to');
  const stackName = opts.stackName ?? basename(src.file, extname(src.file)).replace(/\.template$/, '');
  const parts = {
    parameters: isObj(t['Parameters']) ? t['Parameters'] : {},
    mappings: isObj(t['Mappings']) ? t['Mappings'] : {},
    conditions: isObj(t['Conditions']) ? t['Conditions'] : {},
    resources,
  };
  const r = new Resolver(parts, table, account, opts.region ?? 'us-east-1', stackName, opts.parameters ?? {}, (id) =>
    sourceFor(src, id, isObj(resources[id]) ? resources[id] : {}, opts.constructPaths),
  );
  const facts: Fact[] = [];
  const unknowns: IacUnknown[] = [];
  for (const [id, raw] of Object.entries(resources)) {
    if (!isObj(raw) || typeof raw['Type'] !== 'string') continue;
    const source = sourceFor(src, id, raw, opts.constructPaths);
    if (typeof raw['Condition'] === 'string') {
      const c = r.condition(raw['Condition']);
      if (c === false) continue;
      if (c === undefined)
        unknowns.push({
          address: source.address,
          attribute: 'Condition',
          reason: `whether the resource is created depends on condition ${raw['Condition']}, which the template does not fix`,
          source,
        });
    }
    const props = r.resolve(isObj(raw['Properties']) ? raw['Properties'] : {});
    const res: CfnResource = { id, type: raw['Type'], props: isObj(props) ? props : {}, source, r };
    if (raw['Type'] === 'AWS::Serverless::Function') samFunction(res, (f) => facts.push(f));
    else if (CFN_TYPES[raw['Type']]) CFN_TYPES[raw['Type']]!(res, (f) => facts.push(f));
    else {
      // A policy of a type iamsim does not read (AWS::OpenSearchService::Domain AccessPolicies, AWS::EFS::FileSystem
      // FileSystemPolicy, …) is never a silent pass.
      const key = Object.keys(res.props).find((k) => /Polic(y|ies)(Document|Text)?$/.test(k) && k !== 'DeletionPolicy' && k !== 'UpdateReplacePolicy');
      if (key)
        unknowns.push({
          address: source.address,
          attribute: key,
          reason: `${raw['Type']} is not modelled by iamsim; its ${key} is not checked`,
          source,
          value: JSON.stringify(res.props[key]),
        });
    }
  }
  const first = (f: Fact) => (f.kind === 'user' || f.kind === 'group' || f.kind === 'role' || f.kind === 'managed-policy' || f.kind === 'org-policy' ? 0 : 1);
  return { accountId: account, region: opts.region ?? 'us-east-1', facts: facts.sort((a, b) => first(a) - first(b)), unknowns, files: [src.file] };
}
