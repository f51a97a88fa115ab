/**
 * Every route of API v1, declared once: the local server dispatches from this table, and the
 * deployment's functions are checked against it.
 */
import { handler as cancelExecution } from '../../handlers/cancelExecution.js';
import { handler as downloadResult } from '../../handlers/downloadResult.js';
import { handler as getCsv } from '../../handlers/getCsv.js';
import { handler as getExecution } from '../../handlers/getExecution.js';
import { handler as getResults } from '../../handlers/getResults.js';
import { handler as health } from '../../handlers/health.js';
import { handler as listQueries } from '../../handlers/listQueries.js';
import { handler as startExecution } from '../../handlers/startExecution.js';
import type { ProxyHandler } from './httpHandler.js';

export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** API Gateway resource path, with {name} for a path parameter. */
  readonly resource: string;
  /** The handler module under src/handlers, which is also the Lambda function's entry. */
  readonly module: string;
  readonly handler: ProxyHandler;
  /** Served by the local server only (on AWS, S3 serves the CSV). */
  readonly localOnly?: boolean;
}

export const ROUTES: readonly Route[] = [
  { method: 'GET', resource: '/health', module: 'health', handler: health },
  { method: 'GET', resource: '/v1/queries', module: 'listQueries', handler: listQueries },
  { method: 'POST', resource: '/v1/executions', module: 'startExecution', handler: startExecution },
  { method: 'GET', resource: '/v1/executions/{executionId}', module: 'getExecution', handler: getExecution },
  {
    method: 'DELETE',
    resource: '/v1/executions/{executionId}',
    module: 'cancelExecution',
    handler: cancelExecution,
  },
  {
    method: 'GET',
    resource: '/v1/executions/{executionId}/results',
    module: 'getResults',
    handler: getResults,
  },
  { method: 'GET', resource: '/v1/executions/{executionId}/csv', module: 'getCsv', handler: getCsv },
  {
    method: 'GET',
    resource: '/v1/downloads/{executionId}',
    module: 'downloadResult',
    handler: downloadResult,
    localOnly: true,
  },
];

const compiled = ROUTES.map((route) => ({
  route,
  pattern: new RegExp(`^${route.resource.replaceAll(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`),
}));

export type RouteMatch =
  | { kind: 'found'; route: Route; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

export const matchRoute = (method: string, pathname: string): RouteMatch => {
  const matching = compiled.flatMap(({ route, pattern }) => {
    const m = pattern.exec(pathname);
    return m ? [{ route, pathParameters: { ...m.groups } }] : [];
  });
  const hit = matching.find((m) => m.route.method === method);
  if (hit) return { kind: 'found', ...hit };
  if (matching.length > 0) return { kind: 'method-not-allowed', allow: matching.map((m) => m.route.method) };
  return { kind: 'not-found' };
};
