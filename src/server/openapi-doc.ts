/** OpenAPI 3.1 document of iamsim's own HTTP API (the decision API and operations endpoints). */
const decision = { type: 'string', enum: ['allowed', 'explicitDeny', 'implicitDeny'] };

const contextEntry = {
  type: 'object',
  required: ['key', 'type', 'values'],
  properties: {
    key: { type: 'string', examples: ['aws:RequestTag/system'] },
    type: {
      type: 'string',
      enum: ['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList'],
    },
    values: { type: 'array', items: { type: 'string' } },
  },
};

const authorizeRequest = {
  type: 'object',
  required: ['principal', 'action'],
  properties: {
    principal: {
      type: 'string',
      description: 'ARN of a user, role, assumed-role session or account of the loaded model, or a service principal',
      examples: ['arn:aws:iam::111122223333:role/NotebookRole'],
    },
    action: { type: 'string', examples: ['sagemaker:CreatePresignedNotebookInstanceUrl'] },
    resource: { type: 'string', default: '*' },
    context: { type: 'array', items: { $ref: '#/components/schemas/ContextEntry' } },
    deriveContext: {
      type: 'boolean',
      default: true,
      description: 'add the keys AWS puts in every request (aws:PrincipalArn, aws:PrincipalTag/…, aws:ResourceAccount, …)',
    },
  },
};

const cited = {
  type: 'object',
  properties: {
    policyId: { type: 'string' },
    policyName: { type: 'string' },
    policyType: { type: 'string' },
    layer: { type: 'string' },
    target: { type: 'string' },
    effect: { type: 'string', enum: ['Allow', 'Deny'] },
    index: { type: 'integer', description: '0-based statement index' },
    sid: { type: 'string' },
    file: { type: 'string' },
    line: { type: 'integer' },
  },
};

const authorizeResult = {
  type: 'object',
  required: ['decision', 'decidedBy', 'missingContextValues', 'reasons'],
  properties: {
    decision,
    decidedBy: { type: 'array', items: { $ref: '#/components/schemas/DecidingStatement' } },
    missingContextValues: { type: 'array', items: { type: 'string' } },
    reasons: { type: 'array', items: { type: 'string' } },
    principalFound: { type: 'boolean' },
  },
};

const error = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } }, requestId: { type: 'string' } },
};

const jsonContent = (ref: string): unknown => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });

export const OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'iamsim decision API', version: '1', description: 'Authorization decisions over the loaded account model, as AWS IAM would decide them.' },
  paths: {
    '/v1/authorize': {
      post: {
        summary: 'Decide one request',
        requestBody: { required: true, content: jsonContent('AuthorizeRequest') },
        responses: {
          200: { description: 'the decision', content: jsonContent('AuthorizeResult') },
          400: { description: 'bad request', content: jsonContent('Error') },
          413: { description: 'body too large', content: jsonContent('Error') },
        },
      },
    },
    '/v1/authorize/batch': {
      post: {
        summary: 'Decide up to 1000 requests; one result (or error) per request, in order',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['requests'],
                properties: { requests: { type: 'array', maxItems: 1000, items: { $ref: '#/components/schemas/AuthorizeRequest' } } },
              },
            },
          },
        },
        responses: {
          200: {
            description: 'results in request order',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    results: { type: 'array', items: { oneOf: [{ $ref: '#/components/schemas/AuthorizeResult' }, { $ref: '#/components/schemas/Error' }] } },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/healthz': { get: { summary: 'Liveness', responses: { 200: { description: 'alive' } } } },
    '/readyz': { get: { summary: 'Readiness: the model is loaded', responses: { 200: { description: 'ready' } } } },
    '/metrics': { get: { summary: 'Prometheus metrics (text format 0.0.4)', responses: { 200: { description: 'metrics' } } } },
  },
  components: {
    schemas: { AuthorizeRequest: authorizeRequest, AuthorizeResult: authorizeResult, ContextEntry: contextEntry, DecidingStatement: cited, Error: error },
  },
} as const;
