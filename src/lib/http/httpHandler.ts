/**
 * Builds a Lambda handler for one route: input parsed and validated by a zod schema before the
 * handler runs, errors turned into problem+json after. The same function serves API Gateway and
 * the local server.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { z } from 'zod';
import { logger } from '../logging/logger.js';
import { accessLog } from './middleware/accessLog.js';
import { problemDetails } from './middleware/problemDetails.js';
import { type EventWithInput, validateInput } from './middleware/validateInput.js';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const NoInputSchema = z.object({});

export const httpHandler = <Schema extends z.ZodType = typeof NoInputSchema>(
  handle: (
    input: z.infer<Schema>,
    event: APIGatewayProxyEvent,
    context: Context,
  ) => Promise<APIGatewayProxyResult>,
  schema?: Schema,
): ProxyHandler => {
  // onError runs in reverse order of use: problemDetails makes the response, then accessLog logs it.
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(accessLog(logger))
    .use(problemDetails({ logError: (error) => logger.error('unhandled error', error as Error) }))
    .use(validateInput(schema ?? NoInputSchema))
    .handler(async (event, context) =>
      handle((event as EventWithInput<z.infer<Schema>>).input, event, context),
    );
  return (event, context) => handler(event, context);
};
