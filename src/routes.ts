/**
 * Every route of API v1, each from its module in src/handlers: the one place a route's method and
 * path are declared. The local server serves this table; the Lambda functions of the template are
 * generated from it (deploy/generated/functions.json), one per route.
 */
import { cancelExecution } from './handlers/cancelExecution.js';
import { createWatch } from './handlers/createWatch.js';
import { deleteWatch } from './handlers/deleteWatch.js';
import { getCsv } from './handlers/getCsv.js';
import { getEvidence } from './handlers/getEvidence.js';
import { getEvidencePublicKey } from './handlers/getEvidencePublicKey.js';
import { getExecution } from './handlers/getExecution.js';
import { getIntegrityCheck } from './handlers/getIntegrityCheck.js';
import { getOpenApi } from './handlers/getOpenApi.js';
import { getResults } from './handlers/getResults.js';
import { getWatch } from './handlers/getWatch.js';
import { health } from './handlers/health.js';
import { listDetections } from './handlers/listDetections.js';
import { listExecutions } from './handlers/listExecutions.js';
import { listQueries } from './handlers/listQueries.js';
import { listWatches } from './handlers/listWatches.js';
import { runWatch } from './handlers/runWatch.js';
import { startExecution } from './handlers/startExecution.js';
import { startIntegrityCheck } from './handlers/startIntegrityCheck.js';
import type { Route } from './lib/http/route.js';

const routes: readonly Route[] = [
  health,
  listQueries,
  listDetections,
  startExecution,
  listExecutions,
  getExecution,
  cancelExecution,
  getResults,
  getCsv,
  startIntegrityCheck,
  getIntegrityCheck,
  getEvidence,
  getEvidencePublicKey,
  createWatch,
  listWatches,
  getWatch,
  deleteWatch,
  runWatch,
];

/** The routes, the OpenAPI document's last: it documents the others and itself. */
export const API_ROUTES: readonly Route[] = [...routes, getOpenApi(routes)];

/** The route of API_ROUTES named `name` (its Lambda function's name); throws for an unknown one. */
export const routeNamed = (name: string): Route => {
  const route = API_ROUTES.find((r) => r.name === name);
  if (!route) throw new Error(`No route named ${name}`);
  return route;
};
