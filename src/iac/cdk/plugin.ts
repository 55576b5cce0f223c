/**
 * A CDK policy-validation plugin (aws-cdk-lib's IPolicyValidationPluginBeta1,
 * implemented structurally so that aws-cdk-lib is not a dependency):
 *
 *   new App({ policyValidationBeta1: [new IamsimPolicyValidationPlugin({ before: 'baseline.cdk.out' })] })
 *
 * `cdk synth` (or `app.synth()`) then fails with iamsim's report when the
 * synthesized templates grant new access compared with `before` (a template,
 * cloud assembly, or account export; nothing when absent), over an optional
 * baseline account model, minus accepted access.
 */
import { loadUniverse } from '../../authz/universe.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { readUtf8File } from '../../diagnostics/input-text.js';
import { packageVersion } from '../../package.js';
import { readAccept } from '../diff/accept.js';
import { diffAccess, type DiffReport } from '../diff/index.js';
import { toText } from '../diff/render.js';
import { readIacInput } from '../load.js';
import type { Fact, IacSide, IacUnknown } from '../model.js';
import { ACCOUNT_TOKEN, SymbolTable } from '../symbols.js';
import { readTemplate } from '../cfn/template.js';

export interface PluginOptions {
  /** What the app is compared with: a template, a cloud assembly folder, or an account export/bundle. */
  readonly before?: string;
  /** Baseline account files the stacks are applied to. */
  readonly account?: readonly string[];
  /** An accept file (docs/iac.md). */
  readonly accept?: string;
  readonly accountId?: string;
}

/** aws-cdk-lib's PolicyValidationPluginReportBeta1, structurally. */
export interface PluginReport {
  readonly success: boolean;
  readonly violations: readonly {
    readonly ruleName: string;
    readonly description: string;
    readonly fix?: string;
    readonly severity?: string;
    readonly violatingResources: readonly { readonly resourceLogicalId: string; readonly templatePath: string; readonly locations: readonly string[] }[];
  }[];
  readonly pluginVersion?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export class IamsimPolicyValidationPlugin {
  readonly name = 'iamsim';
  readonly version = packageVersion();
  readonly ruleIds = ['iamsim-new-access', 'iamsim-undecided'];

  constructor(private readonly options: PluginOptions = {}) {}

  /** Decides the synthesized templates; `report` is the full iamsim report of the last call. */
  report: DiffReport | undefined;

  validate(context: { readonly templatePaths: readonly string[] }): PluginReport {
    const table = new SymbolTable();
    const baseline = this.options.account ? loadUniverse({ accountFiles: this.options.account }) : undefined;
    if (baseline && !baseline.universe) throw new Error(baseline.diagnostics.map(formatDiagnostic).join('\n'));
    const accountId = this.options.accountId ?? (baseline?.universe?.accounts.size === 1 ? [...baseline.universe.accounts.keys()][0] : undefined);
    const opts = accountId ? { accountId } : {};
    const facts: Fact[] = [];
    const unknowns: IacUnknown[] = [];
    for (const path of context.templatePaths) {
      const read = readUtf8File(path);
      if ('error' in read) throw new Error(`${path}: ${read.error}`);
      const r = readTemplate(read.text, path, table, opts);
      if (r.diagnostics.some((d) => d.severity === 'error')) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
      facts.push(...r.side.facts);
      unknowns.push(...r.side.unknowns);
    }
    const after: IacSide = { accountId: accountId ?? ACCOUNT_TOKEN, facts, unknowns, files: [...context.templatePaths] };
    const before = this.options.before ? readIacInput(this.options.before, table, opts) : undefined;
    if (before?.kind === 'plan') throw new Error(`${this.options.before}: a Terraform plan cannot be the baseline of a CDK app`);
    const acceptText = this.options.accept ? readUtf8File(this.options.accept) : undefined;
    if (acceptText && 'error' in acceptText) throw new Error(`${this.options.accept}: ${acceptText.error}`);
    const report = diffAccess({
      after,
      ...(before?.kind === 'model' ? { beforeModel: before.universe } : before ? { before: before.side } : {}),
      ...(baseline?.universe ? { baseline: baseline.universe } : {}),
      table,
      account: after.accountId,
      ...(acceptText && !('error' in acceptText) ? { accept: readAccept(acceptText.text, this.options.accept!) } : {}),
    });
    this.report = report;
    const violations = [...report.principals, ...report.resources, ...report.workloads]
      .filter((e) => e.newAccess.result !== 'PASS')
      .map((e) => ({
        ruleName: e.newAccess.result === 'FAIL' ? 'iamsim-new-access' : 'iamsim-undecided',
        description: toText({
          ...report,
          principals: 'arn' in e && report.principals.includes(e as never) ? [e as never] : [],
          resources: report.resources.includes(e as never) ? [e as never] : [],
          workloads: report.workloads.includes(e as never) ? [e as never] : [],
          unknowns: [],
          diagnostics: [],
        }).split('\nResult:')[0]!,
        severity: e.newAccess.result === 'FAIL' ? 'error' : 'warning',
        violatingResources: [{ resourceLogicalId: e.source.logicalId ?? e.source.address ?? '', templatePath: e.source.file ?? '', locations: [] }],
      }));
    for (const u of report.unknowns) {
      violations.push({
        ruleName: 'iamsim-undecided',
        description: `${u.address} ${u.attribute}: ${u.reason}`,
        severity: 'warning',
        violatingResources: [{ resourceLogicalId: u.source?.logicalId ?? u.address, templatePath: u.source?.file ?? '', locations: [] }],
      });
    }
    return { success: report.result === 'PASS', violations, pluginVersion: this.version };
  }
}
