/**
 * CORS on a Lambda handler: a listed Origin gets the headers on every answer (problem documents
 * included), any other origin gets none, and a handler with no origins adds nothing at all.
 * The origins list refuses what is not an exact origin.
 */
import { describe, expect, it } from 'vitest';
import { getExecution } from '../../../../src/handlers/getExecution.js';
import { listQueries } from '../../../../src/handlers/listQueries.js';
import { CorsOriginsSchema } from '../../../../src/lib/http/cors.js';
import { httpHandler } from '../../../../src/lib/http/httpHandler.js';
import { lambdaContext, proxyEvent } from '../../../helpers/proxyEvents.js';

const TOOL = 'https://incidents.example.com';
const handler = httpHandler(listQueries, undefined, { corsOrigins: [TOOL, 'http://localhost:5173'] });

const get = (headers: Record<string, string>) =>
  handler(
    proxyEvent({
      httpMethod: 'GET',
      resource: '/v1/queries',
      path: '/v1/queries',
      pathParameters: null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      headers,
      multiValueHeaders: {},
    }),
    lambdaContext(),
  );

describe('CORS headers', () => {
  it('lets a listed origin read the answer, whatever the header case', async () => {
    for (const name of ['Origin', 'origin']) {
      const answer = await get({ [name]: TOOL });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers).toMatchObject({
        'Access-Control-Allow-Origin': TOOL,
        'Access-Control-Expose-Headers': 'Content-Disposition, Link, Location, Retry-After, X-Request-Id',
        Vary: 'Origin',
      });
    }
  });

  it('puts them on problem documents too', async () => {
    const failing = httpHandler(getExecution, () => Promise.reject(new Error('no engine today')), {
      corsOrigins: [TOOL],
    });
    const answer = await failing(proxyEvent({ headers: { Origin: TOOL } }), lambdaContext());
    expect(answer.statusCode).toBe(500);
    expect(answer.headers?.['Content-Type']).toBe('application/problem+json');
    expect(answer.headers?.['Access-Control-Allow-Origin']).toBe(TOOL);
  });

  it('names no origin that is not listed, even one that only starts like a listed one', async () => {
    for (const origin of [
      'https://evil.example.com',
      `${TOOL}.evil.example.com`,
      'null',
      TOOL.toUpperCase(),
    ]) {
      const answer = await get({ Origin: origin });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
      expect(answer.headers?.Vary).toBe('Origin');
    }
  });

  it('adds nothing when no origin is listed', async () => {
    const plain = httpHandler(listQueries, undefined, { corsOrigins: [] });
    const answer = await plain(
      proxyEvent({
        httpMethod: 'GET',
        resource: '/v1/queries',
        path: '/v1/queries',
        pathParameters: null,
        headers: { Origin: TOOL },
      }),
      lambdaContext(),
    );
    expect(answer.statusCode).toBe(200);
    expect(Object.keys(answer.headers ?? {}).filter((h) => /^(access-control|vary)/i.test(h))).toEqual([]);
  });
});

describe('TRAILHOUND_CORS_ORIGINS', () => {
  it('takes exact origins, comma-separated', () => {
    expect(CorsOriginsSchema.parse(' https://a.example.com, http://localhost:5173 ')).toEqual([
      'https://a.example.com',
      'http://localhost:5173',
    ]);
    expect(CorsOriginsSchema.parse(undefined)).toEqual([]);
  });

  it('refuses wildcards, paths, other schemes and upper case', () => {
    for (const bad of [
      '*',
      'https://*.example.com',
      'https://a.example.com/',
      'https://a.example.com/app',
      'ftp://a.example.com',
      'https://A.example.com',
      'a.example.com',
    ]) {
      expect(CorsOriginsSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});
