/** Renders a SimulateCustomPolicy response: per action and resource, the decision, deciding statements, layers, missing context. */
import { whyNot } from '../../eval/why-not.js';
import { h } from '../dom.js';
import type { LinePos } from '../editor.js';
import { badge } from '../widgets.js';

interface Pos {
  readonly Line: number;
  readonly Column: number;
}
export interface Matched {
  readonly SourcePolicyId: string;
  readonly StartPosition: Pos;
  readonly EndPosition: Pos;
  readonly Sid?: string;
  readonly StatementIndex: number;
  readonly Effect: 'Allow' | 'Deny';
}
interface Ref {
  readonly policyId: string;
  readonly index: number;
  readonly sid?: string;
  readonly effect: string;
  readonly span: { readonly start: { readonly line: number; readonly column: number } };
}
interface Clause {
  readonly matched: boolean;
  readonly explanation?: string;
  readonly clause: { readonly operator: string; readonly key: string; readonly values?: readonly string[] };
}
interface Trace {
  readonly ref: Ref;
  readonly outcome: string;
  readonly clauses?: readonly Clause[];
  readonly error?: string;
}
interface Layer {
  readonly layer: string;
  readonly applies: boolean;
  readonly outcome: string;
  readonly note: string;
  readonly statements?: readonly Trace[];
}
interface Explanation {
  readonly Resource: string;
  readonly Summary: string;
  readonly Layers?: readonly Layer[];
  readonly Errors?: readonly string[];
}
interface PerResource {
  readonly EvalResourceName: string;
  readonly EvalResourceDecision: string;
  readonly MatchedStatements: readonly Matched[];
  readonly MissingContextValues: readonly string[];
}
export interface EvalResult {
  readonly EvalActionName: string;
  readonly EvalResourceName: string;
  readonly EvalDecision: string;
  readonly MatchedStatements: readonly Matched[];
  readonly MissingContextValues: readonly string[];
  readonly ResourceSpecificResults?: readonly PerResource[];
  readonly Explanation?: readonly Explanation[];
  readonly OrganizationsDecisionDetail?: { readonly AllowedByOrganizations: boolean };
  readonly PermissionsBoundaryDecisionDetail?: { readonly AllowedByPermissionsBoundary: boolean };
}
export interface SimResponse {
  readonly EvaluationResults: readonly EvalResult[];
}

export type Resolve = (policyId: string) => { title: string; reveal: (p: LinePos) => void } | undefined;

const LAYER_TITLE: Record<string, string> = {
  identity: 'Identity',
  boundary: 'Permissions boundary',
  session: 'Session',
  resource: 'Resource / trust',
  endpoint: 'VPC endpoint',
  scp: 'SCPs',
  rcp: 'RCPs',
};

/** The response's policy ids (PolicyInputList.1, ResourcePolicy…) as the editors' titles (the evaluator's explanations cite policies by id). */
function words(text: string, resolve: Resolve): string {
  return text.replace(/\b(?:\w*PolicyInputList(?:\.\d+)+|ResourcePolicy|VpcEndpointPolicy)\b/g, (id) => resolve(id)?.title ?? id);
}

/** Each condition of a statement: whether it held, and the request value that made it so (the evaluator's own words). */
function conditionList(t: Trace | undefined): HTMLElement | null {
  const clauses = t?.clauses ?? [];
  if (clauses.length === 0) return null;
  return h(
    'ul',
    { class: 'conds', 'aria-label': 'Conditions' },
    ...clauses.map((c) =>
      h(
        'li',
        { class: c.matched ? 'held' : 'failed' },
        h('span', { class: 'mark', 'aria-hidden': 'true' }, c.matched ? '✓' : '✗'),
        h('span', { class: 'sr' }, c.matched ? 'held: ' : 'did not hold: '),
        h('span', { class: 'mono' }, c.explanation ?? `${c.clause.operator} ${c.clause.key}`),
      ),
    ),
  );
}

/** The trace of a matched statement in the explanation's layers. */
function traceOf(ex: Explanation | undefined, m: Matched): Trace | undefined {
  for (const l of ex?.Layers ?? []) {
    const t = l.statements?.find((x) => x.ref.policyId === m.SourcePolicyId && x.ref.index === m.StatementIndex);
    if (t !== undefined) return t;
  }
  return undefined;
}

function stmtName(sid: string | undefined, index: number): string {
  return sid !== undefined && sid !== '' ? `statement "${sid}"` : `statement #${index + 1}`;
}

function statementLink(resolve: Resolve, policyId: string, sid: string | undefined, index: number, start: LinePos, effect: string): HTMLElement {
  const target = resolve(policyId);
  const text = `${effect} · ${stmtName(sid, index)} in ${target?.title ?? policyId}, line ${start.line}`;
  if (target === undefined) return h('span', {}, text);
  return h(
    'button',
    { type: 'button', class: `link stmt ${effect === 'Deny' ? 'deny' : 'allow'}`, onclick: () => target.reveal(start), title: 'Show in the editor' },
    text,
  );
}

