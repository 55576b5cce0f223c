/**
 * Account: the principals of the loaded accounts and their effective
 * policies, and the assume/pass graph (who can assume or pass which role,
 * service principals included) drawn with Cytoscape.js and listed as a table.
 */
import cytoscape from 'cytoscape';
import { ApiFailure, getFeatures, post } from '../api.js';
import { clear, errorBox, h } from '../dom.js';
import { currentSource, sourcePicker } from '../model-source.js';
import { button } from '../widgets.js';

interface Principal {
  arn: string;
  name: string;
}
interface AccountView {
  id: string;
  name: string | null;
  users: Principal[];
  roles: Principal[];
  groups: Principal[];
  resourcePolicies: string[];
}
interface PolicyView {
  name: string;
  source?: string;
  policyArn?: string | null;
  document: string;
}
interface PrincipalView {
  arn: string;
  kind: string;
  account: string;
  identity: PolicyView[];
  boundary: PolicyView | null;
  trustPolicy: string | null;
  scps: { enabled: boolean; managementAccount: boolean; levels: { name: string; kind: string; policies: { name: string; document: string }[] }[] } | null;
}
interface GraphNode {
  id: string;
  label: string;
  kind: string;
}
interface GraphEdge {
  from: string;
  to: string;
  kind: 'assume' | 'pass';
  label: string;
  decision: 'allowed' | 'conditional';
  missingContextValues: string[];
  reason: string;
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function policyBlock(title: string, doc: string): HTMLElement {
  return h('details', { class: 'policy-doc' }, h('summary', {}, title), h('pre', { class: 'code', tabindex: 0 }, pretty(doc)));
}

async function showPrincipal(out: HTMLElement, arn: string): Promise<void> {
  clear(out, h('p', {}, 'Loading…'));
  try {
    const p = await post<PrincipalView>('principal', { source: currentSource(), arn });
    const scps =
      p.scps === null
        ? []
        : p.scps.managementAccount
          ? [h('p', { class: 'hint' }, 'Management account: SCPs do not apply.')]
          : p.scps.levels.flatMap((l) => l.policies.map((x) => policyBlock(`SCP ${x.name} on ${l.kind} ${l.name}`, x.document)));
    clear(
      out,
      h('h3', { class: 'mono' }, p.arn),
      h(
        'p',
        {},
        `${p.kind} in account ${p.account}: ${p.identity.length} identity polic${p.identity.length === 1 ? 'y' : 'ies'}${p.boundary ? ', a permissions boundary' : ''}${p.scps ? `, ${p.scps.levels.length} organization levels` : ''}.`,
      ),
      ...p.identity.map((x) => policyBlock(`${x.name} (${x.source ?? 'policy'}${x.policyArn ? `, ${x.policyArn}` : ''})`, x.document)),
      p.boundary ? policyBlock(`Permissions boundary ${p.boundary.name}`, p.boundary.document) : null,
      p.trustPolicy !== null ? policyBlock('Trust policy', p.trustPolicy) : null,
      ...scps,
    );
  } catch (e) {
    clear(out, errorBox(e instanceof ApiFailure ? e.message : String(e)));
  }
}

const NODE_COLOURS: Record<string, string> = { role: '#2563eb', user: '#7c3aed', service: '#0f766e', account: '#b45309', any: '#b91c1c' };

function drawGraph(host: HTMLElement, nodes: GraphNode[], edges: GraphEdge[], dark: boolean): void {
  const fg = dark ? '#e5e7eb' : '#111827';
  cytoscape({
    container: host,
    elements: [
      ...nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind } })),
      ...edges.map((e, i) => ({
        data: {
          id: `e${i}`,
          source: e.from,
          target: e.to,
          label: e.kind === 'pass' ? `pass → ${e.label.replace(/^PassRole → /, '').replace(/\.amazonaws\.com$/, '')}` : 'assume',
          kind: e.kind,
          decision: e.decision,
        },
      })),
    ],
    style: [
      {
        selector: 'node',
        style: {
          label: 'data(label)',
          'background-color': (n: cytoscape.NodeSingular) => NODE_COLOURS[n.data('kind') as string] ?? '#6b7280',
          color: fg,
          'font-size': 12,
          'text-valign': 'bottom',
          'text-margin-y': 5,
          width: 24,
          height: 24,
          'text-wrap': 'wrap',
          'text-max-width': '160px',
        },
      },
      { selector: 'node[kind = "service"]', style: { shape: 'round-rectangle' } },
      { selector: 'node[kind = "user"]', style: { shape: 'ellipse' } },
      { selector: 'node[kind = "role"]', style: { shape: 'diamond' } },
      {
        selector: 'edge',
        style: {
          'curve-style': 'bezier',
          'target-arrow-shape': 'triangle',
          width: 2,
          'line-color': '#16a34a',
          'target-arrow-color': '#16a34a',
          label: 'data(label)',
          'font-size': 10,
          color: fg,
          'text-rotation': 'autorotate',
          'text-background-color': dark ? '#111827' : '#ffffff',
          'text-background-opacity': 0.8,
        },
      },
      { selector: 'edge[kind = "pass"]', style: { 'line-style': 'dashed', 'line-color': '#7c3aed', 'target-arrow-color': '#7c3aed' } },
      { selector: 'edge[decision = "conditional"]', style: { 'line-style': 'dotted', 'line-color': '#d97706', 'target-arrow-color': '#d97706' } },
    ],
    // Small graphs read best on a circle (no overlaps); large ones need the force-directed layout.
    layout:
      nodes.length <= 24
        ? { name: 'circle', animate: false, padding: 50, avoidOverlap: true, spacingFactor: 1.1 }
        : { name: 'cose', animate: false, padding: 40, nodeRepulsion: () => 400_000, idealEdgeLength: () => 160, nodeOverlap: 40, componentSpacing: 120 },
    maxZoom: 1.4,
    minZoom: 0.2,
  });
}

