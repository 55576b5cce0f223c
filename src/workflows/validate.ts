/**
 * Checks a workflow definition (parsed JSON) and turns it into a WorkflowDef.
 * Every problem is a Diagnostic with the JSON path of the offending value.
 */
import type { Diagnostic, JsonPath } from '../diagnostics/diagnostic.js';
import { CONTEXT_KEY_TYPES, type ContextKeyType } from '../eval/request.js';
import { malformed, parseWhen, references } from './template.js';
import type { ContextEntryDef, ParameterDef, StepDef, WorkflowDef } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly file: string,
    readonly position: (path: JsonPath) => { line: number; column: number },
  ) {}

  error(code: string, message: string, path: JsonPath): void {
    const p = this.position(path);
    this.diagnostics.push({ code, severity: 'error', message, file: this.file, line: p.line, column: p.column, path });
  }

  keys(o: Obj, allowed: readonly string[], path: JsonPath): void {
    for (const k of Object.keys(o))
      if (!allowed.includes(k)) this.error('WORKFLOW_UNKNOWN_KEY', `unknown key ${JSON.stringify(k)} (expected one of ${allowed.join(', ')})`, [...path, k]);
  }

  str(o: Obj, key: string, path: JsonPath, required: boolean): string | undefined {
    const v = o[key];
    if (v === undefined) {
      if (required) this.error('WORKFLOW_MISSING_KEY', `missing required key ${JSON.stringify(key)}`, path);
      return undefined;
    }
    if (typeof v !== 'string' || (required && v === '')) {
      this.error('WORKFLOW_TYPE', `${key} must be a non-empty string`, [...path, key]);
      return undefined;
    }
    return v;
  }

  strings(v: unknown, path: JsonPath, what: string): string[] {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.error('WORKFLOW_TYPE', `${what} must be a list of strings`, path);
      return [];
    }
    return v as string[];
  }

  template(t: string, known: ReadonlySet<string>, path: JsonPath): void {
    if (malformed(t)) this.error('WORKFLOW_TEMPLATE', `malformed template ${JSON.stringify(t)} (write \${name})`, path);
    for (const r of references(t)) {
      if (!known.has(r)) this.error('WORKFLOW_UNKNOWN_PARAMETER', `template refers to ${JSON.stringify(r)}, which is not a parameter declared before it`, path);
    }
  }

  when(v: unknown, known: ReadonlySet<string>, path: JsonPath): string | string[] | undefined {
    if (v === undefined) return undefined;
    const list = typeof v === 'string' ? [v] : this.strings(v, path, 'when');
    list.forEach((w, i) => {
      const at = typeof v === 'string' ? path : [...path, i];
      const parsed = parseWhen(w);
      if (parsed === undefined) this.error('WORKFLOW_WHEN', `cannot read condition ${JSON.stringify(w)} (write "\${p}", "!\${p}", "A == B" or "A != B")`, at);
      else this.template(w, known, at);
    });
    return typeof v === 'string' ? v : list;
  }
}

function contextEntries(c: Checker, v: unknown, known: ReadonlySet<string>, path: JsonPath): ContextEntryDef[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    c.error('WORKFLOW_TYPE', 'context must be a list of {key, type?, values, when?}', path);
    return [];
  }
  const out: ContextEntryDef[] = [];
  v.forEach((e, i) => {
    const at = [...path, i];
    if (!isObj(e)) {
      c.error('WORKFLOW_TYPE', 'a context entry must be an object', at);
      return;
    }
    c.keys(e, ['key', 'type', 'values', 'when'], at);
    const key = c.str(e, 'key', at, true);
    const type = c.str(e, 'type', at, false);
    if (type !== undefined && !(CONTEXT_KEY_TYPES as readonly string[]).includes(type))
      c.error('WORKFLOW_CONTEXT_TYPE', `unknown context type ${JSON.stringify(type)}`, [...at, 'type']);
    const values = c.strings(e['values'], [...at, 'values'], 'values');
    values.forEach((t, j) => {
      c.template(t, known, [...at, 'values', j]);
    });
    const when = c.when(e['when'], known, [...at, 'when']);
    if (key !== undefined) out.push({ key, values, ...(type !== undefined ? { type: type as ContextKeyType } : {}), ...(when !== undefined ? { when } : {}) });
  });
  return out;
}

