/**
 * The compaction and the estimates at an organization's size, on the Athena double over a
 * synthetic trail of 200 accounts in 17 regions (3,400 partitions a day), each UNLOAD taking 60 s
 * of a virtual clock: a day is written in 40 UNLOADs of at most 100 partitions within one
 * 15-minute invocation; a run that runs out of time leaves its day unpublished and the next run
 * writes only what is missing; a one-day estimate costs a handful of S3 calls, a month's a few
 * dozen, where listing every prefix would take thousands.
 */
import { StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { compactDaysHandler } from '../../src/lambda/compactDays.js';
import { loadAthenaConfig } from '../../src/lib/config.js';
import { AthenaEngine } from '../../src/lib/engines/athena/athenaEngine.js';
import { resolveWindow } from '../../src/lib/sql/timeWindow.js';
import { compactDays } from '../../src/lib/store/athena/compactDays.js';
import { readDayIndex } from '../../src/lib/store/athena/dayIndex.js';
import { readWatermark } from '../../src/lib/store/athena/watermark.js';
import { daysFrom } from '../../src/lib/store/closedDays.js';
import { AthenaDouble, LOG_BUCKET, STORE_BUCKET } from '../helpers/athenaDouble.js';
import { asFunction } from '../helpers/awsCalls.js';
import { refusedCalls, rolesOf, TEMPLATE_NAMES } from '../helpers/leastPrivilege.js';
import { VirtualClock } from '../helpers/virtualClock.js';

const WORKGROUP = 'trailhound-test-compaction';
const ACCOUNTS = Array.from({ length: 200 }, (_, i) => String(210000000000 + i * 7919));
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'eu-south-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
];
const UNLOAD_MS = 60_000;
const FIFTEEN_MINUTES = 900_000;
const BYTES_PER_FILE = 90_000;

let double: AthenaDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

const start = (days: readonly string[], clock: VirtualClock, unloadMs = UNLOAD_MS) => {
  double = new AthenaDouble({
    workGroup: WORKGROUP,
    syntheticTrail: {
      accounts: ACCOUNTS,
      regions: REGIONS,
      days,
      filesPerPartition: 2,
      bytesPerFile: BYTES_PER_FILE,
    },
    clock,
    unloadMs,
    // Millions of calls at this size: what IAM is asked is checked on a small trail below.
    recordCalls: false,
  });
  return double;
};

const config = (concurrency: number) =>
  loadAthenaConfig({
    TRAILHOUND_ATHENA_WORKGROUP: 'trailhound-test',
    TRAILHOUND_COMPACT_WORKGROUP: WORKGROUP,
    TRAILHOUND_STORE_BUCKET: STORE_BUCKET,
    TRAILHOUND_ACCOUNTS: ACCOUNTS.join(','),
    TRAILHOUND_REGIONS: REGIONS.join(','),
    TRAILHOUND_COMPACT_CONCURRENCY: String(concurrency),
  });

/** A Lambda invocation's context from the clock: 15 minutes from when it was made. */
const invocation = (clock: VirtualClock) => {
  const end = clock.now() + FIFTEEN_MINUTES;
  return { getRemainingTimeInMillis: () => end - clock.now() };
};

const unloadsOf = (d: AthenaDouble) =>
  d.athenaMock
    .commandCalls(StartQueryExecutionCommand)
    .map((c) => c.args[0].input)
    .filter((input) => input.QueryString?.startsWith('UNLOAD'));

/** Partitions of a day in the store, each with its objects. */
const storedPartitions = (d: AthenaDouble, day: string) => {
  const partitions = new Map<string, number>();
  for (const key of d.store.keys()) {
    if (!key.startsWith(`cloudtrail/${day}/`)) continue;
    const partition = key.split('/').slice(4, 6).join('/');
    partitions.set(partition, (partitions.get(partition) ?? 0) + 1);
  }
  return partitions;
};

