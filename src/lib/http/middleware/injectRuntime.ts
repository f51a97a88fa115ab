/**
 * middy before middleware: puts the runtime (configuration and engine) on the request context,
 * from the provider the handler was built with. Handlers read it from there and nowhere else.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Runtime, RuntimeProvider } from '../../runtime.js';

export interface RuntimeContext extends Context {
  runtime?: Runtime;
}

export const injectRuntime = (
  provider: RuntimeProvider,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, RuntimeContext> => {
  const injectRuntimeBefore: middy.MiddlewareFn<
    APIGatewayProxyEvent,
    APIGatewayProxyResult,
    Error,
    RuntimeContext
  > = async (request) => {
    request.context.runtime = await provider();
  };
  return { before: injectRuntimeBefore };
};
