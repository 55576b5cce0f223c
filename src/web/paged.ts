/**
 * A filterable, paged table: never more than one page of rows in the
 * document (an account can have tens of thousands of edges or findings).
 * The filter matches every word of the query, case-insensitively, against
 * each row's text; extra filters (a select…) narrow the rows further.
 */
import { h, uid } from './dom.js';

export interface PagedTableOptions<T> {
  /** What the rows are, for labels: "edges", "findings". */
  readonly noun: string;
  readonly columns: readonly string[];
  readonly cells: (row: T, index: number) => (HTMLElement | string)[];
  /** The text the filter searches. */
  readonly text: (row: T) => string;
  readonly pageSize?: number;
  /** Controls shown beside the filter (they call refresh() when they change). */
  readonly extra?: readonly HTMLElement[];
  /** A further predicate (from the extra controls). */
  readonly keep?: (row: T) => boolean;
  readonly rowClass?: (row: T) => string;
  /** Called after each drawing with the rows on the page and how many match the filter. */
  readonly onDraw?: (shown: readonly T[], matching: number) => void;
}

export interface PagedTable<T> {
  readonly el: HTMLElement;
  setRows(rows: readonly T[]): void;
  refresh(): void;
  /** Sets the filter text (as if typed). */
  filter(text: string): void;
}

export function pagedTable<T>(o: PagedTableOptions<T>): PagedTable<T> {
  const size = o.pageSize ?? 50;
  let rows: readonly T[] = [];
  let page = 0;
  const query = h('input', { type: 'search', id: uid('filter'), placeholder: 'words to look for', class: 'filter' });
  const status = h('p', { class: 'hint', 'aria-live': 'polite' });
  const body = h('tbody');
  const prev = h('button', { type: 'button', class: 'small' }, '‹ Previous');
  const next = h('button', { type: 'button', class: 'small' }, 'Next ›');
  const matching = (): T[] => {
    const words = query.value
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w !== '');
    return rows.filter((r) => {
      if (o.keep && !o.keep(r)) return false;
      if (words.length === 0) return true;
      const t = o.text(r).toLowerCase();
      return words.every((w) => t.includes(w));
    });
  };
  const draw = (): void => {
    const list = matching();
    const pages = Math.max(1, Math.ceil(list.length / size));
    page = Math.min(page, pages - 1);
    const first = page * size;
    const shown = list.slice(first, first + size);
    body.replaceChildren(
      ...shown.map((r, i) => h('tr', { class: o.rowClass?.(r) ?? '' }, ...o.cells(r, first + i).map((c) => (typeof c === 'string' ? h('td', {}, c) : c)))),
    );
    const of = list.length === rows.length ? `${rows.length}` : `${list.length} matching (of ${rows.length})`;
    status.textContent =
      list.length === 0
        ? `No ${o.noun} to show (of ${rows.length}).`
        : `${o.noun[0]?.toUpperCase()}${o.noun.slice(1)} ${first + 1}–${first + shown.length} of ${of}.`;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    o.onDraw?.(shown, list.length);
  };
  prev.addEventListener('click', () => {
    page = Math.max(0, page - 1);
    draw();
  });
  next.addEventListener('click', () => {
    page += 1;
    draw();
  });
  query.addEventListener('input', () => {
    page = 0;
    draw();
  });
  const el = h(
    'div',
    { class: 'paged' },
    h('div', { class: 'row' }, h('label', { for: query.id }, `Filter ${o.noun}`), query, ...(o.extra ?? [])),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ...o.columns.map((c) => h('th', { scope: 'col' }, c)))), body)),
    h('div', { class: 'row pager' }, prev, next, status),
  );
  draw();
  return {
    el,
    setRows(r) {
      rows = r;
      page = 0;
      draw();
    },
    refresh() {
      page = 0;
      draw();
    },
    filter(text) {
      query.value = text;
      page = 0;
      draw();
    },
  };
}
