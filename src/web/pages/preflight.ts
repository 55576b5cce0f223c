/**
 * Preflight: pick a workflow and an account, set its parameters, run; a
 * checklist with each step's decision, deciding statements and, for a failed
 * step, the smallest fix as a diff to copy; "Apply fixes" shows the result after.
 */
import { ApiFailure, type ConsoleApp, get, post } from '../api.js';
import { clear, errorBox, field, h } from '../dom.js';
import { diffText, lineDiff } from '../diff.js';
import { currentSource, noAccounts, sourcePicker } from '../model-source.js';
import { loadState, saveState } from '../state.js';
import { badge, button, copyText } from '../widgets.js';
import { type FixOutput, fixOutputView } from './preflight-fixes.js';

interface Param {
  name: string;
  description: string;
  default?: string;
  required?: boolean;
  choices?: string[];
}
interface Workflow {
  id: string;
  title: string;
  description: string;
  /** The documentation pages the workflow is written from. */
  sources: { name: string; title: string; url: string }[];
  parameters: Param[];
  steps: unknown[];
}
interface Deciding {
  policy: string;
  layer: string;
  target: string;
  effect: string;
  index: number;
  sid?: string;
  line: number;
  file?: string;
}
interface FixView {
  change: string;
  where: string;
  before: string;
  after: string;
  kind: string;
  statement: unknown;
  layer: string;
}
interface Step {
  name: string;
  title: string;
  principal: string;
  action: string;
  resource: string;
  expect: string;
  decision: string;
  passed: boolean;
  reason: string;
  why: string;
  decidedBy: Deciding[];
  fix: FixView[];
}
interface Result {
  workflow: string;
  title: string;
  passed: boolean;
  steps: Step[];
  applied?: { fixes: number; passed: boolean; steps: Step[] };
  fixOutput?: FixOutput;
}

interface Saved {
  workflow: string;
  settings: Record<string, string>;
}

function decidedLine(d: Deciding): string {
  const st = d.sid !== undefined ? `statement "${d.sid}"` : `statement #${d.index + 1}`;
  const where = d.file !== undefined ? ` (${d.file}:${d.line})` : ` (line ${d.line})`;
  return `${d.effect === 'Deny' ? 'Denied' : 'Allowed'} by ${st} of ${d.layer} policy ${d.policy}${where}`;
}

function diffView(f: FixView, i: number): HTMLElement {
  const lines = lineDiff(f.before, f.after);
  const text = diffText(lines, f.where);
  const pre = h(
    'pre',
    { class: 'diff', tabindex: 0, 'aria-label': `Change ${i + 1}: ${f.where}` },
    ...lines.map((l) => h('span', { class: l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'ctx' }, `${l.op} ${l.text}\n`)),
  );
  const copyDiff = button('Copy diff', () => void copyText(text, copyDiff), { class: 'small' });
  const copyDoc = button('Copy new policy', () => void copyText(f.after, copyDoc), { class: 'small' });
  return h(
    'div',
    { class: 'fix' },
    h('p', {}, h('strong', {}, 'Fix: '), f.change),
    h('p', { class: 'hint' }, `Edit ${f.where}.`),
    pre,
    h('div', { class: 'row' }, copyDiff, copyDoc),
  );
}

function stepItem(s: Step, id: string): HTMLElement {
  return h(
    'li',
    { class: `step ${s.passed ? 'pass' : 'fail'}`, id: `${id}-${s.name}` },
    h(
      'div',
      { class: 'step-head' },
      h('span', { class: 'mark', 'aria-hidden': 'true' }, s.passed ? '✓' : '✗'),
      h('strong', {}, s.title),
      ' ',
      h('span', { class: `badge ${s.passed ? 'ok' : 'bad'}` }, s.passed ? 'PASS' : 'FAIL'),
      ' ',
      badge(s.decision),
      s.expect === 'denied' ? h('span', { class: 'hint' }, ' (must be denied)') : null,
    ),
    h('p', { class: 'mono small' }, `${s.principal} → ${s.action} → ${s.resource}`),
    ...s.decidedBy.map((d) => h('p', { class: 'small' }, decidedLine(d))),
    s.passed ? null : h('p', {}, s.reason),
    s.passed ? null : h('p', { class: 'hint' }, `Needed because: ${s.why}`),
    s.passed
      ? null
      : s.fix.length === 0
        ? h('p', { class: 'warn-text' }, 'No fix found; see the reason above.')
        : h('div', { class: 'fixes' }, ...s.fix.map(diffView)),
  );
}

function checklist(steps: Step[], passed: boolean, heading: string, id: string): HTMLElement {
  const failed = steps.filter((s) => !s.passed);
  return h(
    'section',
    { class: 'checklist', 'aria-label': heading },
    h('h2', {}, heading, ' ', h('span', { class: `badge ${passed ? 'ok' : 'bad'}` }, passed ? 'PASSED' : 'FAILED')),
    h('p', {}, passed ? `All ${steps.length} steps as expected.` : `${failed.length} of ${steps.length} steps not as expected:`),
    failed.length > 0
      ? h(
          'ul',
          { class: 'failing' },
          ...failed.map((s) =>
            h(
              'li',
              {},
              h(
                'a',
                {
                  href: `#${id}-${s.name}`,
                  onclick: (ev: Event) => {
                    ev.preventDefault();
                    document.getElementById(`${id}-${s.name}`)?.scrollIntoView({ block: 'start' });
                  },
                },
                s.title,
              ),
            ),
          ),
        )
      : null,
    h('ol', { class: 'steps' }, ...steps.map((s) => stepItem(s, id))),
  );
}

