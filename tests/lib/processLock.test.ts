/**
 * A lock file: one process at a time. A live holder is refused; one left by a process that is gone
 * is taken over, and so is one naming this very process's id from before it started (a
 * container's server is process 1 after every restart).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LockHeldError, lockFile } from '../../src/lib/processLock.js';

const lockPath = async () => path.join(await mkdtemp(path.join(tmpdir(), 'trailhound-lock-')), '.lock');
const holderIn = async (file: string) => (JSON.parse(await readFile(file, 'utf8')) as { pid: number }).pid;
const leftBy = (file: string, pid: number, since = '2026-01-01T00:00:00.000Z') =>
  writeFile(file, JSON.stringify({ pid, since }));

describe('lockFile', () => {
  it('is held once: a second take in this process is refused until the first is released', async () => {
    const file = await lockPath();
    const release = await lockFile(file);
    expect(await holderIn(file)).toBe(process.pid);
    await expect(lockFile(file)).rejects.toMatchObject({ name: 'LockHeldError', pid: process.pid });
    await release();
    const again = await lockFile(file);
    await again();
  });

  it("takes over a lock naming this process's id taken before this process started, not one taken since", async () => {
    const file = await lockPath();
    // Left by an earlier process of the same id (a container's process 1 before a restart).
    await leftBy(file, process.pid);
    const release = await lockFile(file);
    expect(await holderIn(file)).toBe(process.pid);
    await release();
    // Taken since this process started, by a process of the same id elsewhere (another container
    // sharing the directory): held.
    await leftBy(file, process.pid, new Date().toISOString());
    await expect(lockFile(file)).rejects.toMatchObject({ name: 'LockHeldError', pid: process.pid });
  });

  it('refuses a lock a live process holds, and takes over one whose process is gone', async () => {
    const file = await lockPath();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    try {
      await leftBy(file, pid);
      const refused = await lockFile(file).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(LockHeldError);
      expect(refused).toMatchObject({ pid });
    } finally {
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
    }
    const release = await lockFile(file);
    expect(await holderIn(file)).toBe(process.pid);
    await release();
  });
});