describe('compaction at an organization’s size (200 accounts × 17 regions, 60 s per UNLOAD)', () => {
  it('writes a day in 40 UNLOADs of at most 100 partitions, within one 15-minute invocation', async () => {
    // 2024-03-02 at 01:30 UTC: the schedule's first run after 03/01 closed.
    const clock = new VirtualClock(Date.parse('2024-03-02T01:30:00Z'));
    const d = start(['2024/03/01', '2024/03/02'], clock);
    const began = clock.now();
    const report = await compactDaysHandler(
      config(8),
      { athena: d.athena, s3: d.s3 },
      clock,
    )({}, invocation(clock));
    const took = clock.now() - began;
    expect(report).toMatchObject({
      days: ['2024/03/01'],
      published: ['2024/03/01'],
      partitions: 3400,
      queries: 40,
    });
    expect(took).toBeLessThan(FIFTEEN_MINUTES);
    // Five rounds of eight UNLOADs, a minute each (and the polling around them).
    expect(took).toBeGreaterThanOrEqual(5 * UNLOAD_MS);
    const sent = unloadsOf(d);
    expect(sent).toHaveLength(40);
    for (const input of sent) {
      const [, ...values] = input.ExecutionParameters ?? [];
      const accounts = values.filter((v) => /^'\d{12}'$/.test(v));
      expect(accounts.length * (values.length - accounts.length)).toBeLessThanOrEqual(100);
    }
    // Every partition written once, the day indexed and published.
    const partitions = storedPartitions(d, '2024/03/01');
    expect(partitions.size).toBe(3400);
    expect(Math.max(...partitions.values())).toBe(1);
    const index = await readDayIndex(d.s3, STORE_BUCKET, '2024/03/01');
    expect(index?.batches).toHaveLength(40);
    expect(Object.keys(index?.partitions ?? {})).toHaveLength(3400);
    expect((await readWatermark(d.s3, STORE_BUCKET)).watermark).toMatchObject({
      from: '2024/03/01',
      through: '2024/03/01',
    });
    console.log(
      `compaction of 3,400 partitions: ${sent.length} UNLOADs, ${(took / 60_000).toFixed(1)} minutes of a 15-minute invocation at 8 at once`,
    );
  });

  it('leaves a day it cannot finish unpublished; the next run writes only what is missing', async () => {
    const clock = new VirtualClock(Date.parse('2024-03-02T01:30:00Z'));
    const d = start(['2024/03/01', '2024/03/02'], clock);
    // Two at once: 20 rounds of a minute, more than one invocation holds.
    const handler = compactDaysHandler(config(2), { athena: d.athena, s3: d.s3 }, clock);
    const first = await handler({}, invocation(clock));
    expect(first).toMatchObject({ published: [], unfinished: '2024/03/01', failed: [] });
    expect((await readWatermark(d.s3, STORE_BUCKET)).watermark).toBeUndefined();
    const recorded = (await readDayIndex(d.s3, STORE_BUCKET, '2024/03/01'))?.batches ?? [];
    expect(recorded.length).toBeGreaterThan(10);
    expect(recorded.length).toBeLessThan(40);
    const firstRun = unloadsOf(d).length;
    // The next run, an hour later.
    d.athenaMock.resetHistory();
    await clock.sleep(Date.parse('2024-03-02T02:30:00Z') - clock.now());
    const second = await handler({}, invocation(clock));
    expect(second).toMatchObject({ published: ['2024/03/01'], failed: [] });
    expect(second).not.toHaveProperty('unfinished');
    // Only the batches the first run did not record; none of them twice.
    expect(unloadsOf(d)).toHaveLength(40 - recorded.length);
    const batchesOfSecond = unloadsOf(d).map((u) => u.ExecutionParameters?.slice(1, 6).join());
    expect(new Set(batchesOfSecond).size).toBe(batchesOfSecond.length);
    expect(firstRun).toBe(recorded.length);
    const partitions = storedPartitions(d, '2024/03/01');
    expect(partitions.size).toBe(3400);
    expect(Math.max(...partitions.values())).toBe(1);
  });

  it('stops the UNLOADs still running at the end of the invocation, and the next run clears what they wrote before writing them again', async () => {
    const clock = new VirtualClock(Date.parse('2024-03-02T01:30:00Z'));
    // 3.9 minutes each, ten at once: the fourth round starts at 11.7 minutes and cannot end in time.
    const d = start(['2024/03/01', '2024/03/02'], clock, 234_000);
    const handler = compactDaysHandler(config(10), { athena: d.athena, s3: d.s3 }, clock);
    const first = await handler({}, invocation(clock));
    expect(first).toMatchObject({ published: [], unfinished: '2024/03/01', failed: [], queries: 40 });
    expect((await readDayIndex(d.s3, STORE_BUCKET, '2024/03/01'))?.batches).toHaveLength(30);
    // The ten stopped ones had written their partitions already (the double writes them at once).
    const before = storedPartitions(d, '2024/03/01');
    expect(before.size).toBe(3400);
    expect([...before.values()].reduce((a, b) => a + b, 0)).toBe(3400);
    d.athenaMock.resetHistory();
    await clock.sleep(Date.parse('2024-03-02T02:30:00Z') - clock.now());
    const second = await handler({}, invocation(clock));
    expect(second).toMatchObject({ published: ['2024/03/01'], failed: [], queries: 10 });
    // Written again, not beside what they left: still one object a partition.
    const partitions = storedPartitions(d, '2024/03/01');
    expect(partitions.size).toBe(3400);
    expect(Math.max(...partitions.values())).toBe(1);
    expect([...partitions.keys()]).toEqual([...before.keys()]);
  });
});

