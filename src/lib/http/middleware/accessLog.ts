/**
 * middy middleware: one structured log line per request, with the route, status and duration,
 * plus whatever keys the handler appended (query, executionId, bytesScanned). Query strings,
 * bodies and headers are not logged: they can hold values a log must not keep.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export const accessLog = (
  logger: Logger,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => {
  const started = new WeakMap<object, number>();
  const accessLogBefore: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = async (
    request,
  ) => {
    started.set(request, Date.now());
    logger.appendKeys({
      route: `${request.event.httpMethod} ${request.event.resource}`,
      requestId: request.event.requestContext?.requestId,
    });
  };
  const accessLogEnd: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = async (request) => {
    const status = request.response?.statusCode ?? 500;
    const durationMs = Date.now() - (started.get(request) ?? Date.now());
    (status >= 500 ? logger.error : logger.info).call(logger, 'request', { status, durationMs });
  };
  return { before: accessLogBefore, after: accessLogEnd, onError: accessLogEnd };
};
