/**
 * The compaction step, once per bench run and before any question: `node --import tsx
 * scripts/compact.ts` over the trail into a store directory. It times the wall clock from spawn to
 * exit, polls the child's peak resident memory (the node process itself: DuckDB runs inside it),
 * and sums the Parquet files the store holds afterwards.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../generator/sourceRecords.js';
import { peakRssTracker } from './procStatus.js';

export interface CompactionRecord {
  readonly storeDir: string;
  readonly ms: number;
  /** The script's exit code (0 when no day failed); null if a signal ended it. */
  readonly exitCode: number | null;
  /** Peak resident set (VmHWM) of the compaction process, KiB; null where /proc is unreadable. */
  readonly peakRssKb: number | null;
  /** Sum of the sizes of every *.parquet under the store directory. */
  readonly storeBytes: number;
  /** The script's one-line summary (stdout), e.g. "1461 closed days: 1461 compacted, …". */
  readonly summary: string;
  /** The tail of its stderr when it failed. */
  readonly errorTail?: string;
}

const POLL_MS = 100;
const PROGRESS_NOTE_MS = 10_000;

const parquetBytes = (dir: string): number =>
  (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : [])
    .filter((relative) => relative.endsWith('.parquet'))
    .reduce((sum, relative) => sum + statSync(path.join(dir, relative)).size, 0);

/** Compacts `trailDir` into `storeDir`; `note` gets its latest progress line every 10 s. */
export const compactTrail = (
  trailDir: string,
  storeDir: string,
  note: (text: string) => void,
): Promise<CompactionRecord> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/compact.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, TRAILHOUND_LOGS_DIR: trailDir, TRAILHOUND_STORE_DIR: storeDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const peakRssKb = peakRssTracker(child.pid ?? -1);
    const poll = setInterval(peakRssKb, POLL_MS);
    let stdout = '';
    let stderr = '';
    let lastProgress = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
      const lines = stderr.trimEnd().split('\n');
      lastProgress = lines[lines.length - 1] ?? '';
    });
    const progress = setInterval(() => note(`  compaction: ${lastProgress.trim()}`), PROGRESS_NOTE_MS);
    child.on('error', (error) => {
      clearInterval(poll);
      clearInterval(progress);
      reject(error);
    });
    child.on('close', (code) => {
      const ms = performance.now() - started;
      clearInterval(poll);
      clearInterval(progress);
      resolve({
        storeDir,
        ms,
        exitCode: code,
        peakRssKb: peakRssKb() ?? null,
        storeBytes: parquetBytes(storeDir),
        summary: stdout.trim(),
        ...(code === 0 ? {} : { errorTail: stderr.slice(-2000) }),
      });
    });
  });
