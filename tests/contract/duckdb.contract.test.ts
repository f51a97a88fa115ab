import { mergedLogsDir } from '../helpers/cloudtrailData.js';
import { duckDbTestRuntime, startTestServer } from '../helpers/testServer.js';
import { defineContractSuite } from './contractSuite.js';

let logsDir: Promise<string> | undefined;

defineContractSuite('the embedded engine (DuckDB)', {
  start: async ({ maxConcurrent }) => {
    logsDir ??= mergedLogsDir();
    const env: Record<string, string> = maxConcurrent
      ? { TRAILHOUND_MAX_CONCURRENT: String(maxConcurrent) }
      : {};
    return startTestServer(await duckDbTestRuntime(await logsDir, env));
  },
});
