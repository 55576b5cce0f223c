/**
 * Policy generation from activity: CloudTrail events in, the identity-based
 * policy that grants what the events used out — one statement per set of
 * actions sharing a resource set, deterministic and sorted, resources
 * generalized by option, plus the dependent actions the calls needed
 * (iam:PassRole for the roles passed in request parameters).
 *
 * Similar in spirit to IAM Access Analyzer policy generation (IAM User Guide:
 * "Generate policies based on access activity"), which also works from
 * CloudTrail and reports services and actions it could not map.
 */
import { Catalog } from '../catalog/catalog-object.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { wildcardArnsForAction } from './arn.js';
import { escalationRisks } from '../audit/policies.js';
import { statementLabel } from '../policy/model.js';
import { mapEvent, matchesPrincipal, SIGN_IN_REASON, type MappedCall, type ObservedResource } from './cloudtrail-map.js';
import { RecordSplitter, type RecordProblem } from './cloudtrail-read.js';
import { dependentActions } from './execution-role.js';
import { generalize, type Observed, type ResourceMode } from './generalize.js';
import { compareStrings, finishStatements, prune, toDocument, toPolicy, type ConditionMap, type GenStatement, type PolicyDocument } from './policy-doc.js';

export interface TrailOptions {
  readonly resources?: ResourceMode;
  /** Only events by this principal (its ARN, or the role of assumed-role sessions). */
  readonly principal?: string;
  /** Include calls that were denied (errorCode AccessDenied …). */
  readonly includeDenied?: boolean;
  /** The catalog to map events with (an engine's, `Iamsim.catalog`); default: one for this aggregator. */
  readonly catalog?: Catalog;
}

export interface TrailStats {
  readonly records: number;
  readonly used: number;
  readonly denied: number;
  readonly otherPrincipals: number;
  readonly skipped: Readonly<Record<string, number>>;
  /** `eventSource eventName` → count, for events no action could be found for. */
  readonly unknown: Readonly<Record<string, number>>;
  readonly principals: readonly string[];
}

export interface TrailResult {
  readonly policy: PolicyDocument | undefined;
  readonly diagnostics: readonly Diagnostic[];
  readonly stats: TrailStats;
}

interface Used {
  readonly resources: Map<string, Observed>;
  /** Condition key → values seen; a key some call lacked is in `partial`. */
  readonly keys: Map<string, Set<string>>;
  readonly partial: Set<string>;
  calls: number;
}

export class TrailAggregator {
  private readonly used = new Map<string, Used>();
  /** Service principal → roles passed to it. */
  private readonly passed = new Map<string, Map<string, Observed>>();
  private readonly diags: Diagnostic[] = [];
  private records = 0;
  private usedCount = 0;
  private denied = 0;
  private otherPrincipals = 0;
  private readonly skipped = new Map<string, number>();
  private readonly unknown = new Map<string, number>();
  /** Per action: the events that named none of its resources (reported once per action, with the events). */
  private readonly unnamed = new Map<string, { types: Set<string>; arns: Set<string>; events: string[]; count: number; file?: string; line?: number }>();
  private readonly principals = new Set<string>();
  private readonly splitters = new Map<string, RecordSplitter>();

  private readonly catalog: Catalog;

  constructor(private readonly options: TrailOptions = {}) {
    this.catalog = options.catalog ?? new Catalog();
  }

  /** Records read so far (for progress reports). */
  get recordCount(): number {
    return this.records;
  }

  /** A streaming splitter that feeds this aggregator; `file` names the input in diagnostics. */
  splitter(file: string): RecordSplitter {
    let s = this.splitters.get(file);
    if (s === undefined) {
      s = new RecordSplitter({
        record: (r, line) => this.add(r, file, line),
        problem: (p: RecordProblem) => this.diag('CLOUDTRAIL_RECORD', 'warning', p.message, file, p.line),
      });
      this.splitters.set(file, s);
    }
    return s;
  }

  private diag(code: string, severity: 'error' | 'warning' | 'info', message: string, file: string | undefined, line = 1): void {
    this.diags.push({ code, severity, message, line, column: 1, path: [], ...(file !== undefined ? { file } : {}) });
  }

