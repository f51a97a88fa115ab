/**
 * Every error class of trailhound, in one module. Two families:
 * - what the library and the engines raise (an unknown execution, a state that forbids the call, a
 *   service refusing or unreachable): they say what happened and know nothing of HTTP;
 * - HttpErrors, which carry their status: the edge (src/lib/http/problem.ts) turns the first family
 *   into these, and is the one place where either becomes application/problem+json.
 * Anything else thrown is a bug and becomes a plain 500.
 */
import type { ExecutionState } from './engines/queryEngine.js';

// ---- Raised by the library and the engines -------------------------------------------------

/** No execution with this id, as far as this engine (and, on AWS, this workgroup) knows. */
export class ExecutionNotFoundError extends Error {
  override readonly name = 'ExecutionNotFoundError';
  constructor(readonly executionId: string) {
    super(`No execution ${executionId}`);
  }
}

/** The execution exists but its state forbids the call: results of a running one, cancelling an ended one. */
export class ExecutionStateError extends Error {
  override readonly name = 'ExecutionStateError';
  constructor(
    message: string,
    readonly state: ExecutionState | string,
  ) {
    super(message);
  }
}

/**
 * The execution SUCCEEDED but its result can no longer be read: its file is gone from the results
 * directory, or damaged past what can be rebuilt. Starting it again is the remedy.
 */
export class ResultUnavailableError extends Error {
  override readonly name = 'ResultUnavailableError';
  constructor(
    readonly executionId: string,
    reason: string,
  ) {
    super(`The result of execution ${executionId} is unavailable: ${reason}. Start the execution again.`);
  }
}

/** A nextToken that is not one this execution handed out. */
export class PageTokenError extends Error {
  override readonly name = 'PageTokenError';
  constructor(of = 'this execution') {
    super(`not a nextToken of ${of}; pass it back exactly as received`);
  }
}

/** The query service refused the request as invalid (Athena's InvalidRequestException). */
export class EngineRefusedError extends Error {
  override readonly name = 'EngineRefusedError';
}

/** The query service could not do the work now: throttled, unreachable, misconfigured or failing. */
export class EngineUnavailableError extends Error {
  override readonly name = 'EngineUnavailableError';
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, options?: ErrorOptions & { retryAfterSeconds?: number }) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** The engine has as many executions waiting as it takes: try again later. */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
  constructor(
    readonly waiting: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`${waiting} executions are already waiting to run; try again in ${retryAfterSeconds} s`);
  }
}

/** An Idempotency-Key already used for a different request. */
export class IdempotencyMismatchError extends Error {
  override readonly name = 'IdempotencyMismatchError';
  constructor(readonly executionId?: string) {
    super(
      `This Idempotency-Key started ${executionId ? `execution ${executionId}` : 'an execution'} for a different request; use a new key for a new request`,
    );
  }
}

/** An estimate the engine cannot make: no log location configured, or a window too large to list. */
export class EstimateUnavailableError extends Error {
  override readonly name = 'EstimateUnavailableError';
}

/** A request named a query the catalog does not have. */
export class UnknownQueryError extends Error {
  override readonly name = 'UnknownQueryError';
  constructor(
    readonly query: string,
    readonly known: readonly string[],
  ) {
    super(`No query named '${query}'. Known queries: ${known.join(', ')}`);
  }
}

/** A run of the embedded engine stopped because its execution was cancelled or ran out of time. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(reason = 'cancelled') {
    super(reason);
  }
}

/** A value that cannot become a SQL literal; values pass a zod allowlist first, so this is a bug. */
export class SqlLiteralError extends Error {
  override readonly name = 'SqlLiteralError';
}

/** The environment does not make a valid configuration; the message lists every bad variable. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

// ---- Answered over HTTP ---------------------------------------------------------------------

/** One invalid input field, as RFC 9457's `errors` extension member. */
export interface FieldProblem {
  /** JSON pointer into the request: `#/body/parameters/port`, `#/query/limit`. */
  readonly pointer: string;
  readonly detail: string;
}

export class HttpError extends Error {
  override readonly name: string = 'HttpError';
  readonly status: number;
  readonly title: string;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    title: string,
    detail: string,
    options?: ErrorOptions & { headers?: Record<string, string> },
  ) {
    super(detail, options);
    this.status = status;
    this.title = title;
    this.headers = options?.headers ?? {};
  }

  /** Members added to the problem document beyond type, title, status and detail. */
  extensions(): Record<string, unknown> {
    return {};
  }
}

export class ValidationError extends HttpError {
  override readonly name = 'ValidationError';
  readonly errors: readonly FieldProblem[];

