/**
 * The local store of watches: changes serialised and written whole, delivered keys forgotten once
 * they expire, and the directory held by one store at a time.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineUnavailableError, WatchLimitError } from '../../../src/lib/errors.js';
import { FileWatchStore } from '../../../src/lib/watches/fileWatchStore.js';
import { watchIdOf, watchRecord } from '../../helpers/watchRecords.js';

const A = watchIdOf(10);
const B = watchIdOf(11);

const storeDir = async () => path.join(await mkdtemp(path.join(tmpdir(), 'trailhound-state-')), 'watches');

describe('FileWatchStore', () => {
  it('applies concurrent changes one after the other, none lost, and leaves no file aside', async () => {
    const dir = await storeDir();
    const store = new FileWatchStore(dir);
    await store.create(watchRecord(A), 5);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.update(A, (r) => ({ ...r, totals: { ...r.totals, runs: r.totals.runs + 1 } })),
      ),
    );
    expect((await store.get(A))?.totals.runs).toBe(20);
    expect((await readdir(dir)).sort()).toEqual([`${A}.json`, 'owner.lock']);
    await store.close();
  });

  it('refuses a watch over the limit, and forgets a watch and its keys together', async () => {
    const store = new FileWatchStore(await storeDir());
    await store.create(watchRecord(A), 1);
    await expect(store.create(watchRecord(B), 1)).rejects.toBeInstanceOf(WatchLimitError);
    await store.markDelivered(A, ['k1'], Date.now() + 60_000);
    expect(await store.remove(A)).toBe(true);
    expect(await store.remove(A)).toBe(false);
    await store.create(watchRecord(A), 1);
    expect([...(await store.delivered(A, ['k1']))]).toEqual([]);
    await store.close();
  });

  it('knows a delivered key until it expires', async () => {
    const store = new FileWatchStore(await storeDir());
    await store.create(watchRecord(A), 5);
    await store.markDelivered(A, ['old'], Date.now() - 1);
    await store.markDelivered(A, ['new', 'newer'], Date.now() + 60_000);
    expect([...(await store.delivered(A, ['old', 'new', 'other']))]).toEqual(['new']);
    // Keys of a watch deleted meanwhile are not written.
    await store.markDelivered(B, ['x'], Date.now() + 60_000);
    expect([...(await store.delivered(B, ['x']))]).toEqual([]);
    await store.close();
  });

  it('is held by one store at a time: another is refused while it holds the directory', async () => {
    const dir = await storeDir();
    const first = new FileWatchStore(dir);
    await first.create(watchRecord(A), 5);
    const second = new FileWatchStore(dir);
    // Reading is free; changing is refused, saying why.
    expect((await second.list()).map((r) => r.watchId)).toEqual([A]);
    await expect(second.update(A, (r) => ({ ...r, nextRunAt: r.createdAt }))).rejects.toBeInstanceOf(
      EngineUnavailableError,
    );
    await first.close();
    await second.create(watchRecord(B), 5);
    expect((await second.list()).map((r) => r.watchId)).toEqual([A, B]);
    await second.close();
  });
});
