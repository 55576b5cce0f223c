/**
 * Explain an error: paste an AccessDenied message (or several, one per line),
 * pick the account model, see the request decided, the layer and statements
 * that deny it highlighted in their policies, whether iamsim agrees with AWS,
 * and the verified fix as a diff with its AWS CLI command; "Apply the fix and
 * re-run" decides the same request with the fix applied.
 */
import { ApiFailure, type ConsoleApp, post } from '../api.js';
import { clear, errorBox, field, h } from '../dom.js';
import { currentSource, noAccounts, sourcePicker } from '../model-source.js';
import { loadState, saveState } from '../state.js';
import { badge, button, copyText } from '../widgets.js';

interface StatementView {
  layer: string;
  policy: string;
  target: string;
  effect: string;
  statement: string;
  line: number;
  file?: string;
  span: { start: number; end: number };
  role: string;
  why: string;
}
interface ConditionView {
  policy: string;
  statement: string;
  effect: string;
  operator: string;
  key: string;
  values: string[];
  request: string[] | null;
  held: boolean;
}
interface PatchPolicy {
  file: string;
  command: string;
  document: string;
  new: boolean;
}
interface Explanation {
  line: number;
  message: string;
  request: { principal: string; action: string; resource: string; vpcEndpointId?: string };
  aws: { layer: string | null; kind: string | null; policyArn?: string };
  iamsim: { decision: string; layer: string | null; layers: string[]; reason: string; statements: StatementView[]; conditions: ConditionView[] };
  agrees: boolean;
  incomplete: boolean;
  verdict: string;
  modelGaps: string[];
  asks: Ask[];
  fix: null | { kind: string; owner?: string; verified: boolean; changes: { change: string }[]; patch?: { policies: PatchPolicy[]; diff: string } };
  notes: string[];
  documents: Record<string, string>;
  after?: { decision: string; reason: string };
}
interface Reply {
  explanations: Explanation[];
  problems: { line: number; column: number; message: string; asks?: Ask[] }[];
}
/** What a report leaves out that the user can give (src/explain/types.ts Ask). */
type Ask = { what: 'principal' | 'action' | 'resource' | 'region' | 'vpc-endpoint' | 'session-policy' } | { what: 'context'; key: string };

/** The console's words for an ask: this page's fields, never the command line's flags. */
function askWords(a: Ask): string {
  switch (a.what) {
    case 'context':
      return `${a.key}=… under "Request context the message does not show"`;
    case 'region':
      return 'the Region';
    case 'vpc-endpoint':
      return 'the VPC endpoint';
    case 'session-policy':
      return 'the session policy (this page takes none: explain it with iamsim explain-denied)';
    default:
      return `the ${a.what} (paste the whole message as AWS printed it, or the CloudTrail record)`;
  }
}

const giveText = (asks: readonly Ask[]): string => `Give ${asks.map(askWords).join('; ')}.`;
interface Saved {
  message: string;
  region: string;
  vpce: string;
  context: string;
}

const EXAMPLE =
  'An error occurred (AccessDeniedException) when calling the Decrypt operation: User: arn:aws:sts::111122223333:assumed-role/NotebookJobExecutionRole/SageMaker is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab because no resource-based policy allows the kms:Decrypt action';

/** The policy text with the statement's lines marked. */
function highlighted(doc: string, s: StatementView): HTMLElement {
  const lines = doc.split('\n');
  return h(
    'pre',
    { class: 'code explain-policy', tabindex: 0, 'aria-label': `${s.policy}, statement ${s.statement} highlighted` },
    ...lines.map((l, i) => {
      const inside = i + 1 >= s.span.start && i + 1 <= s.span.end;
      return h(inside ? 'mark' : 'span', { class: inside ? `hl ${s.role}` : 'ctx' }, `${String(i + 1).padStart(3)}  ${l}\n`);
    }),
  );
}

function statementView(e: Explanation, s: StatementView): HTMLElement {
  const doc = e.documents[`${s.policy}|${s.target}`];
  const what = s.role === 'decided' ? `${s.effect} statement ${s.statement} decided the request` : `Near miss: Allow statement ${s.statement}`;
  return h(
    'details',
    { class: 'explain-statement', open: true },
    h('summary', {}, `${what} — ${s.policy} (${s.layer}, ${s.target}), line ${s.line}${s.file ? ` of ${s.file}` : ''}`),
    h('p', { class: 'small' }, s.why),
    doc !== undefined ? highlighted(doc, s) : null,
  );
}

