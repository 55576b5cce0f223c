/**
 * Workflows and their preflight for the console: the checklist the CLI
 * prints, with each fix's document before and after the change (for a diff),
 * and on request the same preflight re-run with every fix applied.
 */
import { parse as parseJsonc } from 'jsonc-parser';
import type { Universe } from '../../account/query.js';
import { applyFixes, applyToDocument, documentOf } from '../../workflows/apply.js';
import { describePolicy } from '../../workflows/describe.js';
import { allFixes, preflight } from '../../workflows/run.js';
import { fixOutput, fixOutputJson } from '../../workflows/fix-output.js';
import { docSources } from '../../workflows/sources.js';
import type { ReasonContext } from '../../reason/index.js';
import type { Fix, PreflightResult, StepResult, WorkflowDef } from '../../workflows/types.js';
import type { ModelResolver } from './model.js';
import { readSource } from './model.js';
import { ApiError, objectBody, ok, requiredString, type ApiInput, type ApiReply } from './types.js';

export function listWorkflows(workflows: ReadonlyMap<string, WorkflowDef>): ApiReply {
  return ok({
    workflows: [...workflows.values()].map((wf) => ({
      id: wf.id,
      title: wf.title,
      description: wf.description,
      sources: docSources(wf.seeds),
      parameters: wf.parameters,
      steps: wf.steps.map((s) => ({
        name: s.name,
        title: s.title ?? s.name,
        principal: s.principal,
        action: s.action,
        resource: s.resource,
        expect: s.expect ?? 'allowed',
      })),
    })),
  });
}

/** A document as the diff shows it: pretty JSON (as applied fixes are written), or the text itself if it is not JSON. */
function pretty(text: string | undefined): string {
  if (text === undefined) return '';
  const v: unknown = parseJsonc(text, [], { allowTrailingComma: true });
  return v === undefined ? text : JSON.stringify(v, null, 2);
}

export interface FixView extends Fix {
  /** Which policy the fix edits, in words. */
  readonly where: string;
  /** The document before and after this fix (after the step's earlier fixes); before is '' when the fix creates it. */
  readonly before: string;
  readonly after: string;
}

function fixViews(u: Universe, fixes: readonly Fix[]): FixView[] {
  let cur = u;
  return fixes.map((fix) => {
    const before = documentOf(cur, fix);
    const view = { ...fix, where: describePolicy(fix), before: pretty(before), after: applyToDocument(before, fix) };
    cur = applyFixes(cur, [fix]);
    return view;
  });
}

function stepView(u: Universe, s: StepResult): unknown {
  return { ...s, fix: fixViews(u, s.fix) };
}

function settingsOf(value: unknown): Map<string, string> {
  if (value === undefined || value === null) return new Map();
  if (typeof value !== 'object' || Array.isArray(value)) throw new ApiError(400, 'InvalidInput', 'settings must be an object of parameter values');
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new ApiError(400, 'InvalidInput', `settings.${k} must be a string`);
    if (v !== '') out.set(k, v);
  }
  return out;
}

function run(u: Universe, wf: WorkflowDef, settings: ReadonlyMap<string, string>): PreflightResult {
  const outcome = preflight(u, wf, settings);
  if (outcome.result === undefined) {
    const first = outcome.diagnostics[0];
    throw new ApiError(400, 'InvalidInput', first?.message ?? 'the preflight cannot run', outcome.diagnostics);
  }
  return outcome.result;
}

/**
 * `{"workflow","settings":{…},"source":{…},"apply":true?}` → the checklist;
 * when some step fails, `fixOutput`: the patch as `iamsim preflight --fix-out`
 * gives it (AWS CLI commands, documents, diff, new lint warnings) with the
 * scope proof of each changed document; with `apply`, also `applied`: the
 * checklist after every suggested fix.
 */
export async function runPreflight(
  workflows: ReadonlyMap<string, WorkflowDef>,
  models: ModelResolver,
  { body }: ApiInput,
  reason?: ReasonContext,
): Promise<ApiReply> {
  const o = objectBody(body);
  const id = requiredString(o, 'workflow');
  const wf = workflows.get(id);
  if (wf === undefined) throw new ApiError(404, 'NoSuchWorkflow', `unknown workflow ${JSON.stringify(id)}; one of: ${[...workflows.keys()].join(', ')}`);
  const settings = settingsOf(o['settings']);
  const u = await models.resolve(readSource(o['source']));
  const result = run(u, wf, settings);
  const fixes = allFixes(result);
  const proof = fixes.length > 0 ? { fixOutput: fixOutputJson(await fixOutput(u, result, new Map(), reason), undefined) } : {};
  const view = {
    workflow: wf.id,
    title: wf.title,
    passed: result.passed,
    parameters: result.parameters,
    steps: result.steps.map((s) => stepView(u, s)),
    ...proof,
  };
  if (o['apply'] !== true) return ok(view);
  const after = run(applyFixes(u, fixes), wf, settings);
  return ok({ ...view, applied: { fixes: fixes.length, passed: after.passed, steps: after.steps } });
}
