/**
 * What the API refuses, or says, when a caller does something odd or hostile: run against each
 * engine, like the contract suite. Each case was seen to go wrong by an audit of the server.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/apiClient.js';
import type { TestServer } from '../helpers/testServer.js';
import type { ContractTarget } from './contractSuite.js';

const invictusDay = { from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' };
const valid = { query: 'principal-activity', parameters: { userName: 'bert-jan' }, ...invictusDay };

/** A GET with a Host header of the caller's choosing (fetch does not let one be set). */
const getWithHost = (url: string, host: string) =>
  new Promise<{ status: number; body: { url?: string } }>((resolve, reject) => {
    const request = httpRequest(url, { headers: { host } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
    request.on('error', reject);
    request.end();
  });

/** A request as written, with a target or headers fetch would not send (`//[`, a header named __proto__). */
const rawRequest = (baseUrl: string, method: string, target: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number }>((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const request = httpRequest({ hostname, port, method, path: target }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
    });
    for (const [name, value] of Object.entries(headers)) request.setHeader(name, value);
    request.on('error', reject);
    request.end();
  });

const rawPost = (baseUrl: string, body: string, headers: Record<string, string>) =>
  fetch(`${baseUrl}/v1/executions`, { method: 'POST', body, headers });

export const defineHardeningSuite = (engine: string, target: ContractTarget) => {
  describe(`hardening on ${engine}`, () => {
    let server: TestServer;
    let base: string;
    beforeAll(async () => {
      server = await target.start({});
      base = server.baseUrl;
    });
    afterAll(async () => server.close());

    it('refuses a body that is not declared JSON with 415, and starts nothing', async () => {
      const variants: Record<string, string>[] = [
        { 'content-type': 'text/plain' },
        {},
        { 'content-type': 'application/x-www-form-urlencoded' },
      ];
      for (const headers of variants) {
        const response = await rawPost(base, JSON.stringify(valid), headers);
        expect(response.status, JSON.stringify(headers)).toBe(415);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(response.headers.get('accept')).toBe('application/json');
      }
      const charset = await rawPost(base, JSON.stringify(valid), {
        'content-type': 'application/json; charset=utf-8',
      });
      expect(charset.status).toBe(202);
    });

    it('answers a malformed percent-escape in the path with 400, not 500', async () => {
      const response = await call(base, 'GET', '/v1/executions/%ZZ');
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ pointer: '#/path/executionId', detail: expect.any(String) }]);
    });

    it('answers an Idempotency-Key reused for a different request with 422, and the same request with the first execution', async () => {
      const key = { 'Idempotency-Key': `hardening-${engine.replaceAll(/\W/g, '')}-key-0123456789abcdef` };
      const first = await call(base, 'POST', '/v1/executions', valid, key);
      const again = await call(base, 'POST', '/v1/executions', valid, key);
      expect(again.body.executionId).toBe(first.body.executionId);
      const other = await call(
        base,
        'POST',
        '/v1/executions',
        { ...valid, parameters: { userName: 'someone-else' } },
        key,
      );
      expect(other.status).toBe(422);
      expect(other.body).toMatchObject({
        type: 'urn:trailhound:problem:idempotency-key-reused',
        status: 422,
      });
      // Without `to` the window ends at each request's time: a retry could not ask the same one.
      const { to: _to, ...untilNow } = { ...valid, from: new Date(Date.now() - 86_400_000).toISOString() };
      const open = await call(base, 'POST', '/v1/executions', untilNow, {
        'Idempotency-Key': `hardening-${engine.replaceAll(/\W/g, '')}-no-to-0123456789abcdef`,
      });
      expect(open.status).toBe(400);
      expect(open.body.errors).toEqual([
        { pointer: '#/body/to', detail: expect.stringMatching(/^required with an Idempotency-Key/) },
      ]);
    });

    it('says so when the window holds no logs, instead of a silent empty answer', async () => {
      const response = await call(base, 'POST', '/v1/executions?wait=20', {
        ...valid,
        from: '2031-01-01T00:00:00Z',
        to: '2031-01-02T00:00:00Z',
      });
      expect(response.body.state).toBe('SUCCEEDED');
      expect(response.body.results.rows).toEqual([]);
      expect(response.body.warnings).toEqual([expect.stringMatching(/No log file of the window was read/)]);
      const found = await call(base, 'POST', '/v1/executions?wait=20', valid);
      expect(found.body).not.toHaveProperty('warnings');
    });

    it('refuses a list that Athena could not take as one parameter, naming the field', async () => {
      const eventNames = Array.from({ length: 50 }, (_, i) => `VeryLongEventNameNumber${i}ThatIsReal`);
      const response = await call(base, 'POST', '/v1/executions', {
        query: 'events',
        parameters: { eventNames },
        ...invictusDay,
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { pointer: '#/body/parameters/eventNames', detail: expect.stringMatching(/1,022/) },
      ]);
    });

    it('answers query keys and headers named after Object members, and a target that is no URL, with 4xx, not 500', async () => {
      for (const path of [
        '/v1/executions?constructor=1',
        '/v1/executions?__proto__=1',
        '/v1/executions?toString=x&hasOwnProperty=y',
      ]) {
        const response = await call(base, 'GET', path);
        expect(response.status, path).toBe(400);
        expect(response.body.errors[0].pointer, path).toMatch(/^#\/query/);
      }
      expect((await call(base, 'GET', '/v1/queries?constructor=1&__proto__=2')).status).toBe(200);
      const headers = await rawRequest(base, 'GET', '/v1/queries', {
        constructor: 'x',
        __proto__: 'y',
        'x-hasOwnProperty': 'z',
      });
      expect(headers.status).toBe(200);
      for (const target of ['//[', '//[::1', '//evil.example/v1/queries']) {
        const odd = await rawRequest(base, 'GET', target);
        expect(odd.status, target).toBeGreaterThanOrEqual(400);
        expect(odd.status, target).toBeLessThan(500);
      }
    });

    it('refuses a parameter named __proto__, which a schema would pass over, rather than run unfiltered', async () => {
      for (const body of [
        '{"query":"events","parameters":{"__proto__":{"eventNames":["x"]}},"from":"2023-07-10T00:00:00Z","to":"2023-07-11T00:00:00Z"}',
        '{"__proto__":{"dryRun":true},"query":"events","parameters":{},"from":"2023-07-10T00:00:00Z","to":"2023-07-11T00:00:00Z"}',
      ]) {
        const response = await rawPost(base, body, { 'content-type': 'application/json' });
        expect(response.status, body).toBe(400);
        expect((await response.json()).errors[0].detail).toMatch(/__proto__/);
      }
    });

    it('refuses a callback URL that is not a URL with 400, not 500', async () => {
      for (const url of ['x', '', 'http://', '://nohost', 'https://user:pass@hooks.example.com/x']) {
        const response = await call(base, 'POST', '/v1/executions', { ...valid, notify: { url } });
        expect(response.status, url).toBe(400);
        expect(
          response.body.errors.map((e: { pointer: string }) => e.pointer),
          url,
        ).toContain('#/body/notify/url');
      }
    });

    it("never lets a caller's Host header choose where a CSV link points", async () => {
      const run = await call(base, 'POST', '/v1/executions?wait=20', {
        query: 'security-group-ingress',
        parameters: { groupId: 'sg-04cfb7a4712d75b00' },
        ...invictusDay,
      });
      const link = await getWithHost(`${base}/v1/executions/${run.body.executionId}/csv`, 'evil.example:80');
      expect(link.status).toBe(303);
      expect(link.body.url).not.toContain('evil.example');
    });
  });
};
