/**
 * The Account page's assume/pass graph: a chosen principal's neighbourhood
 * (who can assume or pass it, what it can assume or pass), expanded node by
 * node, or one escalation path drawn step by step. Never the whole account:
 * the server answers one principal's edges at a time, the drawing keeps a
 * bounded number of nodes, and the table below lists every loaded edge, paged.
 */
import type cytoscape from 'cytoscape';
import { ApiFailure, post } from '../api.js';
import { clear, errorBox, h } from '../dom.js';
import type { ModelSource } from '../model-source.js';
import { pagedTable } from '../paged.js';
import { button } from '../widgets.js';
import { shortName } from '../names.js';

export interface GraphNode {
  id: string;
  label: string;
  kind: string;
}
export interface GraphEdge {
  from: string;
  to: string;
  kind: 'assume' | 'pass';
  label: string;
  decision: 'allowed' | 'conditional';
  missingContextValues: string[];
  reason: string;
}
/** Neighbours of an expanded node the server left out (authz/neighbourhood.ts). */
export interface LeftOut {
  node: string;
  count: number;
  exact: boolean;
  unchecked: number;
}
export interface PathStep {
  principal: string;
  action: string;
  resource: string;
  note?: string;
}

/** New neighbours drawn per expansion; the rest are in the table. */
const DRAW_PER_EXPANSION = 24;
/** Neighbours the server is asked for per expansion, and how many more each "Load more" asks for. */
const LOAD_FIRST = 24;
const LOAD_MORE = 100;
const NODE_COLOURS: Record<string, string> = { role: '#2563eb', user: '#7c3aed', service: '#0f766e', account: '#b45309', any: '#b91c1c', other: '#6b7280' };

export { shortName };

interface DrawEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  kind: string;
  decision: string;
}

function drawStyle(dark: boolean): cytoscape.StylesheetJson {
  const fg = dark ? '#e5e7eb' : '#111827';
  return [
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
        'text-wrap': 'ellipsis',
        'text-max-width': '150px',
      },
    },
    { selector: 'node[kind = "service"]', style: { shape: 'round-rectangle' } },
    { selector: 'node[kind = "role"]', style: { shape: 'diamond' } },
    { selector: 'node[?focus]', style: { width: 36, height: 36, 'border-width': 4, 'border-color': dark ? '#fcd34d' : '#b45309', 'font-weight': 'bold' } },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': dark ? '#93c5fd' : '#1d4ed8' } },
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
        'text-background-opacity': 0.85,
      },
    },
    { selector: 'edge[kind = "pass"]', style: { 'line-style': 'dashed', 'line-color': '#7c3aed', 'target-arrow-color': '#7c3aed' } },
    { selector: 'edge[kind = "step"]', style: { 'line-color': '#b91c1c', 'target-arrow-color': '#b91c1c', width: 3 } },
    { selector: 'edge[decision = "conditional"]', style: { 'line-style': 'dotted', 'line-color': '#d97706', 'target-arrow-color': '#d97706' } },
  ];
}

