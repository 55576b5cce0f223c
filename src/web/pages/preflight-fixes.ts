/**
 * The preflight's patch as a reviewer sees it before applying anything: per
 * changed policy, the AWS CLI command that applies it, the new document, and
 * its scope proof (does the edit allow anything beyond the failing steps? a
 * FAIL names the request it also allows); then the security warnings the
 * patch would add. The data is the API's `fixOutput`, the same as
 * `iamsim preflight --fix-out --format json`.
 */
import { h } from '../dom.js';
import { button, copyText } from '../widgets.js';

interface Counterexample {
  CallerArn?: string;
  ActionNames: string[];
  ResourceArns: string[];
  ContextEntries: { ContextKeyName: string; ContextKeyValues: string[] }[];
}
interface ScopeCheck {
  file: string;
  result: 'PASS' | 'FAIL' | 'UNKNOWN' | 'NOT_CHECKED';
  beyond?: Counterexample;
  note: string;
}
interface PatchedPolicy {
  layer: string;
  target: string;
  policyName: string;
  file: string;
  new: boolean;
  command: string;
  document: string;
}
export interface FixOutput {
  policies: PatchedPolicy[];
  diff: string;
  newSecurityWarnings: { file: string; issueCode: string; message: string }[];
  scope: ScopeCheck[];
}

const LAYER: Record<string, string> = {
  identity: 'identity policy',
  boundary: 'permissions boundary',
  trust: 'trust policy',
  resource: 'resource policy',
  'vpc-endpoint': 'VPC endpoint policy',
  scp: 'SCP',
  rcp: 'RCP',
};

const VERDICT: Record<ScopeCheck['result'], [string, string]> = {
  PASS: ['ok', 'Scope proven: nothing beyond the failing steps'],
  FAIL: ['bad', 'Wider than the failing steps'],
  UNKNOWN: ['warn', 'Scope not proven'],
  NOT_CHECKED: ['warn', 'Scope not checked'],
};

function requestLine(c: Counterexample): string {
  const who = c.CallerArn !== undefined ? ` by ${c.CallerArn}` : '';
  const ctx = c.ContextEntries.map((e) => `${e.ContextKeyName}=${e.ContextKeyValues.join(',')}`).join(', ');
  return `${c.ActionNames.join(', ')} on ${c.ResourceArns.join(', ')}${who}${ctx !== '' ? ` with ${ctx}` : ''}`;
}

function scopeView(s: ScopeCheck | undefined): HTMLElement {
  if (s === undefined) return h('p', { class: 'warn-text' }, 'No scope proof for this document.');
  const [cls, label] = VERDICT[s.result];
  return h(
    'div',
    { class: 'scope' },
    h('p', {}, h('span', { class: `badge ${cls}` }, label), ' ', s.result === 'FAIL' ? 'This change also allows a request no failing step makes:' : s.note),
    s.beyond !== undefined ? h('p', { class: 'mono small' }, requestLine(s.beyond)) : null,
    s.result === 'FAIL' ? h('p', { class: 'hint' }, 'Review it: narrow the change if that request must stay denied.') : null,
  );
}

function policyView(p: PatchedPolicy, scope: ScopeCheck | undefined): HTMLElement {
  const title = `${p.new ? 'New' : 'Changed'} ${LAYER[p.layer] ?? p.layer} ${p.policyName}`;
  const copyCmd = button('Copy command', () => void copyText(p.command, copyCmd), { class: 'small' });
  const copyDoc = button(`Copy ${p.file}`, () => void copyText(p.document, copyDoc), { class: 'small' });
  return h(
    'li',
    { class: 'patched' },
    h('p', {}, h('strong', {}, title), ' ', h('span', { class: 'hint' }, `of ${p.target}`)),
    scopeView(scope),
    h('p', { class: 'hint' }, `Apply with the AWS CLI (the document is ${p.file}):`),
    h('pre', { class: 'mono small command', tabindex: 0, 'aria-label': `AWS CLI command for ${p.policyName}` }, p.command),
    h('div', { class: 'row' }, copyCmd, copyDoc),
  );
}

/** The review section for a failed preflight's patch. */
export function fixOutputView(out: FixOutput): HTMLElement {
  const scopeOf = (p: PatchedPolicy): ScopeCheck | undefined => out.scope.find((s) => `policies/${s.file}` === p.file || s.file === p.file);
  const wider = out.scope.filter((s) => s.result === 'FAIL').length;
  const script = out.policies.map((p) => p.command).join('\n');
  const copyAll = button('Copy every command', () => void copyText(script, copyAll), { class: 'small' });
  const copyDiff = button('Copy the whole diff', () => void copyText(out.diff, copyDiff), { class: 'small' });
  return h(
    'section',
    { class: 'fix-output', 'aria-label': 'Review the fixes' },
    h('h2', {}, 'Review the fixes'),
    h(
      'p',
      {},
      `${out.policies.length} polic${out.policies.length === 1 ? 'y changes' : 'ies change'}. `,
      wider === 0
        ? 'Each change was compared with what the failing steps need.'
        : `${wider} of them allow${wider === 1 ? 's' : ''} more than the failing steps need: see below.`,
    ),
    h('ul', { class: 'patched-list' }, ...out.policies.map((p) => policyView(p, scopeOf(p)))),
    out.newSecurityWarnings.length > 0
      ? h(
          'div',
          { class: 'new-warnings' },
          h('p', { class: 'warn-text' }, 'The changed policies would add these security warnings:'),
          h('ul', {}, ...out.newSecurityWarnings.map((w) => h('li', {}, h('span', { class: 'mono' }, w.issueCode), ` (${w.file}): ${w.message}`))),
        )
      : h('p', { class: 'hint' }, 'The changes add no security warning.'),
    h('div', { class: 'row' }, copyAll, copyDiff),
  );
}
