import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExecutionStore, type StoredExecution } from '../../../../src/lib/engines/duckdb/executionStore.js';
import {
  nodeFileSystem,
  type ResultFileSystem,
} from '../../../../src/lib/engines/duckdb/resultFileSystem.js';

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

const newStore = async (files: ResultFileSystem = nodeFileSystem) => {
  const store = new ExecutionStore(await mkdtemp(path.join(tmpdir(), 'trailhound-store-')), files);
  await store.init();
  return store;
};

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });

describe('ExecutionStore', () => {
  it("reads an ended record's file once, and answers its later changes, which it writes itself", async () => {
    let reads = 0;
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-store-'));
    const writer = new ExecutionStore(dir);
    await writer.init();
    await writer.create(record());
    await writer.update(ID, (e) => ({ ...e, state: 'SUCCEEDED', rowCount: 3 }));
    const store = new ExecutionStore(dir, {
      ...nodeFileSystem,
      readFile: (file) => {
        reads += 1;
        return nodeFileSystem.readFile(file);
      },
    });
    for (let i = 0; i < 3; i += 1)
      expect(await store.load(ID)).toMatchObject({ state: 'SUCCEEDED', rowCount: 3 });
    expect(reads).toBe(1);
    await store.amendEnded(ID, (e) => ({ ...e, expired: true }));
    expect(await store.load(ID)).toMatchObject({ state: 'SUCCEEDED', expired: true });
    // What the next process reads: the file, as written.
    expect(await new ExecutionStore(dir).load(ID)).toMatchObject({ expired: true });
    // A record that has not ended is read again each time: it changes as the execution runs.
    const running = '6dd2becb-5b63-4b5e-a3f2-3a7a9c1e0f11';
    await store.create(record({ executionId: running, state: 'RUNNING' }));
    reads = 0;
    await store.load(running);
    await store.load(running);
    expect(reads).toBe(2);
  });

  it('creates a record and updates it, with no temporary file left, readable by the owner only', async () => {
    const store = await newStore();
    await store.create(record());
    expect(await store.update(ID, (e) => ({ ...e, state: 'RUNNING' }))).toMatchObject({ state: 'RUNNING' });
    expect(await store.load(ID)).toEqual(record({ state: 'RUNNING' }));
    expect(await readdir(store.dir)).toEqual([`${ID}.json`]);
    expect((await stat(path.join(store.dir, `${ID}.json`))).mode & 0o777).toBe(0o600);
    expect((await stat(store.dir)).mode & 0o777).toBe(0o700);
  });

  it('never changes an ended record: whichever of cancel and finish lands first wins', async () => {
    const store = await newStore();
    await store.create(record({ state: 'RUNNING' }));
    await store.update(ID, (e) => ({ ...e, state: 'CANCELLED' }));
    expect(await store.update(ID, (e) => ({ ...e, state: 'SUCCEEDED' }))).toMatchObject({
      state: 'CANCELLED',
    });
    expect((await store.load(ID))?.state).toBe('CANCELLED');
  });

  it('applies concurrent changes one at a time, each to the record as it then stands', async () => {
    const store = await newStore();
    await store.create(record({ state: 'RUNNING', statistics: { bytesScanned: 0, engineMs: 0 } }));
    const bump = () =>
      store.update(ID, (e) => ({
        ...e,
        statistics: { ...e.statistics, bytesScanned: e.statistics.bytesScanned + 1 },
      }));
    await Promise.all(Array.from({ length: 50 }, bump));
    expect((await store.load(ID))?.statistics.bytesScanned).toBe(50);
    expect((await readdir(store.dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('answers with a record it could not write (a full disk), and keeps no half-written file', async () => {
    let full = false;
    const store = await newStore({
      ...nodeFileSystem,
      writeFile: async (...args) => {
        if (full) throw enospc();
        return nodeFileSystem.writeFile(...args);
      },
    });
    await store.create(record());
    full = true;
    await expect(store.update(ID, (e) => ({ ...e, state: 'FAILED' }))).rejects.toMatchObject({
      code: 'ENOSPC',
    });
    expect((await store.load(ID))?.state).toBe('FAILED');
    expect(await readdir(store.dir)).toEqual([`${ID}.json`]);
  });

  it('knows nothing of an unknown id, and builds no path from an id that is not one', async () => {
    const store = await newStore();
    expect(await store.load('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    await writeFile(path.join(store.dir, 'x.json'), '{}');
    expect(await store.load('../x')).toBeUndefined();
    expect(await store.load('x')).toBeUndefined();
  });

  it('lists every record and ignores other files; removes what a crash left half-written', async () => {
    const store = await newStore();
    const other = '6f1a5f0e-4b1d-4e8e-9d55-0a2a2c9a9e11';
    await store.create(record());
    await store.create(record({ executionId: other }));
    await writeFile(path.join(store.dir, `${ID}.csv`), '"a"\n');
    await writeFile(path.join(store.dir, `${ID}.csv.1234.tmp`), '"partial');
    await writeFile(path.join(store.dir, 'notes.json'), '{}');
    expect((await store.all()).map((e) => e.executionId).sort()).toEqual([ID, other].sort());
    await store.init();
    expect((await readdir(store.dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it("lists a page of a long history reading only the page's records, newest first, filters and new states included", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-store-'));
    const writer = new ExecutionStore(dir);
    await writer.init();
    const idOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    for (let i = 0; i < 5000; i += 1) {
      await writer.create(
        record({
          executionId: idOf(i),
          submittedAt: at(i),
          state: 'SUCCEEDED',
          label: i % 10 === 0 ? 'INC-1' : 'INC-2',
        }),
      );
    }
    let reads = 0;
    const store = new ExecutionStore(dir, {
      ...nodeFileSystem,
      readFile: (file) => {
        reads += 1;
        return nodeFileSystem.readFile(file);
      },
    });
    await store.all();
    reads = 0;
    const newest = await store.page(() => true, 20);
    expect(newest.executions.map((e) => e.executionId)).toEqual(
      Array.from({ length: 20 }, (_, i) => idOf(4999 - i)),
    );
    expect(newest.more).toBe(true);
    expect(reads).toBe(20);
    reads = 0;
    const labelled = await store.page((e) => e.label === 'INC-1', 100);
    expect(labelled.executions).toHaveLength(100);
    expect(labelled.executions.every((e) => e.label === 'INC-1')).toBe(true);
    expect(reads).toBe(100);
    // A new execution is first; a state changed is what a filter sees.
    await store.create(record({ executionId: idOf(9999), submittedAt: at(9999), state: 'QUEUED' }));
    expect((await store.page(() => true, 1)).executions[0]?.executionId).toBe(idOf(9999));
    expect((await store.page((e) => e.state === 'QUEUED', 10)).executions).toHaveLength(1);
    await store.update(idOf(9999), (e) => ({ ...e, state: 'RUNNING' }));
    expect((await store.page((e) => e.state === 'QUEUED', 10)).executions).toHaveLength(0);
    expect((await store.page((e) => e.state === 'RUNNING', 10)).executions).toHaveLength(1);
  }, 60_000);
});
