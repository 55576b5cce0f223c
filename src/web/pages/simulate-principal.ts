/**
 * "Simulate as a principal", as AWS's policy simulator does: pick a user,
 * group or role of the loaded accounts; its policies fill the layers (its
 * identity policies, through groups too, its permissions boundary, the SCPs
 * on its account's path, one editor each, each can be switched off) and it
 * becomes the caller (a group has no caller: its members' requests are
 * simulated with its policies).
 */
import { ApiFailure, type ConsoleApp, post } from '../api.js';
import { clear, errorBox, h, uid } from '../dom.js';
import { currentSource, type ModelSource } from '../model-source.js';
import { loadState, saveState } from '../state.js';
import { button } from '../widgets.js';
import type { SimState } from './simulate-state.js';

interface Entity {
  arn: string;
  name: string;
}
interface AccountView {
  id: string;
  users: Entity[];
  roles: Entity[];
  groups: Entity[];
}
interface PolicyView {
  name: string;
  source?: string;
  document: string;
}
interface PrincipalView {
  arn: string;
  kind: 'user' | 'role' | 'group';
  identity: PolicyView[];
  boundary: (PolicyView & { policyArn?: string | null }) | null;
  scps: { managementAccount: boolean; levels: { name: string; kind: string; policies: { name: string; document: string }[] }[] } | null;
  missing: string[];
}

const SOURCE_WORDS: Record<string, string> = {
  inline: 'inline',
  managed: 'managed',
  'group-inline': 'inline, through a group',
  'group-managed': 'managed, through a group',
};

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The page state with the principal's policies in the layers; the request (actions, resources, context) is kept. */
export function withPrincipal(s: SimState, p: PrincipalView): SimState {
  const next: SimState = { ...s, names: {}, off: [], scpLevel: [], principal: p.arn, caller: p.kind === 'group' ? '' : p.arn };
  next.identity = p.identity.map((x) => pretty(x.document));
  if (next.identity.length === 0) next.identity = [''];
  p.identity.forEach((x, i) => {
    next.names[`identity.${i}`] = `${x.name} (${SOURCE_WORDS[x.source ?? ''] ?? 'policy'})`;
  });
  next.boundary = p.boundary ? pretty(p.boundary.document) : '';
  if (p.boundary) next.names['boundary.0'] = p.boundary.name;
  next.session = [];
  next.scp = [];
  if (p.scps !== null && !p.scps.managementAccount) {
    p.scps.levels.forEach((l, n) => {
      for (const x of l.policies) {
        next.names[`scp.${next.scp.length}`] = `${x.name} on ${l.kind} ${l.name}`;
        next.scp.push(pretty(x.document));
        next.scpLevel.push(n);
      }
    });
  }
  next.callerIsManagementAccount = p.scps?.managementAccount === true;
  return next;
}

export interface PrincipalHost {
  /** The console's load (the server's features). */
  readonly app: ConsoleApp;
  state(): SimState;
  load(next: SimState): void;
}

export function principalPicker(host: PrincipalHost): HTMLElement {
  const listId = uid('principals');
  const list = h('datalist', { id: listId });
  const input = h('input', { type: 'text', list: listId, class: 'mono', placeholder: 'a user, group or role name or ARN', autocomplete: 'off' });
  input.value = host.state().principal;
  const status = h('div', { class: 'hint', 'aria-live': 'polite' });
  let entities: (Entity & { kind: string })[] = [];
  let source: ModelSource | undefined;
  const fill = async (): Promise<void> => {
    source = await currentSource(host.app);
    if (source === undefined) {
      status.textContent = 'No accounts are loaded: choose them on the Account page (or start the server with them) to simulate as one of their principals.';
      return;
    }
    try {
      const r = await post<{ accounts: AccountView[] }>('accounts', { source });
      entities = r.accounts.flatMap((a) => [
        ...a.users.map((x) => ({ ...x, kind: 'user' })),
        ...a.groups.map((x) => ({ ...x, kind: 'group' })),
        ...a.roles.map((x) => ({ ...x, kind: 'role' })),
      ]);
      list.replaceChildren(...entities.map((e) => h('option', { value: e.arn }, `${e.kind} ${e.name}`)));
      status.textContent = `${entities.length} users, groups and roles in the accounts.`;
    } catch (e) {
      clear(status, errorBox(e instanceof ApiFailure ? e.message : String(e)));
    }
  };
  const use = async (arn: string): Promise<void> => {
    if (source === undefined) await fill();
    if (source === undefined) return;
    const typed = arn.trim();
    const hit = entities.find((e) => e.arn === typed) ?? entities.find((e) => e.name.toLowerCase() === typed.toLowerCase());
    if (hit === undefined) {
      clear(status, errorBox(`No user, group or role named ${typed} in the accounts.`));
      return;
    }
    try {
      const p = await post<PrincipalView>('principal', { source, arn: hit.arn });
      input.value = p.arn;
      host.load(withPrincipal(host.state(), p));
      const n = p.identity.length;
      status.textContent = `Loaded ${p.kind} ${hit.name}: ${n} identity polic${n === 1 ? 'y' : 'ies'}${p.boundary ? ', a permissions boundary' : ''}${p.scps && !p.scps.managementAccount ? `, the SCPs of ${p.scps.levels.length} organization levels` : ''}${p.kind === 'group' ? ' (a group makes no requests itself: the caller is left empty)' : ''}.${p.missing.length > 0 ? ` Not in the export: ${p.missing.join(', ')}.` : ''}`;
    } catch (e) {
      clear(status, errorBox(e instanceof ApiFailure ? e.message : String(e)));
    }
  };
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      void use(input.value);
    }
  });
  input.id = uid('principal');
  const box = h(
    'details',
    { class: 'as-principal' },
    h('summary', {}, 'Simulate as a principal of the accounts'),
    h(
      'p',
      { class: 'hint' },
      'Its identity policies (through groups too), permissions boundary and SCPs fill the layers below, each with a switch; it becomes the caller.',
    ),
    h(
      'div',
      { class: 'row' },
      h('label', { for: input.id }, 'Principal'),
      input,
      list,
      button('Use its policies', () => void use(input.value), { class: 'primary' }),
    ),
    status,
  );
  box.addEventListener('toggle', () => {
    if ((box as HTMLDetailsElement).open && entities.length === 0) void fill();
  });
  // Arriving from the Account page's "Simulate as this principal".
  const asked = loadState<{ arn?: string }>('simulate-principal');
  if (asked?.arn) {
    saveState('simulate-principal', {});
    (box as HTMLDetailsElement).open = true;
    void fill().then(() => use(asked.arn ?? ''));
  } else if (host.state().principal !== '') (box as HTMLDetailsElement).open = true;
  return box;
}
