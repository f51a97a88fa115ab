/**
 * What the handlers run against: the configuration and the query engine, created once per
 * process (a Lambda container or the local server) on first use. On Lambda that is the Athena
 * engine; the local server chooses by TRAILHOUND_ENGINE; tests put in their own. Keeping the
 * embedded engine out of this module keeps DuckDB out of every Lambda bundle.
 */
import type { Config } from './config.js';
import { loadConfig } from './config.js';
import { createAthenaRuntime } from './engines/athena/athenaRuntime.js';
import type { QueryEngine } from './engines/queryEngine.js';
import type { LinkSigner } from './signing/signedLink.js';

/** Serving a result CSV from the local results directory: only the embedded engine has this. */
export interface LocalDownloads {
  readonly signer: LinkSigner;
  readResultCsv(executionId: string): Promise<{ csv: string; fileName: string }>;
}

export interface Runtime {
  readonly config: Config;
  readonly engine: QueryEngine;
  readonly downloads?: LocalDownloads;
}

export type RuntimeFactory = (config: Config) => Promise<Runtime>;

let factory: RuntimeFactory = createAthenaRuntime;
let current: Promise<Runtime> | undefined;

export const getRuntime = (): Promise<Runtime> => {
  current ??= factory(loadConfig()).catch((error: unknown) => {
    // Let the next request try again rather than caching a failed start for the container's life.
    current = undefined;
    throw error;
  });
  return current;
};

/** Chooses how the runtime is made, before the first request. */
export const setRuntimeFactory = (next: RuntimeFactory): void => {
  factory = next;
  current = undefined;
};

export const setRuntime = (runtime: Runtime | undefined): void => {
  current = runtime ? Promise.resolve(runtime) : undefined;
};
