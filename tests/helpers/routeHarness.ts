/**
 * One route called as API Gateway calls it (a proxy event through httpHandler: validation, the
 * handler, problem+json), on an engine that answers what a test gives it and records every call,
 * so that a handler's test says what the handler asks of the engine and what it answers.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { loadAthenaConfig } from '../../src/lib/config.js';
import type { QueryEngine } from '../../src/lib/engines/queryEngine.js';
import { httpHandler } from '../../src/lib/http/httpHandler.js';
import type { Route } from '../../src/lib/http/route.js';
import type { Runtime } from '../../src/lib/runtime.js';
import { lambdaContext, proxyEvent } from './proxyEvents.js';

/** The principal of the fixture's proxy event (tests/fixtures/events), who signed every request. */
export const FIXTURE_PRINCIPAL = 'arn:aws:sts::111122223333:assumed-role/incident-responder/responder';

interface EngineCall {
  readonly method: keyof QueryEngine;
  readonly args: readonly unknown[];
}

/** An engine whose methods are `answers`' (any other throws), recording each call. */
export const recordingEngine = (answers: Partial<QueryEngine>) => {
  const calls: EngineCall[] = [];
  const engine = new Proxy({} as QueryEngine, {
    get: (_target, method: keyof QueryEngine) => {
      const answer = answers[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
      return async (...args: unknown[]) => {
        calls.push({ method, args });
        if (!answer) throw new Error(`the test gave no answer for engine.${String(method)}`);
        return answer(...args);
      };
    },
  });
  return { engine, calls };
};

export interface RouteRequest {
  readonly path?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly requestContext?: Record<string, unknown>;
}

export interface RouteAnswer {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  /** The body, parsed when it is JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: answer bodies are checked field by field
  readonly body: any;
}

export const callRoute = async (
  route: Route,
  request: RouteRequest = {},
  runtime: Partial<Runtime> = {},
): Promise<RouteAnswer> => {
  const event = proxyEvent({
    httpMethod: route.method,
    resource: route.resource,
    pathParameters: request.path ?? null,
    queryStringParameters: request.query ?? null,
    headers: {
      ...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...request.headers,
    },
    body: request.body === undefined ? null : JSON.stringify(request.body),
  });
  if (request.requestContext) Object.assign(event.requestContext, request.requestContext);
  const config = runtime.config ?? loadAthenaConfig({});
  const handler = httpHandler(
    route,
    async () => ({ ...runtime, config, engine: runtime.engine ?? recordingEngine({}).engine }),
    {
      corsOrigins: [],
    },
  );
  const answer: APIGatewayProxyResult = await handler(event, lambdaContext());
  const type = String(answer.headers?.['Content-Type'] ?? '');
  return {
    status: answer.statusCode,
    headers: answer.headers ?? {},
    body: /json/.test(type) ? JSON.parse(answer.body) : answer.body,
  };
};
