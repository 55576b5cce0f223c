/**
 * `iamsim diff`: what an infrastructure change grants. The baseline model
 * (or none) with the change's before side and after side applied
 * (overlay.ts); then for every principal whose effective policy set changed,
 * new access over all requests (check.ts), for every resource or trust
 * policy that changed, new access through it, and the audit's new
 * escalation paths and exposure (audit-diff.ts).
 */
import { newReasonContext, type ReasonContext } from '../../reason/checks.js';
import type { Universe } from '../../account/query.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { resourcePolicyFor } from '../../account/query.js';
import { impliesResource } from '../../account/model.js';
import { resourceKindOf } from '../../account/import/resources.js';
import type { Fact, IacSide, IacUnknown, SourceRef } from '../model.js';
import { overlay, type Overlaid } from '../overlay.js';
import type { SymbolTable } from '../symbols.js';
import { acceptedForPrincipal, acceptedForResource, type AcceptEntry } from './accept.js';
import { auditDiff, type EscalationEntry, type ExposureEntry } from './audit-diff.js';
import { newAccess, type AccessResult, type Bounded, type Verdict } from './check.js';
import { preflightChanges, type PreflightEntry, type PreflightStepChange, type WorkflowVerdict } from './preflight.js';
import { principalsOf, SetReader, type ReadSet } from './sets.js';

export type { AccessResult, Verdict, EscalationEntry, ExposureEntry, AcceptEntry, PreflightEntry, PreflightStepChange, WorkflowVerdict };

export type Category = 'new-access' | 'exposure' | 'escalation' | 'preflight';
export const CATEGORIES: readonly Category[] = ['new-access', 'exposure', 'escalation', 'preflight'];

export interface DiffInput {
  readonly before?: IacSide;
  readonly after?: IacSide;
  readonly table: SymbolTable;
  readonly baseline?: Universe;
  /** A whole model as one side (an account export or bundle given as BEFORE or AFTER); replaces the baseline there. */
  readonly beforeModel?: Universe;
  readonly afterModel?: Universe;
  /** The account the change deploys to when its sides do not say. */
  readonly account: string;
  /** The region (for the notebook workflows' requests); default the sides' own, else us-east-1. */
  readonly region?: string;
  readonly accept?: readonly AcceptEntry[];
  /** Categories that make the result FAIL; default all. */
  readonly failOn?: readonly Category[];
  /** The reasoner to decide new access with (an engine's); default: one for this diff. */
  readonly reason?: ReasonContext;
  readonly at?: Date;
  /** Skip the audit (escalation and exposure), e.g. for speed. */
  readonly noAudit?: boolean;
}

export interface EntrySource {
  readonly file?: string;
  readonly line?: number;
  readonly address?: string;
  /** The template's logical id (CDK: the address is the construct path). */
  readonly logicalId?: string;
}

export interface PrincipalEntry {
  readonly arn: string;
  readonly change: 'created' | 'changed' | 'deleted';
  readonly source: EntrySource;
  readonly newAccess: AccessResult;
  readonly newEscalation: readonly EscalationEntry[];
  readonly newExposure: readonly ExposureEntry[];
}

export interface ResourceEntry {
  readonly arn: string;
  /** `trust` for a role's trust policy, else `resource`. */
  readonly policy: 'trust' | 'resource';
  readonly change: 'created' | 'changed' | 'deleted';
  readonly source: EntrySource;
  readonly newAccess: AccessResult;
  readonly newExposure: readonly ExposureEntry[];
}

export interface WorkloadEntry {
  readonly address: string;
  readonly source: EntrySource;
  readonly from: string;
  readonly to: string;
  readonly newAccess: AccessResult;
}

export interface DiffReport {
  readonly result: Verdict;
  readonly failOn: readonly Category[];
  readonly principals: readonly PrincipalEntry[];
  readonly resources: readonly ResourceEntry[];
  readonly workloads: readonly WorkloadEntry[];
  /** Notebook workflows (iamsim preflight) the change makes apply whose verdict changes. */
  readonly preflight: readonly PreflightEntry[];
  readonly unknowns: readonly IacUnknown[];
  /** Problems in the policies themselves (they would not deploy): the result is then not PASS. */
  readonly diagnostics: readonly Diagnostic[];
  /** What the placeholders in ARNs stand for (a generated name, the account the change deploys to). */
  readonly notes: readonly string[];
}

