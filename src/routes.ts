/**
 * Every route of API v1, each from its handler module in src/handlers (one per Lambda function
 * of the template). The local server serves this table; the deployment's functions are checked
 * against it.
 */
import { cancelExecution } from './handlers/cancelExecution.js';
import { getCsv } from './handlers/getCsv.js';
import { getExecution } from './handlers/getExecution.js';
import { getOpenApi } from './handlers/getOpenApi.js';
import { getResults } from './handlers/getResults.js';
import { health } from './handlers/health.js';
import { listDetections } from './handlers/listDetections.js';
import { listExecutions } from './handlers/listExecutions.js';
import { listQueries } from './handlers/listQueries.js';
import { startExecution } from './handlers/startExecution.js';
import type { Route } from './lib/http/route.js';

export const API_ROUTES: readonly Route[] = [
  health,
  listQueries,
  listDetections,
  startExecution,
  listExecutions,
  getExecution,
  cancelExecution,
  getResults,
  getCsv,
  getOpenApi,
];

/** Lambda functions of the template that are no route: each a module of src/handlers too. */
export const EVENT_HANDLERS = [
  // Athena's end-of-execution events, for callbacks.
  'notifyExecution',
  // The daily compaction into the columnar table (EventBridge Scheduler).
  'compactDays',
] as const;
