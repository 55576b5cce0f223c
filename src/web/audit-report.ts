/**
 * The page of `iamsim audit --format html` (bundled by scripts/build-web.mjs
 * into dist/web/audit-report.js, which the command inlines: the page fetches
 * nothing). It reads the report's data (src/audit/report-data.ts) from the
 * page and shows every part of it, a page of rows at a time, each table with
 * a filter: the principals that can escalate with every path and step, the
 * escalation graph of the principals on the page shown, the findings (each
 * escalation linked to its principal's paths), the admins and the risky
 * principals. Nothing is dropped: the counts say how many rows match and how
 * many there are, and the pager and the filter reach every one.
 * `#principal=ARN` in the address opens that principal's paths.
 */
import type { PathRow, ReportData, Text } from '../audit/report-format.js';
import { clear, h } from './dom.js';
import { shortName } from './names.js';
import { pagedTable } from './paged.js';

interface Escalating {
  readonly arn: string;
  readonly admin: boolean;
  readonly paths: readonly PathRow[];
  readonly search: string;
}

const node = document.getElementById('audit-data');
const data = JSON.parse(node?.textContent ?? '{}') as ReportData;
const str = (i: number): string => data.strings[i] ?? '';
const text = (t: Text): string => t.map(str).join('');
const techniques = (p: PathRow): string => p[0].map(str).join(' → ');
const PAGE = 25;

const escalating: Escalating[] = data.escalating.map(([arn, admin, paths]) => ({
  arn: str(arn),
  admin: admin === 1,
  paths,
  search: [str(arn), ...paths.flatMap((p) => [techniques(p), str(p[1])])].join(' '),
}));
const byArn = new Map(escalating.map((e) => [e.arn, e]));

/** A principal's paths, every step of each (drawn when opened). */
function pathsView(e: Escalating): HTMLElement {
  return h(
    'div',
    { class: 'paths' },
    ...e.paths.map((p, i) =>
      h(
        'div',
        { class: 'path' },
        h(
          'p',
          {},
          h('strong', {}, `${i === 0 ? 'Shortest path' : `Path ${i + 1}`}: `),
          `${techniques(p)} → ${text(p[2])}, ${p[3]} step(s)`,
          p[4] === 1 ? h('span', { class: 'tag' }, 'needs existing resource') : null,
        ),
        h('ol', {}, ...p[6].map((s) => h('li', {}, text(data.steps[s] ?? [])))),
      ),
    ),
  );
}

function pathsCell(e: Escalating): HTMLElement {
  const details = h('details', { id: `paths-${escalating.indexOf(e)}` }, h('summary', {}, `${e.paths.length} path(s), every step`));
  details.addEventListener('toggle', () => {
    if (details.open && details.childElementCount === 1) details.append(pathsView(e));
  });
  return h('td', {}, details);
}

/** Principals of the table: one ARN when `focus` is set (a finding's or a graph node's link), else every one. */
let focus = '';
const showAll = h('button', { type: 'button', class: 'small', hidden: true }, 'Show every principal');
const graph = h('div', { class: 'graph' });
const caption = h('p', { class: 'hint', 'aria-live': 'polite' });
const principals = pagedTable<Escalating>({
  noun: 'principals that can escalate',
  pageSize: PAGE,
  columns: ['Principal', 'Technique (shortest path)', 'Becomes', 'Paths'],
  text: (e) => e.search,
  keep: (e) => focus === '' || e.arn === focus,
  extra: [showAll],
  cells: (e) => {
    const p = e.paths[0];
    return [
      h('td', {}, h('code', {}, e.arn)),
      h('td', {}, p ? techniques(p) : '', p?.[4] === 1 ? h('span', { class: 'tag' }, 'needs existing resource') : null),
      p ? `${text(p[2])}, ${p[3]} step(s)` : '',
      pathsCell(e),
    ];
  },
  onDraw: (shown, matching) => {
    clear(graph, drawGraph(shown));
    caption.textContent =
      shown.length === 0
        ? 'No principal to draw.'
        : `The graph draws the shortest path of the ${shown.length} principal(s) on this page of the table below (${matching} match the filter, ${escalating.length} can escalate): use the pager or the filter to draw the others.`;
  },
});

