/** The runtime `npm start` serves: the engine TRAILHOUND_ENGINE names, the embedded one by default. */
import type { Config } from '../lib/config.js';
import { createAthenaRuntime } from '../lib/engines/athena/athenaRuntime.js';
import { createDuckDbRuntime } from '../lib/engines/duckdb/duckDbRuntime.js';
import type { Runtime } from '../lib/runtime.js';

export const createLocalRuntime = (config: Config): Promise<Runtime> =>
  config.TRAILHOUND_ENGINE === 'athena' ? createAthenaRuntime(config) : createDuckDbRuntime(config);