  constructor(errors: readonly FieldProblem[], detail = 'The request has invalid fields; see errors.') {
    super(400, 'Invalid request', detail);
    this.errors = errors;
  }

  override extensions(): Record<string, unknown> {
    return { errors: this.errors };
  }
}

export class ForbiddenError extends HttpError {
  override readonly name = 'ForbiddenError';
  constructor(detail: string) {
    super(403, 'Forbidden', detail);
  }
}

export class NotFoundError extends HttpError {
  override readonly name = 'NotFoundError';
  constructor(detail: string) {
    super(404, 'Not found', detail);
  }
}

export class MethodNotAllowedError extends HttpError {
  override readonly name = 'MethodNotAllowedError';
  constructor(allow: readonly string[]) {
    super(405, 'Method not allowed', `This path accepts ${allow.join(', ')}`, {
      headers: { Allow: allow.join(', ') },
    });
  }
}

/** An execution refused before it started because its estimate is over the budget. */
export class BudgetExceededError extends HttpError {
  override readonly name = 'BudgetExceededError';
  /** `limit` is the request's or deployment's budget, or the workgroup's scan cutoff. */
  constructor(
    readonly estimate: Record<string, unknown>,
    readonly limit: { readonly bytes: number; readonly kind: 'budget' | 'cutoff' },
  ) {
    super(
      422,
      'Budget exceeded',
      limit.kind === 'budget'
        ? `The execution would scan up to ${estimate.bytesScanned} bytes, over its budget of ${limit.bytes} bytes (maxBytesScanned); nothing was started. Narrow the window, the accounts or the regions, or raise the budget.`
        : `The execution would scan up to ${estimate.bytesScanned} bytes, over the workgroup's scan cutoff of ${limit.bytes} bytes: Athena would cancel it after billing the cutoff, so nothing was started. Narrow the window, the accounts or the regions.`,
    );
  }
  override extensions(): Record<string, unknown> {
    return {
      estimate: this.estimate,
      ...(this.limit.kind === 'budget'
        ? { maxBytesScanned: this.limit.bytes }
        : { scanCutoffBytes: this.limit.bytes }),
    };
  }
}

/** The resource exists but is not in a state that allows the request (results of a running query). */
export class ConflictError extends HttpError {
  override readonly name = 'ConflictError';
  readonly state: string | undefined;
  constructor(detail: string, state?: string) {
    super(409, 'Conflict', detail);
    this.state = state;
  }
  override extensions(): Record<string, unknown> {
    return this.state ? { state: this.state } : {};
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor(accepted: string) {
    super(
      415,
      'Unsupported media type',
      `The body must be ${accepted}, with a Content-Type header saying so`,
      {
        headers: { Accept: accepted },
      },
    );
  }
}

/** A well-formed request that cannot be carried out as asked (an Idempotency-Key reused). */
export class UnprocessableError extends HttpError {
  override readonly name = 'UnprocessableError';
  constructor(title: string, detail: string) {
    super(422, title, detail);
  }
}

/** The Accept header names no format the route can answer in. */
export class NotAcceptableError extends HttpError {
  override readonly name = 'NotAcceptableError';
  constructor(readonly available: readonly string[]) {
    super(406, 'Not acceptable', `This route answers in ${available.join(', ')}; set Accept to one of them`);
  }
  override extensions(): Record<string, unknown> {
    return { available: this.available };
  }
}

export class TooManyRequestsError extends HttpError {
  override readonly name = 'TooManyRequestsError';
  constructor(detail: string, retryAfterSeconds: number) {
    super(429, 'Too many requests', detail, { headers: { 'Retry-After': String(retryAfterSeconds) } });
  }
}

/** What was there is no longer (a result file gone): 410, with no retry that could help. */
export class GoneError extends HttpError {
  override readonly name = 'GoneError';
  constructor(title: string, detail: string) {
    super(410, title, detail);
  }
}

export class PayloadTooLargeError extends HttpError {
  override readonly name = 'PayloadTooLargeError';
  constructor(maxBytes: number) {
    super(413, 'Payload too large', `The request body is over ${maxBytes} bytes`);
  }
}

export class ServiceUnavailableError extends HttpError {
  override readonly name = 'ServiceUnavailableError';
  constructor(detail: string, options?: ErrorOptions & { retryAfterSeconds?: number | undefined }) {
    super(503, 'Service unavailable', detail, {
      ...options,
      headers: options?.retryAfterSeconds ? { 'Retry-After': String(options.retryAfterSeconds) } : {},
    });
  }
}
