/**
 * Every HTTP route except the IAM Query endpoint (routed by router.ts) and the
 * console's static files (the fallback for GET). One module per feature;
 * a feature adds its routes by exporting a `Route[]` and listing it here.
 *
 * Console API routes live under `/api/*` (see docs/server.md "Adding routes").
 */
import type { Route } from '../types.js';
import { accessAnalyzerRoutes } from './access-analyzer.js';
import { accessAnalyzerCheckRoutes } from './access-analyzer-checks.js';
import { authorizeRoutes } from './authorize.js';
import { consoleRoutes } from './console.js';
import { explainRoutes } from './explain.js';
import { healthRoutes } from './health.js';
import { openApiRoutes } from './openapi.js';

export const ROUTES: readonly Route[] = [
  ...healthRoutes,
  ...authorizeRoutes,
  ...explainRoutes,
  ...openApiRoutes,
  ...accessAnalyzerRoutes,
  ...accessAnalyzerCheckRoutes,
  ...consoleRoutes,
  // Console (/api/*) route modules go here.
];
