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
import { logger } from '../../logging/logger.js';
import { callbackNotifier, type EndedExecution } from '../../notify/callbackNotifier.js';
import { PendingCallbacks } from '../../notify/pendingCallbacks.js';
import type { Runtime } from '../../runtime.js';
import { LinkSigner, loadSigningKey } from '../../signing/signedLink.js';
import { BackgroundCompactor } from '../../store/duckdb/backgroundCompactor.js';
import { FileWatchStore } from '../../watches/fileWatchStore.js';
import { secretVariable } from '../../watches/watchDefinition.js';
import { Watches } from '../../watches/watches.js';
import { WatchScheduler } from '../../watches/watchScheduler.js';
import { DuckDbEngine } from './duckDbEngine.js';
import { ResultRetention } from './resultRetention.js';

/** What a test (or a caller other than `npm start`) may set beyond the configuration. */
export interface DuckDbRuntimeOptions {
  /** The value of a named secret (a watch's PagerDuty routing key): TRAILHOUND_SECRET_<NAME> by default. */
  readonly secret?: (name: string) => string | undefined;
  /** How often due watches are looked for (15 s). */
  readonly watchTickMs?: number;
  /** The waits between tries of a callback or a watch's delivery (1 to 32 s). */
  readonly retryDelaysMs?: readonly number[];
}

export const createDuckDbRuntime = async (
  config: DuckDbConfig,
  options: DuckDbRuntimeOptions = {},
): Promise<Runtime> => {
  const notifier = callbackNotifier(config, config.TRAILHOUND_NOTIFY_SECRET, {
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
  });
  // Kept on disk until delivered or given up on: a restart mid-retries does not lose one.
  const pending = new PendingCallbacks(path.join(config.TRAILHOUND_RESULTS_DIR, 'callbacks'));
  // Each delivery from the moment its execution ends, the write of its pending file included:
  // `callbacks()` waits for them all, so one is not missed while that file is being written.
  const underway = new Set<Promise<void>>();
  const deliver = (ended: EndedExecution): void => {
    if (!notifier) return;
    const delivery = (async () => {
      await pending.save(ended);
      await notifier.notify(ended);
      await pending.remove(ended.execution.executionId);
    })().catch((error: unknown) => {
      logger.error('a callback could not be kept or delivered', {
        executionId: ended.execution.executionId,
        error: error as Error,
      });
    });
    underway.add(delivery);
    void delivery.finally(() => underway.delete(delivery));
  };
  const checkFiles = new CheckFiles(path.join(config.TRAILHOUND_RESULTS_DIR, 'integrity-checks'));
  const integrity = new IntegrityChecks(
    localTrailVerifier({
      logsDir: config.TRAILHOUND_LOGS_DIR,
      keyring: await readPublicKeyring(config.TRAILHOUND_CLOUDTRAIL_PUBLIC_KEYS),
      bucket: config.TRAILHOUND_LOG_BUCKET,
    }),
    checkFiles,
    // One server uses a results directory (its lock): a check it does not run is one a stopped server left.
    { maxBytes: config.TRAILHOUND_INTEGRITY_MAX_BYTES, singleProcess: true },
  );
  const signer = new LinkSigner(
    await loadSigningKey(config.TRAILHOUND_SIGNING_KEY, config.TRAILHOUND_RESULTS_DIR),
  );
  const engine = await DuckDbEngine.create({
    logsDir: config.TRAILHOUND_LOGS_DIR,
    storeDir: config.TRAILHOUND_STORE_DIR,
    keepPartials: config.TRAILHOUND_KEEP_PARTIALS === 'on',
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
    ...(notifier ? { onEnded: deliver } : {}),
  });
  // The engine holds the results directory's lock now: what a stopped server was writing is its own.
  await checkFiles.removePartials();
  const watchStore = new FileWatchStore(path.join(config.TRAILHOUND_STATE_DIR, 'watches'));
  const secret = options.secret ?? ((name: string) => process.env[secretVariable(name)] || undefined);
  const watches = new Watches({
    store: watchStore,
    engine,
    limits: config,
    maxWatches: config.TRAILHOUND_MAX_WATCHES,
    send: (url, body, deliveryId) =>
      notifier
        ? notifier.post(url, body, deliveryId)
        : Promise.resolve({ delivered: false, attempts: 0, reason: 'callbacks are off on this deployment' }),
    secret: async (name) => secret(name),
    publicUrl: () => notifier?.baseUrl(),
  });
  const scheduler = new WatchScheduler(watches, options.watchTickMs);
  const retention = new ResultRetention(engine, config.TRAILHOUND_RESULTS_RETENTION);
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
    watches,
    evidence: fileEvidenceSigner(
      config.TRAILHOUND_EVIDENCE_KEY ?? path.join(config.TRAILHOUND_RESULTS_DIR, 'evidence-key.pem'),
    ),
    ...(compactor ? { compaction: () => compactor.idle } : {}),
    diskUse: () => engine.resultsDiskUse(),
    ...(notifier
      ? {
          callbacks: async () => {
            await Promise.all([...underway]);
            await notifier.settled();
          },
        }
      : {}),
    listening: (baseUrl) => notifier?.listeningAt(baseUrl),
    recover: async () => {
      await engine.recoverInterrupted();
      for (const ended of notifier ? await pending.all() : []) deliver(ended);
      await watches.recover();
      scheduler.start();
      retention.start();
    },
    close: async () => {
      await scheduler.stop();
      await retention.stop();
      // A run still delivering (a receiver that is down is retried for a minute) is not waited
      // for long: what it had not delivered is found again, or still pending, at the next start.
      await Promise.race([watches.settled(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      await watchStore.close();
      await integrity.settled();
      await compactor?.stop();
      await engine.close();
    },
  };
};
