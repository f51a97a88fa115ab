/**
 * Turns a route into a Lambda handler: the runtime put on the request context, the input parsed
 * and validated before the route runs, errors turned into problem+json after, one access log line
 * per request. The same function serves API Gateway and the local server; only the runtime
 * provider differs (a Lambda container makes its runtime once, the local server hands in its own).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { logger } from '../logging/logger.js';
import type { RuntimeProvider } from '../runtime.js';
import { CorsOriginsSchema } from './cors.js';
import { accessLog } from './middleware/accessLog.js';
import { cors } from './middleware/cors.js';
import { injectRuntime } from './middleware/injectRuntime.js';
import { problemDetails } from './middleware/problemDetails.js';
import { type InputContext, validateInput } from './middleware/validateInput.js';
import type { Route } from './route.js';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const logError = (error: unknown) => logger.error('unhandled error', error as Error);

export interface HttpHandlerOptions {
  /** Origins whose pages may read the answers; a Lambda function reads TRAILHOUND_CORS_ORIGINS. */
  readonly corsOrigins?: readonly string[];
}

/** The listed CORS origins of a Lambda function's environment (checked by the config too). */
const corsOriginsOfEnvironment = (): readonly string[] => {
  const parsed = CorsOriginsSchema.safeParse(process.env.TRAILHOUND_CORS_ORIGINS);
  if (!parsed.success) throw new Error('TRAILHOUND_CORS_ORIGINS lists something that is not an origin');
  return parsed.data;
};

export const httpHandler = (
  route: Route,
  provider?: RuntimeProvider,
  options: HttpHandlerOptions = {},
): ProxyHandler => {
  if (route.usesRuntime && !provider) throw new Error(`The ${route.name} route needs a runtime provider`);
  // onError runs in reverse order of use: problemDetails makes the response, cors adds its
  // headers, then accessLog logs it.
  const chain = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, InputContext>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(accessLog(logger))
    .use(cors(options.corsOrigins ?? corsOriginsOfEnvironment()))
    .use(problemDetails({ logError }));
  if (route.usesRuntime && provider) chain.use(injectRuntime(provider));
  const handler = chain
    .use(validateInput(route.input, { body: route.body }))
    .handler(async (event, context) => {
      const { input, runtime } = context;
      if (!route.usesRuntime) return route.handle(input, { event, context });
      if (!runtime) throw new Error('the runtime was not injected');
      return route.handle(input, { event, context, runtime });
    });
  return (event, context) => handler(event, context);
};
