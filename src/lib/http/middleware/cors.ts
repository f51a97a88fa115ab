/**
 * middy middleware: the CORS headers on every answer, problem documents included, for a request
 * whose Origin is listed (see ../cors.ts). Used before problemDetails, so that on an error it runs
 * after the problem document has been made.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { corsResponseHeaders, headerOf } from '../cors.js';

export const cors = (
  allowed: readonly string[],
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => {
  const addHeaders: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = async (request) => {
    if (!request.response) return;
    const headers = corsResponseHeaders(allowed, headerOf(request.event.headers, 'origin'));
    request.response = { ...request.response, headers: { ...request.response.headers, ...headers } };
  };
  return { after: addHeaders, onError: addHeaders };
};
