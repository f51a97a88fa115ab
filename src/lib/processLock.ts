/**
 * A directory owned by one process at a time: a lock file created only if absent (O_EXCL), naming
 * the process that holds it. One left by a process that no longer runs (killed, say) is taken
 * over; one held by a live process is refused with its pid. Per machine: process ids mean nothing
 * to another host sharing the directory.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export class LockHeldError extends Error {
  constructor(
    readonly file: string,
    /** The holder's process id; -1 when a process is still writing its name. */
    readonly pid: number,
  ) {
    super(`${file} is held by process ${pid}`);
    this.name = 'LockHeldError';
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

/** The lock files this process holds: one naming this process's id and not among them was left by another. */
const held = new Set<string>();

/**
 * Whether the process `pid` holds a lock. This process's own id names a lock it holds only if it
 * took it: in a container the server is often process 1 after every restart, and a lock left by a
 * killed one then names the live one's id.
 */
const holds = (pid: number, file: string): boolean =>
  pid === process.pid ? held.has(path.resolve(file)) : running(pid);

/** Takes the lock `file`, or throws LockHeldError; @returns its release. */
export const lockFile = async (file: string): Promise<() => Promise<void>> => {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx', 0o600);
      const key = path.resolve(file);
      held.add(key);
      const release = async () => {
        held.delete(key);
        await rm(file, { force: true });
      };
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
        await handle.close();
      } catch (failure) {
        await handle.close().catch(() => undefined);
        await release();
        throw failure;
      }
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = await holderOf(file);
      if (pid !== undefined && holds(pid, file)) throw new LockHeldError(file, pid);
      // No holder named yet: a process may be between creating the file and writing it.
      const justMade = await stat(file).then(
        (s) => Date.now() - s.mtimeMs < 5000,
        () => false,
      );
      if (pid === undefined && justMade) throw new LockHeldError(file, -1);
      await rm(file, { force: true }); // left by a process that is gone
    }
  }
  throw new LockHeldError(file, -1);
};
