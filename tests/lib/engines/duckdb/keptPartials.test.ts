/** How the kept partials of many files are made: in batches whose rows a statement can hold. */
import { describe, expect, it } from 'vitest';
import { batchesOf, readsKeptPartials } from '../../../../src/lib/engines/duckdb/keptPartials.js';

const file = (name: string, rows: number) => ({ name, unit: { rows } });

describe('batchesOf', () => {
  it('fills each batch up to the rows a statement holds, in order', () => {
    const files = [file('a', 400), file('b', 500), file('c', 200), file('d', 900)];
    expect(batchesOf(files, 1000).map((b) => b.map((f) => f.name))).toEqual([['a', 'b'], ['c'], ['d']]);
  });
  it('puts a file larger than a batch alone, and makes no batch of nothing', () => {
    expect(batchesOf([file('a', 5000), file('b', 10)], 1000).map((b) => b.map((f) => f.name))).toEqual([
      ['a'],
      ['b'],
    ]);
    expect(batchesOf([], 1000)).toEqual([]);
  });
});

describe('readsKeptPartials', () => {
  it('reads kept partials only for a window from midnight to midnight', () => {
    const window = { firstDay: '2025/01/01', lastDay: '2025/01/03' };
    expect(readsKeptPartials({ ...window, from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' })).toBe(
      true,
    );
    expect(readsKeptPartials({ ...window, from: '2025-01-01T00:00:01Z', to: '2025-01-02T00:00:00Z' })).toBe(
      false,
    );
    expect(readsKeptPartials({ ...window, from: '2025-01-01T00:00:00Z', to: '2025-01-02T12:00:00Z' })).toBe(
      false,
    );
  });
});
