/**
 * An execution this process is running or about to run: its connection once it has one, whether
 * it was cancelled, and a promise that settles when its final record is saved.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { CancelledError } from '../../errors.js';

export class ActiveExecution {
  connection: DuckDBConnection | undefined;
  /** Why the run must stop, once it must: a cancel, or the time limit. */
  stopReason: 'cancelled' | 'timed-out' | undefined;
  readonly done: Promise<void>;
  #finish: () => void = () => {};
  #ended = false;

  constructor() {
    this.done = new Promise<void>((resolve) => {
      this.#finish = resolve;
    });
  }

  finish(): void {
    this.#ended = true;
    this.#finish();
  }

  /**
   * Called between the steps of a run: an interrupt only stops a statement that is executing,
   * so a cancel that lands between steps is honoured at the next one.
   */
  checkpoint(): void {
    if (this.stopReason) throw new CancelledError(this.stopReason);
  }

  get stopping(): boolean {
    return this.stopReason !== undefined;
  }

  /**
   * Cancels and waits, up to `timeoutMs`, for the run to record its end. A statement that starts
   * just after one interrupt would run on, so the connection is interrupted again until then.
   */
  async stop(reason: 'cancelled' | 'timed-out' = 'cancelled', timeoutMs = 5000): Promise<void> {
    this.stopReason ??= reason;
    const deadline = Date.now() + timeoutMs;
    while (!this.#ended && Date.now() < deadline) {
      try {
        this.connection?.interrupt();
      } catch {
        // The run closed its connection as it ended: nothing left to interrupt.
      }
      await Promise.race([this.done, new Promise((resolve) => setTimeout(resolve, 100))]);
    }
  }
}
