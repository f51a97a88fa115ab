/** The embedded engine's runtime: DuckDB over the configured logs directory, with local downloads. */
import type { DuckDbConfig } from '../../config.js';
import type { Runtime } from '../../runtime.js';
import { LinkSigner, loadSigningKey } from '../../signing/signedLink.js';
import { DuckDbEngine } from './duckDbEngine.js';

export const createDuckDbRuntime = async (config: DuckDbConfig): Promise<Runtime> => {
  const signer = new LinkSigner(
    await loadSigningKey(config.TRAILHOUND_SIGNING_KEY, config.TRAILHOUND_RESULTS_DIR),
  );
  const engine = await DuckDbEngine.create({
    logsDir: config.TRAILHOUND_LOGS_DIR,
    resultsDir: config.TRAILHOUND_RESULTS_DIR,
    signer,
    publicUrl: config.TRAILHOUND_PUBLIC_URL,
    maxConcurrent: config.TRAILHOUND_MAX_CONCURRENT,
  });
  return {
    config,
    engine,
    downloads: { signer, readResultCsv: (id) => engine.readResultCsv(id) },
    close: async () => engine.close(),
  };
};
