/**
 * The inputs of `iamsim diff`, recognised by their shape: a Terraform plan
 * (both sides in one file), a CloudFormation/SAM template (JSON or YAML), a
 * CDK cloud assembly (a `cdk.out` folder or its manifest.json), or an
 * account export or bundle (anything `iamsim account import` reads).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Universe } from '../account/query.js';
import { universeFromTexts } from '../authz/universe.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { readUtf8File } from '../diagnostics/input-text.js';
import { jsonSource, yamlSource } from '../account/import/source.js';
import { isCdkManifest, readCloudAssembly } from './cdk/assembly.js';
import { isTemplate, readTemplate, templateSource } from './cfn/template.js';
import type { IacSide } from './model.js';
import type { SymbolTable } from './symbols.js';
import { isTerraformPlan, readTerraformPlan } from './terraform/plan.js';
import type { Json } from './terraform/json.js';

export class IacInputError extends Error {
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'IacInputError';
  }
}

export interface ReadOptions {
  readonly accountId?: string;
  readonly region?: string;
  /** Folder of the .tf files (default: the plan's folder). */
  readonly tfDir?: string;
  /** Template parameters (`Key=Value`), over the template's defaults. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Name of the stack, for AWS::StackName (default: the template's file name). */
  readonly stackName?: string;
}

export type IacInput =
  | { readonly kind: 'plan'; readonly before: IacSide; readonly after: IacSide }
  | { readonly kind: 'template' | 'assembly'; readonly side: IacSide }
  | { readonly kind: 'model'; readonly universe: Universe };

function fail(diagnostics: readonly Diagnostic[], fallback: string): never {
  throw new IacInputError(diagnostics.map(formatDiagnostic).join('\n') || fallback, diagnostics);
}

function parse(text: string, file: string): unknown {
  const isYaml = /\.ya?ml$/i.test(file);
  if (!isYaml) {
    const j = jsonSource(text, file);
    if (j.source) return j.source.value;
    if (/\.json$/i.test(file)) fail(j.diagnostics, `${file}: not JSON`);
  }
  const t = templateSource(text, file);
  if (t.source) return t.source.value;
  const y = yamlSource(text, file);
  if (y.source) return y.source.value;
  fail(t.diagnostics.length > 0 ? t.diagnostics : y.diagnostics, `${file}: not JSON or YAML`);
}

/** Reads one input of `iamsim diff`; bad input is an IacInputError naming file, line and column. */
export function readIacInput(path: string, table: SymbolTable, opts: ReadOptions = {}): IacInput {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new IacInputError(`${path}: no such file or folder`);
  }
  if (st.isDirectory()) {
    const manifest = join(path, 'manifest.json');
    if (!existsSync(manifest)) throw new IacInputError(`${path}: a folder must be a CDK cloud assembly (cdk.out with manifest.json)`);
    return { kind: 'assembly', side: readCloudAssembly(manifest, table, opts) };
  }
  const read = readUtf8File(path);
  if ('error' in read) throw new IacInputError(`${path}: cannot read: ${read.error}`);
  const value = parse(read.text, path);
  if (isTerraformPlan(value)) {
    const r = readTerraformPlan(value as Record<string, Json>, path, table, { ...opts, tfDir: opts.tfDir ?? dirname(path) });
    if (r.diagnostics.some((d) => d.severity === 'error')) fail(r.diagnostics, `${path}: not a Terraform plan`);
    return { kind: 'plan', before: r.before, after: r.after };
  }
  if (isCdkManifest(value)) return { kind: 'assembly', side: readCloudAssembly(path, table, opts) };
  if (isTemplate(value)) {
    const r = readTemplate(read.text, path, table, opts);
    if (r.diagnostics.some((d) => d.severity === 'error')) fail(r.diagnostics, `${path}: not a template`);
    return { kind: 'template', side: r.side };
  }
  const loaded = universeFromTexts([{ name: path, text: read.text }], opts.accountId ? { accountId: opts.accountId } : {});
  if (!loaded.universe) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    const unknown = errors.some((d) => d.code === 'UNKNOWN_INPUT_FORMAT');
    if (unknown) {
      throw new IacInputError(
        `${path}:1:1: error UNKNOWN_INPUT_FORMAT: not a Terraform plan (terraform show -json), a CloudFormation/SAM template, a CDK cloud assembly, an account export or an iamsim bundle`,
      );
    }
    fail(errors, `${path}: unreadable`);
  }
  return { kind: 'model', universe: loaded.universe };
}
