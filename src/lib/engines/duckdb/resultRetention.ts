/**
 * Results are not kept for ever: every hour (and once at start) the result files of executions
 * that ended longer ago than TRAILHOUND_RESULTS_RETENTION are removed, as the results bucket's
 * lifecycle removes them on AWS, and a watch's run sooner (P7D) unless a finding was delivered
 * from it: watches make results every few minutes. The executions stay listed, `expired`.
 */
import { parseIsoDuration } from '../../isoDuration.js';
import { logger } from '../../logging/logger.js';
import type { DuckDbEngine } from './duckDbEngine.js';

const HOUR_MS = 3_600_000;
/** A watch's run that delivered nothing is kept a week at most. */
const WATCH_RUN_MS = 7 * 24 * HOUR_MS;

export class ResultRetention {
  #timer: NodeJS.Timeout | undefined;
  #sweep: Promise<unknown> | undefined;

  constructor(
    private readonly engine: Pick<DuckDbEngine, 'expireResults'>,
    private readonly retention: string,
    private readonly everyMs = HOUR_MS,
  ) {}

  /** Removes what is past its retention now. @returns how many executions expired. */
  async sweep(now = Date.now()): Promise<number> {
    const expired = await this.engine.expireResults({
      now,
      retentionMs: parseIsoDuration(this.retention) ?? 30 * 24 * HOUR_MS,
      watchRunMs: WATCH_RUN_MS,
    });
    if (expired > 0) logger.info('results expired', { expired, retention: this.retention });
    return expired;
  }

  start(): void {
    const run = () => {
      this.#sweep ??= this.sweep()
        .catch((error: unknown) => logger.error('results could not be expired', error as Error))
        .finally(() => {
          this.#sweep = undefined;
        });
    };
    this.#timer = setInterval(run, this.everyMs);
    this.#timer.unref();
    run();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#sweep;
  }
}
