/**
 * One compaction of a store at a time: the server's background pass and `npm run compact` may
 * both start, and two would write the same months and remove each other's files. The store's
 * lock (processLock.ts) names the process that holds it; one left by a dead process is taken over.
 */
import path from 'node:path';
import { LockHeldError, lockFile } from '../../processLock.js';

const LOCK = '.compaction.lock';

export class StoreLockedError extends Error {
  constructor(readonly pid: number) {
    super(`another compaction of this store is running (process ${pid}); try again when it ends`);
    this.name = 'StoreLockedError';
  }
}

/** Takes the store's lock, or throws StoreLockedError; @returns its release. */
export const lockStore = async (storeDir: string): Promise<() => Promise<void>> => {
  try {
    return await lockFile(path.join(storeDir, LOCK));
  } catch (error) {
    if (error instanceof LockHeldError) throw new StoreLockedError(error.pid);
    throw error;
  }
};
