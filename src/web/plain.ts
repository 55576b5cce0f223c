/**
 * The console speaks the page's words, not the API's or the CLI's: the
 * library's messages name request fields (PolicyInputList, CallerArn…) and
 * command-line flags (--set, --account) because the CLI and the API are
 * what they are written for. Every message the console shows from the
 * server goes through plain(), which names the editor or control instead.
 */
const LIST_LABEL: Record<string, [string, string]> = {
  PolicyInputList: ['Identity policy', 'The identity policies'],
  PermissionsBoundaryPolicyInputList: ['Permissions boundary', 'The permissions boundary'],
  SessionPolicyInputList: ['Session policy', 'The session policies'],
  ServiceControlPolicyInputList: ['SCP level', 'The SCPs'],
  ResourceControlPolicyInputList: ['RCP level', 'The RCPs'],
};

const FIELD_LABEL: [RegExp, string][] = [
  [/\bCallerArn\b/g, 'the caller'],
  [/\bActionNames\b/g, 'the actions'],
  [/\bResourceArns\b/g, 'the resources'],
  [/\bResourceOwner\b/g, 'the resource owner'],
  [/\bResourcePolicy\b/g, 'the resource or trust policy'],
  [/\bVpcEndpointPolicy\b/g, 'the VPC endpoint policy'],
  [/\bContextEntries\b/g, 'the context entries'],
  [/\bContextKeyName\b/g, 'the context key'],
  [/\bContextKeyValues\b/g, 'the context values'],
  [/\bContextKeyType\b/g, 'the context key type'],
  [/\bsource\.files\b/g, 'the account files'],
];

const RULES: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^(\w+) has no effect when CallerArn is "([^"]*)": a (service principal|anonymous caller) has no identity-based policies.*$/,
    (m) =>
      `${LIST_LABEL[m[1] ?? '']?.[1] ?? m[1]} cannot apply when the caller is ${m[2]}: a ${m[3]} has no identity-based policies. Empty those editors, or give a user or role as the caller.`,
  ],
];

export function plain(message: string): string {
  let out = message;
  for (const [re, to] of RULES) {
    const m = re.exec(out);
    if (m !== null) out = out.slice(0, m.index) + to(m) + out.slice(m.index + m[0].length);
  }
  // Positions in the request: PolicyInputList.2 → Identity policy 2.
  out = out.replace(/\b(\w+PolicyInputList|PolicyInputList)\.(\d+)(?:\.(\d+))?/g, (all, f: string, n: string) => {
    const label = LIST_LABEL[f]?.[0];
    return label === undefined ? all : `${label} ${n}`;
  });
  for (const [re, to] of FIELD_LABEL) out = out.replace(re, to);
  for (const [f, [, many]] of Object.entries(LIST_LABEL)) out = out.replace(new RegExp(`\\b${f}\\b`, 'g'), many.toLowerCase());
  return out.replace(/^the /, 'The ');
}

/** A diagnostic's "where", in words: a flag or field becomes the control it stands for. */
export function plainWhere(file: string | undefined): string {
  if (file === undefined) return 'the request';
  if (file === '--set') return 'the parameters';
  if (file === '--account' || file === '--db') return 'the accounts';
  return plain(file);
}
