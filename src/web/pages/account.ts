/**
 * Account: the principals of the loaded accounts (searchable, paged), a
 * chosen principal's effective policies and its neighbourhood in the
 * assume/pass graph, and the audit's findings ranked with their paths.
 * Nothing here asks for the whole account's graph: the page is usable as
 * soon as the principals are listed, and the audit arrives beside it.
 */
import { ApiFailure, type ConsoleApp, get, post } from '../api.js';
import { clear, errorBox, h } from '../dom.js';
import { currentSource, noAccounts, sourcePicker } from '../model-source.js';
import { pagedTable } from '../paged.js';
import { saveState } from '../state.js';
import { button } from '../widgets.js';
import { auditSection } from './account-audit.js';
import { AccountGraph } from './account-graph.js';

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
interface Row {
  arn: string;
  name: string;
  kind: 'user' | 'role';
  account: string;
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

const SOURCE_WORDS: Record<string, string> = {
  inline: 'inline',
  managed: 'managed',
  'group-inline': 'inline, through a group',
  'group-managed': 'managed, through a group',
};

async function showPrincipal(app: ConsoleApp, out: HTMLElement, arn: string): Promise<void> {
  const source = await currentSource(app);
  if (source === undefined) return;
  clear(out, h('p', {}, 'Loading…'));
  try {
    const p = await post<PrincipalView>('principal', { source, arn });
    const scps =
      p.scps === null
        ? []
        : p.scps.managementAccount
          ? [h('p', { class: 'hint' }, 'Management account: SCPs do not apply.')]
          : p.scps.levels.flatMap((l) => l.policies.map((x) => policyBlock(`SCP ${x.name} on ${l.kind} ${l.name}`, x.document)));
    const simulate = button(
      'Simulate as this principal',
      () => {
        saveState('simulate-principal', { arn: p.arn });
        location.hash = '#/simulate';
      },
      { class: 'small' },
    );
    clear(
      out,
      h('h3', { class: 'mono' }, p.arn),
      h(
        'p',
        {},
        `${p.kind === 'role' ? 'Role' : 'User'} in account ${p.account}: ${p.identity.length} identity polic${p.identity.length === 1 ? 'y' : 'ies'}${p.boundary ? ', a permissions boundary' : ''}${p.scps ? `, ${p.scps.levels.length} organization levels` : ''}. `,
        simulate,
      ),
      ...p.identity.map((x) =>
        policyBlock(`${x.name} (${SOURCE_WORDS[x.source ?? ''] ?? x.source ?? 'policy'}${x.policyArn ? `, ${x.policyArn}` : ''})`, x.document),
      ),
      p.boundary ? policyBlock(`Permissions boundary ${p.boundary.name}`, p.boundary.document) : null,
      p.trustPolicy !== null ? policyBlock('Trust policy', p.trustPolicy) : null,
      ...scps,
    );
  } catch (e) {
    clear(out, errorBox(e instanceof ApiFailure ? e.message : String(e)));
  }
}

export async function accountPage(root: HTMLElement, app: ConsoleApp): Promise<void> {
  const detail = h('div', { class: 'principal-detail', 'aria-live': 'polite' }, h('p', { class: 'hint' }, 'Choose a principal to see its policies.'));
  const empty = h('div');
  const graphSection = h('section', { 'aria-label': 'Assume and pass graph' }, h('h2', {}, 'Assume and pass graph'));
  const auditEl = h('section', { class: 'audit', 'aria-label': 'Audit' }, h('h2', {}, 'Audit findings'));
  const pick = (arn: string): void => {
    void showPrincipal(app, detail, arn);
    detail.scrollIntoView({ block: 'nearest' });
  };
  const askSource = (): ReturnType<typeof currentSource> => currentSource(app);
  const graph = new AccountGraph(askSource, pick);
  const choose = (arn: string): void => {
    void showPrincipal(app, detail, arn);
    void graph.focusOn(arn);
  };
  const grid = h('div', { class: 'acct-grid' });
  const kind = h(
    'select',
    { 'aria-label': 'Kind' },
    h('option', { value: '' }, 'users and roles'),
    h('option', { value: 'user' }, 'users'),
    h('option', { value: 'role' }, 'roles'),
  );
  const table = pagedTable<Row>({
    noun: 'principals',
    pageSize: 20,
    columns: ['Name', 'Kind', 'Account'],
    text: (r) => r.arn,
    keep: (r) => kind.value === '' || r.kind === kind.value,
    extra: [kind],
    cells: (r) => [
      h(
        'td',
        {},
        button(r.name, () => choose(r.arn), { class: 'link', title: r.arn }),
      ),
      r.kind,
      h('td', { class: 'mono' }, r.account),
    ],
  });
  kind.addEventListener('change', () => table.refresh());
  grid.append(
    h('section', { 'aria-label': 'Principals' }, h('h2', {}, 'Principals'), table.el),
    h('section', { 'aria-label': 'Effective policies' }, h('h2', {}, 'Effective policies'), detail),
  );
  const audit = auditSection({ source: askSource, focus: choose, showPath: (t, s) => graph.showPath(t, s), paths: (m) => graph.setPaths(m) });
  const load = async (): Promise<void> => {
    const source = await currentSource(app);
    clear(empty, source === undefined ? noAccounts() : null);
    // Nothing to list, draw or audit: only the empty state says anything.
    for (const el of [grid, graphSection, auditEl]) el.hidden = source === undefined;
    clear(detail, h('p', { class: 'hint' }, 'Choose a principal to see its policies.'));
    table.setRows([]);
    if (source === undefined) return;
    try {
      // The server's own accounts are listed on its event loop (GET); uploaded files are parsed in a request thread.
      const r = source.kind === 'store' ? await get<{ accounts: AccountView[] }>('accounts') : await post<{ accounts: AccountView[] }>('accounts', { source });
      table.setRows(
        r.accounts.flatMap((a) => [
          ...a.users.map((x) => ({ arn: x.arn, name: x.name, kind: 'user' as const, account: a.id })),
          ...a.roles.map((x) => ({ arn: x.arn, name: x.name, kind: 'role' as const, account: a.id })),
        ]),
      );
    } catch (e) {
      clear(empty, errorBox(e instanceof ApiFailure ? e.message : String(e), e instanceof ApiFailure ? e.details() : []));
    }
    graph.prepare();
    // After the list: the server decides one request at a time, and the audit is the long one.
    if (auditOn) await audit.load();
  };
  clear(
    root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Account')),
    h('p', { class: 'lede' }, 'Principals and their effective policies, who can assume or pass which role, and the audit of every principal.'),
    sourcePicker(app, () => void load()),
    empty,
    grid,
    graphSection,
    auditEl,
  );
  graphSection.append(graph.el);
  const f = await app.features().catch(() => undefined);
  const auditOn = f?.audit === true;
  auditEl.append(auditOn ? audit.el : h('p', { class: 'unavailable' }, 'Audit findings and escalation paths are not available in this build of iamsim.'));
  await load();
}
