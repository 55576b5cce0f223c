/**
 * String condition operators (IAM User Guide,
 * reference_policies_elements_condition_operators.md, "String condition operators"):
 * StringEquals / StringNotEquals (exact, case-sensitive), StringEqualsIgnoreCase /
 * StringNotEqualsIgnoreCase, StringLike / StringNotLike (case-sensitive, `*` and
 * `?` wildcards anywhere). Policy variables are supported in the values
 * (reference_policies_variables.md, "Condition element"); substituted values
 * are compared literally.
 */
import type { RequestContext } from '../request.js';
import { compileTemplateProgram, matchProgram, type TemplateProgram } from '../match/template.js';
import { compileWildcard, equalsLowered } from '../../primitives/wildcard.js';
import { foldCase } from '../../primitives/case-fold.js';
import { resolveTemplate, type TemplatePart } from '../variables.js';
import { collectVariables, templateOf, type CompiledOperator, type OperatorDef } from './operator.js';

/** Above this many constant values a Set beats a linear scan. */
const SET_THRESHOLD = 8;

function constantEquals(values: readonly string[]): ((v: string) => boolean) | undefined {
  if (values.length === 0) return undefined;
  if (values.length === 1) {
    const only = values[0]!;
    return (v) => v === only;
  }
  if (values.length > SET_THRESHOLD) {
    const set = new Set(values);
    return (v) => set.has(v);
  }
  const arr = values.slice();
  return (v) => {
    for (let i = 0; i < arr.length; i++) if (arr[i] === v) return true;
    return false;
  };
}

/** Combines a constant check with per-request programs. */
function combine(constant: ((v: string) => boolean) | undefined, progs: readonly TemplateProgram[]): (value: string, req: RequestContext) => boolean {
  if (progs.length === 0) return constant ? (v) => constant(v) : () => false;
  return (v, req) => {
    if (constant?.(v)) return true;
    for (let i = 0; i < progs.length; i++) if (matchProgram(progs[i]!, v, 0, v.length, req.context)) return true;
    return false;
  };
}

function compileEquals(values: readonly string[], variables: boolean): CompiledOperator {
  const constants: string[] = [];
  const templates: TemplatePart[][] = [];
  for (const value of values) {
    const t = templateOf(value, variables);
    if (t === undefined) constants.push(value);
    else templates.push(t);
  }
  const progs = templates.map((t) => compileTemplateProgram(t, false));
  return { test: combine(constantEquals(constants), progs), variables: collectVariables(templates) };
}

function compileEqualsIgnoreCase(values: readonly string[], variables: boolean): CompiledOperator {
  const lowered: string[] = [];
  const templates: TemplatePart[][] = [];
  for (const value of values) {
    const t = templateOf(value, variables);
    if (t === undefined) lowered.push(foldCase(value));
    else templates.push(t);
  }
  const test = (v: string, req: RequestContext): boolean => {
    for (let i = 0; i < lowered.length; i++) if (equalsLowered(lowered[i]!, v)) return true;
    for (const t of templates) {
      // Rare path (variables + ignore-case): resolve to a string.
      const r = resolveTemplate(t, req.context);
      if (r !== undefined && equalsLowered(foldCase(r), v)) return true;
    }
    return false;
  };
  return { test, variables: collectVariables(templates) };
}

function compileLike(values: readonly string[], variables: boolean): CompiledOperator {
  const constants: ((v: string) => boolean)[] = [];
  const templates: TemplatePart[][] = [];
  for (const value of values) {
    const t = templateOf(value, variables);
    if (t === undefined) constants.push(compileWildcard(value, false));
    else templates.push(t);
  }
  const constant =
    constants.length === 0
      ? undefined
      : constants.length === 1
        ? constants[0]
        : (v: string): boolean => {
            for (let i = 0; i < constants.length; i++) if (constants[i]!(v)) return true;
            return false;
          };
  const progs = templates.map((t) => compileTemplateProgram(t, true));
  return { test: combine(constant, progs), variables: collectVariables(templates) };
}

export const STRING_OPERATORS: readonly OperatorDef[] = [
  { name: 'StringEquals', family: 'String', negated: false, compile: compileEquals },
  { name: 'StringNotEquals', family: 'String', negated: true, compile: compileEquals },
  { name: 'StringEqualsIgnoreCase', family: 'String', negated: false, compile: compileEqualsIgnoreCase },
  { name: 'StringNotEqualsIgnoreCase', family: 'String', negated: true, compile: compileEqualsIgnoreCase },
  { name: 'StringLike', family: 'String', negated: false, compile: compileLike },
  { name: 'StringNotLike', family: 'String', negated: true, compile: compileLike },
];
