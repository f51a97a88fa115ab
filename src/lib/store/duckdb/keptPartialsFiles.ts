/**
 * Where the engine keeps partial results beside the store (engines/duckdb/keptPartials.ts):
 * `<store>/.partials/<digest>/`, each compacted file's at the file's own path under it. The store
 * removes those of a file when it removes the file, and what a making stopped midway left. The
 * reduced partials of a month (`<digest>/reduced/`) are not removed: those of files since replaced,
 * and what a making of them stopped midway left, stay until `.partials/` is removed by hand.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export const PARTIALS_DIR = '.partials';

/** Whether a file or directory is there. */
export const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

/** The store directory a month directory (…/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM) is in. */
const storeOf = (month: string) => path.resolve(month, '..', '..', '..', '..', '..', '..');

/**
 * Removes, under every digest, the partials kept for files no longer in the month directory
 * `month` (a superseded file is removed once no execution can still be reading it, and none then
 * reads its partials), and the directories of makings older than `graceMs` (a process stopped
 * while it wrote them). @returns how many were removed.
 */
export const removeSupersededPartials = async (
  month: string,
  graceMs: number,
  now = Date.now(),
): Promise<number> => {
  const root = path.join(storeOf(month), PARTIALS_DIR);
  let removed = 0;
  for (const digest of await readdir(root).catch(() => [])) {
    const dir = path.join(root, digest);
    for (const name of await readdir(dir).catch(() => [])) {
      const making = path.join(dir, name);
      if (!name.startsWith('.making-')) continue;
      const age = await stat(making).then(
        (s) => now - s.mtimeMs,
        () => 0,
      );
      if (age > graceMs) {
        await rm(making, { recursive: true, force: true });
        removed += 1;
      }
    }
    const kept = path.join(dir, path.relative(storeOf(month), month));
    for (const name of await readdir(kept).catch(() => [])) {
      if (/^part-.*\.parquet$/.test(name) && !(await exists(path.join(month, name)))) {
        await rm(path.join(kept, name), { force: true });
        removed += 1;
      }
    }
  }
  return removed;
};
