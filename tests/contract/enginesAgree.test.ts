/** Both engines answer the same request with identical JSON: same columns, same types, same rows in the same order. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAthenaConfig } from '../../src/lib/config.js';
import { createAthenaRuntime } from '../../src/lib/engines/athena/athenaRuntime.js';
import { QUERIES } from '../../src/queries/catalog.js';
import { exampleRequest } from '../../src/queries/queryDefinition.js';
import { runToEnd } from '../helpers/apiClient.js';
import { AthenaDouble } from '../helpers/athenaDouble.js';
import { mergedLogsDir } from '../helpers/cloudtrailData.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';

let duck: TestServer;
let athena: TestServer;
let double: AthenaDouble;

beforeAll(async () => {
  const logsDir = await mergedLogsDir();
  double = new AthenaDouble({ logsDir, workGroup: 'wg' });
  duck = await startTestServer(await duckDbTestRuntime(logsDir));
  athena = await startTestServer(
    await createAthenaRuntime(loadAthenaConfig({ TRAILHOUND_ATHENA_WORKGROUP: 'wg' }), {
      athena: double.athena,
      s3: double.s3,
    }),
  );
});
afterAll(async () => {
  await duck.close();
  await athena.close();
  await double.close();
});

/** Every page, in order, from one server. */
const allPages = async (server: TestServer, request: Record<string, unknown>) => {
  const run = await runToEnd(server.baseUrl, request, 500);
  return { bytesScanned: run.execution.body.statistics.bytesScanned, columns: run.columns, rows: run.rows };
};

const requests = [
  ...QUERIES.map(exampleRequest),
  {
    query: 'security-group-ingress',
    parameters: { groupId: 'sg-0123456789abcdef0', cidr: 'any' },
    from: '2024-03-05T00:00:00Z',
    to: '2024-03-06T00:00:00Z',
  },
  {
    query: 'security-group-ingress',
    parameters: { groupName: 'gw-aws-31-win' },
    from: '2014-09-27T00:00:00Z',
    to: '2014-09-28T00:00:00Z',
  },
  {
    query: 'principal-activity',
    parameters: { userName: 'alucloud171' },
    from: '2017-06-01T00:00:00Z',
    to: '2017-06-02T00:00:00Z',
  },
  // Every detection over the Stratus detonations: the same findings, in the same order.
  { query: 'sweep', parameters: {}, from: '2024-07-30T00:00:00Z', to: '2024-12-01T00:00:00Z' },
  { query: 'sweep', parameters: {}, from: '2017-05-01T00:00:00Z', to: '2018-05-01T00:00:00Z' },
  {
    query: 'mentions',
    parameters: { text: "it's" },
    from: '2017-06-01T00:00:00Z',
    to: '2017-06-08T00:00:00Z',
  },
];

describe('the embedded engine and Athena agree', () => {
  it.each(requests.map((r) => [`${r.query} ${JSON.stringify(r.parameters)}`, r]))(
    '%s',
    async (_label, request) => {
      const local = await allPages(duck, request);
      const remote = await allPages(athena, request);
      expect(remote.columns).toEqual(local.columns);
      expect(remote.rows).toEqual(local.rows);
      expect(remote.bytesScanned).toBe(local.bytesScanned);
    },
  );

  it("declares each query's columns as the SQL really types them", async () => {
    for (const query of QUERIES) {
      const result = await allPages(athena, {
        query: query.name,
        parameters: query.example.parameters,
        from: query.example.from,
        to: query.example.to,
      });
      expect(result.columns, query.name).toEqual(query.columns);
    }
  });
});
