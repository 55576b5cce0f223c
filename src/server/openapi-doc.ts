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

const explainRequest = {
  type: 'object',
  description: 'exactly one of message, cloudtrail, decoded; the other fields fill in what the report leaves out',
  properties: {
    message: { type: 'string', description: 'AccessDenied messages as AWS prints them, one per line' },
    cloudtrail: { description: 'CloudTrail records: a record, an array, a log file {"Records": [...]}, lookup-events output' },
    decoded: { type: 'object', description: 'aws sts decode-authorization-message output' },
    principal: { type: 'string' },
    action: { type: 'string' },
    resource: { type: 'string' },
    region: { type: 'string' },
    vpcEndpointId: { type: 'string' },
    context: { type: 'array', items: { $ref: '#/components/schemas/ContextEntry' } },
    patch: { type: 'boolean', default: true },
  },
};

const layer = { type: ['string', 'null'], enum: ['identity', 'resource', 'session', 'boundary', 'scp', 'rcp', 'endpoint', null] };

const explanation = {
  type: 'object',
  required: ['request', 'aws', 'iamsim', 'agrees', 'fix'],
  properties: {
    line: { type: 'integer' },
    message: { type: 'string' },
    request: {
      type: 'object',
      properties: {
        principal: { type: 'string' },
        action: { type: 'string' },
        resource: { type: 'string' },
        context: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        vpcEndpointId: { type: 'string' },
      },
    },
    aws: {
      type: 'object',
      properties: { layer, kind: { type: ['string', 'null'], enum: ['implicit', 'explicit', null] }, policyArn: { type: 'string' }, form: { type: 'string' } },
    },
    iamsim: {
      type: 'object',
      properties: {
        decision,
        layer,
        layers: { type: 'array', items: { type: 'string' } },
        reason: { type: 'string' },
        statements: { type: 'array', items: { type: 'object' } },
        conditions: { type: 'array', items: { type: 'object' } },
        warnings: { type: 'array', items: { type: 'string' } },
      },
    },
    agrees: { type: 'boolean' },
    incomplete: { type: 'boolean' },
    verdict: { type: 'string' },
    modelGaps: { type: 'array', items: { type: 'string' } },
    fix: { type: ['object', 'null'] },
    notes: { type: 'array', items: { type: 'string' } },
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
    '/v1/explain': {
      post: {
        summary: 'Explain AccessDenied reports: the deciding layer, agreement with AWS, the verified fix',
        requestBody: { required: true, content: jsonContent('ExplainRequest') },
        responses: {
          200: {
            description: 'one explanation per report read; problems for reports that could not be',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    explanations: { type: 'array', items: { $ref: '#/components/schemas/Explanation' } },
                    problems: { type: 'array', items: { type: 'object' } },
                    skipped: { type: 'integer' },
                    exitCode: { type: 'integer', enum: [0, 1, 2] },
                  },
                },
              },
            },
          },
          400: { description: 'bad request', content: jsonContent('Error') },
        },
      },
    },
    '/healthz': { get: { summary: 'Liveness', responses: { 200: { description: 'alive' } } } },
    '/readyz': { get: { summary: 'Readiness: the model is loaded', responses: { 200: { description: 'ready' } } } },
    '/metrics': { get: { summary: 'Prometheus metrics (text format 0.0.4)', responses: { 200: { description: 'metrics' } } } },
  },
  components: {
    schemas: {
      AuthorizeRequest: authorizeRequest,
      AuthorizeResult: authorizeResult,
      ContextEntry: contextEntry,
      DecidingStatement: cited,
      Error: error,
      ExplainRequest: explainRequest,
      Explanation: explanation,
    },
  },
} as const;
