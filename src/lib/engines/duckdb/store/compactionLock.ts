/**
 * One compaction of a store at a time: the server's background pass and `npm run compact` may
 * both start, and two would write the same months and remove each other's files. The lock is a
 * file created only if absent, naming the process that holds it; one left by a process that no
 * longer runs (killed, say) is taken over.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

const LOCK = '.compaction.lock';

export class StoreLockedError extends Error {
  constructor(readonly pid: number) {
    super(`another compaction of this store is running (process ${pid}); try again when it ends`);
    this.name = 'StoreLockedError';
  }
}

const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const holderOf = async (file: string): Promise<number | undefined> => {
  try {
    const { pid } = JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown };
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined;
  }
};

/** Takes the store's lock, or throws StoreLockedError; @returns its release. */
export const lockStore = async (storeDir: string): Promise<() => Promise<void>> => {
  const file = path.join(storeDir, LOCK);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = await holderOf(file);
      if (pid !== undefined && running(pid)) throw new StoreLockedError(pid);
      // No holder named yet: a process may be between creating the file and writing it.
      const justMade = await stat(file).then(
        (s) => Date.now() - s.mtimeMs < 5000,
        () => false,
      );
      if (pid === undefined && justMade) throw new StoreLockedError(-1);
      await rm(file, { force: true }); // left by a process that is gone
    }
  }
  throw new StoreLockedError(-1);
};
