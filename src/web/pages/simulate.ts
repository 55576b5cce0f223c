/**
 * Simulate: policy editors per layer with inline lint, a request form with
 * catalog completions, and the result per action and resource with the
 * deciding statements highlighted in the editors and a per-layer explanation.
 */
import { simulateExamples } from 'iamsim:examples';
import { ApiFailure, type ConsoleApp, post, type Diag } from '../api.js';
import { clear, errorBox, h } from '../dom.js';
import { plainMessage, plainWhere } from '../plain.js';
import { createPolicyEditor, type Finding, type Highlight, type PolicyEditor } from '../editor.js';
import { forgetLinkState, loadState, saveState, shareLink } from '../state.js';
import { button, copyText } from '../widgets.js';
import { renderRequest } from './simulate-request.js';
import { renderResults, type SimResponse } from './simulate-result.js';
import { principalPicker } from './simulate-principal.js';
import { buildRequest, emptyState, fromRequest, normalize, removeSlot, type SimState, type Slot } from './simulate-state.js';
import type { TypedKey } from './simulate-request.js';

const LAYERS: { layer: Slot['layer']; title: string; many: boolean; type: string; hint: string }[] = [
  { layer: 'identity', title: 'Identity policies', many: true, type: 'identity', hint: "The caller's identity-based policies (inline and managed)." },
  { layer: 'boundary', title: 'Permissions boundary', many: false, type: 'boundary', hint: 'Caps what the identity policies can grant.' },
  { layer: 'session', title: 'Session policies', many: true, type: 'session', hint: 'Passed when the role session was created.' },
  { layer: 'resource', title: 'Resource or trust policy', many: false, type: 'resource', hint: "The resource's policy; for a role, its trust policy." },
  {
    layer: 'scp',
    title: 'Service control policies (SCPs)',
    many: true,
    type: 'scp',
    hint: "One SCP per organization level, root first, down to the caller's account.",
  },
  {
    layer: 'rcp',
    title: 'Resource control policies (RCPs)',
    many: true,
    type: 'rcp',
    hint: "One RCP per organization level of the resource owner's account, root first.",
  },
  {
    layer: 'endpoint',
    title: 'VPC endpoint policy',
    many: false,
    type: 'vpc-endpoint',
    hint: 'The endpoint the request travels through grants nothing; it must allow.',
  },
];

export function slotTitle(slotId: string): string {
  const [layer, idx] = slotId.split('.');
  const n = Number(idx ?? 0) + 1;
  switch (layer) {
    case 'identity':
      return `Identity policy ${n}`;
    case 'session':
      return `Session policy ${n}`;
    case 'scp':
      return `SCP level ${n}${n === 1 ? ' (root)' : ''}`;
    case 'rcp':
      return `RCP level ${n}${n === 1 ? ' (root)' : ''}`;
    case 'boundary':
      return 'Permissions boundary';
    case 'resource':
      return 'Resource or trust policy';
    case 'endpoint':
      return 'VPC endpoint policy';
    default:
      return slotId;
  }
}

interface Page {
  state: SimState;
  editors: Map<string, PolicyEditor>;
  lintTimer?: ReturnType<typeof setTimeout>;
  lintSeq: number;
  slots: ReadonlyMap<string, string>;
  result: HTMLElement;
  policiesEl: HTMLElement;
  requestEl: HTMLElement;
  /** The context keys the switched-on policies reference, with their types. */
  keys: TypedKey[];
  drawRequest: () => void;
}

/** An editor's title: its slot, and the policy's name when a principal's policies were loaded. */
function titleOf(p: Page, id: string): string {
  const name = p.state.names[id];
  if (name === undefined) return slotTitle(id);
  // A principal's SCPs say their level in their name (several may share one).
  return id.startsWith('scp.') ? `SCP ${Number(id.slice(4)) + 1}: ${name}` : `${slotTitle(id)}: ${name}`;
}

function texts(p: Page, layer: Slot['layer']): string[] {
  const s = p.state;
  switch (layer) {
    case 'identity':
      return s.identity;
    case 'session':
      return s.session;
    case 'scp':
      return s.scp;
    case 'rcp':
      return s.rcp;
    case 'boundary':
      return [s.boundary];
    case 'resource':
      return [s.resource];
    case 'endpoint':
      return [s.endpoint];
  }
}

function setText(p: Page, layer: Slot['layer'], index: number, text: string): void {
  const s = p.state;
  if (layer === 'boundary') s.boundary = text;
  else if (layer === 'resource') s.resource = text;
  else if (layer === 'endpoint') s.endpoint = text;
  else texts(p, layer)[index] = text;
}

function persist(p: Page): void {
  saveState('simulate', p.state);
}

function scheduleLint(p: Page): void {
  if (p.lintTimer !== undefined) clearTimeout(p.lintTimer);
  p.lintTimer = setTimeout(() => void lintAll(p), 350);
}

