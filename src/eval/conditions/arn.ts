/**
 * ARN condition operators (IAM User Guide, reference_policies_elements_condition_operators.md,
 * "Amazon Resource Name (ARN) condition operators"): ArnEquals and ArnLike
 * behave identically (component-wise, case-sensitive, wildcards within a
 * component); ArnNotEquals and ArnNotLike are their negations. Policy
 * variables are supported. A request value that is not an ARN does not match.
 */
import { compileArnTemplate, type ArnTemplateMatcher } from '../match/arn.js';
import type { RequestContext } from '../request.js';
import type { TemplatePart } from '../variables.js';
import { collectVariables, templateOf, type CompiledOperator, type OperatorDef } from './operator.js';

function compileArn(values: readonly string[], variables: boolean): CompiledOperator {
  const matchers: ArnTemplateMatcher[] = [];
  const templates: TemplatePart[][] = [];
  for (const v of values) {
    const t = templateOf(v, variables);
    if (t !== undefined) templates.push(t);
    matchers.push(compileArnTemplate(t ?? [{ kind: 'text', text: v }]));
  }
  const test = (value: string, req: RequestContext): boolean => {
    for (let i = 0; i < matchers.length; i++) if (matchers[i]!(value, req.context)) return true;
    return false;
  };
  return { test, variables: collectVariables(templates) };
}

export const ARN_OPERATORS: readonly OperatorDef[] = [
  { name: 'ArnEquals', family: 'Arn', negated: false, compile: compileArn },
  { name: 'ArnLike', family: 'Arn', negated: false, compile: compileArn },
  { name: 'ArnNotEquals', family: 'Arn', negated: true, compile: compileArn },
  { name: 'ArnNotLike', family: 'Arn', negated: true, compile: compileArn },
];
