/**
 * The console speaks the page's words, not the API's or the CLI's. The
 * library's messages are values (diagnostics/message.ts): a template whose
 * request members (`{f:…}`: PolicyInputList, CallerArn…) the command line and
 * the APIs print as AWS names them, and which the console words here as the
 * editor or control that stands for each; a template with a sentence of its
 * own for the console is worded from CONSOLE_TEMPLATES. A message without a
 * template is shown as the server wrote it.
 */
import { type MessageParams, renderMessage } from '../diagnostics/message.js';
import { CALLER_LISTS_TEMPLATE } from '../simulate/messages.js';

/** A policy list of the request: [one entry, the whole list]. */
const LIST_LABEL: Readonly<Record<string, readonly [string, string]>> = {
  PolicyInputList: ['Identity policy', 'the identity policies'],
  PermissionsBoundaryPolicyInputList: ['Permissions boundary', 'the permissions boundary'],
  SessionPolicyInputList: ['Session policy', 'the session policies'],
  ServiceControlPolicyInputList: ['SCP level', 'the SCPs'],
  ResourceControlPolicyInputList: ['RCP level', 'the RCPs'],
};

const MEMBER_LABEL: Readonly<Record<string, string>> = {
  CallerArn: 'the caller',
  ActionNames: 'the actions',
  ResourceArns: 'the resources',
  ResourceOwner: 'the resource owner',
  ResourcePolicy: 'the resource or trust policy',
  VpcEndpointPolicy: 'the VPC endpoint policy',
  ContextEntries: 'the context entries',
  ContextKeyName: 'the context key',
  ContextKeyValues: 'the context values',
  ContextKeyType: 'the context key type',
};

/** Console sentences for templates the console words differently from the API (keyed by the library's template). */
const CONSOLE_TEMPLATES: Readonly<Record<string, string>> = {
  [CALLER_LISTS_TEMPLATE]:
    '{f:field} cannot apply when the caller is {callerArn}: a {kind} has no identity-based policies. Empty those editors, or give a user or role as the caller.',
};

/** A request member (AWS's name; `PolicyInputList.2` an entry of a list) as the console names its control; other names unchanged. */
export function memberLabel(name: string): string {
  const dot = name.indexOf('.');
  const field = dot < 0 ? name : name.slice(0, dot);
  const list = Object.hasOwn(LIST_LABEL, field) ? LIST_LABEL[field] : undefined;
  if (list !== undefined) {
    if (dot < 0) return list[1];
    const entry = name.slice(dot + 1).split('.')[0] ?? '';
    return `${list[0]} ${entry}`;
  }
  return dot < 0 && Object.hasOwn(MEMBER_LABEL, name) ? (MEMBER_LABEL[name] ?? name) : name;
}

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A message as the console words it: from its template and parameters when it has them, else as written. */
export function plainMessage(d: { readonly message: string; readonly template?: string; readonly params?: MessageParams }): string {
  if (d.template === undefined || d.params === undefined) return d.message;
  const template = Object.hasOwn(CONSOLE_TEMPLATES, d.template) ? (CONSOLE_TEMPLATES[d.template] ?? d.template) : d.template;
  return capitalised(renderMessage({ template, params: d.params }, memberLabel));
}

/** A diagnostic's "where", in words: a flag or request member becomes the control it stands for. */
export function plainWhere(file: string | undefined): string {
  if (file === undefined) return 'the request';
  if (file === '--set') return 'the parameters';
  if (file === '--account' || file === '--db') return 'the accounts';
  return capitalised(memberLabel(file));
}
