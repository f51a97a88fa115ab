/**
 * Turns what Athena and S3 answer into errors a caller can act on: an unknown execution is a 404,
 * throttling that outlasted its retries a 503 with Retry-After, a refused request a 400, and any
 * other AWS failure a 503 that says which call failed and why, never a raw stack.
 */

import { isThrottling } from '../../aws/throttleRetry.js';
import { HttpError, NotFoundError, ServiceUnavailableError, ValidationError } from '../../errors.js';

const nameOf = (error: unknown) => (error instanceof Error ? error.name : 'Error');
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const toApiError = (error: unknown, operation: string, executionId?: string): Error => {
  if (error instanceof HttpError) return error;
  const name = nameOf(error);
  const message = messageOf(error);
  if (isThrottling(error)) {
    return new ServiceUnavailableError(`Athena is throttling ${operation}; try again shortly.`, {
      cause: error,
      retryAfterSeconds: 5,
    });
  }
  if (
    executionId &&
    name === 'InvalidRequestException' &&
    /not found|does not exist|invalid/i.test(message)
  ) {
    return new NotFoundError(`No execution ${executionId}`);
  }
  if (name === 'InvalidRequestException') {
    const detail = `Athena refused ${operation}: ${message}`;
    return new ValidationError([{ pointer: '#/body', detail }], detail);
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return new ServiceUnavailableError(
      `This deployment is not allowed to call ${operation}: ${message}. Check the function's IAM role.`,
      { cause: error },
    );
  }
  if (name === 'ResourceNotFoundException' || name === 'NoSuchBucket') {
    return new ServiceUnavailableError(`${operation} failed, a configured resource is missing: ${message}`, {
      cause: error,
    });
  }
  if (name === 'CredentialsProviderError') {
    return new ServiceUnavailableError(
      `No AWS credentials are available to call ${operation}: on Lambda check the function's role; locally set AWS_PROFILE or the AWS_* variables.`,
      { cause: error },
    );
  }
  const code = (error as { code?: string })?.code;
  if (
    name === 'TimeoutError' ||
    ['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN'].includes(code ?? '')
  ) {
    return new ServiceUnavailableError(
      `Athena could not be reached for ${operation} (${code ?? name}); try again.`,
      {
        cause: error,
        retryAfterSeconds: 5,
      },
    );
  }
  if (name === 'InternalServerException' || (error as { $fault?: string })?.$fault === 'server') {
    return new ServiceUnavailableError(`Athena failed ${operation} on its side: ${message}`, {
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(message);
};

/** Athena's ErrorCategory: 1 system, 2 user, 3 other. */
export const errorCategory = (category: number | undefined): string =>
  category === 1 ? 'SYSTEM' : category === 2 ? 'USER' : 'OTHER';
