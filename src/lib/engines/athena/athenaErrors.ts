/**
 * Turns what Athena and S3 answer into engine errors a caller can act on: an unknown execution,
 * throttling that outlasted its retries (retry after a few seconds), a refused request, and any
 * other AWS failure as "unavailable", saying which call failed and why, never a raw stack.
 */

import { isThrottling } from '../../aws/throttleRetry.js';
import {
  EngineRefusedError,
  EngineUnavailableError,
  ExecutionNotFoundError,
  IdempotencyMismatchError,
} from '../../errors.js';

const nameOf = (error: unknown) => (error instanceof Error ? error.name : 'Error');
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const NETWORK_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']);

export const toEngineError = (
  error: unknown,
  operation: string,
  executionId?: string,
  /** The service called, as the messages name it. */
  service = 'Athena',
): Error => {
  const name = nameOf(error);
  const message = messageOf(error);
  if (isThrottling(error)) {
    return new EngineUnavailableError(`${service} is throttling ${operation}; try again shortly.`, {
      cause: error,
      retryAfterSeconds: 5,
    });
  }
  if (
    executionId &&
    name === 'InvalidRequestException' &&
    /not found|does not exist|invalid/i.test(message)
  ) {
    return new ExecutionNotFoundError(executionId);
  }
  if (name === 'InvalidRequestException' && /idempoten/i.test(message)) {
    return new IdempotencyMismatchError();
  }
  if (name === 'InvalidRequestException') {
    return new EngineRefusedError(`Athena refused ${operation}: ${message}`, { cause: error });
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return new EngineUnavailableError(
      `This deployment is not allowed to call ${operation}: ${message}. Check the function's IAM role.`,
      { cause: error },
    );
  }
  if (name === 'ResourceNotFoundException' || name === 'NoSuchBucket') {
    return new EngineUnavailableError(`${operation} failed, a configured resource is missing: ${message}`, {
      cause: error,
    });
  }
  if (name === 'CredentialsProviderError') {
    return new EngineUnavailableError(
      `No AWS credentials are available to call ${operation}: on Lambda check the function's role; locally set AWS_PROFILE or the AWS_* variables.`,
      { cause: error },
    );
  }
  const code = (error as { code?: string })?.code;
  if (name === 'TimeoutError' || NETWORK_CODES.has(code ?? '')) {
    return new EngineUnavailableError(
      `${service} could not be reached for ${operation} (${code ?? name}); try again.`,
      { cause: error, retryAfterSeconds: 5 },
    );
  }
  if (name === 'InternalServerException' || (error as { $fault?: string })?.$fault === 'server') {
    return new EngineUnavailableError(`${service} failed ${operation} on its side: ${message}`, {
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(message);
};

/** Athena's ErrorCategory: 1 system, 2 user, 3 other. */
export const errorCategory = (category: number | undefined): string =>
  category === 1 ? 'SYSTEM' : category === 2 ? 'USER' : 'OTHER';
