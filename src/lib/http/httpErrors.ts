/**
 * The errors answered over HTTP: each carries its status, title and headers, and
 * src/lib/http/problem.ts writes it as application/problem+json. Handlers and the HTTP layer raise
 * them; engines never do (they raise src/lib/errors.ts's, which problem.ts maps to these).
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

/** The route exists, and this deployment cannot answer it (a capability of another target). */
export class NotImplementedError extends HttpError {
  override readonly name = 'NotImplementedError';
  constructor(detail: string) {
    super(501, 'Not implemented', detail);
  }
}