function showPrincipal(arn: string): void {
  focus = arn;
  showAll.hidden = arn === '';
  principals.filter('');
  history.replaceState(null, '', arn === '' ? location.pathname : `#principal=${encodeURIComponent(arn)}`);
  if (arn === '') return;
  document.getElementById('escalating')?.scrollIntoView();
  const e = byArn.get(arn);
  const details = e ? document.getElementById(`paths-${escalating.indexOf(e)}`) : null;
  if (details instanceof HTMLDetailsElement) details.open = true;
}
showAll.addEventListener('click', () => showPrincipal(''));

const SVG = 'http://www.w3.org/2000/svg';
function svgEl(tag: string, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

/** The escalation graph of some principals: each on the left, the hops of its shortest path to the right, admin targets in red. */
function drawGraph(rows: readonly Escalating[]): Node {
  const at = new Map<string, { col: number; row: number; admin: boolean }>();
  const cols: number[] = [];
  const links: { from: string; to: string; label: string }[] = [];
  const put = (arn: string, col: number, admin: boolean): void => {
    const had = at.get(arn);
    if (had !== undefined) {
      if (admin) at.set(arn, { ...had, admin });
      return;
    }
    at.set(arn, { col, row: cols[col] ?? 0, admin });
    cols[col] = (cols[col] ?? 0) + 1;
  };
  for (const e of rows) {
    const p = e.paths[0];
    if (p === undefined) continue;
    const hops = p[5].map(str);
    put(e.arn, 0, e.admin && hops.length === 0);
    let prev = e.arn;
    hops.forEach((to, i) => {
      if (to === prev) return;
      put(to, Math.min(i + 1, 3), i === hops.length - 1);
      links.push({ from: prev, to, label: techniques(p) });
      prev = to;
    });
    if (str(p[1]) === e.arn) links.push({ from: e.arn, to: e.arn, label: techniques(p) });
  }
  if (at.size === 0) return h('p', {}, 'No principal to draw.');
  const W = 300;
  const H = 30;
  const pos = (arn: string): { x: number; y: number } => ({ x: 20 + (at.get(arn)?.col ?? 0) * W, y: 20 + (at.get(arn)?.row ?? 0) * H });
  const width = cols.length * W + 40;
  const height = Math.max(...cols) * H + 40;
  const svg = svgEl('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Escalation graph' });
  svg.append(
    svgEl(
      'defs',
      {},
      svgEl(
        'marker',
        { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' },
        svgEl('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#555' }),
      ),
    ),
  );
  for (const l of links) {
    const a = pos(l.from);
    const b = pos(l.to);
    const d =
      l.from === l.to
        ? `M${a.x + 200},${a.y + 4} c40,-14 40,22 0,8`
        : a.x === b.x
          ? `M${a.x + 210},${a.y + 10} C${a.x + 230 + Math.min(60, Math.abs(b.y - a.y) / 6)},${a.y + 10} ${a.x + 230},${b.y + 10} ${a.x + 214},${b.y + 10}`
          : `M${a.x + 210},${a.y + 10} C${a.x + 250},${a.y + 10} ${b.x - 40},${b.y + 10} ${b.x},${b.y + 10}`;
    const cls = l.from === l.to ? 'self' : a.x === b.x ? 'side' : '';
    svg.append(svgEl('path', { d, class: cls, 'marker-end': 'url(#arrow)' }, svgEl('title', {}, l.label)));
  }
  for (const [arn, n] of at) {
    const { x, y } = pos(arn);
    const g = svgEl(
      'g',
      { class: n.admin ? 'node admin' : 'node', ...(byArn.has(arn) ? { tabindex: 0 } : {}) },
      svgEl('rect', { x, y, width: 210, height: 20, rx: 4 }),
      svgEl('text', { x: x + 6, y: y + 14 }, shortName(arn).slice(0, 32)),
      svgEl('title', {}, byArn.has(arn) ? `${arn} (select to show its paths)` : arn),
    );
    if (byArn.has(arn)) {
      g.addEventListener('click', () => showPrincipal(arn));
      g.addEventListener('keydown', (ev) => {
        if ((ev as KeyboardEvent).key === 'Enter') showPrincipal(arn);
      });
    }
    svg.append(g);
  }
  return svg;
}

