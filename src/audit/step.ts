/** One call of an escalation path: who calls what on which resource, and why AWS allows it. */
import type { CitedStatement } from '../authz/queries.js';

export interface Step {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** The statement that allowed the call. */
  readonly statement?: CitedStatement;
  readonly note?: string;
  /** Request context the step was decided with, besides the keys AWS derives and the time. */
  readonly context?: Readonly<Record<string, string>>;
}
