/**
 * The bench's directories: a scratch directory for the file list and the empty store engine-raw
 * is pointed at, and the store the compaction writes. By default the store is a fresh directory
 * inside the scratch one, removed at the end unless --keep-store; `--store DIR` puts it elsewhere
 * (DIR must be empty or absent, so the compaction is timed from scratch) and is never removed.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BenchDirs {
  readonly scratch: string;
  readonly listPath: string;
  /** An empty store: the server finds no compacted day and reads every day raw. */
  readonly emptyStore: string;
  readonly store: string;
  /** Whether the store outlives the run (--store DIR, or --keep-store). */
  readonly keepStore: boolean;
}

export const prepareDirs = (storeFlag: string | undefined, keepStore: boolean): BenchDirs => {
  if (storeFlag !== undefined) {
    const store = path.resolve(storeFlag);
    if (existsSync(store) && readdirSync(store).length > 0) {
      throw new Error(`--store ${store} is not empty: the bench times a compaction from scratch`);
    }
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'trailhound-scan-'));
  const store = storeFlag === undefined ? path.join(scratch, 'store') : path.resolve(storeFlag);
  const emptyStore = path.join(scratch, 'empty-store');
  mkdirSync(store, { recursive: true });
  mkdirSync(emptyStore);
  return {
    scratch,
    listPath: path.join(scratch, 'files.list'),
    emptyStore,
    store,
    keepStore: keepStore || storeFlag !== undefined,
  };
};

/** Removes the scratch directory, all of it but a kept store inside it. */
export const removeDirs = (dirs: BenchDirs): void => {
  const keptInside = dirs.keepStore && path.dirname(dirs.store) === dirs.scratch;
  if (!keptInside) {
    rmSync(dirs.scratch, { recursive: true, force: true });
    return;
  }
  for (const entry of readdirSync(dirs.scratch)) {
    const full = path.join(dirs.scratch, entry);
    if (full !== dirs.store) rmSync(full, { recursive: true, force: true });
  }
};
