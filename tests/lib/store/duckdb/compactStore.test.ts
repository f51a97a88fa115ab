/** Compaction on real records: what it writes, that it is idempotent, and that it notices change. */

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { CLOUDTRAIL_FIELDS, columnName } from '../../../../src/lib/schema/cloudtrailTable.js';
import { STORE_COLUMNS_DIGEST } from '../../../../src/lib/store/duckdb/cloudtrailRelation.js';
import { StoreLockedError } from '../../../../src/lib/store/duckdb/compactionLock.js';
import { type CompactionProgress, compactStore } from '../../../../src/lib/store/duckdb/compactStore.js';
import { collectMonthGarbage, writeUnit } from '../../../../src/lib/store/duckdb/compactUnit.js';
import {
  type MonthManifest,
  monthDir,
  readManifest,
  type StoreUnit,
  writeManifest,
} from '../../../../src/lib/store/duckdb/monthManifest.js';
import { logFilePaths, rawRecords } from '../../../helpers/cloudtrailData.js';
import { copyOfLogs, GRYCAP_FEBRUARY } from '../../../helpers/logsCopy.js';

const INVICTUS = { account: '123837392027', region: 'us-east-1', month: '2023/07' };
const INVICTUS_DAY = '2023/07/10';

const copyOfInvictus = () => copyOfLogs('invictus-attack-simulation');

