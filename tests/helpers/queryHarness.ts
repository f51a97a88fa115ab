/** One server over every vendored set, shared by a test file, and a way to run a query to its end. */
import { afterAll, beforeAll } from 'vitest';
import { runToEnd } from './apiClient.js';
import { mergedLogsDir } from './cloudtrailData.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from './testServer.js';

export const useQueryServer = () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(await duckDbTestRuntime(await mergedLogsDir()));
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
