/**
 * `npm start`: the API on this machine, on the embedded engine over TRAILHOUND_LOGS_DIR (the
 * bundled sample by default), or on Athena with TRAILHOUND_ENGINE=athena. The same handlers run on
 * Lambda behind API Gateway. SIGINT and SIGTERM stop it and free the port. A mistake in the
 * configuration (a bad variable, a logs directory that is not there, a results directory another
 * server owns) is one line and exit 2; a port already taken is one line and exit 1.
 */
import { stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { parseCommand } from './lib/commandLine.js';
import { type Config, loadConfig, loadServerConfig } from './lib/config.js';
import { ConfigurationError } from './lib/errors.js';
import { logger } from './lib/logging/logger.js';
import type { Runtime } from './lib/runtime.js';
import { createLocalRuntime } from './local/localRuntime.js';
import { createLocalServer } from './local/localServer.js';
import { API_ROUTES } from './routes.js';

// Configured by the environment alone: --help says so, any argument is refused.
parseCommand({
  usage: 'npm start (configured by environment variables, e.g. PORT=3001 npm start)',
  about: `
Runs the API on this machine at http://127.0.0.1:3000 (HOST, PORT), on the embedded engine over
TRAILHOUND_LOGS_DIR (default: the bundled sample), compacting closed days into TRAILHOUND_STORE_DIR
in the background; TRAILHOUND_ENGINE=athena runs it on Athena instead. Every setting and its default:
README.md, "Configuration". SIGINT or SIGTERM stops it.`,
  options: {},
});

const refuse = (message: string, code: number): never => {
  console.error(`trailhound: ${message}`);
  process.exit(code);
};

/** The logs directory must be there to be read: say so now rather than answer nothing later. */
const checkLogsDir = async (config: Config) => {
  if (config.TRAILHOUND_ENGINE !== 'duckdb') return;
  const dir = config.TRAILHOUND_LOGS_DIR;
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory()) {
    throw new ConfigurationError(
      `TRAILHOUND_LOGS_DIR is ${dir}, which is not a directory: point it at the folder that holds AWSLogs/ (or unset it for the bundled sample)`,
    );
  }
};

const start = async (): Promise<{ runtime: Runtime; port: number; host: string; config: Config }> => {
  const config = loadConfig(process.env, { defaultEngine: 'duckdb' });
  const { HOST, PORT } = loadServerConfig();
  await checkLogsDir(config);
  // Created before listening, so a bad logs or results directory fails at start-up.
  return { runtime: await createLocalRuntime(config), port: PORT, host: HOST, config };
};

const { runtime, port, host, config } = await start().catch((error: unknown) =>
  error instanceof ConfigurationError ? refuse(error.message, 2) : Promise.reject(error),
);
const server = createLocalServer({ runtime, routes: API_ROUTES });

server.on('error', (error: NodeJS.ErrnoException) => {
  const message =
    error.code === 'EADDRINUSE'
      ? `port ${port} on ${host} is taken (another trailhound, or another program): stop it, or choose another port, e.g. PORT=${port + 1} npm start`
      : error.code === 'EACCES'
        ? `port ${port} on ${host} needs privileges this process does not have: choose a port above 1023 with PORT=`
        : `cannot listen on ${host}:${port}: ${error.message}`;
  // The results directory is given up: the server that holds the port may be using it.
  void (runtime.close?.() ?? Promise.resolve()).finally(() => refuse(message, 1));
});

server.listen(port, host, () => {
  const { address, port: bound } = server.address() as AddressInfo;
  const shown = address.includes(':') ? `[${address}]` : address;
  const source = config.TRAILHOUND_ENGINE === 'duckdb' ? `, logs ${config.TRAILHOUND_LOGS_DIR}` : '';
  runtime.listening?.(`http://${shown}:${bound}`);
  // Only the server that has the port recovers what a stopped one left behind.
  void (runtime.recover?.() ?? Promise.resolve()).catch((error: unknown) =>
    logger.error('interrupted executions could not be recovered', error as Error),
  );
  console.log(
    `trailhound listening on http://${shown}:${bound} (engine ${config.TRAILHOUND_ENGINE}${source})`,
  );
  console.log(
    `try: curl -s http://${shown}:${bound}/v1/queries   (README.md has the investigation examples)`,
  );
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
