/**
 * Fixes grouped by cause. Several failing steps often share one cause (three
 * ECR actions denied by one account-less repository ARN; three KMS actions
 * missing from one key policy): the reviewer wants one edit, shown once, with
 * the steps it fixes. Two fixes have the same cause when they make the same
 * change to the same statement, or add statements to the same policy that
 * differ only in their Action (those are merged into one statement).
 */
import { patchStatement } from './apply.js';
import type { Fix, StatementPatch } from './types.js';

export interface FixGroup {
  readonly fix: Fix;
  /** Names of the steps this edit fixes (the steps that called for it). */
  readonly steps: readonly string[];
}

type Obj = Record<string, unknown>;

function actionsOf(st: Readonly<Obj>): string[] {
  const a = st['Action'];
  return typeof a === 'string' ? [a] : Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : [];
}

/** The identity of a fix's cause: what it changes, independent of which step asked for it. */
export function causeKey(f: Fix): string {
  const where = [f.layer, f.target, f.policyName, f.kind];
  if (f.kind === 'modify-statement') {
    // Values added to one list of one statement are one edit, whichever steps asked for which value.
    const shape = (f.patches ?? []).map((p) => (p.op === 'add-values' ? [p.op, p.path] : p));
    return JSON.stringify([...where, f.statementIndex, shape]);
  }
  const { Sid: _sid, Action: _action, ...shape } = f.statement;
  return JSON.stringify([...where, shape]);
}

function sharedSid(actions: readonly string[], fallback: unknown): unknown {
  const services = new Set(actions.map((a) => a.split(':')[0] ?? ''));
  if (services.size !== 1) return fallback;
  const [service] = [...services];
  return `Preflight${(service ?? '').replace(/(^|[-_])(\w)/g, (_m, _s: string, c: string) => c.toUpperCase())}Access`;
}

function listOf(v: StatementPatch['value']): string[] {
  return typeof v === 'string' ? [v] : Array.isArray(v) ? [...(v as readonly string[])] : [];
}

/** One modify fix with the values every fix of its cause adds. */
function mergedModify(base: Fix, others: readonly Fix[]): Fix {
  if (others.length === 0) return base;
  const patches = (base.patches ?? []).map((p, i) => {
    if (p.op !== 'add-values') return p;
    const values = listOf(p.value);
    for (const o of others) for (const v of listOf(o.patches?.[i]?.value ?? [])) if (!values.includes(v)) values.push(v);
    return { ...p, value: values };
  });
  let statement: Record<string, unknown> = { ...base.statement };
  for (const p of patches) statement = patchStatement(statement, p);
  const firstOwn = listOf(base.patches?.find((p) => p.op === 'add-values')?.value ?? []).join(', ');
  const all = listOf(patches.find((p) => p.op === 'add-values')?.value ?? []).join(', ');
  const change = firstOwn !== '' && all !== firstOwn ? base.change.split(firstOwn).join(all) : base.change;
  return { ...base, patches, statement, change };
}

/** The first add-statement fix of a cause, with the Action of every fix of that cause. */
function merged(base: Fix, actions: readonly string[]): Fix {
  const own = actionsOf(base.statement);
  if (base.kind !== 'add-statement' || actions.length === own.length) return base;
  const first = own[0] ?? '';
  const statement = { ...base.statement, Sid: sharedSid(actions, base.statement['Sid']), Action: [...actions] };
  const change = first !== '' ? base.change.split(first).join(actions.join(', ')) : base.change;
  return { ...base, statement, change };
}

/** Groups fixes by cause, keeping first-seen order; add-statement fixes of one cause are merged. */
export function groupFixes(proposed: readonly { readonly step: string; readonly fix: Fix }[]): FixGroup[] {
  const groups = new Map<string, { base: Fix; others: Fix[]; actions: string[]; steps: string[] }>();
  for (const { step, fix } of proposed) {
    const key = causeKey(fix);
    let g = groups.get(key);
    if (g === undefined) {
      g = { base: fix, others: [], actions: [], steps: [] };
      groups.set(key, g);
    } else g.others.push(fix);
    for (const a of actionsOf(fix.statement)) if (!g.actions.includes(a)) g.actions.push(a);
    if (!g.steps.includes(step)) g.steps.push(step);
  }
  return [...groups.values()].map((g) => ({
    fix: g.base.kind === 'add-statement' ? merged(g.base, g.actions) : mergedModify(g.base, g.others),
    steps: g.steps,
  }));
}
