/**
 * The embedded engine's runtime: DuckDB over the configured logs directory and columnar store,
 * with local downloads, callbacks where origins are listed, and, unless TRAILHOUND_COMPACT=off,
 * compaction in the background.
 */

import path from 'node:path';
import type { DuckDbConfig } from '../../config.js';
import { fileEvidenceSigner } from '../../evidence/evidenceSigner.js';
import { CheckFiles } from '../../integrity/checkFiles.js';
import { IntegrityChecks } from '../../integrity/integrityChecks.js';
import { localTrailVerifier } from '../../integrity/localTrailVerifier.js';
import { readPublicKeyring } from '../../integrity/publicKeys.js';
import { callbackNotifier, type EndedExecution } from '../../notify/callbackNotifier.js';
import { PendingCallbacks } from '../../notify/pendingCallbacks.js';
import type { Runtime } from '../../runtime.js';
import { LinkSigner, loadSigningKey } from '../../signing/signedLink.js';
import { BackgroundCompactor } from '../../store/duckdb/backgroundCompactor.js';
import { DuckDbEngine } from './duckDbEngine.js';

export const createDuckDbRuntime = async (config: DuckDbConfig): Promise<Runtime> => {
  const notifier = callbackNotifier(config, config.TRAILHOUND_NOTIFY_SECRET);
  // Kept on disk until delivered or given up on: a restart mid-retries does not lose one.
  const pending = new PendingCallbacks(path.join(config.TRAILHOUND_RESULTS_DIR, 'callbacks'));
  const deliver = async (ended: EndedExecution) => {
    if (!notifier) return;
    await pending.save(ended);
    await notifier.notify(ended);
    await pending.remove(ended.execution.executionId);
  };
  const integrity = new IntegrityChecks(
    localTrailVerifier({
      logsDir: config.TRAILHOUND_LOGS_DIR,
      keyring: await readPublicKeyring(config.TRAILHOUND_CLOUDTRAIL_PUBLIC_KEYS),
      bucket: config.TRAILHOUND_LOG_BUCKET,
    }),
    new CheckFiles(path.join(config.TRAILHOUND_RESULTS_DIR, 'integrity-checks')),
    { maxBytes: config.TRAILHOUND_INTEGRITY_MAX_BYTES },
  );
  const signer = new LinkSigner(
    await loadSigningKey(config.TRAILHOUND_SIGNING_KEY, config.TRAILHOUND_RESULTS_DIR),
  );
  const engine = await DuckDbEngine.create({
    logsDir: config.TRAILHOUND_LOGS_DIR,
    storeDir: config.TRAILHOUND_STORE_DIR,
    resultsDir: config.TRAILHOUND_RESULTS_DIR,
    signer,
    publicUrl: config.TRAILHOUND_PUBLIC_URL,
    maxConcurrent: config.TRAILHOUND_MAX_CONCURRENT,
    maxQueued: config.TRAILHOUND_MAX_QUEUED,
    timeoutMs: config.TRAILHOUND_EXECUTION_TIMEOUT_SECONDS * 1000,
    // Checks run in this process here: each has its `ended`.
    verifyIntegrity: async (window) => {
      const { checkId, ended } = await integrity.start(window);
      return { checkId, ended: ended ?? Promise.resolve(undefined) };
    },
    ...(notifier ? { onEnded: (ended) => void deliver(ended) } : {}),
  });
  const compactor =
    config.TRAILHOUND_COMPACT === 'background'
      ? new BackgroundCompactor({
          logsDir: config.TRAILHOUND_LOGS_DIR,
          storeDir: config.TRAILHOUND_STORE_DIR,
          busy: () => engine.busy,
          longestExecutionMs: config.TRAILHOUND_EXECUTION_TIMEOUT_SECONDS * 1000,
        })
      : undefined;
  compactor?.start();
  return {
    config,
    engine,
    downloads: { signer, openResultCsv: (id) => engine.openResultCsv(id) },
    integrity,
    evidence: fileEvidenceSigner(
      config.TRAILHOUND_EVIDENCE_KEY ?? path.join(config.TRAILHOUND_RESULTS_DIR, 'evidence-key.pem'),
    ),
    ...(compactor ? { compaction: () => compactor.idle } : {}),
    ...(notifier ? { callbacks: () => notifier.settled() } : {}),
    listening: (baseUrl) => notifier?.listeningAt(baseUrl),
    recover: async () => {
      await engine.recoverInterrupted();
      for (const ended of notifier ? await pending.all() : []) void deliver(ended);
    },
    close: async () => {
      await integrity.settled();
      await compactor?.stop();
      await engine.close();
    },
  };
};
