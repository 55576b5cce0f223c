/**
 * New escalation paths and new exposure: the audit (src/audit) of the model
 * before and after the change, compared. With values known only after apply,
 * a finding is new when the least the after side allows has it and the most
 * the before side allows does not; one only the most of the after side has
 * is reported as undecided.
 */
import type { Universe } from '../../account/query.js';
import { runAudit, type AuditReport, type Exposure } from '../../audit/index.js';

export interface EscalationEntry {
  readonly principal: string;
  readonly target: string;
  readonly techniques: readonly string[];
  readonly via: readonly string[];
  /** True when the principal was not admin-reachable before at all. */
  readonly newlyEscalates: boolean;
}

export interface ExposureEntry {
  readonly resource: string;
  readonly policy: string;
  readonly audience: Exposure['audience'];
  readonly principal: string;
  readonly actions: readonly string[];
  readonly file?: string;
  readonly line?: number;
}

export interface AuditDiff {
  readonly escalation: readonly EscalationEntry[];
  readonly exposure: readonly ExposureEntry[];
  /** Findings only the widest reading of the unknown values has. */
  readonly possibleEscalation: readonly EscalationEntry[];
  readonly possibleExposure: readonly ExposureEntry[];
}

function escalations(r: AuditReport): Map<string, EscalationEntry> {
  const out = new Map<string, EscalationEntry>();
  for (const p of r.principals) {
    for (const path of p.paths) {
      const e = { principal: p.arn, target: path.target, techniques: path.techniques, via: path.steps.map((s) => s.action), newlyEscalates: false };
      out.set(`${p.arn}\u0000${path.target}\u0000${path.techniques.join('>')}`, e);
    }
  }
  return out;
}

function escalating(r: AuditReport): Set<string> {
  return new Set(r.principals.filter((p) => p.canEscalate || p.isAdmin).map((p) => p.arn));
}

function exposureKey(e: Exposure): string {
  return `${e.resource}\u0000${e.audience}\u0000${e.principal}`;
}

function newEscalation(before: AuditReport, after: AuditReport): EscalationEntry[] {
  const old = escalations(before);
  const oldAdmins = escalating(before);
  const out: EscalationEntry[] = [];
  for (const [k, e] of escalations(after)) {
    if (old.has(k)) continue;
    out.push({ ...e, newlyEscalates: !oldAdmins.has(e.principal) });
  }
  return out;
}

function newExposure(before: AuditReport, after: AuditReport): ExposureEntry[] {
  const old = new Map(before.exposures.map((e) => [exposureKey(e), e] as const));
  const out: ExposureEntry[] = [];
  for (const e of after.exposures) {
    const prev = old.get(exposureKey(e));
    const added = prev ? e.actions.filter((a) => !prev.actions.includes(a)) : e.actions;
    if (added.length === 0) continue;
    out.push({
      resource: e.resource,
      policy: e.policy,
      audience: e.audience,
      principal: e.principal,
      actions: added,
      ...(e.file !== undefined ? { file: e.file } : {}),
      ...(e.line !== undefined ? { line: e.line } : {}),
    });
  }
  return out;
}

export interface BoundedModels {
  readonly beforeUpper: Universe;
  readonly beforeLower: Universe;
  readonly afterUpper: Universe;
  readonly afterLower: Universe;
  readonly exact: boolean;
}

export async function auditDiff(m: BoundedModels, at: Date): Promise<AuditDiff> {
  const audit = (u: Universe) => runAudit(u, { at });
  if (m.exact) {
    const [b, a] = [await audit(m.beforeUpper), await audit(m.afterUpper)];
    return { escalation: newEscalation(b, a), exposure: newExposure(b, a), possibleEscalation: [], possibleExposure: [] };
  }
  const [bu, bl, au, al] = [await audit(m.beforeUpper), await audit(m.beforeLower), await audit(m.afterUpper), await audit(m.afterLower)];
  const escalation = newEscalation(bu, al);
  const exposure = newExposure(bu, al);
  const esc = new Set(escalation.map((e) => `${e.principal}\u0000${e.target}\u0000${e.techniques.join('>')}`));
  const exp = new Set(exposure.map((e) => `${e.resource}\u0000${e.audience}\u0000${e.principal}`));
  return {
    escalation,
    exposure,
    possibleEscalation: newEscalation(bl, au).filter((e) => !esc.has(`${e.principal}\u0000${e.target}\u0000${e.techniques.join('>')}`)),
    possibleExposure: newExposure(bl, au).filter((e) => !exp.has(`${e.resource}\u0000${e.audience}\u0000${e.principal}`)),
  };
}
