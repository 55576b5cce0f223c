/**
 * Compare: two policies side by side and the semantic verdict from the
 * server (Access Analyzer's CheckNoNewAccess asked both ways), with a request
 * that one grants and the other does not, when this build has the semantic library.
 */
import { ApiFailure, type ConsoleApp, post } from '../api.js';
import { clear, errorBox, field, h } from '../dom.js';
import { createPolicyEditor, type Finding } from '../editor.js';
import { loadState, saveState } from '../state.js';
import { fromRequest } from './simulate-state.js';

interface Counterexample {
  CallerArn?: string;
  ActionNames: string[];
  ResourceArns: string[];
  ResourceOwner?: string;
  ContextEntries: { ContextKeyName: string; ContextKeyValues: string[]; ContextKeyType: string }[];
}
interface CounterexampleClass {
  statementIndex: number;
  statementId?: string;
  policy: string;
  counterexamples: Counterexample[];
}
interface Check {
  result: 'PASS' | 'FAIL' | 'UNKNOWN';
  message: string;
  reasons: { description: string; statementIndex: number; statementId?: string }[];
  counterexample?: Counterexample;
  counterexampleClasses?: CounterexampleClass[];
  unknownReasons?: string[];
}
interface CompareResult {
  verdict: 'equivalent' | 'a-broader' | 'b-broader' | 'incomparable' | 'unknown';
  bGrantsMore: Check;
  aGrantsMore: Check;
}
interface Saved {
  a: string;
  b: string;
  policyType: string;
}

const VERDICT: Record<CompareResult['verdict'], [string, string]> = {
  equivalent: ['ok', 'Same access: neither policy allows a request the other does not.'],
  'a-broader': ['warn', 'Policy A grants more: A allows requests that B does not, and B allows nothing A does not.'],
  'b-broader': ['warn', 'Policy B grants more: B allows requests that A does not, and A allows nothing B does not.'],
  incomparable: ['bad', 'Different access both ways: each policy allows requests the other does not.'],
  unknown: ['warn', 'Not decided: part of the comparison could not be decided (see below).'],
};

function openInSimulate(ce: Counterexample, policyText: string, label = 'Open in Simulate'): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'small',
      onclick: () => {
        saveState('simulate', fromRequest({ ...ce, PolicyInputList: [policyText] }));
        location.hash = '#/simulate';
      },
    },
    label,
  );
}

/** A counterexample in one line: action, resource, caller, and the context keys the policies need. */
function summary(ce: Counterexample): string {
  const always = /^aws:(requestedregion|currenttime|epochtime|securetransport|principalarn|principalaccount|principaltype)$/i;
  const ctx = ce.ContextEntries.filter((e) => !always.test(e.ContextKeyName)).map((e) => `${e.ContextKeyName} = ${e.ContextKeyValues.join(', ')}`);
  return `${ce.ActionNames.join(', ')} on ${ce.ResourceArns.join(', ')}${ce.CallerArn ? ` by ${ce.CallerArn}` : ''}${ctx.length > 0 ? ` when ${ctx.join('; ')}` : ''}`;
}

/** Every class of requests of one direction, grouped by the statement of policy `name` that allows it. */
function classesOf(c: Check, name: string, policyText: string, policyType: string): HTMLElement | null {
  const classes = c.counterexampleClasses ?? [];
  if (classes.length === 0) return null;
  return h(
    'div',
    { class: 'compare-classes' },
    h('h4', {}, 'Every class of such requests, by the statement that allows it'),
    ...classes.map((k) =>
      h(
        'details',
        { open: classes.length <= 3 },
        h(
          'summary',
          {},
          `${k.statementId !== undefined ? `Statement "${k.statementId}"` : `Statement #${k.statementIndex + 1}`} of policy ${name}: ${k.counterexamples.length} class${k.counterexamples.length === 1 ? '' : 'es'}`,
        ),
        h(
          'ul',
          {},
          ...k.counterexamples.map((ce) =>
            h(
              'li',
              {},
              h('code', {}, summary(ce)),
              policyType === 'IDENTITY_POLICY' ? ' ' : null,
              policyType === 'IDENTITY_POLICY' ? openInSimulate(ce, policyText) : null,
            ),
          ),
        ),
      ),
    ),
  );
}

