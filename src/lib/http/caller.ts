/**
 * Who is calling, as API Gateway authenticated them: the IAM principal that signed the request
 * (its ARN), or, without one, the API key's id. Executions on AWS belong to that principal.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Config } from '../config.js';
import type { Caller } from '../engines/queryEngine.js';

export const principalOf = (event: APIGatewayProxyEvent): string | undefined => {
  const { userArn, apiKeyId } = event.requestContext?.identity ?? {};
  return userArn ?? (apiKeyId ? `apiKey:${apiKeyId}` : undefined);
};

/** The caller of a request, auditor or not by the configuration's list. */
export const callerOf = (principal: string | undefined, config: Config): Caller => ({
  principal,
  auditor:
    principal !== undefined &&
    config.TRAILHOUND_ENGINE === 'athena' &&
    config.TRAILHOUND_AUDITORS.includes(principal),
});
