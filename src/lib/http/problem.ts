/**
 * The one place where an error becomes an HTTP answer: errors of the library and the engines are
 * mapped to their HTTP meaning here, and every answer is an RFC 9457 problem document. Anything
 * that is not a known error is a bug: the client gets a plain 500 with the request id to quote,
 * the stack stays in the log.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  CapabilityUnavailableError,
  EngineRefusedError,
  EngineUnavailableError,
  EstimateUnavailableError,
  ExecutionNotFoundError,
  ExecutionStateError,
  IdempotencyMismatchError,
  IntegrityBoundError,
  IntegrityCheckNotFoundError,
  PageTokenError,
  QueueFullError,
  ResultUnavailableError,
  UnknownQueryError,
  WatchInvalidError,
  WatchLimitError,
  WatchNotFoundError,
  WatchRunningError,
} from '../errors.js';
import {
  ConflictError,
  GoneError,
  HttpError,
  NotFoundError,
  NotImplementedError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnprocessableError,
  ValidationError,
} from './httpErrors.js';

/** The HTTP meaning of an error, or undefined when it is a bug. */
export const toHttpError = (error: unknown): HttpError | undefined => {
  if (error instanceof HttpError) return error;
  if (
    error instanceof ExecutionNotFoundError ||
    error instanceof UnknownQueryError ||
    error instanceof IntegrityCheckNotFoundError ||
    error instanceof WatchNotFoundError
  ) {
    return new NotFoundError(error.message);
  }
  if (error instanceof ExecutionStateError) return new ConflictError(error.message, error.state);
  if (error instanceof WatchRunningError) return new ConflictError(error.message, 'RUNNING');
  if (error instanceof WatchLimitError) return new UnprocessableError('Too many watches', error.message);
  if (error instanceof WatchInvalidError) return new UnprocessableError('Watch cannot run', error.message);
  if (error instanceof ResultUnavailableError) return new GoneError('Result unavailable', error.message);
  if (error instanceof PageTokenError) {
    return new ValidationError([{ pointer: '#/query/nextToken', detail: error.message }]);
  }
  if (error instanceof EngineRefusedError) {
    return new ValidationError([{ pointer: '#/body', detail: error.message }], error.message);
  }
  if (error instanceof QueueFullError)
    return new TooManyRequestsError(error.message, error.retryAfterSeconds);
  if (error instanceof IdempotencyMismatchError) {
    return new UnprocessableError('Idempotency key reused', error.message);
  }
  if (error instanceof EstimateUnavailableError) {
    return new UnprocessableError('Estimate unavailable', error.message);
  }
  if (error instanceof EngineUnavailableError) {
    return new ServiceUnavailableError(error.message, { retryAfterSeconds: error.retryAfterSeconds });
  }
  if (error instanceof CapabilityUnavailableError) return new NotImplementedError(error.message);
  if (error instanceof IntegrityBoundError)
    return new UnprocessableError('Integrity check too large', error.message);
  return undefined;
};

// A URN: stable and unique without pretending to be a page anyone can open.
const PROBLEM_TYPE_BASE = 'urn:trailhound:problem:';

const slug = (title: string) => title.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-');

export const problem = (error: unknown, requestId: string | undefined): APIGatewayProxyResult => {
  const known = toHttpError(error);
  const status = known ? known.status : 500;
  const title = known ? known.title : 'Internal server error';
  const body = {
    type: `${PROBLEM_TYPE_BASE}${slug(title)}`,
    title,
    status,
    detail: known ? known.message : 'An unexpected error occurred. Quote the requestId when you report it.',
    ...(requestId ? { requestId } : {}),
    ...(known ? known.extensions() : {}),
  };
  return {
    statusCode: status,
    headers: {
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      ...(known ? known.headers : {}),
    },
    body: JSON.stringify(body),
  };
};