  add(rec: Record<string, unknown>, file?: string, line?: number): void {
    const inner = unwrapEnvelope(rec);
    if (inner !== undefined) {
      if ('problem' in inner) this.diag('CLOUDTRAIL_RECORD', 'warning', inner.problem, file, line);
      else for (const r of inner.records) this.add(r, file, line);
      return;
    }
    this.records++;
    if (this.options.principal !== undefined && !matchesPrincipal(rec, this.options.principal)) {
      this.otherPrincipals++;
      return;
    }
    const m = mapEvent(rec, this.catalog);
    if (m.kind === 'skip') {
      const n = this.skipped.get(m.reason) ?? 0;
      this.skipped.set(m.reason, n + 1);
      if (n === 0 && m.reason === SIGN_IN_REASON) this.diag('CLOUDTRAIL_SIGN_IN_SKIPPED', 'info', `${m.reason}; skipped`, file, line);
      return;
    }
    if (m.kind === 'unknown') {
      const key = `${m.source} ${m.eventName}`;
      const n = this.unknown.get(key) ?? 0;
      this.unknown.set(key, n + 1);
      if (n === 0) this.diag('CLOUDTRAIL_UNKNOWN_EVENT', 'warning', `${m.message}; event ${m.eventName} from ${m.source} is not in the policy`, file, line);
      return;
    }
    const call = m.call;
    if (call.denied) {
      this.denied++;
      if (this.options.includeDenied !== true) return;
    }
    this.usedCount++;
    this.warnUnnamed(call, rec, file, line);
    if (call.principal !== undefined) this.principals.add(call.principal);
    const service = call.action.slice(0, call.action.indexOf(':'));
    this.record(call.action, service, call.resources, call.observed);
    for (const c of call.companions) this.record(c, c.slice(0, c.indexOf(':')), call.resources, {});
    for (const dep of dependentActions(call.action)) {
      if (dep === 'iam:PassRole') {
        if (call.passedRoles.length === 0) {
          // The role was not in the request parameters: any role, still only to this service.
          this.pass(
            call.passedTo,
            wildcardArnsForAction('iam:PassRole', call.scope).map((arn) => ({ arn, resolved: false })),
          );
        }
        continue;
      }
      this.record(
        dep,
        dep.slice(0, dep.indexOf(':')),
        wildcardArnsForAction(dep, call.scope).map((arn) => ({ arn, resolved: false })),
      );
    }
    if (call.passedRoles.length > 0)
      this.pass(
        call.passedTo,
        call.passedRoles.map((arn) => ({ arn, resolved: true })),
      );
  }

  /**
   * A call whose resource the event does not name (e.g. an empty bucketName in a redacted example, or no
   * parameter identifying it): the statement stands for every resource of the type, which a reviewer must
   * narrow. Collected per action and reported with the events (line, eventName, eventID) in finish().
   */
  private warnUnnamed(call: MappedCall, rec: Record<string, unknown>, file: string | undefined, line: number | undefined): void {
    const unnamed = call.resources.filter((r) => !r.resolved && r.arn !== '*');
    if (unnamed.length === 0) return;
    const u = this.unnamed.get(call.action) ?? {
      types: new Set<string>(),
      arns: new Set<string>(),
      events: [],
      count: 0,
      ...(file !== undefined ? { file } : {}),
      ...(line !== undefined ? { line } : {}),
    };
    for (const r of unnamed) {
      u.types.add(r.resourceType ?? 'resource');
      u.arns.add(r.arn);
    }
    u.count++;
    if (u.events.length < 5) {
      const id = typeof rec['eventID'] === 'string' ? ` ${rec['eventID']}` : '';
      u.events.push(`${file !== undefined ? `${file}:` : ''}${line ?? '?'} ${String(rec['eventName'] ?? '?')}${id}`);
    }
    this.unnamed.set(call.action, u);
  }

  private reportUnnamed(): void {
    for (const [action, u] of this.unnamed) {
      const types = [...u.types].join(', ');
      const more = u.count > u.events.length ? `, and ${u.count - u.events.length} more` : '';
      this.diag(
        'CLOUDTRAIL_RESOURCE_NOT_IN_EVENT',
        'warning',
        `${u.count} ${action} event(s) name no ${types} (no request parameter or ARN identifies it: ${u.events.join('; ')}${more}): its statement stands for every ${types} (${[...u.arns].join(', ')}); narrow it by hand`,
        u.file,
        u.line,
      );
    }
  }

