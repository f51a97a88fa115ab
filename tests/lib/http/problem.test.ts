import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  EngineRefusedError,
  EngineUnavailableError,
  ExecutionNotFoundError,
  ExecutionStateError,
  IdempotencyMismatchError,
  PageTokenError,
  QueueFullError,
  UnknownQueryError,
  WatchInvalidError,
} from '../../../src/lib/errors.js';
import { ValidationError } from '../../../src/lib/http/httpErrors.js';
import { problem, toHttpError } from '../../../src/lib/http/problem.js';

describe('toHttpError', () => {
  it('gives each library and engine error its HTTP meaning', () => {
    const cases: [Error, number, Record<string, unknown>][] = [
      [new ExecutionNotFoundError('x'), 404, {}],
      [new UnknownQueryError('nope', ['mentions']), 404, {}],
      [new ExecutionStateError('running', 'RUNNING'), 409, { state: 'RUNNING' }],
      [new PageTokenError(), 400, { errors: [{ pointer: '#/query/nextToken', detail: expect.any(String) }] }],
      [
        new EngineRefusedError('Athena refused it'),
        400,
        { errors: [{ pointer: '#/body', detail: 'Athena refused it' }] },
      ],
      [new EngineUnavailableError('throttled', { retryAfterSeconds: 5 }), 503, {}],
      [new QueueFullError(100, 5), 429, {}],
      [new IdempotencyMismatchError('x'), 422, {}],
      [
        new WatchInvalidError('w', [{ pointer: '#/body/lookback', detail: 'at most the window limit' }]),
        422,
        {},
      ],
    ];
    for (const [error, status, extensions] of cases) {
      const mapped = toHttpError(error);
      expect(mapped?.status, error.name).toBe(status);
      expect(mapped?.extensions(), error.name).toMatchObject(extensions);
      if (!(error instanceof PageTokenError)) expect(mapped?.message, error.name).toBe(error.message);
    }
    expect(toHttpError(new EngineUnavailableError('throttled', { retryAfterSeconds: 5 }))?.headers).toEqual({
      'Retry-After': '5',
    });
    expect(toHttpError(new QueueFullError(100, 5))?.headers).toEqual({ 'Retry-After': '5' });
    expect(JSON.parse(problem(new IdempotencyMismatchError(), 'r').body).type).toBe(
      'urn:trailhound:problem:idempotency-key-reused',
    );
  });

  it('has no meaning for a bug, which problem() answers as a plain 500', () => {
    expect(toHttpError(new CancelledError())).toBeUndefined();
    expect(toHttpError(new TypeError('x'))).toBeUndefined();
    const response = problem(new TypeError('x is not a function'), 'r-1');
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({
      type: 'urn:trailhound:problem:internal-server-error',
      title: 'Internal server error',
      status: 500,
      detail: 'An unexpected error occurred. Quote the requestId when you report it.',
      requestId: 'r-1',
    });
  });

  it('keeps every field problem of a validation error', () => {
    const error = new ValidationError([
      { pointer: '#/body/from', detail: 'a' },
      { pointer: '#/body/to', detail: 'b' },
    ]);
    expect(JSON.parse(problem(error, undefined).body).errors).toHaveLength(2);
  });
});
