/** `GET /openapi.json`: the OpenAPI 3.1 description of the decision API (openapi-doc.ts). */
import { OPENAPI } from '../openapi-doc.js';
import { json } from '../reply.js';
import type { Route } from '../types.js';

export const openApiRoutes: readonly Route[] = [{ method: 'GET', path: '/openapi.json', handle: () => json(200, OPENAPI) }];
