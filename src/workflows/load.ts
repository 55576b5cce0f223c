/**
 * Loads workflow definitions from src/workflows/defs/ (JSON files kept in the
 * source tree, read at run time relative to this module, compiled or not).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findNodeAtLocation, parseTree, type ParseError } from 'jsonc-parser';
import type { Diagnostic, JsonPath } from '../diagnostics/diagnostic.js';
import { textMapper } from '../diagnostics/position.js';
import type { WorkflowDef } from './types.js';
import { validateWorkflow } from './validate.js';
import { packageRoot } from '../package.js';

/** The definitions folder: src/workflows/defs/ of the package (shipped with it). */
export function defaultDefsDir(): string {
  return join(packageRoot(), 'src', 'workflows', 'defs');
}

/** Parses and validates one definition's text. */
export function parseWorkflow(text: string, file: string): { def?: WorkflowDef; diagnostics: Diagnostic[] } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const at = textMapper(text);
  if (tree === undefined || errors.length > 0) {
    const p = at(errors[0]?.offset ?? 0);
    return {
      diagnostics: [
        { code: 'WORKFLOW_JSON', severity: 'error', message: 'workflow definition is not valid JSON', file, line: p.line, column: p.column, path: [] },
      ],
    };
  }
  const value: unknown = JSON.parse(text);
  const position = (path: JsonPath): { line: number; column: number } => {
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(tree, path.slice(0, n) as (string | number)[]);
      if (node) return at(node.offset);
    }
    return { line: 1, column: 1 };
  };
  return validateWorkflow(value, file, position);
}

export interface LoadedWorkflows {
  readonly workflows: ReadonlyMap<string, WorkflowDef>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Loads every *.json definition of a folder (default: src/workflows/defs/). */
export function loadWorkflows(dir: string = defaultDefsDir()): LoadedWorkflows {
  const workflows = new Map<string, WorkflowDef>();
  const diagnostics: Diagnostic[] = [];
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    diagnostics.push({
      code: 'WORKFLOW_DIR',
      severity: 'error',
      message: `cannot read workflow definitions in ${dir}`,
      file: dir,
      line: 1,
      column: 1,
      path: [],
    });
    return { workflows, diagnostics };
  }
  for (const f of files) {
    const file = join(dir, f);
    const res = parseWorkflow(readFileSync(file, 'utf8'), file);
    diagnostics.push(...res.diagnostics);
    if (res.def === undefined) continue;
    if (workflows.has(res.def.id)) {
      diagnostics.push({
        code: 'WORKFLOW_DUPLICATE_ID',
        severity: 'error',
        message: `workflow id ${res.def.id} is defined twice`,
        file,
        line: 1,
        column: 1,
        path: ['id'],
      });
      continue;
    }
    workflows.set(res.def.id, res.def);
  }
  return { workflows, diagnostics };
}
