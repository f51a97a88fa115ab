/**
 * The errors the API knows how to answer. Each carries its HTTP status; the problemDetails
 * middleware is the one place that turns them into application/problem+json. Anything else
 * thrown is a bug and becomes a plain 500.
 */

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

export class NotFoundError extends HttpError {
  override readonly name = 'NotFoundError';
  constructor(detail: string) {
    super(404, 'Not found', detail);
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

export class ForbiddenError extends HttpError {
  override readonly name = 'ForbiddenError';
  constructor(detail: string) {
    super(403, 'Forbidden', detail);
  }
}

export class ServiceUnavailableError extends HttpError {
  override readonly name = 'ServiceUnavailableError';
  constructor(detail: string, options?: ErrorOptions & { retryAfterSeconds?: number }) {
    super(503, 'Service unavailable', detail, {
      ...options,
      headers: options?.retryAfterSeconds ? { 'Retry-After': String(options.retryAfterSeconds) } : {},
    });
  }
}
