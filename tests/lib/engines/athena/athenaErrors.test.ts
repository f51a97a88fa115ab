import {
  InternalServerException,
  InvalidRequestException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { describe, expect, it } from 'vitest';
import { errorCategory, toEngineError } from '../../../../src/lib/engines/athena/athenaErrors.js';
import {
  EngineRefusedError,
  EngineUnavailableError,
  ExecutionNotFoundError,
} from '../../../../src/lib/errors.js';

const meta = { $metadata: {} };

describe('toEngineError', () => {
  it('maps each kind of AWS failure to an engine error a caller can act on', () => {
    const cases: [Error, new (...args: never[]) => Error, RegExp][] = [
      [
        new TooManyRequestsException({ message: 'Rate exceeded', ...meta }),
        EngineUnavailableError,
        /throttling/,
      ],
      [
        new InvalidRequestException({ message: 'line 1:1: mismatched input', ...meta }),
        EngineRefusedError,
        /refused/,
      ],
      [
        Object.assign(new Error('not authorized to perform athena:StartQueryExecution'), {
          name: 'AccessDeniedException',
        }),
        EngineUnavailableError,
        /IAM role/,
      ],
      [
        new ResourceNotFoundException({ message: 'WorkGroup trailhound is not found', ...meta }),
        EngineUnavailableError,
        /missing/,
      ],
      [new InternalServerException({ message: 'boom', ...meta }), EngineUnavailableError, /on its side/],
      [
        Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        }),
        EngineUnavailableError,
        /credentials/,
      ],
      [
        Object.assign(new Error('getaddrinfo ENOTFOUND athena.us-east-1.amazonaws.com'), {
          code: 'ENOTFOUND',
        }),
        EngineUnavailableError,
        /could not be reached/,
      ],
    ];
    for (const [error, kind, detail] of cases) {
      const mapped = toEngineError(error, 'StartQueryExecution');
      expect(mapped, error.name).toBeInstanceOf(kind);
      expect(mapped.message, error.name).toMatch(detail);
    }
  });

  it('an unknown execution id is not found, not a refusal', () => {
    const error = new InvalidRequestException({ message: 'QueryExecution 6f1a was not found', ...meta });
    expect(toEngineError(error, 'GetQueryExecution', '6f1a')).toBeInstanceOf(ExecutionNotFoundError);
    expect(toEngineError(error, 'GetQueryExecution')).toBeInstanceOf(EngineRefusedError);
  });

  it('throttling says to retry after 5 s; a bug stays a bug', () => {
    const throttled = toEngineError(new TooManyRequestsException({ message: 'x', ...meta }), 'op');
    expect((throttled as EngineUnavailableError).retryAfterSeconds).toBe(5);
    const bug = new TypeError('undefined is not a function');
    expect(toEngineError(bug, 'op')).toBe(bug);
  });

  it("names the service called, for the integrity checks' calls to S3 and Lambda", () => {
    const slowDown = Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' });
    const throttled = toEngineError(slowDown, 'GetObject (an integrity check)', undefined, 'S3');
    expect(throttled.message).toBe('S3 is throttling GetObject (an integrity check); try again shortly.');
    expect((throttled as EngineUnavailableError).retryAfterSeconds).toBe(5);
  });
});

describe('errorCategory', () => {
  it("names Athena's numeric categories", () => {
    expect([1, 2, 3, undefined].map(errorCategory)).toEqual(['SYSTEM', 'USER', 'OTHER', 'OTHER']);
  });
});