async function lintAll(p: Page): Promise<void> {
  const seq = ++p.lintSeq;
  const documents: { name: string; type: string; text: string }[] = [];
  for (const def of LAYERS) {
    texts(p, def.layer).forEach((text, i) => {
      if (text.trim() !== '' && !p.state.off.includes(`${def.layer}.${i}`)) documents.push({ name: `${def.layer}.${i}`, type: def.type, text });
    });
  }
  void contextKeys(p, seq, documents);
  try {
    const res = await post<{ findings: Record<string, Finding[]> }>('lint', {
      documents,
      lenient: p.state.lenient,
      resourceArns: p.state.resources.filter((r) => r.trim() !== ''),
    });
    if (seq !== p.lintSeq) return;
    for (const [id, ed] of p.editors) ed.setFindings(res.findings[id] ?? []);
    for (const [id, findings] of Object.entries(res.findings)) {
      const count = document.getElementById(`count-${id}`);
      if (count) count.textContent = findings.length === 0 ? 'no findings' : `${findings.length} finding${findings.length === 1 ? '' : 's'}`;
    }
  } catch {
    // Lint is advisory: a failure shows no squiggles; simulate reports real errors in place.
  }
}

/** The keys the switched-on policies reference (GetContextKeysFor…Policy), listed in the request form before the run. */
async function contextKeys(p: Page, seq: number, documents: { name: string; type: string; text: string }[]): Promise<void> {
  try {
    const res = await post<{ keys: TypedKey[] }>('context-keys', { documents, lenient: p.state.lenient });
    if (seq !== p.lintSeq || JSON.stringify(res.keys) === JSON.stringify(p.keys)) return;
    p.keys = res.keys;
    p.drawRequest();
  } catch {
    // Advisory, as lint.
  }
}

function renderPolicies(p: Page): void {
  for (const ed of p.editors.values()) ed.view.destroy();
  p.editors.clear();
  const sections = LAYERS.map((def) => {
    const list = texts(p, def.layer);
    const filled = list.filter((t) => t.trim() !== '').length;
    const body = h('div', { class: 'layer-body' }, h('p', { class: 'hint' }, def.hint));
    list.forEach((text, i) => {
      const id = `${def.layer}.${i}`;
      const host = h('div', { class: `editor-host${p.state.off.includes(id) ? ' off' : ''}`, id: `editor-${id}` });
      const include = h('input', { type: 'checkbox', checked: !p.state.off.includes(id) });
      include.addEventListener('change', () => {
        p.state.off = include.checked ? p.state.off.filter((x) => x !== id) : [...p.state.off, id];
        host.classList.toggle('off', !include.checked);
        persist(p);
        scheduleLint(p);
      });
      const head = h(
        'div',
        { class: 'editor-head' },
        h('span', { class: 'editor-title' }, titleOf(p, id)),
        h(
          'label',
          { class: 'include', title: 'Switched off: kept here, left out of the simulation' },
          include,
          ' Include',
          h('span', { class: 'sr' }, ` ${slotTitle(id)}`),
        ),
        h('span', { class: 'lint-count', id: `count-${id}`, 'aria-live': 'polite' }),
        def.many
          ? button(
              'Remove',
              () => {
                removeSlot(p.state, def.layer, list, i);
                persist(p);
                renderPolicies(p);
                scheduleLint(p);
              },
              { class: 'small', 'aria-label': `Remove ${slotTitle(id)}` },
            )
          : null,
      );
      body.append(h('div', { class: 'editor-block' }, head, host));
      const ed = createPolicyEditor(host, {
        doc: text,
        label: `${slotTitle(id)} (JSON)`,
        onChange: () => {
          setText(p, def.layer, i, ed.text());
          persist(p);
          scheduleLint(p);
        },
        onRun: () => void run(p),
      });
      p.editors.set(id, ed);
    });
    if (def.many)
      body.append(
        button(
          `Add ${def.layer === 'identity' ? 'identity policy' : def.layer === 'session' ? 'session policy' : `${def.layer.toUpperCase()} level`}`,
          () => {
            list.push('');
            persist(p);
            renderPolicies(p);
          },
          { class: 'small' },
        ),
      );
    const open = def.layer === 'identity' || def.layer === 'resource' || filled > 0;
    return h(
      'details',
      { class: 'layer', open, 'data-layer': def.layer },
      h('summary', {}, def.title, filled > 0 ? h('span', { class: 'count' }, ` (${filled})`) : null),
      body,
    );
  });
  clear(p.policiesEl, h('h2', {}, 'Policies'), ...sections);
}

