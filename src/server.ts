/**
 * `npm start`: the API on this machine, on the embedded engine, over TRAILHOUND_LOGS_DIR (the
 * bundled sample by default). The same handlers run on Lambda behind API Gateway.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from './lib/config.js';
import { createAthenaRuntime } from './lib/engines/athena/athenaRuntime.js';
import { createDuckDbRuntime } from './lib/engines/duckdb/duckDbRuntime.js';
import { createLocalServer } from './lib/http/localServer.js';
import { getRuntime, setRuntimeFactory } from './lib/runtime.js';

const config = loadConfig();
setRuntimeFactory(config.TRAILHOUND_ENGINE === 'athena' ? createAthenaRuntime : createDuckDbRuntime);
// Create the engine before listening, so a bad logs or results directory fails at start-up.
await getRuntime();
const server = createLocalServer();
server.listen(config.PORT, config.HOST, () => {
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  console.log(
    `trailhound listening on http://${host}:${port} (engine ${config.TRAILHOUND_ENGINE}, logs ${config.TRAILHOUND_LOGS_DIR})`,
  );
  console.log(`try: curl -s http://${host}:${port}/v1/queries   (README.md has the investigation examples)`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
