/** One IAM Query action: its name, whether it writes the model, and its handler. */
import type { RequestContext } from '../types.js';
import type { QueryParams } from './params.js';

export interface IamAction {
  readonly name: string;
  readonly write: boolean;
  /** The API the action belongs to (default iam): its version, XML namespace and signing service. */
  readonly service?: 'iam' | 'sts';
  /** Returns the `<ActionResult>` members (in AWS's order), or undefined for actions without a result. */
  run(params: QueryParams, ctx: RequestContext): Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;
}
