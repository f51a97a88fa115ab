/**
 * middy onError middleware: the one place where an error becomes a response, always
 * application/problem+json (see problem.ts). Errors that have no HTTP meaning are logged with
 * their stack and answered with a 500 that exposes nothing.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { problem, toHttpError } from '../problem.js';

export interface ProblemDetailsOptions {
  readonly logError?: (error: unknown, requestId: string | undefined) => void;
}

const defaults: Required<ProblemDetailsOptions> = {
  logError: (error, requestId) =>
    console.error(
      JSON.stringify({ level: 'ERROR', requestId, error: String(error), stack: (error as Error)?.stack }),
    ),
};

export const problemDetails = (
  options: ProblemDetailsOptions = {},
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => {
  const { logError } = { ...defaults, ...options };
  const problemDetailsOnError: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = async (
    request,
  ) => {
    const requestId = request.event?.requestContext?.requestId ?? request.context?.awsRequestId;
    if (!toHttpError(request.error)) logError(request.error, requestId);
    request.response = problem(request.error, requestId);
  };
  return { onError: problemDetailsOnError };
};
