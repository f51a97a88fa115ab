/**
 * GET /v1/executions/{executionId}/csv: a 303 to the result's link, made for the address API
 * Gateway was reached on (never the Host header) and for the configured time.
 */
import { describe, expect, it } from 'vitest';
import { getCsv } from '../../src/handlers/getCsv.js';
import { loadAthenaConfig } from '../../src/lib/config.js';
import { callRoute, FIXTURE_PRINCIPAL, recordingEngine } from '../helpers/routeHarness.js';

const ID = '5dd2becb-5b63-4b5e-a3f2-3a7a9c1e0f11';
const LINK = {
  url: 'https://results.example.s3.amazonaws.com/r.csv?X-Amz-Signature=abc',
  expiresAt: '2026-01-01T00:15:00Z',
};

describe('GET /v1/executions/{executionId}/csv', () => {
  it("redirects to the engine's link, asked for the domain API Gateway was reached on and the link's lifetime", async () => {
    const { engine, calls } = recordingEngine({ getResultsLink: async () => LINK });
    const config = loadAthenaConfig({ TRAILHOUND_LINK_TTL_SECONDS: '300' });
    const answer = await callRoute(
      getCsv,
      {
        path: { executionId: ID },
        headers: { Host: 'evil.example' },
        requestContext: { domainName: 'api.example.com', stage: 'prod' },
      },
      { config, engine },
    );
    expect(answer.status).toBe(303);
    expect(answer.headers.Location).toBe(LINK.url);
    expect(answer.body).toEqual(LINK);
    expect(calls).toEqual([
      {
        method: 'getResultsLink',
        args: [
          ID,
          { expiresInSeconds: 300, requestBaseUrl: 'https://api.example.com' },
          { principal: FIXTURE_PRINCIPAL, auditor: false },
        ],
      },
    ]);
  });

  it('uses http for the local server (its stage is local)', async () => {
    const { engine, calls } = recordingEngine({ getResultsLink: async () => LINK });
    await callRoute(
      getCsv,
      { path: { executionId: ID }, requestContext: { domainName: '127.0.0.1:3000', stage: 'local' } },
      { engine },
    );
    expect(calls[0]?.args[1]).toMatchObject({ requestBaseUrl: 'http://127.0.0.1:3000' });
  });
});