function edgeTable(nodes: GraphNode[], edges: GraphEdge[]): HTMLElement {
  const label = new Map(nodes.map((n) => [n.id, n.label]));
  return h(
    'details',
    { class: 'edges', open: true },
    h('summary', {}, `Edges as a table (${edges.length})`),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...['Who', 'Can', 'Role', 'Decision', 'Why'].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        ...edges.map((e) =>
          h(
            'tr',
            {},
            h('td', { class: 'mono', title: e.from }, label.get(e.from) ?? e.from),
            h('td', {}, e.kind === 'assume' ? e.label : e.label.replace('PassRole → ', 'pass to ')),
            h('td', { class: 'mono', title: e.to }, label.get(e.to) ?? e.to),
            h('td', {}, e.decision === 'allowed' ? 'allowed' : `only with ${e.missingContextValues.join(', ')}`),
            h('td', {}, e.reason),
          ),
        ),
      ),
    ),
  );
}

async function showGraph(out: HTMLElement): Promise<void> {
  clear(out, h('p', {}, 'Deciding who can assume and pass each role…'));
  try {
    const g = await post<{ nodes: GraphNode[]; edges: GraphEdge[] }>('graph', { source: currentSource() });
    const host = h('div', {
      class: 'graph',
      role: 'img',
      'aria-label': `Assume and pass graph: ${g.nodes.length} principals, ${g.edges.length} edges; the table below lists them`,
    });
    const legend = h(
      'p',
      { class: 'legend' },
      h('span', { class: 'lg role' }, '◆ role'),
      h('span', { class: 'lg user' }, '● user'),
      h('span', { class: 'lg service' }, '▬ service'),
      h('span', { class: 'lg assume' }, '— can assume'),
      h('span', { class: 'lg pass' }, '- - can pass'),
      h('span', { class: 'lg cond' }, '··· only with context'),
    );
    clear(out, legend, host, edgeTable(g.nodes, g.edges));
    drawGraph(host, g.nodes, g.edges, matchMedia('(prefers-color-scheme: dark)').matches);
  } catch (e) {
    clear(out, errorBox(e instanceof ApiFailure ? e.message : String(e), e instanceof ApiFailure ? e.details() : []));
  }
}

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
  steps: { principal: string; action: string; resource: string; note?: string }[];
}
interface AuditView {
  findings: AuditFinding[];
  principals: { arn: string; isAdmin: boolean; canEscalate: boolean; paths: AuditPath[] }[];
  stats: { principals: number; evaluations: number };
}

const SEVERITY_CLASS: Record<string, string> = { ERROR: 'bad', SECURITY_WARNING: 'bad', WARNING: 'warn', SUGGESTION: 'ok' };

