/**
 * Compaction inside the server (TRAILHOUND_COMPACT=background): a pass when the server starts
 * (so the bundled sample is compacted on first start) and one every interval after, each
 * compacting the closed days that the store lacks or holds out of date. It yields to queries: it
 * waits before each file it writes while any execution runs, and uses one thread of its own.
 */
import { logger } from '../../logging/logger.js';
import { StoreLockedError } from './compactionLock.js';
import { compactStore } from './compactStore.js';

export interface BackgroundCompactorOptions {
  readonly logsDir: string;
  readonly storeDir: string;
  /** True while an execution runs: compaction waits. */
  readonly busy: () => boolean;
  readonly intervalMs?: number;
  /** The execution time limit: a superseded file outlives it. */
  readonly longestExecutionMs: number;
}

const WAIT_MS = 250;

export class BackgroundCompactor {
  readonly #options: BackgroundCompactorOptions;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> | undefined;
  #stopped = false;

  constructor(options: BackgroundCompactorOptions) {
    this.#options = options;
  }

  /** Starts a pass now and schedules the next ones. */
  start(): void {
    this.#runPass();
  }

  /** The pass under way, if any: tests and `stop` wait for it. */
  get idle(): Promise<void> {
    return this.#pass ?? Promise.resolve();
  }

  #runPass(): void {
    if (this.#stopped || this.#pass) return;
    this.#pass = this.#compact().finally(() => {
      this.#pass = undefined;
      if (!this.#stopped) {
        this.#timer = setTimeout(() => this.#runPass(), this.#options.intervalMs ?? 600_000);
        this.#timer.unref();
      }
    });
  }

  async #compact(): Promise<void> {
    try {
      const summary = await compactStore({
        logsDir: this.#options.logsDir,
        storeDir: this.#options.storeDir,
        threads: 1,
        longestExecutionMs: this.#options.longestExecutionMs,
        beforeEachUnit: async () => {
          while (this.#options.busy() && !this.#stopped) {
            await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
          }
        },
        stopped: () => this.#stopped,
      });
      if (summary.built > 0 || summary.failed.length > 0) logger.info('compaction', { ...summary });
    } catch (error) {
      if (error instanceof StoreLockedError) logger.info('compaction skipped', { reason: error.message });
      else logger.error('compaction failed', error as Error);
    }
  }

  /** Stops scheduling and waits for the file being written, if any, to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.idle;
  }
}
