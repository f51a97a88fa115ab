/**
 * What the handlers run against: the configuration and the query engine, created once per
 * process (a Lambda container or the local server) on first use. Tests put in their own.
 */
import type { Config } from './config.js';
import { loadConfig } from './config.js';
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

let current: Promise<Runtime> | undefined;

const createRuntime = async (config: Config): Promise<Runtime> => {
  const { createDuckDbRuntime } = await import('./engines/duckdb/duckDbRuntime.js');
  return createDuckDbRuntime(config);
};

export const getRuntime = (): Promise<Runtime> => {
  current ??= createRuntime(loadConfig());
  return current;
};

export const setRuntime = (runtime: Runtime | undefined): void => {
  current = runtime ? Promise.resolve(runtime) : undefined;
};
