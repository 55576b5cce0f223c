/** The Simulate page's request form: caller, actions and resources with catalog completions, typed context entries, options. */
import { get } from '../api.js';
import { clear, field, h, uid } from '../dom.js';
import { button, catalogDatalist } from '../widgets.js';
import { CONTEXT_TYPES, type SimState } from './simulate-state.js';

/** A condition key the page's policies reference, with the type to give it (context-keys). */
export interface TypedKey {
  readonly name: string;
  readonly type: string;
  readonly typeFrom: 'catalog' | 'operator';
}

/** What the form needs from its page. */
export interface RequestHost {
  state: SimState;
  /** The keys the switched-on policies reference, listed before the run. */
  readonly keys: readonly TypedKey[];
  readonly requestEl: HTMLElement;
  persist(): void;
  relint(): void;
  run(): void;
  /** Draws the form again (after actions were added from a service's list). */
  redraw(): void;
}

/**
 * The keys the policies reference, as AWS's simulator lists them before a
 * run: each with its type and a value field; a value typed here is a context
 * entry, an empty one is no entry (the key is absent from the request).
 */
function referencedKeys(p: RequestHost): HTMLElement | null {
  if (p.keys.length === 0) return null;
  const rows = p.keys.map((k, i) => {
    const find = () => p.state.context.find((r) => r.key.toLowerCase() === k.name.toLowerCase());
    const existing = find();
    const type = h(
      'select',
      { 'aria-label': `Type of ${k.name}` },
      ...CONTEXT_TYPES.map((t) => h('option', { value: t, selected: t === (existing?.type ?? k.type) }, t)),
    );
    const values = h('textarea', { rows: 1, placeholder: 'absent (one value per line for lists)', 'aria-label': `Value of ${k.name}`, class: 'mono' });
    values.value = existing?.values ?? '';
    const sync = (): void => {
      const row = find();
      if (values.value.trim() === '') {
        if (row) p.state.context.splice(p.state.context.indexOf(row), 1);
      } else if (row) {
        row.values = values.value;
        row.type = type.value;
      } else p.state.context.push({ key: k.name, type: type.value, values: values.value });
      p.persist();
    };
    values.addEventListener('input', sync);
    type.addEventListener('change', sync);
    return h(
      'div',
      { class: 'ctx-row ref', 'data-key': k.name },
      h(
        'code',
        {
          class: 'ctx-key',
          id: `refkey-${i}`,
          title: k.typeFrom === 'catalog' ? 'type from the Service Authorization Reference' : 'type from the operators that compare it',
        },
        k.name,
      ),
      type,
      values,
    );
  });
  return h(
    'div',
    { class: 'ref-keys' },
    h(
      'p',
      { class: 'hint' },
      `The policies use ${p.keys.length} condition key${p.keys.length === 1 ? '' : 's'}. Give a value to put it in the request; leave it empty and the key is absent.`,
    ),
    ...rows,
  );
}

function rowsEditor(values: string[], label: string, placeholder: string, attach: (i: HTMLInputElement) => void, onChange: () => void): HTMLElement {
  const wrap = h('div', { class: 'rows' });
  const draw = (): void => {
    wrap.replaceChildren(
      ...values.map((v, i) => {
        const input = h('input', { type: 'text', value: v, placeholder, 'aria-label': `${label} ${i + 1}`, class: 'mono' });
        attach(input);
        input.addEventListener('input', () => {
          values[i] = input.value;
          onChange();
        });
        const rm =
          values.length > 1
            ? button(
                '×',
                () => {
                  values.splice(i, 1);
                  onChange();
                  draw();
                },
                { class: 'small icon', 'aria-label': `Remove ${label.toLowerCase()} ${i + 1}` },
              )
            : null;
        return h('div', { class: 'row' }, input, rm);
      }),
      button(
        `Add ${label.toLowerCase()}`,
        () => {
          values.push('');
          onChange();
          draw();
        },
        { class: 'small' },
      ),
    );
  };
  draw();
  return wrap;
}

