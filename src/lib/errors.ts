/**
 * What the library and the engines raise (an unknown execution, a state that forbids the call, a
 * service refusing or unreachable, a bad configuration): they say what happened and know nothing
 * of HTTP. The edge (src/lib/http/problem.ts) turns them into the HttpErrors of
 * src/lib/http/httpErrors.ts, and is the one place where either becomes application/problem+json.
 * Anything else thrown is a bug and becomes a plain 500.
 */
import type { ExecutionState } from './engines/queryEngine.js';

/** No execution with this id, as far as this engine (and, on AWS, this workgroup) knows. */
export class ExecutionNotFoundError extends Error {
  override readonly name = 'ExecutionNotFoundError';
  constructor(readonly executionId: string) {
    super(`No execution ${executionId}`);
  }
}

/** No integrity check with this id. */
export class IntegrityCheckNotFoundError extends Error {
  override readonly name = 'IntegrityCheckNotFoundError';
  constructor(readonly checkId: string) {
    super(`No integrity check ${checkId}`);
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

/** This deployment has no such capability (a runtime configured without integrity checks or an evidence key). */
export class CapabilityUnavailableError extends Error {
  override readonly name = 'CapabilityUnavailableError';
}

/** A check that would hash more of the logs than one check may. */
export class IntegrityBoundError extends Error {
  override readonly name = 'IntegrityBoundError';
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(
      `The window's log files are ${bytes} bytes, over the ${maxBytes} bytes one integrity check may hash (TRAILHOUND_INTEGRITY_MAX_BYTES): narrow the window, or check it in parts`,
    );
  }
}

/** No watch with this id. */
export class WatchNotFoundError extends Error {
  override readonly name = 'WatchNotFoundError';
  constructor(readonly watchId: string) {
    super(`No watch ${watchId}`);
  }
}

/** A run of the watch is under way: two runs of one watch never overlap. */
export class WatchRunningError extends Error {
  override readonly name = 'WatchRunningError';
  constructor(
    readonly watchId: string,
    readonly executionId: string | undefined,
  ) {
    super(
      `A run of watch ${watchId} is under way${executionId ? ` (execution ${executionId})` : ''}: wait for it to end`,
    );
  }
}

/**
 * A kept watch no longer plans as a run: the deployment's limits changed since it was made (a
 * shorter window limit than its lookback, a lower budget than its maxBytesScanned).
 */
export class WatchInvalidError extends Error {
  override readonly name = 'WatchInvalidError';
  constructor(
    readonly watchId: string,
    readonly problems: readonly { readonly pointer: string; readonly detail: string }[],
  ) {
    super(
      `Watch ${watchId} cannot run under this deployment's limits (${problems.map((p) => `${p.pointer}: ${p.detail}`).join('; ')}): delete it and make it again within them`,
    );
  }
}

/** The deployment has as many watches as it allows. */
export class WatchLimitError extends Error {
  override readonly name = 'WatchLimitError';
  constructor(readonly maxWatches: number) {
    super(
      `This deployment has ${maxWatches} watches, the most it allows (TRAILHOUND_MAX_WATCHES): delete one first`,
    );
  }
}