/** The grycap set's February 2018 for one account and region, and how many files and records it holds. */
const copyOfGrycapFebruary = async () => {
  const copy = await copyOfLogs('grycap-research-account', GRYCAP_FEBRUARY.dir);
  const records = logFilePaths(path.join(copy.logsDir, 'AWSLogs')).map(
    (f) =>
      (JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')) as { Records: unknown[] }).Records.length,
  );
  return { ...copy, files: records.length, records: records.reduce((a, b) => a + b, 0) };
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
  it('writes a month as one Parquet file with the table columns and the day, every record', async () => {
    const { logsDir, storeDir } = await copyOfInvictus();
    const summary = await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    expect(summary).toMatchObject({ days: 1, built: 1, current: 0, failed: [], rows: 2900 });
    const manifest = await readManifest(monthDir(storeDir, INVICTUS));
    expect(manifest).toMatchObject({ version: 2, ...INVICTUS });
    expect(manifest?.units).toHaveLength(1);
    const unit = manifest?.units[0];
    expect(unit).toMatchObject({ rows: 2900 });
    expect(Object.keys(unit?.days ?? {})).toEqual([INVICTUS_DAY]);
    const file = path.join(monthDir(storeDir, INVICTUS), unit?.parquet ?? '');
    const columns = await readParquet(
      file,
      'SELECT name FROM parquet_schema($file) WHERE num_children IS NOT NULL OR type IS NOT NULL',
    );
    expect(columns.map(([name]) => String(name))).toEqual(
      expect.arrayContaining(CLOUDTRAIL_FIELDS.map(columnName)),
    );
    const top = await readParquet(file, 'DESCRIBE SELECT * FROM read_parquet($file)');
    expect(top.map(([name]) => String(name))).toEqual([...CLOUDTRAIL_FIELDS.map(columnName), 'day']);
    expect(await readParquet(file, 'SELECT DISTINCT day FROM read_parquet($file)')).toEqual([[INVICTUS_DAY]]);
    const ids = (await readParquet(file, 'SELECT eventid FROM read_parquet($file)')).map(([id]) =>
      String(id),
    );
    expect(ids.sort()).toEqual(
      rawRecords('invictus-attack-simulation')
        .map((r) => r.eventID as string)
        .sort(),
    );
    expect(Object.values(unit?.columnBytes ?? {}).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(
      unit?.bytes ?? 0,
    );
  });

  it("keeps the store its owner's alone, as the results are: months 0700, files 0600, an older store's too", async () => {
    const { logsDir, storeDir } = await copyOfInvictus();
    const before = process.umask(0o022);
    try {
      await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
      const month = monthDir(storeDir, INVICTUS);
      const modes = async () => [
        [storeDir, statSync(storeDir).mode & 0o777],
        [month, statSync(month).mode & 0o777],
        ...(await readdir(month)).map((name) => [name, statSync(path.join(month, name)).mode & 0o777]),
      ];
      const privateModes = (found: (string | number)[][]) =>
        found.every(([, mode]) => ((mode as number) & 0o077) === 0);
      expect(privateModes(await modes()), JSON.stringify(await modes())).toBe(true);
      // A store written before the rule (readable by all) is made private by the next compaction.
      await chmod(storeDir, 0o755);
      await chmod(month, 0o755);
      for (const name of await readdir(month)) await chmod(path.join(month, name), 0o644);
      await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
      expect(privateModes(await modes()), JSON.stringify(await modes())).toBe(true);
    } finally {
      process.umask(before);
    }
  });

  it('leaves a current day alone, and rebuilds a day whose raw files changed', async () => {
    const { logsDir, storeDir } = await copyOfInvictus();
    await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    const first = (await readManifest(monthDir(storeDir, INVICTUS)))?.units[0];
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
    const second = (await readManifest(monthDir(storeDir, INVICTUS)))?.units;
    expect(second).toHaveLength(1);
    expect(second?.[0]?.parquet).not.toBe(first?.parquet);
    expect(second?.[0]?.days[INVICTUS_DAY]?.map((s) => s.path)).toContain(
      'AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10/late.json.gz',
    );
    // A file re-synced with the same size but a new time is a change too.
    await utimes(late, new Date(), new Date(Date.now() + 5000));
    expect(await compactStore({ logsDir, storeDir, closedAfterMs: 0 })).toMatchObject({ built: 1 });
  });

  it('writes again a unit written with other columns (the schema changed since)', async () => {
    const { logsDir, storeDir } = await copyOfInvictus();
    await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    const month = monthDir(storeDir, INVICTUS);
    const manifest = await readManifest(month);
    const [unit] = manifest?.units ?? [];
    expect(unit?.columns).toBe(STORE_COLUMNS_DIGEST);
    await writeManifest(month, {
      ...(manifest as MonthManifest),
      units: [{ ...(unit as StoreUnit), columns: 'an-older-schema' }],
    });
    expect(await compactStore({ logsDir, storeDir, closedAfterMs: 0 })).toMatchObject({
      built: 1,
      current: 0,
    });
    expect((await readManifest(month))?.units.map((u) => u.columns)).toEqual([STORE_COLUMNS_DIGEST]);
  });

  it('keeps a file it supersedes for the grace counted from then, however long ago the file was written', async () => {
    const { logsDir, storeDir } = await copyOfInvictus();
    await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    const month = monthDir(storeDir, INVICTUS);
    const old = (await readManifest(month))?.units[0]?.parquet ?? '';
    // Written a month ago, as a month's files are when it closes and they are merged.
    const monthAgo = new Date(Date.now() - 30 * 86_400_000);
    await utimes(path.join(month, old), monthAgo, monthAgo);
    const late = path.join(logsDir, 'AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10/late.json.gz');
    const [record] = rawRecords('invictus-attack-simulation');
    await writeFile(
      late,
      gzipSync(JSON.stringify({ Records: [{ ...record, eventID: 'late-delivery-0002' }] })),
    );
    const graceMs = 40 * 60_000;
    expect(
      await compactStore({ logsDir, storeDir, closedAfterMs: 0, longestExecutionMs: 30 * 60_000 }),
    ).toMatchObject({
      built: 1,
    });
    // Superseded now: an execution planned over the old manifest may still read it.
    expect((await readManifest(month))?.units.map((u) => u.parquet)).not.toContain(old);
    expect(await readdir(month)).toContain(old);
    expect(await collectMonthGarbage(month, graceMs, Date.now() + graceMs - 60_000)).toBe(0);
    expect(await readdir(month)).toContain(old);
    // Once the grace has passed since it was superseded, it goes.
    expect(await collectMonthGarbage(month, graceMs, Date.now() + graceMs + 60_000)).toBe(1);
    expect(await readdir(month)).not.toContain(old);
  });

  it('writes the same logs to the same bytes, a thread a unit when there is a unit for every writer', async () => {
    const { logsDir } = await copyOfGrycapFebruary();
    // A second unit: the same month in another region, so that each of two writers has one.
    const region = path.join(logsDir, 'AWSLogs', GRYCAP_FEBRUARY.account, 'CloudTrail');
    await cp(path.join(region, GRYCAP_FEBRUARY.region), path.join(region, 'eu-west-1'), { recursive: true });
    const digests = async () => {
      const storeDir = await mkdtemp(path.join(tmpdir(), 'trailhound-store-'));
      expect(await compactStore({ logsDir, storeDir, closedAfterMs: 0, threads: 2 })).toMatchObject({
        failed: [],
      });
      return Promise.all(
        [GRYCAP_FEBRUARY.region, 'eu-west-1'].map(async (r) => {
          const dir = monthDir(storeDir, { ...GRYCAP_FEBRUARY, region: r });
          const [unit] = (await readManifest(dir))?.units ?? [];
          return createHash('sha256')
            .update(readFileSync(path.join(dir, unit?.parquet ?? '')))
            .digest('hex');
        }),
      );
    };
    const first = await digests();
    expect(first[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(await digests()).toEqual(first);
  });

  it('reads a log file kept uncompressed (.json) as it reads a gzipped one', async () => {
    const { logsDir, storeDir } = await copyOfInvictus();
    const [gzipped] = logFilePaths(path.join(logsDir, 'AWSLogs'));
    if (!gzipped) throw new Error('the invictus copy has no log file');
    await writeFile(gzipped.replace(/\.gz$/, ''), gunzipSync(readFileSync(gzipped)));
    await rm(gzipped);
    expect(await compactStore({ logsDir, storeDir, closedAfterMs: 0 })).toMatchObject({
      built: 1,
      failed: [],
      rows: 2900,
    });
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
    expect(await readdir(monthDir(storeDir, INVICTUS))).toHaveLength(2);
  });

  it('adds a file for the days of a month under way, and merges them into one once the month is over', async () => {
    const { logsDir, storeDir, files, records } = await copyOfGrycapFebruary();
    expect(files).toBe(19);
    const dir = monthDir(storeDir, GRYCAP_FEBRUARY);
    const unitDays = async () => (await readManifest(dir))?.units.map((u) => Object.keys(u.days)) ?? [];

    // Mid-month: the closed days so far (1 to 12 February hold 8 of them) make one file.
    const midMonth = () => Date.parse('2018-02-13T02:00:00Z');
    expect(await compactStore({ logsDir, storeDir, now: midMonth })).toMatchObject({ days: 8, built: 8 });
    expect((await unitDays()).map((days) => days.length)).toEqual([8]);
    expect(await compactStore({ logsDir, storeDir, now: midMonth })).toMatchObject({ built: 0, current: 8 });

    // A week on: the days closed since make a second file; the first is kept as it is.
    const [first] = (await readManifest(dir))?.units ?? [];
    expect(
      await compactStore({ logsDir, storeDir, now: () => Date.parse('2018-02-19T02:00:00Z') }),
    ).toMatchObject({ days: 11, built: 3, current: 8 });
    const weekOn = (await readManifest(dir))?.units ?? [];
    expect(weekOn.map((u) => Object.keys(u.days))).toEqual([
      ['01', '02', '05', '06', '09', '10', '11', '12'].map((d) => `2018/02/${d}`),
      ['2018/02/13', '2018/02/17', '2018/02/18'],
    ]);
    expect(weekOn[0]).toEqual(first);

    // The month over: its 19 days in one file, every record once, sorted by day and event time.
    const progress: CompactionProgress[] = [];
    const merging = await compactStore({
      logsDir,
      storeDir,
      closedAfterMs: 0,
      onProgress: (p) => progress.push(p),
    });
    expect(merging).toMatchObject({ days: 19, built: 19, current: 0, rows: records, failed: [] });
    expect(progress.at(-1)).toMatchObject({ done: 19, total: 19, rawBytes: merging.rawBytes });
    expect(merging.rawBytes).toBe(
      logFilePaths(path.join(logsDir, 'AWSLogs')).reduce((sum, f) => sum + statSync(f).size, 0),
    );
    const [merged, ...others] = (await readManifest(dir))?.units ?? [];
    expect(others).toEqual([]);
    expect(Object.keys(merged?.days ?? {})).toHaveLength(19);
    const order = await readParquet(
      path.join(dir, merged?.parquet ?? ''),
      'SELECT day, eventtime FROM read_parquet($file)',
    );
    expect(order.map(([day, time]) => `${day} ${time}`)).toEqual(
      order.map(([day, time]) => `${day} ${time}`).sort(),
    );
    expect(order).toHaveLength(records);
    expect(await compactStore({ logsDir, storeDir, closedAfterMs: 0 })).toMatchObject({
      built: 0,
      current: 19,
    });
  });

  it('compacts one at a time: a live holder of the lock refuses a second, a dead one is taken over', async () => {
    const { logsDir, storeDir } = await copyOfInvictus();
    const lock = path.join(storeDir, '.compaction.lock');
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await writeFile(lock, JSON.stringify({ pid: live.pid }));
      await expect(compactStore({ logsDir, storeDir, closedAfterMs: 0 })).rejects.toBeInstanceOf(
        StoreLockedError,
      );
    } finally {
      live.kill();
      await new Promise((resolve) => live.once('exit', resolve));
    }
    expect(await readManifest(monthDir(storeDir, INVICTUS))).toBeUndefined();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    await writeFile(lock, JSON.stringify({ pid: Number(gone.stdout.toString()) }));
    expect(await compactStore({ logsDir, storeDir, closedAfterMs: 0 })).toMatchObject({ built: 1 });
    expect(await readdir(storeDir)).not.toContain('.compaction.lock');
  });

  it('removes the files of the first layout (a file a day), and nothing of a directory it did not write', async () => {
    const { logsDir, storeDir } = await copyOfInvictus();
    const month = monthDir(storeDir, INVICTUS);
    const firstLayout = path.join(month, '10');
    const foreign = path.join(month, '11');
    await mkdir(firstLayout, { recursive: true });
    await mkdir(foreign, { recursive: true });
    await writeFile(
      path.join(firstLayout, 'manifest.json'),
      JSON.stringify({ version: 1, day: INVICTUS_DAY, parquet: 'part-0.parquet' }),
    );
    await writeFile(path.join(firstLayout, 'part-0.parquet'), 'old');
    await writeFile(path.join(foreign, 'raw.json.gz'), "not the store's");
    await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    expect((await readdir(month)).sort()).toEqual(expect.arrayContaining(['11', 'manifest.json']));
    expect(await readdir(month)).not.toContain('10');
    expect(await readdir(foreign)).toEqual(['raw.json.gz']);
  });

  it('removes nothing from a month whose manifest it cannot read', async () => {
    const { logsDir, storeDir } = await copyOfInvictus();
    await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    const month = monthDir(storeDir, INVICTUS);
    const before = (await readdir(month)).sort();
    await writeFile(path.join(month, 'manifest.json'), '{"version": 3}');
    expect(await collectMonthGarbage(month, 0, Date.now() + 86_400_000)).toBe(0);
    expect((await readdir(month)).sort()).toEqual(before);
  });

  it("records no day as failed for a failure of the compaction's own (memory), and tries the month again next time", async () => {
    const { logsDir, storeDir, records } = await copyOfGrycapFebruary();
    const starved = await compactStore({ logsDir, storeDir, closedAfterMs: 0, memoryLimit: '1MB' });
    expect(starved.built).toBe(0);
    expect(starved.failed.length).toBeGreaterThan(0);
    expect(starved.failed[0]?.error).toMatch(/memory/i);
    expect((await readManifest(monthDir(storeDir, GRYCAP_FEBRUARY)))?.failed).toBeUndefined();
    expect(await compactStore({ logsDir, storeDir, closedAfterMs: 0 })).toMatchObject({
      built: 19,
      rows: records,
      failed: [],
    });
  });

  it('keeps a unit a day of a month whose days write alone but not together (memory), and tries them together again only once they or the memory change', async () => {
    const { logsDir, storeDir, records } = await copyOfGrycapFebruary();
    const month = monthDir(storeDir, GRYCAP_FEBRUARY);
    // DuckDB out of memory past one day's files, as a busy month meets its memory limit.
    let together = 0;
    const starved: typeof writeUnit = async (connection, files, target, onWriting) => {
      if (new Set(files.map((f) => f.day)).size > 1) {
        together += 1;
        throw new Error('Out of Memory Error: failed to allocate data of size 32.0 MiB (stand-in)');
      }
      return writeUnit(connection, files, target, onWriting);
    };
    const first = await compactStore({ logsDir, storeDir, closedAfterMs: 0, writeUnit: starved });
    expect(first).toMatchObject({ days: 19, built: 19, failed: [], rows: records });
    expect(together).toBe(1);
    const apart = await readManifest(month);
    expect(apart?.units.map((u) => Object.keys(u.days).length)).toEqual(Array(19).fill(1));
    expect(apart?.failed).toBeUndefined();
    expect(apart?.unmerged).toMatchObject({
      memoryLimit: '512MB',
      writers: 1,
      error: expect.stringMatching(/Out of Memory/),
    });
    expect(apart?.unmerged?.days).toHaveLength(19);
    // Every record is read from the month's files.
    const [[count]] = (await readParquet(
      path.join(month, '*.parquet'),
      'SELECT count(*) FROM read_parquet($file)',
    )) as [[bigint]];
    expect(Number(count)).toBe(records);

    // Not tried together again while nothing changed.
    expect(await compactStore({ logsDir, storeDir, closedAfterMs: 0, writeUnit: starved })).toMatchObject({
      built: 0,
      current: 19,
    });
    expect(together).toBe(1);

    // A day's files changed: the month is tried together again (and kept apart again).
    const day = path.join(logsDir, GRYCAP_FEBRUARY.dir, '09');
    const [file] = await readdir(day);
    await utimes(path.join(day, file as string), new Date(), new Date(Date.now() - 60_000));
    expect(await compactStore({ logsDir, storeDir, closedAfterMs: 0, writeUnit: starved })).toMatchObject({
      built: 19,
    });
    expect(together).toBe(2);

    // Two writers sharing the memory where there was one: tried together again.
    expect(
      await compactStore({ logsDir, storeDir, closedAfterMs: 0, threads: 2, writeUnit: starved }),
    ).toMatchObject({ built: 19 });
    expect(together).toBe(3);
    expect((await readManifest(month))?.unmerged?.writers).toBe(2);
    expect(
      await compactStore({ logsDir, storeDir, closedAfterMs: 0, threads: 2, writeUnit: starved }),
    ).toMatchObject({ built: 0, current: 19 });
    expect(together).toBe(3);

    // Another memory limit (here with the real writer, which has memory enough): tried as one
    // file again, and written so.
    const merged = await compactStore({ logsDir, storeDir, closedAfterMs: 0, memoryLimit: '384MB' });
    expect(merged).toMatchObject({ built: 19, failed: [], rows: records });
    const after = await readManifest(month);
    expect(after?.units.map((u) => Object.keys(u.days).length)).toEqual([19]);
    expect(after?.unmerged).toBeUndefined();
  });

  it('records nothing when no day writes alone, though one day cannot be read: the month is tried again', async () => {
    const { logsDir, storeDir } = await copyOfGrycapFebruary();
    const badDay = path.join(logsDir, GRYCAP_FEBRUARY.dir, '09');
    await writeFile(
      path.join(badDay, 'truncated.json.gz'),
      gzipSync(JSON.stringify({ Records: [] })).subarray(0, 12),
    );
    // Out of memory for anything but the unreadable day, which fails as it reads.
    const starved: typeof writeUnit = async (connection, files, target, onWriting) => {
      if (files.some((f) => f.day !== '2018/02/09') || files.length === 0)
        throw new Error('Out of Memory Error: failed to allocate data of size 32.0 MiB (stand-in)');
      return writeUnit(connection, files, target, onWriting);
    };
    const first = await compactStore({ logsDir, storeDir, closedAfterMs: 0, writeUnit: starved });
    expect(first).toMatchObject({ built: 0 });
    expect(first.failed).toHaveLength(19);
    expect(first.failed[0]?.error).toMatch(/Out of Memory/);
    expect(await readManifest(monthDir(storeDir, GRYCAP_FEBRUARY))).toBeUndefined();
    // With memory: the other days written, the unreadable one recorded.
    expect(await compactStore({ logsDir, storeDir, closedAfterMs: 0 })).toMatchObject({ built: 18 });
    expect(Object.keys((await readManifest(monthDir(storeDir, GRYCAP_FEBRUARY)))?.failed ?? {})).toEqual([
      '2018/02/09',
    ]);
  });

  it('leaves a month whose manifest a later version wrote as it is: neither rewritten nor collected', async () => {
    const { logsDir, storeDir } = await copyOfInvictus();
    await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    const month = monthDir(storeDir, INVICTUS);
    const later = JSON.stringify({ version: 3, units: 'as a later version writes them' });
    await writeFile(path.join(month, 'manifest.json'), later);
    // Its files written a day ago: past any grace, they would be collected were the month rewritten.
    const dayAgo = new Date(Date.now() - 86_400_000);
    for (const name of await readdir(month)) await utimes(path.join(month, name), dayAgo, dayAgo);
    const before = (await readdir(month)).sort();
    expect(await compactStore({ logsDir, storeDir, closedAfterMs: 0, longestExecutionMs: 0 })).toMatchObject({
      built: 0,
    });
    expect(readFileSync(path.join(month, 'manifest.json'), 'utf8')).toBe(later);
    expect((await readdir(month)).sort()).toEqual(before);
  });

  it('writes the other days of a month when one day cannot be read, and tries that day again once its files change', async () => {
    const { logsDir, storeDir, records } = await copyOfGrycapFebruary();
    const badDay = path.join(logsDir, GRYCAP_FEBRUARY.dir, '09');
    const truncated = path.join(badDay, 'truncated.json.gz');
    await writeFile(truncated, gzipSync(JSON.stringify({ Records: [] })).subarray(0, 12));
    const first = await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    expect(first).toMatchObject({ days: 19, built: 18 });
    expect(first.failed.map((f) => f.day)).toEqual([`${GRYCAP_FEBRUARY.account}/sa-east-1/2018/02/09`]);
    const manifest = await readManifest(monthDir(storeDir, GRYCAP_FEBRUARY));
    expect(manifest?.units.map((u) => Object.keys(u.days).length)).toEqual([18]);
    expect(Object.keys(manifest?.failed ?? {})).toEqual(['2018/02/09']);

    // Not tried again while its files are as they were: nothing is written, the failure is said again.
    const again = await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    expect(again).toMatchObject({ built: 0, current: 18 });
    expect(again.failed[0]?.error).toMatch(/tried again once its files change/);

    // The download repaired: the day is written, the month merged into one file again.
    await rm(truncated);
    const repaired = await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    expect(repaired).toMatchObject({ built: 19, failed: [], rows: records });
    const after = await readManifest(monthDir(storeDir, GRYCAP_FEBRUARY));
    expect(after?.units.map((u) => Object.keys(u.days).length)).toEqual([19]);
    expect(after?.failed).toBeUndefined();
  });
});