/** Edges between the same two nodes of the same kind are drawn as one (pass → sagemaker, lambda, +2). */
function drawnEdges(edges: readonly GraphEdge[], visible: ReadonlySet<string>): DrawEdge[] {
  const groups = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    if (!visible.has(e.from) || !visible.has(e.to)) continue;
    const key = `${e.from}|${e.to}|${e.kind}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(e);
  }
  return [...groups.values()].map((g, i) => {
    const first = g[0]!;
    const services = g.map((e) => e.label.replace(/^PassRole → /, '').replace(/\.amazonaws\.com$/, ''));
    const label = first.kind === 'assume' ? 'assume' : `pass → ${services.slice(0, 2).join(', ')}${services.length > 2 ? ` +${services.length - 2}` : ''}`;
    return {
      id: `e${i}`,
      source: first.from,
      target: first.to,
      label,
      kind: first.kind,
      decision: g.some((e) => e.decision === 'allowed') ? 'allowed' : 'conditional',
    };
  });
}

/** "2,008 more neighbours not loaded", or a lower bound when the server stopped deciding. */
function moreText(m: LeftOut): string {
  const n = (x: number) => x.toLocaleString('en-US');
  if (m.exact) return `${n(m.count)} more neighbour${m.count === 1 ? '' : 's'} not loaded (allowed ones come first)`;
  return `at least ${n(m.count)} more neighbour${m.count === 1 ? '' : 's'} not loaded, and ${n(m.unchecked)} principal${m.unchecked === 1 ? '' : 's'} not checked`;
}

export class AccountGraph {
  readonly el: HTMLElement;
  private readonly host = h('div', { class: 'graph', role: 'img', 'aria-label': 'Assume and pass graph', hidden: true });
  private readonly tableBox: HTMLElement;
  private readonly note = h('p', { class: 'hint', 'aria-live': 'polite' });
  private readonly tools = h('div', { class: 'row graph-tools' });
  private readonly nodes = new Map<string, GraphNode>();
  private edges: GraphEdge[] = [];
  private readonly edgeKeys = new Set<string>();
  private readonly visible = new Set<string>();
  private readonly expanded = new Set<string>();
  /** Per expanded node: how many neighbours were asked for, and what the server left out. */
  private readonly loaded = new Map<string, { limit: number; more: LeftOut | undefined }>();
  private focus: string | undefined;
  private selected: string | undefined;
  private path: { title: string; steps: readonly PathStep[] } | undefined;
  private cy: cytoscape.Core | undefined;
  /** Each principal's shortest escalation path, from the audit, drawn with its neighbourhood. */
  private paths: ReadonlyMap<string, readonly PathStep[]> = new Map();
  private readonly table;

  constructor(
    private readonly source: () => Promise<ModelSource | undefined>,
    private readonly onPick: (arn: string) => void,
  ) {
    const decision = h(
      'select',
      { 'aria-label': 'Show edges' },
      h('option', { value: '' }, 'all edges'),
      h('option', { value: 'allowed' }, 'allowed'),
      h('option', { value: 'conditional' }, 'only with context'),
      h('option', { value: 'assume' }, 'assume'),
      h('option', { value: 'pass' }, 'pass'),
    );
    this.table = pagedTable<GraphEdge>({
      noun: 'edges',
      columns: ['Who', 'Can', 'Role', 'Decision', 'Why'],
      text: (e) => `${e.from} ${e.label} ${e.to} ${e.decision} ${e.reason}`,
      keep: (e) => decision.value === '' || e.decision === decision.value || e.kind === decision.value,
      extra: [decision],
      cells: (e) => [
        h('td', { class: 'mono', title: e.from }, this.focusButton(e.from)),
        e.kind === 'assume' ? e.label : e.label.replace('PassRole → ', 'pass to '),
        h('td', { class: 'mono', title: e.to }, this.focusButton(e.to)),
        e.decision === 'allowed' ? 'allowed' : `only with ${e.missingContextValues.join(', ')}`,
        e.reason,
      ],
    });
    decision.addEventListener('change', () => this.table.refresh());
    this.tableBox = h('details', { class: 'edges', open: true, hidden: true }, h('summary', {}, 'Edges as a table'), this.table.el);
    this.el = h(
      'div',
      { class: 'graph-out' },
      h(
        'p',
        { class: 'legend' },
        h('span', { class: 'lg role' }, '◆ role'),
        h('span', { class: 'lg user' }, '● user'),
        h('span', { class: 'lg service' }, '▬ service'),
        h('span', { class: 'lg assume' }, '— can assume'),
        h('span', { class: 'lg pass' }, '- - can pass'),
        h('span', { class: 'lg cond' }, '··· only with context'),
      ),
      this.tools,
      this.note,
      this.host,
      this.tableBox,
    );
    this.note.textContent = 'Choose a principal (in the list or the search above) to see who can assume or pass it, and what it can assume or pass.';
  }

  private focusButton(id: string): HTMLElement {
    const label = this.nodes.get(id)?.label ?? shortName(id);
    return button(label, () => void this.focusOn(id), { class: 'link', title: `Focus the graph on ${id}` });
  }

  /** Loads the drawing library (450 KB) ahead of the first focus, once the page has answered. */
  prepare(): void {
    setTimeout(() => void import('cytoscape'), 0);
  }

  /** Clears everything and draws `arn`'s neighbourhood. */
  async focusOn(arn: string): Promise<void> {
    this.nodes.clear();
    this.edges = [];
    this.edgeKeys.clear();
    this.visible.clear();
    this.expanded.clear();
    this.loaded.clear();
    this.path = undefined;
    this.focus = arn;
    this.selected = arn;
    await this.expand(arn);
  }

  /** Adds `arn`'s edges (a bounded number of new nodes drawn; all listed in the table). */
  async expand(arn: string, limit = LOAD_FIRST): Promise<void> {
    const src = await this.source();
    if (src === undefined) return;
    this.note.textContent = `Deciding who can assume or pass ${shortName(arn)}, and what it can assume or pass…`;
    try {
      const g = await post<{ nodes: GraphNode[]; edges: GraphEdge[]; more: LeftOut[] }>('graph', { source: src, focus: arn, limit });
      const more = g.more.find((m) => m.node === arn);
      this.loaded.set(arn, { limit, more });
      for (const n of g.nodes) if (!this.nodes.has(n.id)) this.nodes.set(n.id, n);
      for (const e of g.edges) {
        const key = `${e.from}|${e.to}|${e.kind}|${e.label}`;
        if (this.edgeKeys.has(key)) continue;
        this.edgeKeys.add(key);
        this.edges.push(e);
      }
      this.expanded.add(arn);
      this.visible.add(arn);
      const neighbours = [...new Set(g.edges.map((e) => (e.from === arn ? e.to : e.from)))].filter((n) => n !== arn);
      const fresh = neighbours.filter((n) => !this.visible.has(n));
      // Allowed edges first, then by name, so the drawing is the same every time.
      const allowed = new Set(g.edges.filter((e) => e.decision === 'allowed').flatMap((e) => [e.from, e.to]));
      fresh.sort((a, b) => Number(allowed.has(b)) - Number(allowed.has(a)) || shortName(a).localeCompare(shortName(b)));
      for (const n of fresh.slice(0, DRAW_PER_EXPANSION)) this.visible.add(n);
      const hidden = fresh.length - Math.min(fresh.length, DRAW_PER_EXPANSION);
      const path = this.paths.get(arn);
      this.note.textContent = `${shortName(arn)}: ${g.edges.length === 0 ? 'nobody can assume or pass it, and it can assume or pass no role' : `${g.edges.length} assume or pass edge${g.edges.length === 1 ? '' : 's'} with ${neighbours.length} other principal${neighbours.length === 1 ? '' : 's'} or service${neighbours.length === 1 ? '' : 's'}`}${hidden > 0 ? `; ${hidden} not drawn (the table lists every edge)` : ''}${more ? `; ${moreText(more)}` : ''}${path ? `; its escalation path is drawn in red, step by step` : ''}. Select a node to expand it or focus on it.`;
      this.table.setRows(this.edges);
      this.draw();
    } catch (e) {
      clear(this.note);
      this.note.append(errorBox(e instanceof ApiFailure ? e.message : String(e), e instanceof ApiFailure ? e.details() : []));
    }
  }

  /** The audit's paths (principal → steps); redraws when the focus has one. */
  setPaths(paths: ReadonlyMap<string, readonly PathStep[]>): void {
    this.paths = paths;
    if (this.focus !== undefined && paths.has(this.focus) && this.path === undefined) this.draw();
  }

  /** Draws an escalation path: one node per principal or resource, one numbered edge per step. */
  showPath(title: string, steps: readonly PathStep[]): void {
    this.path = { title, steps };
    this.note.textContent = `${title}: ${steps.length} step${steps.length === 1 ? '' : 's'}, numbered in order.`;
    this.draw();
    this.el.scrollIntoView({ block: 'start' });
  }

  private leavePath(): void {
    this.path = undefined;
    this.draw();
  }

  private drawTools(): void {
    const sel = this.selected;
    clear(
      this.tools,
      sel !== undefined ? h('span', { class: 'mono small' }, `Selected: ${shortName(sel)}`) : null,
      sel !== undefined && !this.expanded.has(sel) && this.nodes.get(sel)?.kind !== 'account'
        ? button('Expand', () => void this.expand(sel), { class: 'small' })
        : null,
      sel !== undefined && sel !== this.focus ? button('Focus here', () => void this.focusOn(sel), { class: 'small' }) : null,
      sel !== undefined && this.loaded.get(sel)?.more !== undefined
        ? button(`Load ${LOAD_MORE} more neighbours`, () => void this.expand(sel, (this.loaded.get(sel)?.limit ?? LOAD_FIRST) + LOAD_MORE), { class: 'small' })
        : null,
      sel?.startsWith('arn:') ? button('Show its policies', () => this.onPick(sel), { class: 'small' }) : null,
      this.path !== undefined && this.focus !== undefined ? button('Back to the neighbourhood', () => this.leavePath(), { class: 'small' }) : null,
    );
  }

  private draw(): void {
    void this.drawNow();
  }

  /** Cytoscape is loaded with the first drawing (the page is usable before). */
  private async drawNow(): Promise<void> {
    const { default: cytoscape } = await import('cytoscape');
    this.cy?.destroy();
    this.host.hidden = false;
    this.tableBox.hidden = this.edges.length === 0 && this.path === undefined;
    const dark = matchMedia('(prefers-color-scheme: dark)').matches;
    const elements = this.path ? this.pathElements(this.path.steps) : this.neighbourhoodElements();
    const nodes = elements.filter((e) => e.group === 'nodes').length;
    this.host.setAttribute(
      'aria-label',
      this.path
        ? `${this.path.title}, drawn as a graph; the steps are listed in the audit`
        : `Assume and pass graph around ${shortName(this.focus ?? '')}: ${nodes} nodes drawn; the table below lists the edges`,
    );
    this.cy = cytoscape({
      container: this.host,
      elements,
      style: drawStyle(dark),
      layout: this.path
        ? { name: 'breadthfirst', directed: true, padding: 40, spacingFactor: 1.2, animate: false }
        : {
            name: 'concentric',
            animate: false,
            padding: 40,
            minNodeSpacing: 40,
            concentric: (n: cytoscape.NodeSingular) => (n.data('focus') ? 3 : this.expanded.has(n.id()) ? 2 : 1),
            levelWidth: () => 1,
          },
      maxZoom: 1.4,
      minZoom: 0.1,
    });
    this.cy.on('tap', 'node', (ev) => {
      this.selected = ev.target.id() as string;
      this.drawTools();
    });
    this.drawTools();
  }

  private neighbourhoodElements(): cytoscape.ElementDefinition[] {
    const ns = [...this.visible].map((id) => {
      const n = this.nodes.get(id) ?? { id, label: shortName(id), kind: 'other' };
      return { group: 'nodes' as const, data: { id, label: n.label, kind: n.kind, focus: id === this.focus }, selected: id === this.selected };
    });
    const es = drawnEdges(this.edges, this.visible).map((e) => ({ group: 'edges' as const, data: { ...e } }));
    const steps = this.focus !== undefined ? this.paths.get(this.focus) : undefined;
    if (steps === undefined) return [...ns, ...es];
    // The focus's escalation path, numbered, over the same nodes.
    const path = this.pathElements(steps).filter((e) => e.group === 'edges' || !this.visible.has(e.data.id as string));
    return [...ns, ...es, ...path];
  }

  private pathElements(steps: readonly PathStep[]): cytoscape.ElementDefinition[] {
    const seen = new Set<string>();
    const nodes: cytoscape.ElementDefinition[] = [];
    const node = (x: string): void => {
      if (seen.has(x)) return;
      seen.add(x);
      const kind = this.nodes.get(x)?.kind ?? (x.includes(':role/') ? 'role' : x.includes(':user/') ? 'user' : 'other');
      nodes.push({ group: 'nodes', data: { id: x, label: shortName(x), kind, focus: x === steps[0]?.principal } });
    };
    const edges = steps.map((s, i): cytoscape.ElementDefinition => {
      node(s.principal);
      node(s.resource);
      return {
        group: 'edges',
        data: { id: `s${i}`, source: s.principal, target: s.resource, label: `${i + 1}. ${s.action}`, kind: 'step', decision: 'allowed' },
      };
    });
    return [...nodes, ...edges];
  }
}
