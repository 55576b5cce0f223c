/**
 * Actions and services: an action or action pattern must name a service and
 * actions that exist in the Service Authorization Reference
 * (access-analyzer-reference-policy-checks: invalid action, invalid service in
 * action; reference_policies_elements_action).
 */
import { type Catalog, serviceExists, suggestActions, suggestServices } from '../catalog/catalog.js';
import { checkAction } from '../policy/values.js';
import type { LintContext, ListElement } from './context.js';
import { expand } from './expand.js';

export function checkActions(ctx: LintContext): void {
  for (const s of ctx.policy.statements) {
    for (const element of ['Action', 'NotAction'] as const satisfies readonly ListElement[]) {
      const list = element === 'Action' ? s.action : s.notAction;
      if (!list) continue;
      list.values.forEach((value, i) => {
        const problem = describeUnknown(value, ctx.catalog);
        if (!problem) return;
        const span = list.spans[i] ?? list.span;
        ctx.report(problem.code, problem.message, span, ctx.valuePath(s, element, list, i));
      });
    }
  }
}

interface Unknown {
  readonly code: 'INVALID_ACTION' | 'INVALID_SERVICE_IN_ACTION';
  readonly message: string;
}

const didYouMean = (names: readonly string[]): string => (names.length ? `; did you mean ${names.map((n) => `"${n}"`).join(' or ')}?` : '');

/** Undefined when the value is '*', malformed (the parser reports it) or known. */
export function describeUnknown(value: string, catalog: Catalog): Unknown | undefined {
  if (value === '*' || checkAction(value).length > 0) return undefined;
  const colon = value.indexOf(':');
  const service = value.slice(0, colon);
  if (!serviceExists(service)) {
    return {
      code: 'INVALID_SERVICE_IN_ACTION',
      message: `"${value}": no AWS service has the prefix "${service}"${didYouMean(suggestServices(service))}`,
    };
  }
  if (!/[*?]/.test(value)) {
    if (catalog.getAction(value)) return undefined;
    return { code: 'INVALID_ACTION', message: `"${value}" is not an action of ${service.toLowerCase()}${didYouMean(suggestActions(value))}` };
  }
  if ((expand(value, catalog) ?? ['?']).length > 0) return undefined;
  return { code: 'INVALID_ACTION', message: `"${value}" matches no action of ${service.toLowerCase()}` };
}
