/**
 * One IAM (or STS) Query action: its name, whether it writes the model, and
 * its handler. The request is parsed and validated from AWS's model before
 * the handler runs (src/protocol: required members, lengths, patterns, enums),
 * so `run` gets the operation's input typed as the model says, and returns
 * its output's members, which the model's serializer writes in AWS's order.
 */
import type { IamOperations, IamOperationName } from '../../protocol/generated/iam.js';
import type { StsOperations, StsOperationName } from '../../protocol/generated/sts.js';
import type { Answer, Exact } from '../../protocol/answer.js';
import type { RequestContext } from '../types.js';

export type { Answer, Exact } from '../../protocol/answer.js';

type Result = Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;

export interface IamAction {
  readonly name: string;
  readonly write: boolean;
  /** The API the action belongs to (default iam): its model, version, XML namespace and signing service. */
  readonly service?: 'iam' | 'sts';
  /** The output members (undefined for actions without a result); `input` is the model-validated request. */
  run(input: Record<string, unknown>, ctx: RequestContext): Result;
}

/** An operation's input as the model types it (an operation without input gets an empty object). */
export type IamInput<K extends IamOperationName> = IamOperations[K]['input'] extends undefined ? Record<string, never> : NonNullable<IamOperations[K]['input']>;
export type StsInput<K extends StsOperationName> = StsOperations[K]['input'] extends undefined ? Record<string, never> : NonNullable<StsOperations[K]['input']>;

/** An operation's output as the model types it (undefined for operations without one). */
export type IamOutput<K extends IamOperationName> = IamOperations[K]['output'];
export type StsOutput<K extends StsOperationName> = StsOperations[K]['output'];
type Typed<T> = T | Promise<T>;

/** What a handler of operation `K` returns: its output as the model types it, with no member the model lacks. */
export type IamResult<K extends IamOperationName, R> = R & NoInfer<Exact<Answer<IamOutput<K>>, R>>;
export type StsResult<K extends StsOperationName, R> = R & NoInfer<Exact<Answer<StsOutput<K>>, R>>;

/** An IAM action whose handler sees its input typed by the model and must answer the model's output type, nothing more. */
export function iamAction<K extends IamOperationName, R extends Answer<IamOutput<K>>>(
  name: K,
  write: boolean,
  run: (input: IamInput<K>, ctx: RequestContext) => Typed<IamResult<K, R>>,
): IamAction {
  // The check is at the call site (the parameter's type); inside, the input is the parsed request and the output goes to the serializer.
  const untyped = run as unknown as IamAction['run'];
  return { name, write, run: (input, ctx) => untyped(input, ctx) };
}

export function stsAction<K extends StsOperationName, R extends Answer<StsOutput<K>>>(
  name: K,
  run: (input: StsInput<K>, ctx: RequestContext) => Typed<StsResult<K, R>>,
): IamAction {
  const untyped = run as unknown as IamAction['run'];
  return { name, write: false, service: 'sts', run: (input, ctx) => untyped(input, ctx) };
}
