import type { DuckDBConnection } from '@duckdb/node-api';
import { describe, expect, it, vi } from 'vitest';
import { ActiveExecution } from '../../../../src/lib/engines/duckdb/activeExecution.js';
import { CancelledError } from '../../../../src/lib/errors.js';

const fakeConnection = () => {
  const interrupt = vi.fn();
  return { connection: { interrupt } as unknown as DuckDBConnection, interrupt };
};

describe('ActiveExecution', () => {
  it('lets a run pass checkpoints until it is cancelled, then stops it at the next one', () => {
    const active = new ActiveExecution();
    expect(() => active.checkpoint()).not.toThrow();
    active.stopReason = 'cancelled';
    expect(() => active.checkpoint()).toThrow(CancelledError);
  });

  it('stop interrupts the connection until the run records its end, then returns', async () => {
    const active = new ActiveExecution();
    const { connection, interrupt } = fakeConnection();
    active.connection = connection;
    // The run ignores the first interrupts, as a statement starting just after one would.
    setTimeout(() => active.finish(), 250);
    const started = Date.now();
    await active.stop('cancelled', 5000);
    expect(active.stopReason).toBe('cancelled');
    expect(interrupt.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(active.done).resolves.toBeUndefined();
  });

  it('gives up waiting after the timeout, and survives a connection already closed', async () => {
    const active = new ActiveExecution();
    active.connection = {
      interrupt: () => {
        throw new Error('connection closed');
      },
    } as unknown as DuckDBConnection;
    const started = Date.now();
    await active.stop('timed-out', 150);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(active.stopReason).toBe('timed-out');
    expect(() => active.checkpoint()).toThrow('timed-out');
  });
});
