/** A small element builder: h('div', {class: 'x'}, child, 'text'). */
export type Child = Node | string | null | undefined | false;
export type Attrs = Record<string, string | boolean | number | undefined | ((ev: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v as EventListener);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function clear(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

/**
 * A document-unique id for label/input pairs: 64 random bits (a collision among a page's few hundred ids has a
 * chance of about 1e-15), so no counter is kept. crypto.getRandomValues works on plain http too.
 */
export function uid(prefix: string): string {
  const bits = crypto.getRandomValues(new Uint32Array(2));
  return `${prefix}-${(bits[0] as number).toString(36)}${(bits[1] as number).toString(36)}`;
}

/** A labelled field: the label names the control for screen readers. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid('f');
  control.id = id;
  const hintEl = hint !== undefined ? h('small', { id: `${id}-hint`, class: 'hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

/** An error shown where it happened, announced to screen readers. */
export function errorBox(message: string, details: readonly string[] = []): HTMLElement {
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, message), details.length > 0 ? h('ul', {}, ...details.map((d) => h('li', {}, d))) : null);
}
