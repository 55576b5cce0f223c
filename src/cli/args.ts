/**
 * AWS CLI-style argument parsing: `--flag v1 v2 …` (every token up to the
 * next `--flag` belongs to it), `--flag=v`, boolean flags, and positionals.
 */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly flags: ReadonlyMap<string, readonly string[]>;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], booleanFlags: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const tok of argv) {
    if (tok.startsWith('--') && tok.length > 2) {
      const eq = tok.indexOf('=');
      const name = eq > 0 ? tok.slice(2, eq) : tok.slice(2);
      const list = flags.get(name) ?? [];
      flags.set(name, list);
      if (eq > 0) {
        list.push(tok.slice(eq + 1));
        current = undefined;
      } else {
        current = booleanFlags.has(name) ? undefined : list;
      }
      continue;
    }
    if (current !== undefined) current.push(tok);
    else positionals.push(tok);
  }
  return { positionals, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  if (v.length !== 1) throw new UsageError(`--${name} takes exactly one value`);
  return v[0];
}

export function has(args: ParsedArgs, name: string): boolean {
  return args.flags.has(name);
}

export function checkKnown(args: ParsedArgs, known: ReadonlySet<string>, command: string): void {
  for (const name of args.flags.keys()) {
    if (!known.has(name)) throw new UsageError(`unknown option --${name} for '${command}' (see 'iamsim ${command} --help')`);
  }
}

export function formatOption(args: ParsedArgs): 'json' | 'text' {
  const f = flag(args, 'format') ?? flag(args, 'output') ?? 'json';
  if (f !== 'json' && f !== 'text') throw new UsageError(`--format must be json or text, not ${JSON.stringify(f)}`);
  return f;
}