interface Finding {
  readonly code: string;
  readonly severity: string;
  readonly subject: string;
  readonly message: string;
}
const findings: Finding[] = data.findings.map(([code, severity, subject, message]) => ({
  code: str(code),
  severity: str(severity),
  subject: str(subject),
  message: text(message),
}));
const choice = (label: string, values: readonly string[]): HTMLSelectElement =>
  h('select', { 'aria-label': label }, h('option', { value: '' }, `every ${label.toLowerCase()}`), ...values.map((v) => h('option', { value: v }, v)));
const severity = choice('Severity', [...new Set(findings.map((f) => f.severity))]);
const kind = choice('Kind', [...new Set(findings.map((f) => f.code))]);
const findingTable = pagedTable<Finding>({
  noun: 'findings',
  pageSize: PAGE,
  columns: ['Severity', 'Finding', 'About', 'Message', 'Paths'],
  text: (f) => `${f.severity} ${f.code} ${f.subject} ${f.message}`,
  keep: (f) => (severity.value === '' || f.severity === severity.value) && (kind.value === '' || f.code === kind.value),
  extra: [severity, kind],
  rowClass: (f) => `sev-${f.severity}`,
  cells: (f) => [
    h('td', { class: `sev-${f.severity}` }, f.severity),
    f.code,
    h('td', {}, h('code', {}, f.subject)),
    f.message,
    byArn.has(f.subject)
      ? h(
          'td',
          {},
          h(
            'a',
            {
              href: `#principal=${encodeURIComponent(f.subject)}`,
              onclick: (ev: Event) => {
                ev.preventDefault();
                showPrincipal(f.subject);
              },
            },
            'its paths',
          ),
        )
      : '',
  ],
});
for (const s of [severity, kind]) s.addEventListener('change', () => findingTable.refresh());

const admins = pagedTable<readonly [number, number]>({
  noun: 'admin principals',
  pageSize: PAGE,
  columns: ['Principal', 'Admin because'],
  text: ([arn]) => str(arn),
  cells: ([arn, outright]) => [h('td', {}, h('code', {}, str(arn))), outright === 1 ? 'allowed everything' : 'can grant itself everything'],
});
admins.setRows(data.admins);

const risky = pagedTable<readonly [number, readonly Text[]]>({
  noun: 'principals with risky permissions',
  pageSize: PAGE,
  columns: ['Principal', 'Risks on every resource'],
  text: ([arn, risks]) => `${str(arn)} ${risks.map(text).join(' ')}`,
  cells: ([arn, risks]) => [h('td', {}, h('code', {}, str(arn))), h('td', {}, ...risks.flatMap((r, i) => [i > 0 ? h('br') : null, text(r)]))],
});
risky.setRows(data.risky);

const mount = (id: string, ...children: Node[]): void => {
  const el = document.getElementById(id);
  if (el) clear(el, ...children);
};
mount('graph', caption, graph);
mount('escalating-table', principals.el);
mount('findings-table', findingTable.el);
mount('admins-table', admins.el);
mount('risky-table', risky.el);
principals.setRows(escalating);
findingTable.setRows(findings);
/** `#principal=ARN`: that principal's paths (on opening the page, and when the address changes). */
function followHash(): void {
  const wanted = /^#principal=(.+)$/.exec(location.hash);
  if (wanted?.[1] !== undefined) showPrincipal(decodeURIComponent(wanted[1]));
}
window.addEventListener('hashchange', followHash);
followHash();
