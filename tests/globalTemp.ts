/**
 * One temporary directory for the whole test run, removed when it ends: the tests, the servers
 * and scripts they start, and the packaging they run make their temporary directories in
 * os.tmpdir(), which TMPDIR names for this process and every process it starts. Left in the
 * system's, each run left some 300 directories behind (logs copies, stores, results, bundles).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-tests-'));
  process.env.TMPDIR = dir;
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
