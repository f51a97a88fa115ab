import { describe, expect, it } from 'vitest';
import { RunQueue } from '../../../../src/lib/engines/duckdb/runQueue.js';

const deferred = () => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('RunQueue', () => {
  it('runs at most `limit` tasks at once, the others in order of arrival', async () => {
    const queue = new RunQueue(2);
    const started: number[] = [];
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const runs = gates.map((gate, i) =>
      queue.run(async () => {
        started.push(i);
        await gate.promise;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]?.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
  });

  it('frees the slot of a task that fails, and passes the failure on', async () => {
    const queue = new RunQueue(1);
    const failed = queue.run(async () => {
      throw new Error('boom');
    });
    let ran = false;
    const next = queue.run(async () => {
      ran = true;
    });
    await expect(failed).rejects.toThrow('boom');
    await next;
    expect(ran).toBe(true);
  });
});