function conditionRow(c: ConditionView): HTMLElement {
  return h(
    'tr',
    {},
    h('td', {}, h('span', { class: `badge ${c.held ? 'ok' : 'bad'}` }, c.held ? 'held' : 'failed')),
    h('td', { class: 'mono small' }, `${c.operator} ${c.key}`),
    h('td', { class: 'mono small' }, JSON.stringify(c.values)),
    h('td', { class: 'mono small' }, c.request === null ? 'not in the request' : JSON.stringify(c.request)),
    h('td', { class: 'small' }, `${c.effect} ${c.statement} of ${c.policy}`),
  );
}

function fixView(e: Explanation, rerun: () => void): HTMLElement | null {
  const f = e.fix;
  if (f === null) return null;
  const parts: HTMLElement[] = [h('h3', {}, f.kind === 'narrow-deny' ? 'The Deny to narrow' : 'The smallest fix')];
  if (f.owner) parts.push(h('p', {}, h('strong', {}, 'Owner: '), f.owner));
  for (const c of f.changes) parts.push(h('p', {}, c.change));
  if (f.changes.length > 0)
    parts.push(
      h(
        'p',
        { class: f.verified ? 'ok-text' : 'warn-text' },
        f.verified ? 'Verified: with the change the model allows the request.' : 'Not verified: the request is still denied with the change.',
      ),
    );
  for (const p of f.patch?.policies ?? []) {
    const copyCmd = button('Copy command', () => void copyText(p.command, copyCmd), { class: 'small' });
    const copyDoc = button('Copy new policy', () => void copyText(p.document, copyDoc), { class: 'small' });
    // Focusable: a long command scrolls sideways, and the keyboard must reach it (axe: scrollable-region-focusable).
    parts.push(
      h('pre', { class: 'code mono small', tabindex: 0, 'aria-label': 'AWS CLI command of the fix' }, p.command),
      h('div', { class: 'row' }, copyCmd, copyDoc),
    );
  }
  const diff = f.patch?.diff ?? '';
  if (diff !== '') {
    const diffLines = diff.trimEnd().split('\n');
    const copyDiff = button('Copy diff', () => void copyText(diff, copyDiff), { class: 'small' });
    parts.push(
      h(
        'pre',
        { class: 'diff', tabindex: 0, 'aria-label': 'The fix as a diff' },
        ...diffLines.map((l) =>
          h('span', { class: l.startsWith('+') && !l.startsWith('+++') ? 'add' : l.startsWith('-') && !l.startsWith('---') ? 'del' : 'ctx' }, `${l}\n`),
        ),
      ),
      h('div', { class: 'row' }, copyDiff),
    );
  }
  if (f.changes.length > 0) parts.push(button('Apply the fix and re-run', rerun));
  if (e.after) parts.push(h('p', { 'aria-live': 'polite' }, 'After the fix: ', badge(e.after.decision), ' ', e.after.reason));
  return h('section', { class: 'fix' }, ...parts);
}

