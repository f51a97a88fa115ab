/**
 * CORS on the local server, as a browser exercises it: a preflight (OPTIONS with
 * Access-Control-Request-Method) answered 204 with the resource's methods and the headers a
 * signed call sends, the origin named only when it is listed; then the real call's answer
 * carrying the origin, problem documents included. A server with no origins listed answers
 * OPTIONS as before (405) and adds no CORS header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_LOGS_DIR } from '../../src/lib/config.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';

const TOOL = 'http://localhost:5173';
let api: TestServer;
let plain: TestServer;

beforeAll(async () => {
  api = await startTestServer(
    await duckDbTestRuntime(SAMPLE_LOGS_DIR, {
      TRAILHOUND_CORS_ORIGINS: `https://incidents.example.com,${TOOL}`,
    }),
  );
  plain = await startTestServer(await duckDbTestRuntime(SAMPLE_LOGS_DIR));
});
afterAll(async () => {
  await api.close();
  await plain.close();
});

const preflight = (base: string, path: string, origin: string, method: string) =>
  fetch(`${base}${path}`, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': 'authorization,content-type,x-amz-date,x-amz-security-token',
    },
  });

describe('CORS preflight', () => {
  it('answers a listed origin with the methods of the resource and the headers a signed call sends', async () => {
    const answer = await preflight(api.baseUrl, '/v1/executions', TOOL, 'POST');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(TOOL);
    expect(answer.headers.get('access-control-allow-methods')).toBe('POST, GET, OPTIONS');
    const allowed = (answer.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(', ');
    for (const header of [
      'authorization',
      'content-type',
      'x-amz-date',
      'x-amz-security-token',
      'idempotency-key',
    ]) {
      expect(allowed).toContain(header);
    }
    expect(answer.headers.get('access-control-max-age')).toBe('600');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();

    const item = await preflight(
      api.baseUrl,
      '/v1/executions/2c6ee8c1-5dd3-4c58-a5a5-9e2d3e1b3c55',
      TOOL,
      'DELETE',
    );
    expect(item.status).toBe(204);
    expect(item.headers.get('access-control-allow-methods')).toBe('GET, DELETE, OPTIONS');
  });

  it('does not name an origin that is not listed', async () => {
    const answer = await preflight(api.baseUrl, '/v1/executions', 'https://evil.example.com', 'POST');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is a 404 on a path that is no route', async () => {
    const answer = await preflight(api.baseUrl, '/v1/nothing', TOOL, 'GET');
    expect(answer.status).toBe(404);
  });

  it('stays a 405 without CORS headers when no origin is listed', async () => {
    const answer = await preflight(plain.baseUrl, '/v1/executions', TOOL, 'POST');
    expect(answer.status).toBe(405);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${plain.baseUrl}/v1/queries`, { headers: { Origin: TOOL } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    expect(get.headers.get('vary')).toBeNull();
  });
});

describe('CORS on answers', () => {
  it('names the listed origin on a real execution, its Location readable', async () => {
    const answer = await fetch(`${api.baseUrl}/v1/executions`, {
      method: 'POST',
      headers: { Origin: TOOL, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        query: 'principal-activity',
        parameters: { userName: 'bert-jan' },
        from: '2023-07-10T00:00:00Z',
        to: '2023-07-11T00:00:00Z',
        dryRun: true,
      }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(TOOL);
    expect(answer.headers.get('access-control-expose-headers')).toContain('Location');
    expect(answer.headers.get('vary')).toBe('Origin');
  });

  it('names it on a problem document too, and on no answer to another origin', async () => {
    const bad = await fetch(`${api.baseUrl}/v1/executions/not-an-id`, { headers: { Origin: TOOL } });
    expect(bad.status).toBe(404);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(bad.headers.get('access-control-allow-origin')).toBe(TOOL);
    const other = await fetch(`${api.baseUrl}/v1/queries`, {
      headers: { Origin: 'https://evil.example.com' },
    });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
