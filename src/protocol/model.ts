/**
 * The parts of an AWS service model (botocore's `service-2.json`) the protocol
 * layer reads: operations, shapes and their constraints, error codes. The
 * generated modules (`generated/*.ts`, written by scripts/gen-protocol.mjs
 * from vendor/botocore/) hold one `ServiceModel` each, without documentation.
 */

export interface MemberRef {
  readonly shape: string;
  /** REST protocols: where the member travels (`uri`, `querystring`, `header`; absent: the body). */
  readonly location?: string;
  readonly locationName?: string;
}

export interface ErrorInfo {
  readonly code?: string;
  readonly httpStatusCode?: number;
  readonly senderFault?: boolean;
}

export interface Shape {
  readonly type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'blob' | 'double' | 'float';
  readonly members?: Readonly<Record<string, MemberRef>>;
  readonly required?: readonly string[];
  readonly member?: MemberRef;
  readonly key?: MemberRef;
  readonly value?: MemberRef;
  readonly min?: number;
  readonly max?: number;
  /** The model's regular expression (Java syntax, matched against the whole value). */
  readonly pattern?: string;
  /** `pattern` compiled for JavaScript (anchored, `u` flag when it compiles so). */
  readonly regex?: RegExp;
  readonly enum?: readonly string[];
  readonly sensitive?: boolean;
  readonly flattened?: boolean;
  readonly timestampFormat?: string;
  readonly union?: boolean;
  readonly exception?: boolean;
  readonly error?: ErrorInfo;
}

export interface Operation {
  readonly name: string;
  readonly http?: { readonly method: string; readonly requestUri: string; readonly responseCode?: number };
  readonly input?: string;
  readonly output?: string;
  /** Query protocol: the element wrapping the output (`<CreateRoleResult>`). */
  readonly resultWrapper?: string;
  readonly errors?: readonly string[];
}

export interface ServiceModel {
  readonly metadata: {
    readonly apiVersion: string;
    readonly protocol: string;
    readonly serviceId: string;
    readonly endpointPrefix: string;
    readonly signingName?: string;
    readonly xmlNamespace?: string;
    readonly targetPrefix?: string;
    readonly jsonVersion?: string;
  };
  readonly operations: Readonly<Record<string, Operation>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

/** The shape named `name`; a model that names a shape it does not define is a generator defect. */
export function shapeOf(model: ServiceModel, name: string): Shape {
  const s = model.shapes[name];
  if (s === undefined) throw new Error(`${model.metadata.serviceId} model: no shape ${name}`);
  return s;
}

/** The operation named `name`, or undefined (`Object.hasOwn`: `constructor`, `__proto__` name none). */
export function operationOf(model: ServiceModel, name: string): Operation | undefined {
  return Object.hasOwn(model.operations, name) ? model.operations[name] : undefined;
}

/** An error shape's code and HTTP status (its `error` trait, else the shape's name and 400). */
export function errorOf(model: ServiceModel, shapeName: string): { code: string; status: number } {
  const s = shapeOf(model, shapeName);
  return { code: s.error?.code ?? shapeName, status: s.error?.httpStatusCode ?? 400 };
}