function factKey(f: Fact): string {
  switch (f.kind) {
    case 'user':
    case 'group':
    case 'role':
      return `${f.kind}:${f.name}`;
    case 'managed-policy':
      return `mp:${f.arn}`;
    case 'inline-policy':
      return `inline:${f.owner.kind}:${f.owner.name}:${f.name}`;
    case 'attachment':
      return `attach:${f.owner.kind}:${f.owner.name}:${f.policy}`;
    case 'boundary':
      return `boundary:${f.owner.kind}:${f.owner.name}`;
    case 'membership':
      return `member:${f.user}:${f.groups.join(',')}`;
    case 'resource-policy':
      return `rp:${f.arn}:${f.source.address}`;
    case 'org-policy':
      return `org:${f.id}`;
    case 'org-attachment':
      return `orgatt:${f.policyId}:${f.target}`;
    case 'execution-role':
      return `exec:${f.source.address}`;
  }
}

/** Facts of the before side that the after side no longer has (deleted resources). */
function removedFacts(before: IacSide | undefined, after: IacSide | undefined): Fact[] {
  const kept = new Set((after?.facts ?? []).map(factKey));
  return (before?.facts ?? []).filter((f) => !kept.has(factKey(f)));
}

const EMPTY: ReadSet = { set: { mode: 'identity', identity: [], boundary: [], scp: [] }, texts: [], origins: new Map(), signature: '' };

function sourceOf(o: readonly Overlaid[], sides: readonly (IacSide | undefined)[], arn: string): EntrySource {
  for (const x of o) {
    const s = x.sources.get(arn);
    if (s) return toEntry(s);
  }
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  for (const side of sides) {
    const f = side?.facts.find(
      (x) => ('owner' in x && x.owner.name === name) || (x.kind === 'membership' && x.user === name) || (x.kind === 'resource-policy' && x.arn === arn),
    );
    if (f) return toEntry(f.source);
  }
  return {};
}

function toEntry(s: SourceRef): EntrySource {
  return { file: s.file, ...(s.line !== undefined ? { line: s.line } : {}), address: s.address, ...(s.logicalId ? { logicalId: s.logicalId } : {}) };
}

/** A set with a policy that does not parse is never decided: its problems are in the report's diagnostics. */
function invalid(reader: SetReader, errorsBefore: number, r: AccessResult): AccessResult {
  const problems = reader.diagnostics.slice(errorsBefore);
  if (problems.length === 0 || r.result === 'FAIL') return r;
  return { ...r, result: 'UNKNOWN', unknownReasons: [...r.unknownReasons, ...problems.map((d) => `invalid policy: ${d.message}`)] };
}

function unknownFor(reason: string, src: EntrySource, stubs: boolean, r: AccessResult): AccessResult {
  if (!stubs || r.result === 'UNKNOWN') return r;
  return {
    ...r,
    result: 'UNKNOWN',
    unknownReasons: [...r.unknownReasons, reason],
    unknowns: [...r.unknowns, { address: src.address ?? '', attribute: 'principal', reason }],
  };
}

interface Models {
  readonly bu: Overlaid;
  readonly bl: Overlaid;
  readonly au: Overlaid;
  readonly al: Overlaid;
}

