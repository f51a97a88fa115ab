import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { STORE_COLUMNS_DIGEST } from '../../../../src/lib/store/duckdb/cloudtrailRelation.js';
import { type LogFile, logKeyOf } from '../../../../src/lib/store/duckdb/logFiles.js';
import {
  currentUnitOf,
  isCurrent,
  isUnitCurrent,
  monthManifest,
  readPlannedManifest,
  type StoreUnit,
  sourcesOf,
  writeManifest,
} from '../../../../src/lib/store/duckdb/monthManifest.js';

const LOGS = path.join(tmpdir(), 'trail');
const DAY = '2025/03/04';
const DAY_DIR = path.join(LOGS, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2025', '03', '04');

const logFile = (name: string, bytes: number, modifiedMs: number): LogFile => ({
  path: path.join(DAY_DIR, name),
  account: '111122223333',
  region: 'us-east-1',
  day: DAY,
  bytes,
  modifiedMs,
});

const built = [logFile('a.json.gz', 100, 1_700_000_000_000.5), logFile('b.json.gz', 200, 1_700_000_000_001)];

describe('logKeyOf', () => {
  it("gives a file's key under the logs directory, with forward slashes", () => {
    expect(logKeyOf(LOGS)(path.join(DAY_DIR, 'a.json.gz'))).toBe(
      'AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/04/a.json.gz',
    );
  });

  it('gives the relative path of a file outside the directory', () => {
    expect(logKeyOf(path.join(LOGS, 'other'))(path.join(LOGS, 'AWSLogs', 'x.json.gz'))).toBe(
      '../AWSLogs/x.json.gz',
    );
  });
});

describe('isCurrent', () => {
  const sources = sourcesOf(LOGS, built);

  it('holds for the files a day was built from, in any order', () => {
    expect(isCurrent(sources, LOGS, built)).toBe(true);
    expect(isCurrent(sources, LOGS, [...built].reverse())).toBe(true);
  });

  it('fails when a file was added, removed, resized, touched or renamed', () => {
    const [a, b] = built as [LogFile, LogFile];
    expect(isCurrent(sources, LOGS, [...built, logFile('c.json.gz', 1, 1)])).toBe(false);
    expect(isCurrent(sources, LOGS, [a])).toBe(false);
    expect(isCurrent(sources, LOGS, [a, { ...b, bytes: 201 }])).toBe(false);
    expect(isCurrent(sources, LOGS, [a, { ...b, modifiedMs: b.modifiedMs + 1 }])).toBe(false);
    expect(isCurrent(sources, LOGS, [a, logFile('c.json.gz', b.bytes, b.modifiedMs)])).toBe(false);
  });
});

describe('a unit written with other columns', () => {
  const key = { account: '111122223333', region: 'us-east-1', month: '2025/03' };
  const unitWith = (columns?: string): StoreUnit => ({
    parquet: 'part-00000000-0000-4000-8000-000000000000.parquet',
    rows: 2,
    bytes: 1000,
    ...(columns === undefined ? {} : { columns }),
    columnBytes: { eventid: 10 },
    days: { [DAY]: sourcesOf(LOGS, built) },
    builtAt: '2025-03-05T00:00:00.000Z',
  });
  const byDay = new Map([[DAY, built]]);

  it('is not current, nor is one that does not say (written before units said their columns)', () => {
    const now = unitWith(STORE_COLUMNS_DIGEST);
    expect(isUnitCurrent(now, LOGS, byDay)).toBe(true);
    expect(currentUnitOf(monthManifest(key, [now], undefined), LOGS, DAY, built)).toBe(now);
    for (const other of [unitWith('0123456789abcdef'), unitWith()]) {
      expect(isUnitCurrent(other, LOGS, byDay)).toBe(false);
      expect(currentUnitOf(monthManifest(key, [other], undefined), LOGS, DAY, built)).toBeUndefined();
    }
  });
});

describe('readPlannedManifest', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'trailhound-manifest-'));
    return () => rm(dir, { recursive: true, force: true });
  });

  const unit = (rows: number): StoreUnit => ({
    parquet: 'part-00000000-0000-4000-8000-000000000000.parquet',
    rows,
    bytes: 1000,
    columnBytes: { eventid: 10 },
    days: { [DAY]: sourcesOf(LOGS, built) },
    builtAt: '2025-03-05T00:00:00.000Z',
  });
  const key = { account: '111122223333', region: 'us-east-1', month: '2025/03' };

  it('reads a manifest once while its file is the same, and again once it is replaced', async () => {
    await writeManifest(dir, monthManifest(key, [unit(5)], undefined));
    const first = await readPlannedManifest(dir);
    expect(first?.units[0]?.rows).toBe(5);
    expect(await readPlannedManifest(dir)).toBe(first);

    await writeManifest(dir, monthManifest(key, [unit(7)], undefined));
    const second = await readPlannedManifest(dir);
    expect(second?.units[0]?.rows).toBe(7);
    expect(second).not.toBe(first);
  });

  it('finds none once the manifest is gone, and none for a manifest it cannot read', async () => {
    await writeManifest(dir, monthManifest(key, [unit(5)], undefined));
    expect(await readPlannedManifest(dir)).toBeDefined();
    await rm(path.join(dir, 'manifest.json'));
    expect(await readPlannedManifest(dir)).toBeUndefined();
    await writeManifest(dir, { ...monthManifest(key, [unit(5)], undefined), version: 3 } as never);
    expect(await readPlannedManifest(dir)).toBeUndefined();
  });
});
