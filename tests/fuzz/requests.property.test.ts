/**
 * Property: whatever a client sends, generated from the JSON Schemas the API publishes and bent
 * by fast-check, the server answers without a 5xx, refuses with a problem document, and stays up.
 * Run on both engines; the fuzz script (runFuzz.ts) does the same at length.
 */
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAthenaConfig } from '../../src/lib/config.js';
import { createAthenaRuntime } from '../../src/lib/engines/athena/athenaRuntime.js';
import { AthenaDouble } from '../helpers/athenaDouble.js';
import { DATA_DIR } from '../helpers/cloudtrailData.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';
import { anyRequest, type CatalogEntry } from './requestArbitraries.js';
import { answerProblems, sendRequest } from './sendRequest.js';

const LOGS = path.join(DATA_DIR, 'invictus-attack-simulation');
const RUNS = 150;

const double = new AthenaDouble({ logsDir: LOGS, workGroup: 'wg' });
const servers: Record<string, TestServer> = {};
beforeAll(async () => {
  servers.duckdb = await startTestServer(await duckDbTestRuntime(LOGS));
  servers.athena = await startTestServer(
    await createAthenaRuntime(loadAthenaConfig({ TRAILHOUND_ATHENA_WORKGROUP: 'wg' }), {
      athena: double.athena,
      s3: double.s3,
    }),
  );
});
afterAll(async () => {
  for (const server of Object.values(servers)) await server.close();
  await double.close();
});

describe.each(['duckdb', 'athena'])('generated requests on %s', (engine) => {
  it('never get a 5xx, refuse with problem+json, and leave the server up', async () => {
    const server = servers[engine] as TestServer;
    const catalog = (await (await fetch(`${server.baseUrl}/v1/queries`)).json()).queries as CatalogEntry[];
    await fc.assert(
      fc.asyncProperty(anyRequest(catalog), async (request) => {
        expect(answerProblems(request, await sendRequest(server.baseUrl, request))).toEqual([]);
      }),
      { numRuns: RUNS, seed: 20261127 },
    );
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
  }, 300_000);
});