function contextEditor(p: RequestHost, keys: ReturnType<typeof catalogDatalist>): HTMLElement {
  const wrap = h('div', { class: 'context' });
  const referenced = new Set(p.keys.map((k) => k.name.toLowerCase()));
  const draw = (): void => {
    const rows = p.state.context.flatMap((r, i) => {
      if (referenced.has(r.key.toLowerCase())) return [];
      const key = h('input', { type: 'text', value: r.key, placeholder: 'aws:SourceArn', 'aria-label': `Context key ${i + 1}`, class: 'mono' });
      keys.attach(key);
      key.addEventListener('input', () => {
        r.key = key.value;
        p.persist();
      });
      const type = h(
        'select',
        { 'aria-label': `Type of context key ${i + 1}` },
        ...CONTEXT_TYPES.map((t) => h('option', { value: t, selected: t === r.type }, t)),
      );
      type.addEventListener('change', () => {
        r.type = type.value;
        p.persist();
      });
      const values = h('textarea', { rows: 1, placeholder: 'value (one per line for lists)', 'aria-label': `Values of context key ${i + 1}`, class: 'mono' });
      values.value = r.values;
      values.addEventListener('input', () => {
        r.values = values.value;
        p.persist();
      });
      return h(
        'div',
        { class: 'ctx-row' },
        key,
        type,
        values,
        button(
          '×',
          () => {
            p.state.context.splice(i, 1);
            p.persist();
            draw();
          },
          { class: 'small icon', 'aria-label': `Remove context key ${i + 1}` },
        ),
      );
    });
    wrap.replaceChildren(
      ...rows,
      button(
        'Add context key',
        () => {
          p.state.context.push({ key: '', type: 'string', values: '' });
          p.persist();
          draw();
        },
        { class: 'small' },
      ),
    );
  };
  draw();
  return wrap;
}

interface ServiceActions {
  readonly service: string;
  readonly name: string | null;
  readonly items: readonly { readonly label: string; readonly detail?: string }[];
}

/** Several actions at once: a service's actions with their access level, a filter and "select all". */
function serviceActions(p: RequestHost): HTMLElement {
  const services = catalogDatalist('dl-services', 'action');
  const service = h('input', { type: 'text', class: 'mono', placeholder: 's3', id: uid('svc') });
  services.attach(service);
  const out = h('div', { class: 'svc-actions', 'aria-live': 'polite' });
  const list = async (): Promise<void> => {
    const name = service.value.trim().replace(/:.*$/, '');
    if (name === '') return;
    clear(out, h('p', { class: 'hint' }, 'Loading…'));
    const r = await get<ServiceActions>(`catalog/actions?service=${encodeURIComponent(name)}`).catch(() => undefined);
    if (r === undefined || r.items.length === 0) {
      clear(out, h('p', { class: 'warn-text' }, `No service with the prefix ${name} in the catalog.`));
      return;
    }
    const chosen = new Set(p.state.actions.map((a) => a.toLowerCase()));
    const boxes = r.items.map((i) => h('input', { type: 'checkbox', value: i.label, checked: chosen.has(i.label.toLowerCase()) }));
    const rows = r.items.map((i, n) => h('label', { class: 'check' }, boxes[n]!, ` ${i.label} `, h('span', { class: 'hint' }, i.detail ?? '')));
    const all = h('input', { type: 'checkbox' });
    const filter = h('input', { type: 'search', placeholder: 'filter', 'aria-label': `Filter the actions of ${r.service}` });
    const visible = (): number[] => rows.flatMap((row, n) => (row.hidden ? [] : [n]));
    filter.addEventListener('input', () => {
      const q = filter.value.toLowerCase();
      rows.forEach((row, n) => {
        row.hidden = q !== '' && !r.items[n]!.label.toLowerCase().includes(q);
      });
    });
    all.addEventListener('change', () => {
      for (const n of visible()) boxes[n]!.checked = all.checked;
    });
    const add = button(
      'Add the selected actions',
      () => {
        const picked = boxes.filter((b) => b.checked).map((b) => b.value);
        const kept = p.state.actions.filter((a) => a.trim() !== '' && !picked.some((x) => x.toLowerCase() === a.toLowerCase()));
        p.state.actions.splice(0, p.state.actions.length, ...kept, ...picked);
        if (p.state.actions.length === 0) p.state.actions.push('');
        p.persist();
        p.redraw();
      },
      { class: 'small primary' },
    );
    clear(
      out,
      h('p', { class: 'hint' }, `${r.name ?? r.service}: ${r.items.length} actions.`),
      h('div', { class: 'row' }, filter, h('label', { class: 'check' }, all, ' Select all shown')),
      h('div', { class: 'svc-list' }, ...rows),
      add,
    );
  };
  service.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      void list();
    }
  });
  return h(
    'details',
    { class: 'svc-pick' },
    h('summary', {}, "Choose from a service's actions"),
    services.list,
    h(
      'div',
      { class: 'row' },
      h('label', { for: service.id }, 'Service'),
      service,
      button('List its actions', () => void list(), { class: 'small' }),
    ),
    out,
  );
}