function direction(title: string, c: Check, name: string, policyText: string, policyType: string): HTMLElement {
  const ce = c.counterexample;
  const simulate = ce && policyType === 'IDENTITY_POLICY' ? openInSimulate(ce, policyText, 'Open this request in Simulate') : null;
  return h(
    'article',
    { class: `card decision-${c.result === 'PASS' ? 'allowed' : c.result === 'FAIL' ? 'explicitDeny' : 'implicitDeny'}` },
    h(
      'h3',
      {},
      title,
      ' ',
      h(
        'span',
        { class: `badge ${c.result === 'PASS' ? 'ok' : c.result === 'FAIL' ? 'bad' : 'warn'}` },
        c.result === 'PASS' ? 'NO' : c.result === 'FAIL' ? 'YES' : 'UNKNOWN',
      ),
    ),
    h(
      'p',
      {},
      c.result === 'PASS'
        ? `No: every request policy ${name} allows, the other policy allows too.`
        : c.result === 'FAIL'
          ? `Yes: policy ${name} allows requests the other policy does not.`
          : 'Not decided.',
    ),
    ce ? h('div', {}, h('h4', {}, 'For example'), h('pre', { class: 'code', tabindex: 0 }, JSON.stringify(ce, null, 2)), simulate) : null,
    classesOf(c, name, policyText, policyType),
    ...(c.unknownReasons ?? []).map((r) => h('p', { class: 'hint' }, r)),
  );
}

export async function comparePage(root: HTMLElement, app: ConsoleApp): Promise<void> {
  clear(root, h('div', { class: 'page-head' }, h('h1', {}, 'Compare')));
  const f = await app.features().catch(() => undefined);
  if (!f?.compare) {
    root.append(h('p', { class: 'unavailable' }, 'Comparing two policies (semantic verdict and counterexamples) is not available in this build of iamsim.'));
    return;
  }
  const saved = loadState<Saved>('compare') ?? { a: '', b: '', policyType: 'IDENTITY_POLICY' };
  const persist = (): void => saveState('compare', saved);
  const type = h(
    'select',
    {},
    ...[
      ['IDENTITY_POLICY', 'Identity-based policies'],
      ['RESOURCE_POLICY', 'Resource-based policies'],
    ].map(([v, l]) => h('option', { value: v!, selected: v === saved.policyType }, l!)),
  );
  const hostA = h('div', { class: 'editor-host' });
  const hostB = h('div', { class: 'editor-host' });
  const out = h('section', { class: 'compare-out', 'aria-label': 'Verdict', 'aria-live': 'polite' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const lint = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(async () => {
      const t = saved.policyType === 'RESOURCE_POLICY' ? 'resource' : 'identity';
      try {
        const r = await post<{ findings: Record<string, Finding[]> }>('lint', {
          documents: [
            { name: 'a', type: t, text: saved.a },
            { name: 'b', type: t, text: saved.b },
          ],
          lenient: false,
        });
        edA.setFindings(r.findings['a'] ?? []);
        edB.setFindings(r.findings['b'] ?? []);
      } catch {
        // Advisory only.
      }
    }, 350);
  };
  const run = async (): Promise<void> => {
    clear(out, h('p', {}, 'Comparing…'));
    try {
      const r = await post<CompareResult>('compare', { a: saved.a, b: saved.b, policyType: saved.policyType });
      const [cls, text] = VERDICT[r.verdict];
      clear(
        out,
        h('h2', {}, 'Verdict'),
        h('p', { class: `verdict ${cls}` }, text),
        direction('Does B allow anything A does not?', r.bGrantsMore, 'B', saved.b, saved.policyType),
        direction('Does A allow anything B does not?', r.aGrantsMore, 'A', saved.a, saved.policyType),
      );
    } catch (e) {
      clear(out, e instanceof ApiFailure ? errorBox(e.message, e.details()) : errorBox(String(e)));
    }
  };
  const edA = createPolicyEditor(hostA, {
    doc: saved.a,
    label: 'Policy A (JSON)',
    onChange: () => {
      saved.a = edA.text();
      persist();
      lint();
    },
    onRun: () => void run(),
  });
  const edB = createPolicyEditor(hostB, {
    doc: saved.b,
    label: 'Policy B (JSON)',
    onChange: () => {
      saved.b = edB.text();
      persist();
      lint();
    },
    onRun: () => void run(),
  });
  type.addEventListener('change', () => {
    saved.policyType = type.value;
    persist();
    lint();
  });
  const form = h(
    'form',
    { class: 'compare-form', 'aria-label': 'Compare' },
    field('Policy type', type),
    h('div', { class: 'compare-grid' }, h('div', {}, h('h2', {}, 'Policy A'), hostA), h('div', {}, h('h2', {}, 'Policy B'), hostB)),
    h(
      'div',
      { class: 'actions-bar' },
      h('button', { type: 'submit', class: 'primary' }, 'Compare'),
      h('span', { class: 'hint' }, 'Ctrl+Enter in an editor also compares.'),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });
  root.append(
    h('p', { class: 'lede' }, 'Paste two versions of a policy: the verdict says whether either allows a request the other does not, with an example request.'),
    form,
    out,
  );
  lint();
}