function fixCondition(c: Checker, v: unknown, known: ReadonlySet<string>, path: JsonPath): StepDef['fixCondition'] {
  if (v === undefined) return undefined;
  if (!isObj(v)) {
    c.error('WORKFLOW_TYPE', 'fixCondition must be a Condition block {Operator: {key: value(s)}}', path);
    return undefined;
  }
  const out: Record<string, Record<string, string | string[]>> = {};
  for (const [op, block] of Object.entries(v)) {
    if (!isObj(block)) {
      c.error('WORKFLOW_TYPE', `fixCondition.${op} must map condition keys to values`, [...path, op]);
      continue;
    }
    const inner: Record<string, string | string[]> = {};
    for (const [key, val] of Object.entries(block)) {
      const vals = typeof val === 'string' ? [val] : c.strings(val, [...path, op, key], `fixCondition.${op}.${key}`);
      vals.forEach((t) => {
        c.template(t, known, [...path, op, key]);
      });
      inner[key] = typeof val === 'string' ? val : vals;
    }
    out[op] = inner;
  }
  return out;
}

const STEP_KEYS = ['name', 'title', 'principal', 'action', 'resource', 'context', 'when', 'vpcEndpointId', 'expect', 'fixCondition', 'fixResource', 'why'];

function step(c: Checker, v: unknown, known: ReadonlySet<string>, path: JsonPath): StepDef | undefined {
  if (!isObj(v)) {
    c.error('WORKFLOW_TYPE', 'a step must be an object', path);
    return undefined;
  }
  c.keys(v, STEP_KEYS, path);
  const name = c.str(v, 'name', path, true);
  if (name !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(name))
    c.error('WORKFLOW_STEP_NAME', `step name ${JSON.stringify(name)} must be lower-case words joined by '-'`, [...path, 'name']);
  const title = c.str(v, 'title', path, false);
  const fields: Record<string, string | undefined> = {};
  for (const k of ['principal', 'action', 'resource', 'why'] as const) fields[k] = c.str(v, k, path, true);
  for (const k of ['principal', 'resource', 'action'] as const) if (fields[k] !== undefined) c.template(fields[k], known, [...path, k]);
  const action = fields['action'];
  if (action !== undefined && !/^[a-z0-9-]+:[A-Za-z0-9*]+$/.test(action))
    c.error('WORKFLOW_ACTION', `action ${JSON.stringify(action)} must be service:Action`, [...path, 'action']);
  const vpce = c.str(v, 'vpcEndpointId', path, false);
  if (vpce !== undefined) c.template(vpce, known, [...path, 'vpcEndpointId']);
  const fixResource = c.str(v, 'fixResource', path, false);
  if (fixResource !== undefined) c.template(fixResource, known, [...path, 'fixResource']);
  const expect = c.str(v, 'expect', path, false);
  if (expect !== undefined && expect !== 'allowed' && expect !== 'denied')
    c.error('WORKFLOW_EXPECT', 'expect must be "allowed" or "denied"', [...path, 'expect']);
  const context = contextEntries(c, v['context'], known, [...path, 'context']);
  const when = c.when(v['when'], known, [...path, 'when']);
  const fc = fixCondition(c, v['fixCondition'], known, [...path, 'fixCondition']);
  if (name === undefined || fields['principal'] === undefined || action === undefined || fields['resource'] === undefined || fields['why'] === undefined)
    return undefined;
  return {
    name,
    principal: fields['principal'],
    action,
    resource: fields['resource'],
    why: fields['why'],
    ...(title !== undefined ? { title } : {}),
    ...(context.length > 0 ? { context } : {}),
    ...(when !== undefined ? { when } : {}),
    ...(vpce !== undefined ? { vpcEndpointId: vpce } : {}),
    ...(expect === 'allowed' || expect === 'denied' ? { expect } : {}),
    ...(fc !== undefined ? { fixCondition: fc } : {}),
    ...(fixResource !== undefined ? { fixResource } : {}),
  };
}