function principalEntries(m: Models, reader: SetReader, input: DiffInput): PrincipalEntry[] {
  const arns = [...new Set([...principalsOf(m.au.universe), ...principalsOf(m.bu.universe)])];
  const out: PrincipalEntry[] = [];
  for (const arn of arns) {
    const errorsBefore = reader.diagnostics.length;
    const b: Bounded = { upper: reader.principal(m.bu.universe, arn) ?? EMPTY, lower: reader.principal(m.bl.universe, arn) ?? EMPTY };
    const aU = reader.principal(m.au.universe, arn);
    const a: Bounded = { upper: aU ?? EMPTY, lower: reader.principal(m.al.universe, arn) ?? EMPTY };
    if (b.upper.signature === a.upper.signature && b.lower.signature === a.lower.signature) continue;
    const existed = reader.principal(m.bu.universe, arn) !== undefined;
    const change = aU === undefined ? 'deleted' : existed ? 'changed' : 'created';
    const source = sourceOf([m.au, m.bu], [input.after, input.before], arn);
    const result = newAccess(b, a, input.accept ? acceptedForPrincipal(input.accept, arn) : undefined, input.table, input.reason);
    const stub = m.au.stubs.has(arn) || m.bu.stubs.has(arn);
    const undecided = [...new Set([b.upper, b.lower, a.upper, a.lower].flatMap((s) => s.undecided ?? []))];
    const reason = `${arn} is defined neither in the change nor in the baseline: its other policies, boundary and SCPs are not known (give --account or --db)`;
    const decided = undecided.reduce((r, why) => unknownFor(why, source, true, r), unknownFor(reason, source, stub, result));
    out.push({ arn, change, source, newAccess: invalid(reader, errorsBefore, decided), newEscalation: [], newExposure: [] });
  }
  return out;
}

function resourceTexts(o: Overlaid): Map<string, { text: string; origin?: { file: string; line: number; column: number } }> {
  const out = new Map<string, { text: string; origin?: { file: string; line: number; column: number } }>();
  for (const rp of o.universe.resourcePolicies.values()) out.set(`resource ${rp.arn}`, { text: rp.document, ...(rp.origin ? { origin: rp.origin } : {}) });
  for (const a of o.universe.accounts.values()) {
    for (const r of a.roles) out.set(`trust ${r.arn}`, { text: r.trustPolicy, ...(r.trustPolicyOrigin ? { origin: r.trustPolicyOrigin } : {}) });
  }
  return out;
}

function resourceEntries(m: Models, reader: SetReader, input: DiffInput): ResourceEntry[] {
  const [bu, bl, au, al] = [resourceTexts(m.bu), resourceTexts(m.bl), resourceTexts(m.au), resourceTexts(m.al)];
  const keys = [...new Set([...au.keys(), ...bu.keys()])];
  const out: ResourceEntry[] = [];
  for (const key of keys) {
    if (bu.get(key)?.text === au.get(key)?.text && bl.get(key)?.text === al.get(key)?.text) continue;
    const trust = key.startsWith('trust ');
    const arn = key.slice(key.indexOf(' ') + 1);
    const type = trust ? 'trust' : 'resource';
    const implied = !trust && impliesResource(resourceKindOf(arn).kind);
    const read = (x: { text: string; origin?: { file: string; line: number; column: number } } | undefined, label: string) =>
      reader.resource(x?.text, type, `${label} ${trust ? 'trust policy of' : 'policy of'} ${arn}`, x?.origin, implied);
    const errorsBefore = reader.diagnostics.length;
    const b: Bounded = { upper: read(bu.get(key), 'before:'), lower: read(bl.get(key), 'before:') };
    const a: Bounded = { upper: read(au.get(key), 'after:'), lower: read(al.get(key), 'after:') };
    const change = !au.has(key) ? 'deleted' : bu.has(key) ? 'changed' : 'created';
    const source = sourceOf([m.au, m.bu], [input.after, input.before], arn);
    const result = invalid(
      reader,
      errorsBefore,
      newAccess(b, a, input.accept ? acceptedForResource(input.accept, arn, trust) : undefined, input.table, input.reason),
    );
    out.push({ arn, policy: trust ? 'trust' : 'resource', change, source, newAccess: result, newExposure: [] });
  }
  return out;
}