function highlight(p: Page, resp: SimResponse): void {
  const per = new Map<string, Highlight[]>();
  for (const r of resp.EvaluationResults) {
    const matched = r.ResourceSpecificResults?.flatMap((x) => x.MatchedStatements) ?? r.MatchedStatements;
    for (const m of matched) {
      const slot = p.slots.get(m.SourcePolicyId);
      if (slot === undefined) continue;
      const label = `${m.Effect === 'Deny' ? 'Denied' : 'Allowed'} ${r.EvalActionName}`;
      (per.get(slot) ?? per.set(slot, []).get(slot)!).push({
        span: { start: { line: m.StartPosition.Line, column: m.StartPosition.Column }, end: { line: m.EndPosition.Line, column: m.EndPosition.Column } },
        effect: m.Effect,
        label,
      });
    }
  }
  for (const [id, ed] of p.editors) ed.setHighlights(per.get(id) ?? []);
}

function showErrors(p: Page, e: ApiFailure): void {
  const details = e.diagnostics
    .filter((d: Diag) => d.severity === 'error')
    .map((d: Diag) => {
      const slot = d.file !== undefined ? p.slots.get(d.file) : undefined;
      return `${slot !== undefined ? slotTitle(slot) : plainWhere(d.file)}, line ${d.line}, column ${d.column}: ${plainMessage(d)}`;
    });
  clear(
    p.result,
    h('h2', {}, 'Result'),
    errorBox(e.code === 'MalformedPolicyDocument' ? 'A policy cannot be read. The editors mark where.' : e.message, details),
  );
}

async function run(p: Page): Promise<void> {
  const built = buildRequest(p.state);
  p.slots = built.slots;
  if ((built.request['ActionNames'] as string[]).length === 0) {
    clear(p.result, h('h2', {}, 'Result'), errorBox('Give at least one action to simulate.'));
    return;
  }
  clear(p.result, h('h2', {}, 'Result'), h('p', { 'aria-live': 'polite' }, 'Simulating…'));
  try {
    const res = await post<{ response: SimResponse }>('simulate', { request: built.request, lenient: p.state.lenient });
    clear(
      p.result,
      h('h2', {}, 'Result'),
      renderResults(res.response, (id) => {
        const slot = p.slots.get(id);
        return slot === undefined ? undefined : { title: titleOf(p, slot), reveal: (pos) => p.editors.get(slot)?.reveal(pos) };
      }),
    );
    highlight(p, res.response);
    const side = p.result.parentElement;
    if (side && getComputedStyle(side).position === 'sticky') side.scrollTop = p.result.offsetTop - 8;
    else p.result.scrollIntoView({ block: 'start' });
  } catch (e) {
    for (const ed of p.editors.values()) ed.setHighlights([]);
    if (e instanceof ApiFailure) showErrors(p, e);
    else clear(p.result, h('h2', {}, 'Result'), errorBox(`Unexpected error: ${String(e)}`));
  }
}

function toolbar(p: Page, root: HTMLElement, rerender: () => void): HTMLElement {
  const select = h(
    'select',
    { 'aria-label': 'Load an example' },
    h('option', { value: '' }, 'Load an example…'),
    ...simulateExamples.map((ex, i) => h('option', { value: String(i) }, ex.name)),
  );
  select.addEventListener('change', () => {
    const ex = simulateExamples[Number(select.value)];
    if (select.value === '' || ex === undefined) return;
    p.state = fromRequest(ex.request);
    persist(p);
    rerender();
  });
  const share = button('Copy link', () => void copyText(shareLink('simulate', p.state), share));
  const reset = button('Clear', () => {
    p.state = emptyState();
    persist(p);
    rerender();
  });
  void root;
  return h('div', { class: 'toolbar' }, select, share, reset);
}

export function simulatePage(root: HTMLElement, app: ConsoleApp): void {
  const p: Page = {
    state: normalize(loadState('simulate')),
    editors: new Map(),
    lintSeq: 0,
    slots: new Map(),
    result: h('section', { class: 'result', 'aria-live': 'polite', 'aria-label': 'Result' }),
    policiesEl: h('section', { class: 'policies', 'aria-label': 'Policies' }),
    requestEl: h('section', { class: 'request-panel', 'aria-label': 'Request' }),
    keys: [],
    drawRequest: () => undefined,
  };
  forgetLinkState('simulate');
  persist(p);
  p.drawRequest = (): void =>
    renderRequest({
      get state() {
        return p.state;
      },
      keys: p.keys,
      requestEl: p.requestEl,
      persist: () => persist(p),
      relint: () => scheduleLint(p),
      run: () => void run(p),
      redraw: () => p.drawRequest(),
    });
  const rerender = (): void => {
    renderPolicies(p);
    p.drawRequest();
    clear(p.result);
    scheduleLint(p);
  };
  const asPrincipal = principalPicker({
    app,
    state: () => p.state,
    load: (next) => {
      p.state = next;
      persist(p);
      rerender();
    },
  });
  clear(
    root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Simulate'), toolbar(p, root, rerender)),
    h(
      'p',
      { class: 'lede' },
      'Paste policies into the layers that apply, describe the request, and see the decision, the statements that made it, and why the others did not apply.',
    ),
    asPrincipal,
    h('div', { class: 'sim-grid' }, p.policiesEl, h('div', { class: 'side' }, p.requestEl, p.result)),
  );
  rerender();
}
