/**
 * A message as a value: a template and its parameters, worded by each
 * surface. In a template, `{name}` is a parameter shown as it is and
 * `{f:name}` a request member, given by AWS's member name (`CallerArn`,
 * `PolicyInputList`, or `PolicyInputList.2` for the second entry of a list):
 * the command line and the APIs print the member name (AWS's wording), the
 * browser console the name of its own control ("the caller", "Identity
 * policy 2"). A diagnostic carries its template and parameters beside the
 * worded `message`, so no surface has to find member names in prose.
 */

export type MessageParams = Readonly<Record<string, string | number>>;

export interface CodedMessage {
  readonly template: string;
  readonly params: MessageParams;
}

/** The template worded: each `{name}` its parameter, each `{f:name}` the member as `member` words it (default: AWS's name). */
export function renderMessage(m: CodedMessage, member: (name: string) => string = (name) => name): string {
  let out = '';
  let at = 0;
  while (at < m.template.length) {
    const open = m.template.indexOf('{', at);
    const close = open < 0 ? -1 : m.template.indexOf('}', open);
    if (open < 0 || close < 0) break;
    out += m.template.slice(at, open);
    const slot = m.template.slice(open + 1, close);
    const isMember = slot.startsWith('f:');
    const value = m.params[isMember ? slot.slice(2) : slot];
    out += value === undefined ? m.template.slice(open, close + 1) : isMember ? member(String(value)) : String(value);
    at = close + 1;
  }
  return out + m.template.slice(at);
}

/** A coded message with its AWS wording: the fields a Diagnostic carries (`message`, `template`, `params`). */
export function coded(template: string, params: MessageParams = {}): CodedMessage & { readonly message: string } {
  return { template, params, message: renderMessage({ template, params }) };
}

/** A report callback's arguments for a coded message: its AWS wording, then the value (`report(path, ...said(template, params))`). */
export function said(template: string, params: MessageParams = {}): [string, CodedMessage] {
  const m = coded(template, params);
  return [m.message, { template: m.template, params: m.params }];
}
