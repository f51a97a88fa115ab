/** Compaction on real records: what it writes, that it is idempotent, and that it notices change. */
import { cp, mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { compactStore } from '../../../../../src/lib/engines/duckdb/store/compactStore.js';
import { dayDir, readManifest } from '../../../../../src/lib/engines/duckdb/store/dayManifest.js';
import { CLOUDTRAIL_FIELDS, columnName } from '../../../../../src/lib/schema/cloudtrailTable.js';
import { DATA_DIR, rawRecords } from '../../../../helpers/cloudtrailData.js';

const INVICTUS = { account: '123837392027', region: 'us-east-1', day: '2023/07/10' };

const copyOfInvictus = async () => {
  const logsDir = await mkdtemp(path.join(tmpdir(), 'trailhound-logs-'));
  await cp(path.join(DATA_DIR, 'invictus-attack-simulation/AWSLogs'), path.join(logsDir, 'AWSLogs'), {
    recursive: true,
  });
  const storeDir = await mkdtemp(path.join(tmpdir(), 'trailhound-store-'));
  return { logsDir, storeDir };
};

const readParquet = async (file: string, sql: string) => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql.replace('$file', `'${file}'`))).getRows();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
};

describe('compactStore', () => {
  it('writes each day as one Parquet file with the table columns, every record, sorted by event time', async () => {
    const { logsDir, storeDir } = await copyOfInvictus();
    const summary = await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    expect(summary).toMatchObject({ days: 1, built: 1, current: 0, failed: [], rows: 2900 });
    const manifest = await readManifest(dayDir(storeDir, INVICTUS));
    expect(manifest).toMatchObject({ ...INVICTUS, rows: 2900 });
    const file = path.join(dayDir(storeDir, INVICTUS), manifest?.parquet ?? '');
    const columns = await readParquet(
      file,
      'SELECT name FROM parquet_schema($file) WHERE num_children IS NOT NULL OR type IS NOT NULL',
    );
    expect(columns.map(([name]) => String(name))).toEqual(
      expect.arrayContaining(CLOUDTRAIL_FIELDS.map(columnName)),
    );
    const top = await readParquet(file, 'DESCRIBE SELECT * FROM read_parquet($file)');
    expect(top.map(([name]) => String(name))).toEqual(CLOUDTRAIL_FIELDS.map(columnName));
    const times = (await readParquet(file, 'SELECT eventtime FROM read_parquet($file)')).map(([t]) =>
      String(t),
    );
    expect(times).toEqual([...times].sort());
    const ids = (await readParquet(file, 'SELECT eventid FROM read_parquet($file)')).map(([id]) =>
      String(id),
    );
    expect(ids.sort()).toEqual(
      rawRecords('invictus-attack-simulation')
        .map((r) => r.eventID as string)
        .sort(),
    );
    expect(Object.values(manifest?.columnBytes ?? {}).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(
      manifest?.bytes ?? 0,
    );
  });

  it('leaves a current day alone, and rebuilds a day whose raw files changed', async () => {
    const { logsDir, storeDir } = await copyOfInvictus();
    await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    const first = await readManifest(dayDir(storeDir, INVICTUS));
    expect(await compactStore({ logsDir, storeDir, closedAfterMs: 0 })).toMatchObject({
      built: 0,
      current: 1,
    });
    const late = path.join(logsDir, 'AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10/late.json.gz');
    const [record] = rawRecords('invictus-attack-simulation');
    await writeFile(
      late,
      gzipSync(JSON.stringify({ Records: [{ ...record, eventID: 'late-delivery-0001' }] })),
    );
    const again = await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    expect(again).toMatchObject({ built: 1, current: 0, rows: 2901 });
    const second = await readManifest(dayDir(storeDir, INVICTUS));
    expect(second?.parquet).not.toBe(first?.parquet);
    expect(second?.sources.map((s) => s.path)).toContain(
      'AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10/late.json.gz',
    );
    // A file re-synced with the same size but a new time is a change too.
    await utimes(late, new Date(), new Date(Date.now() + 5000));
    expect(await compactStore({ logsDir, storeDir, closedAfterMs: 0 })).toMatchObject({ built: 1 });
  });

  it('compacts only closed days, within the range asked', async () => {
    const { logsDir, storeDir } = await copyOfInvictus();
    const now = () => Date.parse('2023-07-11T00:30:00Z');
    expect(await compactStore({ logsDir, storeDir, now })).toMatchObject({ days: 0, built: 0 });
    expect(await compactStore({ logsDir, storeDir, to: '2023/07/09', closedAfterMs: 0 })).toMatchObject({
      days: 0,
    });
    expect(
      await compactStore({ logsDir, storeDir, from: '2023/07/10', to: '2023/07/10', closedAfterMs: 0 }),
    ).toMatchObject({
      built: 1,
    });
    expect(await readdir(dayDir(storeDir, INVICTUS))).toHaveLength(2);
  });
});
