/**
 * The Account page's audit (src/audit, as `iamsim audit`): findings ranked
 * (severity, then kind, then the shortest path first), paged and filterable;
 * a principal's escalation path listed step by step and drawn in the graph.
 */
import { ApiFailure, post } from '../api.js';
import { clear, errorBox, h } from '../dom.js';
import type { ModelSource } from '../model-source.js';
import { pagedTable } from '../paged.js';
import { button } from '../widgets.js';
import { shortName, type PathStep } from './account-graph.js';

interface AuditFinding {
  code: string;
  severity: string;
  message: string;
  subject: string;
}
interface AuditPath {
  technique: string;
  target: string;
  assumesExistingResource: boolean;
  steps: PathStep[];
}
interface AuditView {
  findings: AuditFinding[];
  principals: { arn: string; isAdmin: boolean; canEscalate: boolean; paths: AuditPath[] }[];
  stats: { principals: number; evaluations: number };
}
interface Ranked extends AuditFinding {
  readonly rank: number;
  readonly path?: AuditPath;
}

const SEVERITY_ORDER = ['ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION'];
const SEVERITY_LABEL: Record<string, [string, string]> = {
  ERROR: ['Error', 'bad'],
  SECURITY_WARNING: ['Security warning', 'bad'],
  WARNING: ['Warning', 'warn'],
  SUGGESTION: ['Suggestion', 'ok'],
};
const KIND_ORDER = ['PRIVILEGE_ESCALATION', 'PUBLIC_ACCESS', 'POTENTIAL_PRIVILEGE_ESCALATION', 'CROSS_ACCOUNT_ACCESS', 'ADMIN_PRINCIPAL', 'RISKY_PERMISSIONS'];
const KIND_LABEL: Record<string, string> = {
  PRIVILEGE_ESCALATION: 'Privilege escalation',
  POTENTIAL_PRIVILEGE_ESCALATION: 'Possible escalation',
  ADMIN_PRINCIPAL: 'Administrator',
  PUBLIC_ACCESS: 'Public access',
  CROSS_ACCOUNT_ACCESS: 'Cross-account access',
  RISKY_PERMISSIONS: 'Risky permissions',
};

const order = (list: readonly string[], x: string): number => (list.includes(x) ? list.indexOf(x) : list.length);

/** Most urgent first: severity, kind, then escalations by the length of their shortest path. */
export function rankFindings(a: AuditView): Ranked[] {
  const paths = new Map(a.principals.map((p) => [p.arn, p.paths[0]]));
  const sorted = a.findings
    .map((f) => ({ f, path: f.code === 'PRIVILEGE_ESCALATION' ? paths.get(f.subject) : undefined }))
    .sort(
      (x, y) =>
        order(SEVERITY_ORDER, x.f.severity) - order(SEVERITY_ORDER, y.f.severity) ||
        order(KIND_ORDER, x.f.code) - order(KIND_ORDER, y.f.code) ||
        (x.path?.steps.length ?? 0) - (y.path?.steps.length ?? 0) ||
        x.f.subject.localeCompare(y.f.subject),
    );
  return sorted.map(({ f, path }, i) => ({ ...f, rank: i + 1, ...(path ? { path } : {}) }));
}

const showLabel = (p: AuditPath): string => `Show path (${p.steps.length} step${p.steps.length === 1 ? '' : 's'})`;

export interface AuditHost {
  source(): Promise<ModelSource | undefined>;
  focus(arn: string): void;
  showPath(title: string, steps: readonly PathStep[]): void;
  /** Each escalating principal's shortest path, once the audit is in. */
  paths(paths: ReadonlyMap<string, readonly PathStep[]>): void;
}