function layersTable(ex: Explanation, resolve: Resolve): HTMLElement | null {
  const layers = ex.Layers ?? [];
  if (layers.length === 0) return null;
  const rows = layers.map((l) => {
    const notes = (l.statements ?? [])
      .filter((t) => t.outcome !== 'applied' && t.outcome !== 'action')
      .map((t) =>
        h(
          'li',
          {},
          statementLink(resolve, t.ref.policyId, t.ref.sid, t.ref.index, t.ref.span.start, t.ref.effect),
          `: ${t.outcome === 'condition' ? 'a condition did not hold' : whyNot(t)}`,
          t.outcome === 'condition' ? conditionList(t) : null,
        ),
      );
    return h(
      'tr',
      { class: l.applies ? '' : 'dim' },
      h('th', { scope: 'row' }, LAYER_TITLE[l.layer] ?? l.layer),
      h('td', {}, l.applies ? l.outcome : 'skipped'),
      h('td', {}, words(l.note, resolve), notes.length > 0 ? h('ul', { class: 'why' }, ...notes) : null),
    );
  });
  return h(
    'details',
    { class: 'layers' },
    h('summary', {}, 'Per-layer explanation'),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Layer'), h('th', { scope: 'col' }, 'Outcome'), h('th', { scope: 'col' }, 'Why'))),
      h('tbody', {}, ...rows),
    ),
  );
}

function perResource(r: EvalResult): PerResource[] {
  return r.ResourceSpecificResults && r.ResourceSpecificResults.length > 0
    ? [...r.ResourceSpecificResults]
    : [
        {
          EvalResourceName: r.EvalResourceName,
          EvalResourceDecision: r.EvalDecision,
          MatchedStatements: r.MatchedStatements,
          MissingContextValues: r.MissingContextValues,
        },
      ];
}

function resultCard(r: EvalResult, resolve: Resolve): HTMLElement {
  const parts = perResource(r).map((pr) => {
    const ex = r.Explanation?.find((e) => e.Resource === pr.EvalResourceName);
    return h(
      'div',
      { class: 'per-resource' },
      h('h4', {}, badge(pr.EvalResourceDecision), ' ', h('span', { class: 'mono' }, pr.EvalResourceName)),
      ex ? h('p', { class: 'summary' }, words(ex.Summary, resolve)) : null,
      pr.MatchedStatements.length > 0
        ? h(
            'div',
            {},
            h('h5', {}, 'Deciding statements'),
            h(
              'ul',
              { class: 'stmts' },
              ...pr.MatchedStatements.map((m) =>
                h(
                  'li',
                  {},
                  statementLink(resolve, m.SourcePolicyId, m.Sid, m.StatementIndex, { line: m.StartPosition.Line, column: m.StartPosition.Column }, m.Effect),
                  conditionList(traceOf(ex, m)),
                ),
              ),
            ),
          )
        : null,
      pr.MissingContextValues.length > 0
        ? h('p', { class: 'missing' }, h('strong', {}, 'Missing context values: '), h('span', { class: 'mono' }, pr.MissingContextValues.join(', ')))
        : null,
      ...(ex?.Errors ?? []).map((e) => h('p', { class: 'error-inline' }, words(e, resolve))),
      ex ? layersTable(ex, resolve) : null,
    );
  });
  const org = r.OrganizationsDecisionDetail
    ? h('p', {}, `Allowed by the organization's SCPs: ${r.OrganizationsDecisionDetail.AllowedByOrganizations ? 'yes' : 'no'}`)
    : null;
  const pb = r.PermissionsBoundaryDecisionDetail
    ? h('p', {}, `Allowed by the permissions boundary: ${r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary ? 'yes' : 'no'}`)
    : null;
  const all = perResource(r);
  const allowed = all.filter((x) => x.EvalResourceDecision === 'allowed').length;
  const tally =
    all.length > 1
      ? h('p', { class: 'hint' }, `${allowed} of ${all.length} resources allowed; each resource's decision and deciding statements follow.`)
      : null;
  return h(
    'article',
    { class: `card decision-${r.EvalDecision}` },
    h('h3', {}, h('span', { class: 'mono' }, r.EvalActionName), ' ', badge(r.EvalDecision)),
    tally,
    org,
    pb,
    ...parts,
  );
}

export function renderResults(resp: SimResponse, resolve: Resolve): HTMLElement {
  return h('div', { class: 'results' }, ...resp.EvaluationResults.map((r) => resultCard(r, resolve)));
}
