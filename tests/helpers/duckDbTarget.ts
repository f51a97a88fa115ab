/**
 * The embedded engine as a contract target over every vendored set, reading raw files only, the
 * columnar store only (every day compacted first), or both (days up to 2017 compacted, so that
 * the grycap windows that cross into 2018, and every later set, read raw files beside Parquet).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compactStore } from '../../src/lib/store/duckdb/compactStore.js';
import type { ContractTarget } from '../contract/contractSuite.js';
import { type CallbackReceiver, startCallbackReceiver } from './callbackReceiver.js';
import { mergedLogsDir } from './cloudtrailData.js';
import { duckDbTestRuntime, startTestServer } from './testServer.js';

export type StoreMode = 'raw' | 'compacted' | 'mixed';

export const duckDbTarget = (mode: StoreMode): ContractTarget & { storeDir(): Promise<string> } => {
  let prepared: Promise<{ logsDir: string; storeDir: string }> | undefined;
  const prepare = () => {
    prepared ??= (async () => {
      const logsDir = await mergedLogsDir();
      const storeDir = await mkdtemp(path.join(tmpdir(), 'trailhound-store-'));
      if (mode !== 'raw') {
        const summary = await compactStore({
          logsDir,
          storeDir,
          closedAfterMs: 0,
          ...(mode === 'mixed' ? { to: '2017/12/31' } : {}),
        });
        if (summary.failed.length > 0)
          throw new Error(`compaction failed: ${JSON.stringify(summary.failed)}`);
      }
      return { logsDir, storeDir };
    })();
    return prepared;
  };
  // Where watches deliver: a receiver of this process, its origin allowed by the server.
  let receiver: Promise<CallbackReceiver> | undefined;
  const hooks = () => {
    receiver ??= startCallbackReceiver(204).then((r) => {
      r.server.unref();
      return r;
    });
    return receiver;
  };
  return {
    integrity: true,
    evidence: true,
    watchHook: async () => `${(await hooks()).origin}/hooks/contract`,
    storeDir: async () => (await prepare()).storeDir,
    start: async ({ maxConcurrent }) => {
      const { logsDir, storeDir } = await prepare();
      return startTestServer(
        await duckDbTestRuntime(logsDir, {
          TRAILHOUND_STORE_DIR: storeDir,
          TRAILHOUND_NOTIFY_ALLOWED_ORIGINS: (await hooks()).origin,
          TRAILHOUND_NOTIFY_SECRET: 'the-contract-suite-watch-secret-0123456789',
          ...(maxConcurrent ? { TRAILHOUND_MAX_CONCURRENT: String(maxConcurrent) } : {}),
        }),
      );
    },
  };
};