export async function preflightPage(root: HTMLElement, app: ConsoleApp): Promise<void> {
  const saved = loadState<Saved>('preflight') ?? { workflow: '', settings: {} };
  saved.settings ??= {};
  const out = h('div', { class: 'preflight-out', 'aria-live': 'polite' });
  clear(
    root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Preflight')),
    h(
      'p',
      { class: 'lede' },
      'Check every request a notebook workflow makes against an account, before running it. Each failing step comes with the smallest change that makes it pass.',
    ),
    out,
  );
  let workflows: Workflow[];
  try {
    workflows = (await get<{ workflows: Workflow[] }>('workflows')).workflows;
  } catch (e) {
    clear(out, errorBox(e instanceof ApiFailure ? e.message : String(e)));
    return;
  }
  const pick = h('select', {}, ...workflows.map((w) => h('option', { value: w.id, selected: w.id === saved.workflow }, `${w.title} (${w.id})`)));
  if (!workflows.some((w) => w.id === saved.workflow)) saved.workflow = workflows[0]?.id ?? '';
  const desc = h('div', { class: 'hint' });
  const params = h('div', { class: 'params' });
  const result = h('div', { class: 'preflight-result' });
  const wf = (): Workflow | undefined => workflows.find((w) => w.id === saved.workflow);
  const persist = (): void => saveState('preflight', saved);
  const source = sourcePicker(
    app,
    () => clear(result),
    () => saved.workflow,
  );
  const drawParams = (): void => {
    const w = wf();
    clear(
      desc,
      h('p', {}, w ? w.description : ''),
      w && w.sources.length > 0
        ? h(
            'p',
            {},
            'From: ',
            ...w.sources.flatMap((s, i) => [i > 0 ? '; ' : '', h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, s.title)]),
          )
        : null,
    );
    clear(
      params,
      ...(w?.parameters ?? []).map((p) => {
        const value = saved.settings[p.name] ?? '';
        let control: HTMLInputElement | HTMLSelectElement;
        if (p.choices) {
          control = h(
            'select',
            {},
            h('option', { value: '' }, p.default !== undefined ? `default (${p.default})` : '—'),
            ...p.choices.map((c) => h('option', { value: c, selected: c === value }, c)),
          );
        } else {
          control = h('input', { type: 'text', value, placeholder: p.default ?? (p.required ? 'required' : ''), class: 'mono' });
        }
        control.addEventListener('change', () => {
          saved.settings[p.name] = control.value;
          persist();
        });
        return field(p.name, control, p.description);
      }),
    );
  };
  pick.addEventListener('change', () => {
    saved.workflow = pick.value;
    saved.settings = {};
    persist();
    drawParams();
    (source as HTMLElement & { refreshExamples?: () => void }).refreshExamples?.();
    clear(result);
  });
  const runBtn = h('button', { type: 'submit', class: 'primary' }, 'Run preflight');
  const form = h(
    'form',
    { class: 'preflight-form', 'aria-label': 'Preflight' },
    field('Workflow', pick),
    desc,
    source,
    h('details', { class: 'param-box' }, h('summary', {}, 'Parameters (defaults fit the example accounts)'), params),
    h('div', { class: 'actions-bar' }, runBtn),
  );
  const run = async (apply: boolean): Promise<void> => {
    const source = await currentSource(app);
    if (source === undefined) {
      clear(result, noAccounts());
      return;
    }
    clear(result, h('p', {}, apply ? 'Applying the fixes and running again…' : 'Running…'));
    try {
      const settings = Object.fromEntries(Object.entries(saved.settings).filter(([, v]) => v !== ''));
      const r = await post<Result>('preflight', { workflow: saved.workflow, settings, source, apply });
      const hasFixes = r.steps.some((s) => s.fix.length > 0);
      const applyBtn = !r.passed && hasFixes ? button('Apply fixes and run again', () => void run(true), { class: 'primary' }) : null;
      clear(
        result,
        checklist(r.steps, r.passed, r.title, 'step'),
        r.fixOutput !== undefined && r.fixOutput.policies.length > 0 ? fixOutputView(r.fixOutput) : null,
        applyBtn
          ? h(
              'div',
              { class: 'actions-bar' },
              applyBtn,
              h('span', { class: 'hint' }, 'Applies every suggested change to a copy of the accounts; nothing is saved.'),
            )
          : null,
        r.applied ? checklist(r.applied.steps, r.applied.passed, `After applying ${r.applied.fixes} fix${r.applied.fixes === 1 ? '' : 'es'}`, 'after') : null,
      );
      if (r.applied) result.querySelector('.checklist:last-of-type')?.scrollIntoView({ block: 'start' });
    } catch (e) {
      clear(result, e instanceof ApiFailure ? errorBox(e.message, e.details()) : errorBox(String(e)));
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run(false);
  });
  persist();
  drawParams();
  clear(out, form, result);
}