  private record(action: string, service: string, resources: readonly ObservedResource[], observed: Readonly<Record<string, string>> = {}): void {
    const first = !this.used.has(action);
    const u = this.used.get(action) ?? { resources: new Map<string, Observed>(), keys: new Map<string, Set<string>>(), partial: new Set<string>(), calls: 0 };
    for (const r of resources) u.resources.set(r.arn, { ...r, service });
    // A key counts only when every call showed it: a call without it would not match the condition.
    for (const k of u.keys.keys()) if (observed[k] === undefined) u.partial.add(k);
    for (const [k, v] of Object.entries(observed)) {
      if (!first && !u.keys.has(k)) u.partial.add(k);
      const set = u.keys.get(k) ?? new Set<string>();
      set.add(v);
      u.keys.set(k, set);
    }
    u.calls++;
    this.used.set(action, u);
  }

  private pass(service: string, roles: readonly { arn: string; resolved: boolean }[]): void {
    const m = this.passed.get(service) ?? new Map<string, Observed>();
    for (const r of roles) {
      m.set(r.arn, {
        arn: r.arn,
        format: 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}',
        service: 'iam',
        resourceType: 'role',
        resolved: r.resolved,
      });
    }
    this.passed.set(service, m);
  }

  finish(): TrailResult {
    for (const s of this.splitters.values()) s.end();
    this.reportUnnamed();
    const mode = this.options.resources ?? 'wildcard';
    const statements: GenStatement[] = [];
    for (const [action, u] of this.used) {
      const conditions = conditionsOf(u, mode);
      statements.push({ effect: 'Allow', actions: [action], resources: generalize([...u.resources.values()], mode), ...(conditions ? { conditions } : {}) });
    }
    // iam:PassRole with iam:PassedToService, one statement per service (IAM User Guide: iam:PassedToService).
    for (const [service, roles] of [...this.passed].sort(([a], [b]) => compareStrings(a, b))) {
      statements.push({
        effect: 'Allow',
        actions: ['iam:PassRole'],
        resources: prune(generalize([...roles.values()], mode)),
        conditions: { StringEquals: { 'iam:PassedToService': [service] } },
      });
    }
    if (this.principals.size > 1 && this.options.principal === undefined) {
      this.diag(
        'CLOUDTRAIL_MANY_PRINCIPALS',
        'warning',
        `events from ${this.principals.size} principals were merged into one policy; use --principal ARN to generate one principal's policy`,
        undefined,
      );
    }
    if (this.denied > 0 && this.options.includeDenied !== true) {
      this.diag('CLOUDTRAIL_DENIED_EXCLUDED', 'info', `${this.denied} denied call(s) were left out; use --include-denied to grant them too`, undefined);
    }
    if (statements.length === 0) this.diag('CLOUDTRAIL_NO_ACTIVITY', 'error', 'no usable events: nothing to generate a policy from', undefined);
    const stats: TrailStats = {
      records: this.records,
      used: this.usedCount,
      denied: this.denied,
      otherPrincipals: this.otherPrincipals,
      skipped: Object.fromEntries([...this.skipped].sort()),
      unknown: Object.fromEntries([...this.unknown].sort()),
      principals: [...this.principals].sort(),
    };
    // Actions with different resources stay in separate statements (no cross-type merging): one
    // statement per resource set is what a reviewer checks against the trail.
    const finished = finishStatements(statements, { sort: true, crossMerge: false });
    const policy = statements.length === 0 ? undefined : toDocument(finished);
    if (policy !== undefined) this.warnEscalation(finished);
    return { policy, diagnostics: this.diags, stats };
  }

  /**
   * The generated policy's escalation techniques, judged by the account
   * audit's check (src/audit/policies.ts escalationRisks: each needed action
   * decided by the evaluator on resources the policy reaches with a wildcard).
   */
  private warnEscalation(statements: readonly GenStatement[]): void {
    for (const risk of escalationRisks([toPolicy(statements)])) {
      const via = risk.grants.map((g) => `${g.action} (statement ${statementLabel(g.statement.index)})`).join(', ');
      this.diag(
        'CLOUDTRAIL_ESCALATION',
        'warning',
        `the generated policy allows privilege escalation (${risk.technique.id}): the principal can ${risk.technique.summary}; via ${via}`,
        undefined,
      );
    }
  }
}

