/**
 * The runtime of a Lambda container: the Athena engine, configured from the environment the
 * template sets, made on first use and kept (perContainer). Every HTTP function that runs on an
 * engine is handed this; the route modules themselves never know which engine answers.
 */
import { type AthenaConfig, loadConfig } from '../lib/config.js';
import { type AthenaRuntime, createAthenaRuntime } from '../lib/engines/athena/athenaRuntime.js';
import { ConfigurationError } from '../lib/errors.js';
import { perContainer } from './perContainer.js';

/** The configuration the template sets, which must name the athena engine. */
export const athenaConfigOfEnvironment = (): AthenaConfig => {
  const config = loadConfig(process.env);
  if (config.TRAILHOUND_ENGINE !== 'athena') {
    throw new ConfigurationError(
      `TRAILHOUND_ENGINE is ${config.TRAILHOUND_ENGINE}; Lambda functions run the athena engine`,
    );
  }
  return config;
};

export const containerRuntime: () => Promise<AthenaRuntime> = perContainer(async () =>
  createAthenaRuntime(athenaConfigOfEnvironment()),
);
