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

/** The holder a lock file names: its process id, and since when (ms), if it says. */
const holderOf = async (file: string): Promise<{ pid: number; sinceMs: number } | undefined> => {
  try {
    const { pid, since } = JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown; since?: unknown };
    if (typeof pid !== 'number') return undefined;
    const sinceMs = typeof since === 'string' ? Date.parse(since) : Number.NaN;
    return { pid, sinceMs };
  } catch {
    return undefined;
  }
};

/** The lock files this process holds. */
const held = new Set<string>();

/** When this process started (ms since the epoch). */
const startedMs = Date.now() - process.uptime() * 1000;

/**
 * Whether the holder a lock names holds it. A lock naming this process's id is held if this
 * process took it, or if it was taken after this process started (by a process of the same id in
 * another container sharing the directory: every container's first process is 1). One taken
 * before this process started was left by an earlier one of the same id (a container's server is
 * process 1 after every restart): stale.
 */
const holds = (holder: { pid: number; sinceMs: number }, file: string): boolean => {
  if (holder.pid !== process.pid) return running(holder.pid);
  if (held.has(path.resolve(file))) return true;
  return !(holder.sinceMs < startedMs);
};

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
      const holder = await holderOf(file);
      const pid = holder?.pid;
      if (holder && holds(holder, file)) throw new LockHeldError(file, holder.pid);
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