describe('estimates at an organization’s size', () => {
  it('cost one GET a compacted day: at most 20 S3 calls for one day, 100 for 30, and as many bytes as the store holds', async () => {
    const clock = new VirtualClock(Date.parse('2024-04-02T02:00:00Z'));
    const days = daysFrom('2024/03/01', '2024/03/31');
    const d = start(days, clock);
    const scope = {
      athena: d.athena,
      s3: d.s3,
      workGroup: WORKGROUP,
      database: 'trailhound',
      catalog: 'AwsDataCatalog',
      storeBucket: STORE_BUCKET,
      accounts: ACCOUNTS,
      regions: REGIONS,
      concurrency: 20,
      clock,
    };
    const report = await compactDays(scope, days, new Date(clock.now()));
    expect(report.published).toEqual(days);
    const engine = new AthenaEngine({
      athena: d.athena,
      s3: d.s3,
      workGroup: 'trailhound-test',
      database: 'trailhound',
      catalog: 'AwsDataCatalog',
      retryBudgetMs: 1000,
      logs: { bucket: LOG_BUCKET, prefix: 'AWSLogs/', accounts: ACCOUNTS, regions: REGIONS },
      store: { bucket: STORE_BUCKET, accounts: ACCOUNTS, regions: REGIONS },
      estimateMaxCalls: 2000,
    });
    const callsFor = async (from: string, to: string) => {
      d.s3Mock.resetHistory();
      const resolved = resolveWindow({ from, to }, 366);
      if (!('window' in resolved)) throw new Error('bad window');
      const estimate = await engine.estimate({
        statement: {} as never,
        columns: [],
        window: resolved.window,
      });
      const calls =
        d.s3Mock.commandCalls(ListObjectsV2Command).length + d.s3Mock.commandCalls(GetObjectCommand).length;
      return { estimate, calls };
    };
    const storedBytes = (of: readonly string[]) =>
      [...d.store.entries()]
        .filter(([key]) => of.some((day) => key.startsWith(`cloudtrail/${day}/`)))
        .reduce((sum, [, o]) => sum + o.size, 0);
    // One day: 03/10 and its day of slack, 03/11.
    const oneDay = await callsFor('2024-03-10T00:00:00Z', '2024-03-11T00:00:00Z');
    expect(oneDay.calls).toBeLessThanOrEqual(20);
    expect(oneDay.estimate.bytesScanned).toBe(storedBytes(['2024/03/10', '2024/03/11']));
    expect(oneDay.estimate.days).toEqual({ compacted: 6800, raw: 0 });
    // Thirty days: 03/01 to 03/30, the last the day of slack.
    const month = await callsFor('2024-03-01T00:00:00Z', '2024-03-30T00:00:00Z');
    expect(month.calls).toBeLessThanOrEqual(100);
    expect(month.estimate.bytesScanned).toBe(storedBytes(daysFrom('2024/03/01', '2024/03/30')));
    expect(month.estimate.files).toBe(30 * 3400);
    console.log(
      `estimates at 3,400 partitions a day: one day ${oneDay.calls} S3 calls, 30 days ${month.calls}`,
    );
  });
});

describe('least privilege of the compaction, with the logs encrypted by a KMS key', () => {
  it("makes only calls the compaction's role allows on the organization stack, KMS included", async () => {
    const clock = new VirtualClock(Date.parse('2024-03-02T01:30:00Z'));
    const accounts = ACCOUNTS.slice(0, 3);
    double = new AthenaDouble({
      workGroup: TEMPLATE_NAMES.workGroup,
      otherWorkGroups: [TEMPLATE_NAMES.compactionWorkGroup],
      syntheticTrail: {
        accounts,
        regions: REGIONS.slice(0, 2),
        days: ['2024/03/01'],
        filesPerPartition: 2,
        bytesPerFile: 1000,
      },
      clock,
      unloadMs: UNLOAD_MS,
      kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    const d = double;
    const handler = compactDaysHandler(
      loadAthenaConfig({
        TRAILHOUND_ATHENA_WORKGROUP: TEMPLATE_NAMES.workGroup,
        TRAILHOUND_COMPACT_WORKGROUP: TEMPLATE_NAMES.compactionWorkGroup,
        TRAILHOUND_ATHENA_DATABASE: TEMPLATE_NAMES.database,
        TRAILHOUND_STORE_BUCKET: STORE_BUCKET,
        TRAILHOUND_ACCOUNTS: accounts.join(','),
        TRAILHOUND_REGIONS: REGIONS.slice(0, 2).join(','),
      }),
      { athena: d.athena, s3: d.s3 },
      clock,
    );
    const report = await asFunction('compactDays', () => handler({}, invocation(clock)));
    expect(report).toMatchObject({ published: ['2024/03/01'] });
    const actions = new Set(d.calls.map((c) => c.action));
    for (const action of [
      'kms:Decrypt',
      'kms:GenerateDataKey',
      's3:PutObject',
      's3:GetObject',
      'glue:GetTable',
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(d.calls.every((c) => c.fn === 'compactDays')).toBe(true);
    expect(await refusedCalls(await rolesOf('organization'), d.calls)).toEqual([]);
  }, 120_000);
});
