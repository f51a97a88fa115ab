/** The runtime `npm start` serves: the engine TRAILHOUND_ENGINE names, the embedded one by default. */
import type { Config } from '../lib/config.js';
import { createAthenaRuntime } from '../lib/engines/athena/athenaRuntime.js';
import { createDuckDbRuntime } from '../lib/engines/duckdb/duckDbRuntime.js';
import type { Runtime } from '../lib/runtime.js';
import { withAwsWatches } from '../lib/watches/awsWatches.js';

export const createLocalRuntime = async (config: Config): Promise<Runtime> =>
  config.TRAILHOUND_ENGINE === 'athena'
    ? withAwsWatches(await createAthenaRuntime(config))
    : createDuckDbRuntime(config);
