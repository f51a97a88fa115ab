/** A real local server on an ephemeral port, with the runtime it is given. */
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DuckDbConfig, loadDuckDbConfig } from '../../src/lib/config.js';
import {
  createDuckDbRuntime,
  type DuckDbRuntimeOptions,
} from '../../src/lib/engines/duckdb/duckDbRuntime.js';
import type { Route } from '../../src/lib/http/route.js';
import type { Runtime } from '../../src/lib/runtime.js';
import { createLocalServer } from '../../src/local/localServer.js';
import { API_ROUTES } from '../../src/routes.js';

export interface TestServer {
  readonly baseUrl: string;
  readonly runtime: Runtime;
  close(): Promise<void>;
}

/**
 * The embedded engine over `logsDir`, with results, store and state directories of its own and no
 * background compaction unless `env` asks for it.
 */
export const duckDbTestRuntime = async (
  logsDir: string,
  env: Record<string, string> = {},
  options: DuckDbRuntimeOptions = {},
): Promise<Runtime> => {
  const resultsDir = await mkdtemp(path.join(tmpdir(), 'trailhound-results-'));
  const storeDir = await mkdtemp(path.join(tmpdir(), 'trailhound-store-'));
  const stateDir = await mkdtemp(path.join(tmpdir(), 'trailhound-state-'));
  return createDuckDbRuntime(
    loadDuckDbConfig({
      TRAILHOUND_LOGS_DIR: logsDir,
      TRAILHOUND_RESULTS_DIR: resultsDir,
      TRAILHOUND_STORE_DIR: storeDir,
      TRAILHOUND_STATE_DIR: stateDir,
      TRAILHOUND_COMPACT: 'off',
      ...env,
    }),
    options,
  );
};

/** A local server of `routes` (every route of the API by default) on `runtime`. */
export const startTestServer = async (
  runtime: Runtime,
  routes: readonly Route[] = API_ROUTES,
): Promise<TestServer> => {
  const server = createLocalServer({ runtime, routes });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  runtime.listening?.(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await runtime.recover?.();
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

/**
 * The server stopped as `npm start` stops on a signal (its port and its results directory given
 * up), then a new one started on the same configuration: a restart.
 */
export const restartTestServer = async (
  server: TestServer,
  options: DuckDbRuntimeOptions = {},
): Promise<TestServer> => {
  await server.close();
  await server.runtime.close?.();
  return startTestServer(await createDuckDbRuntime(server.runtime.config as DuckDbConfig, options));
};
