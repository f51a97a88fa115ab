/**
 * Every Lambda function of the template, each with its entry module src/lambda/<name>.ts (which
 * exports `handler`): one per route of API_ROUTES, its HTTP event generated from the route, and
 * the functions that events invoke. The build, the cold-init bench and the template are made
 * from this list.
 */
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_SECONDS } from '../lib/http/cors.js';
import { API_ROUTES } from '../routes.js';

/**
 * Functions no HTTP request reaches: Athena's end-of-execution events, the daily compaction, the
 * integrity checks startIntegrityCheck hands over, and the watches' schedule.
 */
export const EVENT_FUNCTIONS = ['notifyExecution', 'compactDays', 'runIntegrityCheck', 'runWatches'] as const;

export const LAMBDA_FUNCTIONS: readonly string[] = [...API_ROUTES.map((r) => r.name), ...EVENT_FUNCTIONS];

/** The entry module of a function, relative to the repository. */
export const entryOf = (name: string): string => `src/lambda/${name}.ts`;

/**
 * What deploy/functions.cjs makes the template's functions from: each route's function with its
 * method and API Gateway path (no leading slash, as the framework's http events take it), the
 * event functions, and what a CORS preflight allows (the same policy the handlers answer with).
 */
export const functionsDocument = () => ({
  http: API_ROUTES.map((r) => ({
    function: r.name,
    method: r.method.toLowerCase(),
    path: r.resource.slice(1),
  })),
  events: [...EVENT_FUNCTIONS],
  cors: { headers: [...CORS_ALLOWED_HEADERS], maxAge: CORS_MAX_AGE_SECONDS },
});
