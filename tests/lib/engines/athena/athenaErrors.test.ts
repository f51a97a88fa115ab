import {
  InternalServerException,
  InvalidRequestException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { describe, expect, it } from 'vitest';
import { errorCategory, toApiError } from '../../../../src/lib/engines/athena/athenaErrors.js';
import {
  HttpError,
  NotFoundError,
  type ServiceUnavailableError,
  ValidationError,
} from '../../../../src/lib/errors.js';

const meta = { $metadata: {} };

describe('toApiError', () => {
  it('maps each kind of AWS failure to a status a caller can act on', () => {
    const cases: [Error, number, RegExp][] = [
      [new TooManyRequestsException({ message: 'Rate exceeded', ...meta }), 503, /throttling/],
      [new InvalidRequestException({ message: 'line 1:1: mismatched input', ...meta }), 400, /refused/],
      [
        Object.assign(new Error('not authorized to perform athena:StartQueryExecution'), {
          name: 'AccessDeniedException',
        }),
        503,
        /IAM role/,
      ],
      [
        new ResourceNotFoundException({ message: 'WorkGroup trailhound is not found', ...meta }),
        503,
        /missing/,
      ],
      [new InternalServerException({ message: 'boom', ...meta }), 503, /on its side/],
      [
        Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        }),
        503,
        /credentials/,
      ],
      [
        Object.assign(new Error('getaddrinfo ENOTFOUND athena.us-east-1.amazonaws.com'), {
          code: 'ENOTFOUND',
        }),
        503,
        /could not be reached/,
      ],
    ];
    for (const [error, status, detail] of cases) {
      const mapped = toApiError(error, 'StartQueryExecution');
      expect(mapped, error.name).toBeInstanceOf(HttpError);
      expect((mapped as HttpError).status, error.name).toBe(status);
      expect(mapped.message, error.name).toMatch(detail);
    }
  });

  it('an unknown execution id is a 404, not a 400', () => {
    const error = new InvalidRequestException({ message: 'QueryExecution 6f1a was not found', ...meta });
    expect(toApiError(error, 'GetQueryExecution', '6f1a')).toBeInstanceOf(NotFoundError);
    expect(toApiError(error, 'GetQueryExecution')).toBeInstanceOf(ValidationError);
  });

  it('throttling carries Retry-After; a bug stays a bug (500)', () => {
    const throttled = toApiError(
      new TooManyRequestsException({ message: 'x', ...meta }),
      'op',
    ) as ServiceUnavailableError;
    expect(throttled.headers['Retry-After']).toBe('5');
    const bug = new TypeError('undefined is not a function');
    expect(toApiError(bug, 'op')).toBe(bug);
  });
});

describe('errorCategory', () => {
  it("names Athena's numeric categories", () => {
    expect([1, 2, 3, undefined].map(errorCategory)).toEqual(['SYSTEM', 'USER', 'OTHER', 'OTHER']);
  });
});
