/**
 * Infrastructure as code → the account model, and `iamsim diff`: what a
 * change (a Terraform plan, a pair of CloudFormation/SAM templates or CDK
 * cloud assemblies, account exports) grants. See docs/iac.md.
 */
import type { Universe } from '../account/query.js';
import { readUtf8File } from '../diagnostics/input-text.js';
import { AssemblyError } from './cdk/assembly.js';
import { AcceptError, readAccept, type AcceptEntry } from './diff/accept.js';
import { diffChange, type Category, type DiffReport } from './diff/index.js';
import { IacInputError, readIacInput, type IacInput, type ReadOptions } from './load.js';
import type { IacSide } from './model.js';
import type { ReasonContext } from '../reason/checks.js';
import { ACCOUNT_TOKEN, SymbolTable } from './symbols.js';

export {
  CATEGORIES,
  diffChange,
  type Category,
  type DiffReport,
  type DiffInput,
  type PrincipalEntry,
  type PreflightEntry,
  type PreflightStepChange,
  type ResourceEntry,
  type WorkloadEntry,
} from './diff/index.js';
export { toJson, toMarkdown, toSarif, toText } from './diff/render.js';
export { readAccept, AcceptError, type AcceptEntry } from './diff/accept.js';
export { IacInputError, readIacInput, type IacInput, type ReadOptions } from './load.js';
export { SymbolTable } from './symbols.js';
export { readTerraformPlan, isTerraformPlan } from './terraform/plan.js';
export { TERRAFORM_TYPES } from './terraform/resources.js';
export { readTemplate, isTemplate } from './cfn/template.js';
export { CFN_TYPES } from './cfn/resources.js';
export { samPolicyTemplateNames } from './cfn/sam.js';
export { readCloudAssembly, isCdkManifest, AssemblyError } from './cdk/assembly.js';
export { IamsimPolicyValidationPlugin } from './cdk/plugin.js';
export type * from './model.js';

export interface DiffFilesOptions extends ReadOptions {
  /** BEFORE (absent: nothing, or the plan's own before side). */
  readonly before?: string;
  /** AFTER, or the one plan file. */
  readonly after: string;
  readonly baseline?: Universe;
  readonly acceptFile?: string;
  readonly failOn?: readonly Category[];
  readonly at?: Date;
  readonly noAudit?: boolean;
  /** The reasoner to decide new access with (an engine's: `Iamsim.reason`); default: one for this diff. */
  readonly reason?: ReasonContext;
}

/** The input errors a caller shows as bad input (exit 2). */
export const DIFF_INPUT_ERRORS = [IacInputError, AcceptError, AssemblyError] as const;

function side(input: IacInput, which: string): { side?: IacSide; model?: Universe } {
  if (input.kind === 'plan') throw new IacInputError(`${which}: a Terraform plan holds both sides of the change; give it alone (iamsim diff plan.json)`);
  return input.kind === 'model' ? { model: input.universe } : { side: input.side };
}

/** Reads the inputs and decides what the change grants. */
export async function diffFiles(o: DiffFilesOptions): Promise<DiffReport> {
  const table = new SymbolTable();
  const single = o.baseline && o.baseline.accounts.size === 1 ? [...o.baseline.accounts.keys()][0] : undefined;
  const accountId = o.accountId ?? single;
  const opts: ReadOptions = { ...o, ...(accountId ? { accountId } : {}) };
  let accept: AcceptEntry[] | undefined;
  if (o.acceptFile !== undefined) {
    const r = readUtf8File(o.acceptFile);
    if ('error' in r) throw new AcceptError(`${o.acceptFile}: cannot read: ${r.error}`);
    accept = readAccept(r.text, o.acceptFile);
  }
  const after = readIacInput(o.after, table, opts);
  let b: { side?: IacSide; model?: Universe } = {};
  let a: { side?: IacSide; model?: Universe };
  if (o.before === undefined) {
    a = after.kind === 'plan' ? { side: after.after } : side(after, 'AFTER');
    if (after.kind === 'plan') b = { side: after.before };
  } else {
    b = side(readIacInput(o.before, table, opts), 'BEFORE');
    a = side(after, 'AFTER');
  }
  const account = accountId ?? a.side?.accountId ?? b.side?.accountId ?? ACCOUNT_TOKEN;
  return diffChange({
    ...(b.side ? { before: b.side } : {}),
    ...(a.side ? { after: a.side } : {}),
    ...(b.model ? { beforeModel: b.model } : {}),
    ...(a.model ? { afterModel: a.model } : {}),
    table,
    ...(o.baseline ? { baseline: o.baseline } : {}),
    account,
    ...(o.region ? { region: o.region } : {}),
    ...(accept ? { accept } : {}),
    ...(o.failOn ? { failOn: o.failOn } : {}),
    ...(o.at ? { at: o.at } : {}),
    ...(o.noAudit ? { noAudit: true } : {}),
    ...(o.reason ? { reason: o.reason } : {}),
  });
}