function checkbox(p: RequestHost, label: string, get: () => boolean, set: (v: boolean) => void): HTMLElement {
  const box = h('input', { type: 'checkbox', checked: get() });
  box.addEventListener('change', () => {
    set(box.checked);
    p.persist();
    p.relint();
  });
  return h('label', { class: 'check' }, box, ` ${label}`);
}

export function renderRequest(p: RequestHost): void {
  const s = p.state;
  const actionsList = catalogDatalist('dl-actions', 'action');
  const keysList = catalogDatalist('dl-keys', 'key', () => s.actions.filter((a) => a.trim() !== ''));
  const caller = h('input', { type: 'text', value: s.caller, placeholder: 'arn:aws:iam::111122223333:role/Studio or events.amazonaws.com', class: 'mono' });
  caller.addEventListener('input', () => {
    s.caller = caller.value;
    p.persist();
  });
  const owner = h('input', { type: 'text', value: s.resourceOwner, placeholder: 'arn:aws:iam::111122223333:root', class: 'mono' });
  owner.addEventListener('input', () => {
    s.resourceOwner = owner.value;
    p.persist();
  });
  const form = h(
    'form',
    { class: 'request', 'aria-label': 'Request' },
    actionsList.list,
    keysList.list,
    field(
      'Caller',
      caller,
      'Who makes the request: a user, role, role session or account root ARN, or a service principal such as events.amazonaws.com. Empty: no particular caller, as in AWS’s policy simulator.',
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Actions'),
      rowsEditor(s.actions, 'Action', 's3:GetObject', actionsList.attach, () => p.persist()),
      serviceActions(p),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Resources'),
      rowsEditor(
        s.resources,
        'Resource',
        'arn:aws:s3:::bucket/key (empty: *)',
        () => undefined,
        () => {
          p.persist();
          p.relint();
        },
      ),
    ),
    field('Resource owner', owner, 'For ARNs without an account (S3).'),
    h('fieldset', {}, h('legend', {}, 'Context entries'), referencedKeys(p), contextEditor(p, keysList)),
    h(
      'fieldset',
      { class: 'checks' },
      h('legend', {}, 'Options'),
      checkbox(
        p,
        'Accept documentation-style JSON (comments, trailing commas) with a warning',
        () => s.lenient,
        (v) => {
          s.lenient = v;
        },
      ),
      checkbox(
        p,
        'Caller is the management account (SCPs do not apply)',
        () => s.callerIsManagementAccount,
        (v) => {
          s.callerIsManagementAccount = v;
        },
      ),
      checkbox(
        p,
        'Resource owner is the management account (RCPs do not apply)',
        () => s.resourceOwnerIsManagementAccount,
        (v) => {
          s.resourceOwnerIsManagementAccount = v;
        },
      ),
      checkbox(
        p,
        'Caller is a service-linked role',
        () => s.callerIsServiceLinkedRole,
        (v) => {
          s.callerIsServiceLinkedRole = v;
        },
      ),
    ),
    h(
      'div',
      { class: 'actions-bar' },
      h('button', { type: 'submit', class: 'primary' }, 'Simulate'),
      h('span', { class: 'hint' }, 'Ctrl+Enter in an editor also simulates.'),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    p.run();
  });
  clear(p.requestEl, h('h2', {}, 'Request'), form);
}
