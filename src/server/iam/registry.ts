/** One IAM Query action: its name, whether it writes the model, and its handler. */
import type { RequestContext } from '../types.js';
import type { QueryParams } from './params.js';

export interface IamAction {
  readonly name: string;
  readonly write: boolean;
  /** Returns the `<ActionResult>` members (in AWS's order), or undefined for actions without a result. */
  run(params: QueryParams, ctx: RequestContext): Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;
}
