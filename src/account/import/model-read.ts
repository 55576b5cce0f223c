/**
 * An AWS CLI output read through the operation's output shape in AWS's
 * service model (src/protocol/generated, decoded by protocol/decode.ts): the
 * importers of `get-account-authorization-details` and of the Organizations
 * commands get the output typed as the model types it, and every problem —
 * a member of the wrong type, a member the model requires missing — is a
 * diagnostic at its line and column (FIELD_TYPE, MISSING_FIELD), the member
 * left out and the rest of the file kept.
 */
import type { Diagnostic, JsonPath } from '../../diagnostics/diagnostic.js';
import { decodeOutput, type ShapeProblem } from '../../protocol/decode.js';
import type { ServiceModel } from '../../protocol/model.js';
import { makeDiagnostic, type InputSource } from './source.js';

export interface ModelRead<T> {
  readonly src: InputSource;
  readonly out: Diagnostic[];
  /** The output as read (members of the wrong type left out). */
  readonly value: T;
  /** Where a structure of `value` is in the file. */
  pathOf(node: object): JsonPath;
}

/**
 * Reads the file's value as `op`'s output. `opaque`: shapes read as they are
 * (policy documents, which the AWS CLI prints as JSON objects and the API as
 * strings: `readDocument` reads them at their path).
 */
export function readOutput<T extends object>(src: InputSource, out: Diagnostic[], model: ServiceModel, op: string, opaque: ReadonlySet<string>): ModelRead<T> {
  const d = decodeOutput<T>(model, op, src.value, { opaque, numbersAsStrings: true, timestamps: 'as-given', required: true });
  reportShapeProblems(src, d.problems, out);
  return { src, out, value: d.value ?? ({} as T), pathOf: (node) => [...d.pathOf(node)] };
}

/** The member, or an error at its structure when it is absent: the model leaves it optional, iamsim needs it. */
export function need<T extends object, K extends keyof T & string>(r: Omit<ModelRead<unknown>, 'value'>, item: T, key: K): NonNullable<T[K]> | undefined {
  const v = item[key];
  if (v === undefined || v === null) {
    r.out.push(makeDiagnostic(r.src, 'MISSING_FIELD', 'error', `missing required field ${key}`, r.pathOf(item)));
    return undefined;
  }
  return v as NonNullable<T[K]>;
}

function reportShapeProblems(src: InputSource, problems: readonly ShapeProblem[], out: Diagnostic[]): void {
  for (const p of problems) {
    if (p.kind === 'required') {
      out.push(makeDiagnostic(src, 'MISSING_FIELD', 'error', `missing required field ${p.want}`, [...p.path]));
      continue;
    }
    const last = p.path[p.path.length - 1];
    const label = typeof last === 'number' ? `${String(p.path[p.path.length - 2] ?? 'the list')}[${last}]` : (last ?? 'the file');
    out.push(makeDiagnostic(src, 'FIELD_TYPE', 'error', `${label} must be ${p.want}`, [...p.path]));
  }
}