async function showAudit(out: HTMLElement): Promise<void> {
  clear(out, h('p', {}, 'Auditing every principal…'));
  try {
    const a = await post<AuditView>('audit', { source: currentSource() });
    const escalating = a.principals.filter((p) => p.canEscalate && p.paths.length > 0);
    clear(
      out,
      h('p', {}, `${a.findings.length} finding${a.findings.length === 1 ? '' : 's'} over ${a.stats.principals} principals (${a.stats.evaluations} decisions).`),
      a.findings.length > 0
        ? h(
            'table',
            {},
            h('thead', {}, h('tr', {}, ...['Severity', 'Finding', 'Message'].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              {},
              ...a.findings.map((f) =>
                h(
                  'tr',
                  {},
                  h('td', {}, h('span', { class: `badge ${SEVERITY_CLASS[f.severity] ?? 'warn'}` }, f.severity)),
                  h('td', { class: 'mono' }, f.code),
                  h('td', {}, f.message),
                ),
              ),
            ),
          )
        : null,
      escalating.length > 0 ? h('h3', {}, 'Escalation paths') : null,
      escalating.length > 0
        ? h(
            'ul',
            { class: 'paths' },
            ...escalating.map((p) =>
              h(
                'li',
                {},
                h('span', { class: 'mono' }, p.arn),
                h(
                  'ol',
                  {},
                  ...(p.paths[0]?.steps ?? []).map((s) =>
                    h(
                      'li',
                      { class: 'small' },
                      h('span', { class: 'mono' }, `${s.principal} → ${s.action} → ${s.resource}`),
                      s.note !== undefined ? ` (${s.note})` : '',
                    ),
                  ),
                ),
              ),
            ),
          )
        : null,
    );
  } catch (e) {
    clear(out, errorBox(e instanceof ApiFailure ? e.message : String(e), e instanceof ApiFailure ? e.details() : []));
  }
}

export async function accountPage(root: HTMLElement): Promise<void> {
  const list = h('div', { class: 'principals' });
  const detail = h('div', { class: 'principal-detail', 'aria-live': 'polite' });
  const graphOut = h('div', { class: 'graph-out' });
  const audit = h('section', { class: 'audit', 'aria-label': 'Audit' }, h('h2', {}, 'Audit findings'));
  const auditOut = h('div', { 'aria-live': 'polite' });
  let auditOn = false;
  const load = async (): Promise<void> => {
    clear(list, h('p', {}, 'Loading…'));
    clear(detail);
    clear(graphOut);
    try {
      const r = await post<{ accounts: AccountView[] }>('accounts', { source: currentSource() });
      clear(
        list,
        ...r.accounts.map((a) =>
          h(
            'section',
            { class: 'account' },
            h('h3', {}, `Account ${a.id}${a.name ? ` (${a.name})` : ''}`),
            h('h4', {}, `Roles (${a.roles.length})`),
            h(
              'ul',
              { class: 'plist' },
              ...a.roles.map((x) =>
                h(
                  'li',
                  {},
                  button(x.name, () => void showPrincipal(detail, x.arn), { class: 'link', title: x.arn }),
                ),
              ),
            ),
            a.users.length > 0 ? h('h4', {}, `Users (${a.users.length})`) : null,
            a.users.length > 0
              ? h(
                  'ul',
                  { class: 'plist' },
                  ...a.users.map((x) =>
                    h(
                      'li',
                      {},
                      button(x.name, () => void showPrincipal(detail, x.arn), { class: 'link', title: x.arn }),
                    ),
                  ),
                )
              : null,
          ),
        ),
      );
      void showGraph(graphOut).then(() => (auditOn ? showAudit(auditOut) : undefined));
    } catch (e) {
      clear(list, errorBox(e instanceof ApiFailure ? e.message : String(e), e instanceof ApiFailure ? e.details() : []));
    }
  };
  clear(
    root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Account')),
    h('p', { class: 'lede' }, 'Principals, their effective policies, and who can assume or pass which role.'),
    sourcePicker(() => void load()),
    h(
      'div',
      { class: 'acct-grid' },
      h('section', { 'aria-label': 'Principals' }, h('h2', {}, 'Principals'), list),
      h('section', { 'aria-label': 'Effective policies' }, h('h2', {}, 'Effective policies'), detail),
    ),
    h('section', { 'aria-label': 'Assume and pass graph' }, h('h2', {}, 'Assume and pass graph'), graphOut),
    audit,
  );
  const f = await getFeatures().catch(() => undefined);
  auditOn = f?.audit === true;
  audit.append(auditOn ? auditOut : h('p', { class: 'unavailable' }, 'Audit findings and escalation paths are not available in this build of iamsim.'));
  await load();
}
