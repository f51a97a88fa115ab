/**
 * `npm start`: the API on this machine, on the embedded engine over TRAILHOUND_LOGS_DIR (the
 * bundled sample by default), or on Athena with TRAILHOUND_ENGINE=athena. The same handlers run on
 * Lambda behind API Gateway. SIGINT and SIGTERM stop it and free the port.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig, loadServerConfig } from './lib/config.js';
import { logger } from './lib/logging/logger.js';
import { createLocalRuntime } from './local/localRuntime.js';
import { createLocalServer } from './local/localServer.js';
import { API_ROUTES } from './routes.js';

const config = loadConfig(process.env, { defaultEngine: 'duckdb' });
const { HOST, PORT } = loadServerConfig();
// Create the engine before listening, so a bad logs or results directory fails at start-up.
const runtime = await createLocalRuntime(config);
const server = createLocalServer({ runtime, routes: API_ROUTES });

server.listen(PORT, HOST, () => {
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const source = config.TRAILHOUND_ENGINE === 'duckdb' ? `, logs ${config.TRAILHOUND_LOGS_DIR}` : '';
  console.log(`trailhound listening on http://${host}:${port} (engine ${config.TRAILHOUND_ENGINE}${source})`);
  console.log(`try: curl -s http://${host}:${port}/v1/queries   (README.md has the investigation examples)`);
});

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  server.close(() => {
    void (runtime.close?.() ?? Promise.resolve()).finally(() => process.exit(0));
  });
  // Keep-alive connections would hold close() open; the port must be free when we exit.
  server.closeAllConnections();
};
// A bug that escapes a request must not take the server, and every other request, down with it.
process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', reason as Error));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
