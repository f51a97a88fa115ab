/** One server over every vendored set, shared by a test file, and a way to run a query to its end. */
import { afterAll, beforeAll } from 'vitest';
import { runToEnd } from './apiClient.js';
import { mergedLogsDir, type RawRecord } from './cloudtrailData.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from './testServer.js';

export const useQueryServer = (options: { detectionExamples?: boolean } = {}) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(await duckDbTestRuntime(await mergedLogsDir(options)));
  });
  afterAll(async () => {
    await server.close();
  });
  return {
    run: async (query: string, parameters: Record<string, unknown>, from: string, to: string) =>
      (await runToEnd(server.baseUrl, { query, parameters, from, to })).rows,
    get baseUrl() {
      return server.baseUrl;
    },
  };
};

/** Event ids, sorted: of raw records (the expected answer) and of result rows (the answer given). */
export const ids = (records: RawRecord[]) => records.map((r) => r.eventID as string).sort();
export const rowIds = (rows: Record<string, unknown>[]) => rows.map((r) => r.eventid as string).sort();

/** The day of the invictus simulation, and of the records written from AWS's examples. */
export const INVICTUS_DAY = ['2023-07-10T00:00:00Z', '2023-07-11T00:00:00Z'] as const;
export const DOC_EXAMPLES_DAY = ['2024-03-05T00:00:00Z', '2024-03-06T00:00:00Z'] as const;
