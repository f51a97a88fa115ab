/**
 * The WindowVerifier of the local server: the window's log files as the embedded engine finds
 * them under the logs directory, checked against the digests beside them.
 */
import path from 'node:path';
import type { TimeWindow } from '../sql/timeWindow.js';
import { findLogFiles } from '../store/duckdb/logFiles.js';
import { createHashPool } from './hashPool.js';
import type { WindowVerifier } from './integrityChecks.js';
import { integrityScope } from './integrityScope.js';
import { LocalTrailObjects } from './localTrailObjects.js';
import { logKeyParts } from './logKey.js';
import type { PublicKeyring } from './publicKeys.js';
import { verifyTrail } from './verifyTrail.js';

export const localTrailVerifier = (options: {
  logsDir: string;
  keyring: PublicKeyring;
  bucket?: string | undefined;
}): WindowVerifier => {
  return async (window: TimeWindow) => {
    const found = await findLogFiles(options.logsDir, window);
    const logFiles = found.map((file) => {
      const key = path.relative(options.logsDir, file.path).split(path.sep).join('/');
      return { key, account: file.account, region: file.region, deliveredMs: logKeyParts(key)?.deliveredMs };
    });
    return {
      bytes: found.reduce((sum, file) => sum + file.bytes, 0),
      run: async (onProgress) => {
        const pool = createHashPool();
        try {
          return await verifyTrail({
            objects: new LocalTrailObjects(options.logsDir, pool),
            keyring: options.keyring,
            logFiles,
            ...integrityScope(window),
            bucket: options.bucket,
            onProgress,
          });
        } finally {
          await pool.close();
        }
      },
    };
  };
};