function workloadEntries(m: Models, reader: SetReader, input: DiffInput): WorkloadEntry[] {
  const out: WorkloadEntry[] = [];
  const before = new Map((input.before?.facts ?? []).flatMap((f) => (f.kind === 'execution-role' ? [[f.source.address, f] as const] : [])));
  for (const f of input.after?.facts ?? []) {
    if (f.kind !== 'execution-role') continue;
    const old = before.get(f.source.address);
    if (!old || old.roleArn === f.roleArn) continue;
    const b: Bounded = { upper: reader.principal(m.bu.universe, old.roleArn) ?? EMPTY, lower: reader.principal(m.bl.universe, old.roleArn) ?? EMPTY };
    const a: Bounded = { upper: reader.principal(m.au.universe, f.roleArn) ?? EMPTY, lower: reader.principal(m.al.universe, f.roleArn) ?? EMPTY };
    out.push({
      address: f.source.address,
      source: toEntry(f.source),
      from: old.roleArn,
      to: f.roleArn,
      newAccess: newAccess(b, a, undefined, input.table, input.reason),
    });
  }
  return out;
}

function verdictOf(
  r: Pick<DiffReport, 'principals' | 'resources' | 'workloads' | 'preflight' | 'unknowns' | 'diagnostics'>,
  failOn: readonly Category[],
): Verdict {
  const access = [...r.principals, ...r.resources, ...r.workloads].map((e) => e.newAccess.result);
  const preflight = failOn.includes('preflight') ? r.preflight.map((e) => e.after) : [];
  const fails =
    (failOn.includes('new-access') && access.includes('FAIL')) ||
    (failOn.includes('escalation') && r.principals.some((p) => p.newEscalation.length > 0)) ||
    (failOn.includes('exposure') && [...r.principals, ...r.resources].some((p) => p.newExposure.length > 0)) ||
    preflight.includes('failed');
  if (fails) return 'FAIL';
  if (r.diagnostics.length > 0 || r.unknowns.length > 0 || (failOn.includes('new-access') && access.includes('UNKNOWN')) || preflight.includes('unknown'))
    return 'UNKNOWN';
  return 'PASS';
}

interface Prepared {
  readonly m: Models;
  readonly principals: PrincipalEntry[];
  readonly resources: ResourceEntry[];
  readonly workloads: WorkloadEntry[];
  readonly preflight: PreflightEntry[];
  readonly unknowns: IacUnknown[];
  readonly diagnostics: Diagnostic[];
}

function prepare(input: DiffInput): Prepared {
  const removed = removedFacts(input.before, input.after);
  const side = (base: Universe | undefined, s: IacSide | undefined, bound: 'upper' | 'lower', rm: readonly Fact[]) =>
    overlay(base, s, bound, input.table, input.account, rm);
  const [b0, a0] = [input.beforeModel ?? input.baseline, input.afterModel ?? input.baseline];
  const m: Models = {
    bu: side(b0, input.before, 'upper', []),
    bl: side(b0, input.before, 'lower', []),
    au: side(a0, input.after, 'upper', removed),
    al: side(a0, input.after, 'lower', removed),
  };
  const reader = new SetReader((text) => input.table.holesIn(text).length > 0);
  return {
    m,
    principals: principalEntries(m, reader, input),
    resources: resourceEntries(m, reader, input),
    workloads: workloadEntries(m, reader, input),
    preflight: preflightChanges({
      ...(input.before ? { before: input.before } : {}),
      ...(input.after ? { after: input.after } : {}),
      models: { beforeUpper: m.bu.universe, beforeLower: m.bl.universe, afterUpper: m.au.universe, afterLower: m.al.universe },
      table: input.table,
      reader,
      account: input.account,
      region: input.region ?? input.after?.region ?? input.before?.region ?? 'us-east-1',
    }),
    unknowns: changedUnknowns([...m.au.unknowns, ...m.bu.unknowns], input),
    diagnostics: reader.diagnostics,
  };
}

/** Unknowns both sides hold with the same value change nothing: dropped. */
function changedUnknowns(list: readonly IacUnknown[], input: DiffInput): IacUnknown[] {
  const key = (u: IacUnknown) => `${u.address}\u0000${u.attribute}\u0000${u.value}`;
  const before = new Set((input.before?.unknowns ?? []).filter((u) => u.value !== undefined).map(key));
  const after = new Set((input.after?.unknowns ?? []).filter((u) => u.value !== undefined).map(key));
  return list.filter((u) => u.value === undefined || !(before.has(key(u)) && after.has(key(u))));
}

