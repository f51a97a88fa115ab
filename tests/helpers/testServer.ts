/** A real local server on an ephemeral port, over an embedded engine with its own results directory. */
import { mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/lib/config.js';
import { createDuckDbRuntime } from '../../src/lib/engines/duckdb/duckDbRuntime.js';
import { createLocalServer } from '../../src/lib/http/localServer.js';
import { type Runtime, setRuntime } from '../../src/lib/runtime.js';

export interface TestServer {
  readonly baseUrl: string;
  readonly runtime: Runtime;
  close(): Promise<void>;
}

export const duckDbTestRuntime = async (
  logsDir: string,
  env: Record<string, string> = {},
): Promise<Runtime> => {
  const resultsDir = await mkdtemp(path.join(tmpdir(), 'trailhound-results-'));
  return createDuckDbRuntime(
    loadConfig({ TRAILHOUND_LOGS_DIR: logsDir, TRAILHOUND_RESULTS_DIR: resultsDir, ...env }),
  );
};

export const startTestServer = async (runtime: Runtime): Promise<TestServer> => {
  setRuntime(runtime);
  const server: Server = createLocalServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    runtime,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