function pathList(f: Ranked, host: AuditHost): HTMLElement {
  const p = f.path!;
  const title = `Escalation path of ${shortName(f.subject)}`;
  return h(
    'div',
    { class: 'path-view' },
    h('h3', {}, title),
    h(
      'p',
      {},
      `Ends as ${p.target === f.subject ? 'itself, with every permission' : shortName(p.target)} (${p.technique})${p.assumesExistingResource ? '; needs a resource the export does not list' : ''}.`,
    ),
    h(
      'ol',
      { class: 'steps-list' },
      ...p.steps.map((s) =>
        h(
          'li',
          {},
          h('span', { class: 'mono' }, shortName(s.principal)),
          ' calls ',
          h('strong', { class: 'mono' }, s.action),
          ' on ',
          h('span', { class: 'mono', title: s.resource }, shortName(s.resource)),
          s.note !== undefined ? h('span', { class: 'hint' }, ` (${s.note})`) : null,
        ),
      ),
    ),
    button('Draw it again in the graph', () => host.showPath(title, p.steps), { class: 'small' }),
  );
}

export function auditSection(host: AuditHost): { el: HTMLElement; load: () => Promise<void> } {
  const summary = h('p', { 'aria-live': 'polite' });
  const detail = h('div', { class: 'path-out', 'aria-live': 'polite' });
  const severity = h(
    'select',
    { 'aria-label': 'Severity' },
    h('option', { value: '' }, 'every severity'),
    ...SEVERITY_ORDER.map((s) => h('option', { value: s }, SEVERITY_LABEL[s]?.[0] ?? s)),
  );
  const table = pagedTable<Ranked>({
    noun: 'findings',
    pageSize: 25,
    columns: ['#', 'Severity', 'Finding', 'About', 'What', 'Path'],
    text: (f) => `${f.severity} ${KIND_LABEL[f.code] ?? f.code} ${f.subject} ${f.message}`,
    keep: (f) => severity.value === '' || f.severity === severity.value,
    extra: [severity],
    cells: (f) => {
      const [label, cls] = SEVERITY_LABEL[f.severity] ?? [f.severity, 'warn'];
      return [
        String(f.rank),
        h('td', {}, h('span', { class: `badge ${cls}` }, label)),
        h('td', { title: f.code }, KIND_LABEL[f.code] ?? f.code),
        h(
          'td',
          { class: 'mono', title: f.subject },
          f.subject.includes(':user/') || f.subject.includes(':role/')
            ? button(shortName(f.subject), () => host.focus(f.subject), { class: 'link', title: `Focus the graph on ${f.subject}` })
            : shortName(f.subject),
        ),
        h('td', { class: 'msg' }, f.message),
        h(
          'td',
          {},
          f.path
            ? button(
                showLabel(f.path),
                () => {
                  clear(detail, pathList(f, host));
                  host.showPath(`Escalation path of ${shortName(f.subject)}`, f.path!.steps);
                },
                { class: 'small', 'aria-label': `${showLabel(f.path)} of ${shortName(f.subject)}` },
              )
            : '',
        ),
      ];
    },
  });
  severity.addEventListener('change', () => table.refresh());
  const el = h('div', {}, summary, table.el, detail);
  const load = async (): Promise<void> => {
    const src = await host.source();
    if (src === undefined) {
      summary.textContent = '';
      table.setRows([]);
      return;
    }
    summary.textContent = 'Auditing every principal…';
    clear(detail);
    try {
      const a = await post<AuditView>('audit', { source: src });
      const ranked = rankFindings(a);
      const count = (s: string): number => ranked.filter((f) => f.severity === s).length;
      summary.textContent = `${a.findings.length} finding${a.findings.length === 1 ? '' : 's'} over ${a.stats.principals} principals (${count('ERROR')} errors, ${count('SECURITY_WARNING')} security warnings, ${count('WARNING')} warnings), most urgent first.`;
      table.setRows(ranked);
      host.paths(new Map(a.principals.filter((p) => p.paths[0] !== undefined).map((p) => [p.arn, p.paths[0]!.steps])));
    } catch (e) {
      summary.textContent = '';
      clear(detail, errorBox(e instanceof ApiFailure ? e.message : String(e), e instanceof ApiFailure ? e.details() : []));
    }
  };
  return { el, load };
}
