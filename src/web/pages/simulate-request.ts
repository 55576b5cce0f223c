/** The Simulate page's request form: caller, actions and resources with catalog completions, typed context entries, options. */
import { clear, field, h } from '../dom.js';
import { button, catalogDatalist } from '../widgets.js';
import { CONTEXT_TYPES, type SimState } from './simulate-state.js';

/** What the form needs from its page. */
export interface RequestHost {
  state: SimState;
  readonly requestEl: HTMLElement;
  persist(): void;
  relint(): void;
  run(): void;
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
  const draw = (): void => {
    const rows = p.state.context.map((r, i) => {
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
    h('fieldset', {}, h('legend', {}, 'Context entries'), contextEditor(p, keysList)),
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