function explanationView(e: Explanation, rerun: () => void): HTMLElement {
  const state = e.incomplete ? 'UNDECIDED' : e.agrees ? 'iamsim agrees with AWS' : 'iamsim DISAGREES with AWS';
  const awsSays =
    e.aws.kind === null
      ? 'denied (the message names no policy type)'
      : `${e.aws.kind} deny${e.aws.layer ? ` — ${e.aws.layer}` : ''}${e.aws.policyArn ? ` (${e.aws.policyArn})` : ''}`;
  return h(
    'article',
    { class: 'explanation', 'aria-label': `Message on line ${e.line}` },
    h('h2', {}, `Line ${e.line}: ${e.request.action}`, ' ', h('span', { class: `badge ${e.agrees ? 'ok' : e.incomplete ? 'warn' : 'bad'}` }, state)),
    h(
      'p',
      { class: 'mono small' },
      `${e.request.principal} → ${e.request.action} → ${e.request.resource}${e.request.vpcEndpointId ? ` via ${e.request.vpcEndpointId}` : ''}`,
    ),
    h('p', {}, h('strong', {}, 'AWS: '), awsSays),
    h('p', {}, h('strong', {}, 'iamsim: '), badge(e.iamsim.decision), ' ', e.iamsim.reason),
    h('p', {}, e.verdict),
    e.modelGaps.length > 0 ? h('ul', { class: 'warn-text' }, ...e.modelGaps.map((g) => h('li', {}, g))) : null,
    e.asks.length > 0 ? h('p', { class: 'warn-text' }, giveText(e.asks)) : null,
    ...e.iamsim.statements.map((s) => statementView(e, s)),
    e.iamsim.conditions.length > 0
      ? h(
          'table',
          { class: 'conditions' },
          h(
            'thead',
            {},
            h('tr', {}, h('th', {}, ''), h('th', {}, 'condition'), h('th', {}, 'policy values'), h('th', {}, 'request'), h('th', {}, 'statement')),
          ),
          h('tbody', {}, ...e.iamsim.conditions.map(conditionRow)),
        )
      : null,
    e.notes.length > 0 ? h('ul', { class: 'hint' }, ...e.notes.map((n) => h('li', {}, n))) : null,
    fixView(e, rerun),
  );
}

export async function explainPage(root: HTMLElement, app: ConsoleApp): Promise<void> {
  const saved = loadState<Saved>('explain') ?? { message: '', region: '', vpce: '', context: '' };
  const message = h('textarea', { rows: 5, spellcheck: 'false', placeholder: EXAMPLE }) as HTMLTextAreaElement;
  message.value = saved.message;
  const region = h('input', { type: 'text', placeholder: 'us-east-1', value: saved.region }) as HTMLInputElement;
  const vpce = h('input', { type: 'text', placeholder: 'vpce-0a1b2c3d4e5f67890', value: saved.vpce }) as HTMLInputElement;
  const context = h('textarea', { rows: 2, spellcheck: 'false', placeholder: 'iam:PassedToService=events.amazonaws.com' }) as HTMLTextAreaElement;
  context.value = saved.context;
  const out = h('div', { class: 'explain-out', 'aria-live': 'polite' });
  const persist = (): void => {
    saveState('explain', { message: message.value, region: region.value, vpce: vpce.value, context: context.value });
  };
  const run = async (apply: boolean): Promise<void> => {
    persist();
    const source = await currentSource(app);
    if (source === undefined) {
      clear(out, noAccounts());
      return;
    }
    clear(out, h('p', { class: 'hint' }, 'Explaining…'));
    try {
      const r = await post<Reply>('explain', {
        message: message.value,
        source,
        ...(region.value.trim() ? { region: region.value.trim() } : {}),
        ...(vpce.value.trim() ? { vpcEndpointId: vpce.value.trim() } : {}),
        context: context.value
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== ''),
        apply,
      });
      clear(
        out,
        r.problems.length > 0
          ? errorBox(
              'Some lines could not be explained:',
              r.problems.map((p) => `line ${p.line}: ${p.message}${p.asks !== undefined && p.asks.length > 0 ? `. ${giveText(p.asks)}` : ''}`),
            )
          : null,
        ...r.explanations.map((e) => explanationView(e, () => void run(true))),
      );
    } catch (e) {
      clear(out, e instanceof ApiFailure ? errorBox(e.message, e.details()) : errorBox(String(e)));
    }
  };
  clear(
    root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Explain an error')),
    h(
      'p',
      { class: 'lede' },
      'Paste an AccessDenied message as AWS printed it. iamsim decides the request against the account, shows the policy and statement that deny it, says whether it agrees with AWS, and gives the smallest fix.',
    ),
    sourcePicker(app, () => clear(out)),
    field(
      'AccessDenied message(s), one per line',
      message,
      'The AWS CLI wrapper, S3\'s "Access Denied", decode-authorization-message output and CloudTrail records are read too.',
    ),
    h('div', { class: 'row' }, field('Region (if the message has none)', region), field('VPC endpoint', vpce)),
    field('Request context the message does not show (KEY=VALUE per line)', context),
    h(
      'div',
      { class: 'row' },
      button('Explain', () => void run(false), { class: 'primary' }),
      button('Use the example', () => {
        message.value = EXAMPLE;
        persist();
      }),
    ),
    out,
  );
}