type Unwrapped = { readonly records: Record<string, unknown>[] } | { readonly problem: string };

/**
 * Records inside the other shapes events come in: `aws cloudtrail
 * lookup-events` output (`{"Events": [{"CloudTrailEvent": "<JSON text>"}]}`,
 * AWS CloudTrail API Reference: LookupEvents, Event), one such event, and an
 * Amazon EventBridge event whose detail-type is "AWS API Call via CloudTrail"
 * (or another "… via CloudTrail" type; the record is its `detail`; EventBridge
 * User Guide: AWS service events delivered via AWS CloudTrail). Undefined for
 * a plain CloudTrail record.
 */
export function unwrapEnvelope(rec: Record<string, unknown>): Unwrapped | undefined {
  const events = rec['Events'];
  if (Array.isArray(events) && rec['eventSource'] === undefined) {
    const records: Record<string, unknown>[] = [];
    for (const e of events) {
      const one = e !== null && typeof e === 'object' ? unwrapEnvelope(e as Record<string, unknown>) : undefined;
      if (one === undefined) return { problem: 'an entry of Events has no CloudTrailEvent' };
      if ('problem' in one) return one;
      records.push(...one.records);
    }
    return { records };
  }
  const text = rec['CloudTrailEvent'];
  if (typeof text === 'string') {
    try {
      const value: unknown = JSON.parse(text);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { records: [value as Record<string, unknown>] };
    } catch {
      // reported below
    }
    return { problem: `CloudTrailEvent of event ${String(rec['EventId'] ?? '?')} is not a JSON object` };
  }
  const type = rec['detail-type'];
  const detail = rec['detail'];
  if (typeof type === 'string' && / via CloudTrail$/.test(type) && detail !== null && typeof detail === 'object' && !Array.isArray(detail)) {
    const d = detail as Record<string, unknown>;
    // The envelope's account and region fill in what older detail records leave out.
    return {
      records: [
        {
          ...(typeof rec['account'] === 'string' ? { recipientAccountId: rec['account'] } : {}),
          ...(typeof rec['region'] === 'string' ? { awsRegion: rec['region'] } : {}),
          ...d,
        },
      ],
    };
  }
  return undefined;
}

/**
 * Conditions every call of an action met, as the events show them:
 * kms:ViaService (StringEquals, the services seen), s3:prefix (StringEquals the
 * prefixes as observed with --resources exact, else StringLike on their
 * directory, or the whole prefix when it has no `/`, followed by *). A key some call lacked gives no condition.
 */
function conditionsOf(u: Used, mode: ResourceMode): ConditionMap | undefined {
  const out: Record<string, Record<string, string[]>> = {};
  const put = (op: string, key: string, values: readonly string[]): void => {
    out[op] = { ...(out[op] ?? {}), [key]: [...new Set(values)].sort(compareStrings) };
  };
  for (const [key, values] of u.keys) {
    if (u.partial.has(key)) continue;
    if (key === 'kms:ViaService') put('StringEquals', key, [...values]);
    else if (key === 's3:prefix') {
      if (mode === 'exact') put('StringEquals', key, [...values]);
      // The prefix's directory (`home/JohnDoe/x` → `home/JohnDoe/*`); a prefix without `/` is kept whole (`logs*`).
      else
        put(
          'StringLike',
          key,
          [...values].map((v) => `${v.includes('/') ? v.slice(0, v.lastIndexOf('/') + 1) : v}*`),
        );
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Convenience: one in-memory input (tests, small files). */
export function generateFromCloudTrail(text: string, options: TrailOptions = {}, file = '<input>'): TrailResult {
  const agg = new TrailAggregator(options);
  agg.splitter(file).push(text);
  return agg.finish();
}
