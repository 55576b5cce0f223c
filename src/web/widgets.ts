/** Small shared pieces of the pages: decision badges, datalists fed by the catalog, the example picker. */
import { catalogCompletions } from './catalog.js';
import { h } from './dom.js';

export const DECISION_LABEL: Record<string, string> = {
  allowed: 'ALLOWED',
  explicitDeny: 'DENIED (explicit deny)',
  implicitDeny: 'DENIED (implicit deny)',
  conditional: 'CONDITIONAL',
  denied: 'DENIED',
};

export function badge(decision: string): HTMLElement {
  const cls = decision === 'allowed' ? 'ok' : decision === 'explicitDeny' || decision === 'denied' ? 'bad' : 'warn';
  return h('span', { class: `badge ${cls}` }, DECISION_LABEL[decision] ?? decision);
}

/** A datalist that offers catalog completions for whichever input last typed into it. */
export function catalogDatalist(
  id: string,
  kind: 'action' | 'key',
  actions: () => string[] = () => [],
): { list: HTMLDataListElement; attach: (input: HTMLInputElement) => void } {
  const list = h('datalist', { id });
  let seq = 0;
  const refresh = async (prefix: string): Promise<void> => {
    const mine = ++seq;
    try {
      const items = await catalogCompletions(kind, prefix, actions());
      if (mine !== seq) return;
      list.replaceChildren(...items.slice(0, 100).map((i) => h('option', { value: i.label }, i.detail ?? '')));
    } catch {
      list.replaceChildren();
    }
  };
  return {
    list,
    attach(input) {
      input.setAttribute('list', id);
      input.setAttribute('autocomplete', 'off');
      input.addEventListener('input', () => void refresh(input.value));
      input.addEventListener('focus', () => void refresh(input.value));
    },
  };
}

export function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  return h('button', { type: 'button', ...attrs, onclick: () => onClick() }, label);
}

export async function copyText(text: string, btn: HTMLButtonElement): Promise<void> {
  const old = btn.textContent;
  try {
    await navigator.clipboard.writeText(text);
    btn.textContent = 'Copied';
  } catch {
    btn.textContent = 'Copy failed: select the text instead';
  }
  setTimeout(() => {
    btn.textContent = old;
  }, 1500);
}
