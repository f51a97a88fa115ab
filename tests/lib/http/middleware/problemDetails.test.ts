import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ExecutionNotFoundError } from '../../../../src/lib/errors.js';
import { HttpError } from '../../../../src/lib/http/httpErrors.js';
import { httpHandler } from '../../../../src/lib/http/httpHandler.js';
import { schemaInput, staticRoute } from '../../../../src/lib/http/route.js';
import { logger } from '../../../../src/lib/logging/logger.js';
import { lambdaContext, proxyEvent } from '../../../helpers/proxyEvents.js';

const throwing = (error: unknown) =>
  httpHandler(
    staticRoute({
      name: 'fails',
      method: 'GET',
      resource: '/fails',
      input: schemaInput(z.object({})),
      handle: async () => {
        throw error;
      },
    }),
  );

const REQUEST_ID = proxyEvent().requestContext.requestId;

describe('problemDetails', () => {
  it('answers an HttpError with its status, title, detail, headers and extensions as problem+json', async () => {
    const error = new HttpError(429, 'Too many requests', 'slow down', { headers: { 'Retry-After': '7' } });
    const response = await throwing(error)(proxyEvent(), lambdaContext());
    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({
      'Content-Type': 'application/problem+json',
      'Retry-After': '7',
      'Cache-Control': 'no-store',
    });
    expect(JSON.parse(response.body)).toEqual({
      type: 'urn:trailhound:problem:too-many-requests',
      title: 'Too many requests',
      status: 429,
      detail: 'slow down',
      requestId: REQUEST_ID,
    });
  });

  it('answers an engine error with its HTTP meaning', async () => {
    const response = await throwing(new ExecutionNotFoundError('abc'))(proxyEvent(), lambdaContext());
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ title: 'Not found', detail: 'No execution abc' });
  });

  it('answers anything else with a 500 that says nothing but the request id, and logs the stack', async () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    try {
      const response = await throwing(new TypeError('secret internals at /srv/x.ts:12'))(
        proxyEvent(),
        lambdaContext(),
      );
      expect(response.statusCode).toBe(500);
      const body = JSON.parse(response.body);
      expect(body).toMatchObject({ status: 500, title: 'Internal server error', requestId: REQUEST_ID });
      expect(response.body).not.toContain('secret');
      expect(logged).toHaveBeenCalledWith('unhandled error', expect.any(TypeError));
    } finally {
      logged.mockRestore();
    }
  });
});
