/** A concrete request the reasoner found: what a counterexample or an example access is made of. */
import type { ContextValue } from '../eval/request.js';

export interface Witness {
  readonly action: string;
  readonly resource: string;
  readonly caller?: string;
  /** Resource-policy witnesses: the account that owns the resource (the ARN's account when it names one). */
  readonly owner?: string;
  readonly context: readonly ContextValue[];
}
