import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExecutionStore, type StoredExecution } from '../../../../src/lib/engines/duckdb/executionStore.js';

const ID = '5dd2becb-5b63-4b5e-a3f2-3a7a9c1e0f11';
const record = (overrides: Partial<StoredExecution> = {}): StoredExecution => ({
  executionId: ID,
  query: 'mentions',
  state: 'QUEUED',
  submittedAt: '2026-01-01T00:00:00.000Z',
  statistics: { bytesScanned: 0, engineMs: 0 },
  columns: [{ name: 'eventid', type: 'varchar' }],
  ...overrides,
});

const newStore = async () => {
  const store = new ExecutionStore(await mkdtemp(path.join(tmpdir(), 'trailhound-store-')));
  await store.init();
  return store;
};

describe('ExecutionStore', () => {
  it('saves a record and loads it back, the latest save winning, with no temporary file left', async () => {
    const store = await newStore();
    await store.save(record());
    await store.save(record({ state: 'SUCCEEDED', rowCount: 3 }));
    expect(await store.load(ID)).toEqual(record({ state: 'SUCCEEDED', rowCount: 3 }));
    expect(await readdir(store.dir)).toEqual([`${ID}.json`]);
  });

  it('knows nothing of an unknown id, and builds no path from an id that is not one', async () => {
    const store = await newStore();
    expect(await store.load('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    await writeFile(path.join(store.dir, 'x.json'), '{}');
    expect(await store.load('../x')).toBeUndefined();
    expect(await store.load('x')).toBeUndefined();
  });

  it('lists every record in the directory and ignores other files', async () => {
    const store = await newStore();
    const other = '6f1a5f0e-4b1d-4e8e-9d55-0a2a2c9a9e11';
    await store.save(record());
    await store.save(record({ executionId: other }));
    await writeFile(path.join(store.dir, `${ID}.csv`), '"a"\n');
    await writeFile(path.join(store.dir, 'notes.json'), '{}');
    expect((await store.all()).map((e) => e.executionId).sort()).toEqual([ID, other].sort());
  });

  it('keeps the CSV beside the record', async () => {
    const store = await newStore();
    expect(store.csvPath(ID)).toBe(path.join(store.dir, `${ID}.csv`));
  });
});
