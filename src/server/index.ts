/** iamsim's HTTP server: AWS's IAM (Query) and Access Analyzer (REST-JSON) APIs, the decision API, the console. */
export { createServer, isLoopback, DEFAULT_BODY_LIMIT, type IamsimServer, type ServerOptions } from './http.js';
export { Engine, EngineLoadError, type EngineOptions } from './engine.js';
export { parseCredentialsFile, type Credentials } from './auth.js';
export { ApiError } from './errors.js';
export type { Route, RequestContext, Reply, Caller, ErrorStyle } from './types.js';