function parameters(c: Checker, v: unknown, path: JsonPath, known: Set<string>): ParameterDef[] {
  if (!Array.isArray(v)) {
    c.error('WORKFLOW_TYPE', 'parameters must be a list', path);
    return [];
  }
  const out: ParameterDef[] = [];
  v.forEach((p, i) => {
    const at = [...path, i];
    if (!isObj(p)) {
      c.error('WORKFLOW_TYPE', 'a parameter must be an object', at);
      return;
    }
    c.keys(p, ['name', 'description', 'default', 'required', 'choices', 'fromAccount'], at);
    const fromAccount = p['fromAccount'];
    if (fromAccount !== undefined && fromAccount !== 'kms-key' && fromAccount !== 'vpc-endpoint')
      c.error('WORKFLOW_TYPE', 'fromAccount must be "kms-key" or "vpc-endpoint"', [...at, 'fromAccount']);
    const name = c.str(p, 'name', at, true);
    const description = c.str(p, 'description', at, true);
    const dflt = c.str(p, 'default', at, false);
    if (dflt !== undefined) c.template(dflt, known, [...at, 'default']);
    const required = p['required'];
    if (required !== undefined && typeof required !== 'boolean') c.error('WORKFLOW_TYPE', 'required must be true or false', [...at, 'required']);
    const choices = p['choices'] === undefined ? undefined : c.strings(p['choices'], [...at, 'choices'], 'choices');
    if (name === undefined || description === undefined) return;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name))
      c.error('WORKFLOW_PARAMETER_NAME', `parameter name ${JSON.stringify(name)} must be an identifier`, [...at, 'name']);
    if (known.has(name)) c.error('WORKFLOW_DUPLICATE_PARAMETER', `parameter ${name} is declared twice`, [...at, 'name']);
    known.add(name);
    out.push({
      name,
      description,
      ...(dflt !== undefined ? { default: dflt } : {}),
      ...(required === true ? { required } : {}),
      ...(choices ? { choices } : {}),
      ...(fromAccount === 'kms-key' || fromAccount === 'vpc-endpoint' ? { fromAccount } : {}),
    });
  });
  return out;
}

/** Validates a parsed definition; `def` is undefined when any error was found. */
export function validateWorkflow(
  value: unknown,
  file: string,
  position: (path: JsonPath) => { line: number; column: number },
): { def?: WorkflowDef; diagnostics: Diagnostic[] } {
  const c = new Checker(file, position);
  if (!isObj(value)) {
    c.error('WORKFLOW_TYPE', 'a workflow definition must be a JSON object', []);
    return { diagnostics: c.diagnostics };
  }
  c.keys(value, ['$schema', 'id', 'title', 'description', 'seeds', 'parameters', 'context', 'steps'], []);
  const id = c.str(value, 'id', [], true);
  if (id !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(id)) c.error('WORKFLOW_ID', `id ${JSON.stringify(id)} must be lower-case words joined by '-'`, ['id']);
  const title = c.str(value, 'title', [], true);
  const description = c.str(value, 'description', [], true);
  const seeds = c.strings(value['seeds'], ['seeds'], 'seeds');
  const known = new Set<string>();
  const params = parameters(c, value['parameters'], ['parameters'], known);
  const context = contextEntries(c, value['context'], known, ['context']);
  const steps: StepDef[] = [];
  if (!Array.isArray(value['steps']) || value['steps'].length === 0) c.error('WORKFLOW_TYPE', 'steps must be a non-empty list', ['steps']);
  else {
    const names = new Set<string>();
    value['steps'].forEach((s, i) => {
      const st = step(c, s, known, ['steps', i]);
      if (st === undefined) return;
      if (names.has(st.name)) c.error('WORKFLOW_DUPLICATE_STEP', `step name ${st.name} is used twice`, ['steps', i, 'name']);
      names.add(st.name);
      steps.push(st);
    });
  }
  if (c.diagnostics.length > 0 || id === undefined || title === undefined || description === undefined) return { diagnostics: c.diagnostics };
  return {
    def: { id, title, description, seeds, parameters: params, steps, file, ...(context.length > 0 ? { context } : {}) },
    diagnostics: c.diagnostics,
  };
}