function finish(p: Prepared, input: DiffInput): DiffReport {
  const failOn = input.failOn ?? CATEGORIES;
  const seen = new Set<string>();
  const uniq = p.unknowns.filter((u) => {
    const k = `${u.address}\u0000${u.attribute}\u0000${u.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const partial = {
    principals: p.principals,
    resources: p.resources,
    workloads: p.workloads,
    preflight: p.preflight,
    unknowns: uniq,
    diagnostics: p.diagnostics,
  };
  const text = JSON.stringify([p.principals, p.resources, p.workloads, p.preflight]);
  const notes = input.table
    .symbolsIn(text)
    .map((s) =>
      s.kind === 'account'
        ? `${s.token} stands for the account the change deploys to, which it does not name (give --account-id or a baseline)`
        : `${s.token} stands for ${s.attribute} of ${s.address}, known only after deployment`,
    );
  return { result: verdictOf(partial, failOn), failOn, ...partial, notes };
}

/** New access only (no audit), synchronously: for callers that cannot wait (a CDK validation plugin). */
export function diffAccess(given: DiffInput): DiffReport {
  const input = withReasoner(given);
  return finish(prepare(input), { ...input, failOn: ['new-access'] });
}

/** The input with its reasoner: the one given, else one for this diff (every check of the diff shares it). */
function withReasoner(input: DiffInput): DiffInput {
  return input.reason !== undefined ? input : { ...input, reason: newReasonContext() };
}

export async function diffChange(given: DiffInput): Promise<DiffReport> {
  const input = withReasoner(given);
  const p = prepare(input);
  const { m } = p;
  if (!input.noAudit) {
    const exact = p.m.au.universe === p.m.al.universe || input.table.holesIn(JSON.stringify([...m.au.universe.accounts.values()])).length === 0;
    const d = await auditDiff(
      { beforeUpper: m.bu.universe, beforeLower: m.bl.universe, afterUpper: m.au.universe, afterLower: m.al.universe, exact },
      input.at ?? new Date(),
    );
    attachAudit(d.escalation, d.exposure, p.principals, p.resources, m, input);
    for (const e of d.possibleEscalation)
      p.unknowns.push({
        address: e.principal,
        attribute: 'escalation',
        reason: `may escalate to ${e.target} (${e.techniques.join(' → ')}) depending on values known only after apply`,
      });
    for (const e of d.possibleExposure)
      p.unknowns.push({ address: e.resource, attribute: 'exposure', reason: `may be exposed to ${e.audience} depending on values known only after apply` });
  }
  return finish(p, input);
}

function attachAudit(
  escalation: readonly EscalationEntry[],
  exposure: readonly ExposureEntry[],
  principals: PrincipalEntry[],
  resources: ResourceEntry[],
  m: Models,
  input: DiffInput,
): void {
  for (const e of escalation) {
    const i = principals.findIndex((p) => p.arn === e.principal);
    if (i >= 0) principals[i] = { ...principals[i]!, newEscalation: [...principals[i]!.newEscalation, e] };
    else {
      const pass: AccessResult = { result: 'PASS', counterexamples: [], notes: [], statements: [], unknownReasons: [], unknowns: [] };
      principals.push({
        arn: e.principal,
        change: 'changed',
        source: sourceOf([m.au], [input.after], e.principal),
        newAccess: pass,
        newEscalation: [e],
        newExposure: [],
      });
    }
  }
  for (const e of exposure) {
    const trust = e.policy === 'trust';
    const i = resources.findIndex((r) => r.arn === e.resource && (r.policy === 'trust') === trust);
    if (i >= 0) resources[i] = { ...resources[i]!, newExposure: [...resources[i]!.newExposure, e] };
    else {
      const pass: AccessResult = { result: 'PASS', counterexamples: [], notes: [], statements: [], unknownReasons: [], unknowns: [] };
      const src = sourceOf([m.au], [input.after], e.resource);
      const fallback = resourcePolicyFor(m.au.universe, e.resource)?.origin;
      resources.push({
        arn: e.resource,
        policy: trust ? 'trust' : 'resource',
        change: 'changed',
        source: src.file ? src : fallback ? { file: fallback.file, line: fallback.line } : {},
        newAccess: pass,
        newExposure: [e],
      });
    }
  }
}
