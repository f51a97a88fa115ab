/**
 * The columnar copy on AWS, against the Athena test double over a real trail (the grycap research
 * account, days 2018/01/29 to 2018/02/02 in us-east-1 and sa-east-1): the compaction UNLOADs each
 * day's accounts and regions, partitioned, into the store bucket, indexes the day and moves the
 * watermark; a statement whose window
 * spans the watermark reads both tables and answers exactly what the raw table alone answers,
 * scanning less; a failure publishes only the days compacted whole; days not closed, days that
 * would leave a gap, and a stale watermark write are refused.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { type AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compactDaysHandler } from '../../src/lambda/compactDays.js';
import { loadAthenaConfig } from '../../src/lib/config.js';
import { AthenaEngine } from '../../src/lib/engines/athena/athenaEngine.js';
import type { Execution } from '../../src/lib/engines/queryEngine.js';
import { type CompactionScope, compactDays } from '../../src/lib/store/athena/compactDays.js';
import { readDayIndex } from '../../src/lib/store/athena/dayIndex.js';
import {
  acquireLease,
  LEASE_KEY,
  LeaseHeldError,
  releaseLease,
  renewLease,
} from '../../src/lib/store/athena/lease.js';
import {
  readWatermark,
  releaseDaysFrom,
  WATERMARK_KEY,
  writeWatermark,
} from '../../src/lib/store/athena/watermark.js';
import { QUERIES } from '../../src/queries/catalog.js';
import { planExecution } from '../../src/queries/executionPlan.js';
import { AthenaDouble, LOG_BUCKET, STORE_BUCKET } from '../helpers/athenaDouble.js';
import { asFunction } from '../helpers/awsCalls.js';
import { DATA_DIR, logFilePaths } from '../helpers/cloudtrailData.js';
import { refusedCalls, rolesOf, TEMPLATE_NAMES } from '../helpers/leastPrivilege.js';

// The packaged template's names, so that its roles can judge the calls (the last test).
const WORKGROUP = TEMPLATE_NAMES.workGroup;
const COMPACTION_WORKGROUP = TEMPLATE_NAMES.compactionWorkGroup;
const ACCOUNT = '974349055189';
const REGIONS = ['sa-east-1', 'us-east-1'];
// Long after these days closed.
const NOW = new Date('2026-11-27T12:00:00Z');
const caller = { auditor: true };

let double: AthenaDouble;
let scope: CompactionScope;

/** The engine, each method called as the function whose route calls it on AWS would. */
const engine = (storeBucket?: string) =>
  asFunctions(
    new AthenaEngine({
      logs: { bucket: LOG_BUCKET, prefix: 'AWSLogs/', accounts: [ACCOUNT], regions: REGIONS },
      athena: double.athena,
      s3: double.s3,
      workGroup: WORKGROUP,
      database: TEMPLATE_NAMES.database,
      catalog: 'AwsDataCatalog',
      retryBudgetMs: 1000,
      store: storeBucket ? { bucket: storeBucket, accounts: [ACCOUNT], regions: REGIONS } : undefined,
      watermarkTtlMs: 0,
    }),
  );

const request = (query: string, parameters: Record<string, unknown>, idempotencyKey?: string) => {
  const planned = planExecution(
    { query, parameters, from: '2018-01-30T00:00:00Z', to: '2018-02-02T00:00:00Z' },
    { TRAILHOUND_MAX_WINDOW_DAYS: 366 },
  );
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  return {
    statement: planned.plan.statement,
    columns: planned.plan.query.columns,
    window: planned.plan.window,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
};

/** Runs a request to the end; its execution, every row, and the SQL Athena was given. */
const run = async (on: AthenaEngine, req: ReturnType<typeof request>) => {
  const { executionId } = await on.start(req);
  const sent = double.athenaMock.commandCalls(StartQueryExecutionCommand).at(-1)?.args[0].input.QueryString;
  let execution: Execution;
  do execution = await on.get(executionId, caller);
  while (execution.state === 'QUEUED' || execution.state === 'RUNNING');
  expect(execution.state, JSON.stringify(execution.error)).toBe('SUCCEEDED');
  const rows: unknown[] = [];
  let nextToken: string | undefined;
  do {
    const page = await on.getResults(
      executionId,
      { limit: 1000, ...(nextToken ? { nextToken } : {}) },
      caller,
    );
    rows.push(...page.rows);
    nextToken = page.nextToken;
  } while (nextToken);
  return { execution, rows, sql: String(sent) };
};

/** The bytes of the raw log files of those days (of one region, or all). */
const rawBytesOf = (days: readonly string[], region?: string) =>
  logFilePaths(path.join(DATA_DIR, 'grycap-research-account', 'AWSLogs'))
    .filter((file) => days.some((day) => file.includes(`/${day}/`)))
    .filter((file) => !region || file.includes(`/CloudTrail/${region}/`))
    .reduce((sum, file) => sum + statSync(file).size, 0);

const unloads = () =>
  double.athenaMock
    .commandCalls(StartQueryExecutionCommand)
    .map((c) => c.args[0].input)
    .filter((input) => input.QueryString?.startsWith('UNLOAD'));

/** Which function calls each engine method on AWS. */
const FUNCTION_OF_METHOD: Record<string, string> = {
  start: 'startExecution',
  estimate: 'startExecution',
  get: 'getExecution',
  getResults: 'getResults',
  getResultsLink: 'getCsv',
  cancel: 'cancelExecution',
  list: 'listExecutions',
};
const asFunctions = (on: AthenaEngine): AthenaEngine =>
  new Proxy(on, {
    get: (target, name, receiver) => {
      const value = Reflect.get(target, name, receiver);
      const fn = typeof name === 'string' ? FUNCTION_OF_METHOD[name] : undefined;
      return typeof value === 'function' && fn
        ? (...args: unknown[]) => asFunction(fn, () => value.apply(target, args))
        : value;
    },
  });

/** A compaction, as the compaction function runs it. */
const compact = (...args: Parameters<typeof compactDays>) =>
  asFunction('compactDays', () => compactDays(...args));

beforeAll(() => {
  double = new AthenaDouble({
    logsDir: path.join(DATA_DIR, 'grycap-research-account'),
    workGroup: WORKGROUP,
    otherWorkGroups: [COMPACTION_WORKGROUP],
  });
  scope = {
    athena: double.athena,
    s3: double.s3,
    workGroup: COMPACTION_WORKGROUP,
    database: TEMPLATE_NAMES.database,
    catalog: 'AwsDataCatalog',
    storeBucket: STORE_BUCKET,
    accounts: [ACCOUNT],
    regions: REGIONS,
    concurrency: 3,
    pollMs: 1,
  };
});
afterAll(async () => double.close());
beforeEach(() => {
  double.athenaMock.resetHistory();
});

describe('compaction on Athena', () => {
  it('unloads each day in one query, partitioned by account and region, with the values as parameters, indexes it, then publishes the days', async () => {
    const progress: number[] = [];
    const report = await compact(scope, ['2018/01/29', '2018/01/30', '2018/01/31'], NOW, {
      onProgress: (p) => progress.push(p.batchesDone),
    });
    expect(report.published).toEqual(['2018/01/29', '2018/01/30', '2018/01/31']);
    expect(report.failed).toEqual([]);
    expect(report.partitions).toBe(6);
    expect(report.queries).toBe(3);
    expect(progress).toEqual([1, 2, 3]);
    const sent = unloads();
    expect(sent).toHaveLength(3);
    for (const input of sent) {
      expect(input.QueryString).toMatch(
        /^UNLOAD \(SELECT eventversion, [a-z_, ]+, account, region FROM cloudtrail_logs\n {2}WHERE day = \? AND account IN \(\?\) AND region IN \(\?, \?\)\n {2}ORDER BY eventtime\)\nTO 's3:\/\/trailhound-store-test\/cloudtrail\/2018\/01\/(29|30|31)\/'\nWITH \(format = 'PARQUET', compression = 'ZSTD', partitioned_by = ARRAY\['account', 'region'\]\)$/,
      );
      const [day, account, ...regions] = input.ExecutionParameters ?? [];
      expect(account).toBe(`'${ACCOUNT}'`);
      expect(regions).toEqual(["'sa-east-1'", "'us-east-1'"]);
      expect(input.QueryString).toContain(`/cloudtrail/${String(day).slice(1, -1)}/'`);
      expect(input.WorkGroup).toBe(COMPACTION_WORKGROUP);
    }
    // Bytes scanned: the raw files of those partitions, as Athena bills them.
    expect(report.bytesScanned).toBe(rawBytesOf(['2018/01/29', '2018/01/30', '2018/01/31']));
    expect(report.watermark).toMatchObject({
      from: '2018/01/29',
      through: '2018/01/31',
      accounts: [ACCOUNT],
      regions: REGIONS,
      layout: 2,
    });
    // The lease is given back.
    expect(double.store.has(LEASE_KEY)).toBe(false);
    // Hive-style, as the Parquet table's projection reads them: a prefix per partition with data
    // (this account logged in sa-east-1 only on those days: UNLOAD writes no empty partition).
    const keys = [...double.store.keys()].filter((k) => k.startsWith('cloudtrail/'));
    const partitions = new Set(keys.map((k) => k.split('/').slice(0, 6).join('/')));
    expect([...partitions].sort()).toEqual(
      ['29', '30', '31'].flatMap((d) =>
        REGIONS.filter((r) => rawBytesOf([`2018/01/${d}`], r) > 0).map(
          (r) => `cloudtrail/2018/01/${d}/account=${ACCOUNT}/region=${r}`,
        ),
      ),
    );
    expect(partitions.size).toBe(3);
    expect((await readWatermark(double.s3, STORE_BUCKET)).watermark).toEqual(report.watermark);
    // Each day's index: its one batch, and the files and bytes of each partition as listed.
    const index = await readDayIndex(double.s3, STORE_BUCKET, '2018/01/30');
    expect(index?.batches).toEqual([ACCOUNT]);
    expect(Object.keys(index?.partitions ?? {})).toEqual([`${ACCOUNT}/sa-east-1`]);
    for (const region of ['sa-east-1']) {
      const files = [...double.store.entries()].filter(([k]) =>
        k.startsWith(`cloudtrail/2018/01/30/account=${ACCOUNT}/region=${region}/`),
      );
      expect(index?.partitions?.[`${ACCOUNT}/${region}`]).toEqual({
        files: files.length,
        bytes: files.reduce((sum, [, o]) => sum + o.size, 0),
      });
    }
  });

  it('reads a window across the watermark from both tables, with the answers of the raw table and fewer bytes', async () => {
    for (const [query, parameters] of [
      ['principal-activity', { userName: 'alucloud87' }],
      ['sweep', {}],
      ['activity-timeline', QUERIES.find((q) => q.name === 'activity-timeline')?.example.parameters ?? {}],
    ] as const) {
      const raw = await run(engine(), request(query, parameters));
      const both = await run(engine(STORE_BUCKET), request(query, parameters));
      expect(raw.sql).not.toContain('cloudtrail_parquet');
      expect(both.sql).toContain('FROM cloudtrail_parquet');
      expect(both.sql).toContain('FROM cloudtrail_logs');
      expect(both.rows, query).toEqual(raw.rows);
      if (query === 'principal-activity') expect(raw.rows.length).toBeGreaterThan(10);
      // What it read: the Parquet of the window's compacted days (01/30, 01/31), the raw files of
      // the others (02/01 and the day of slack, 02/02). On days this small Parquet's footer
      // outweighs the data; at a year's scale it is 0.3 to 0.4 of the raw bytes (npm run bench:scan).
      const parquet = [...double.store.entries()]
        .filter(([key]) => /\/2018\/01\/3[01]\//.test(key))
        .reduce((sum, [, o]) => sum + o.size, 0);
      const rawRest = rawBytesOf(['2018/02/01', '2018/02/02']);
      expect(both.execution.statistics.bytesScanned).toBe(parquet + rawRest);
      expect(raw.execution.statistics.bytesScanned).toBe(
        rawBytesOf(['2018/01/30', '2018/01/31', '2018/02/01', '2018/02/02']),
      );
    }
  });

  it("estimates a window across the watermark from the compacted days' indexes and a listing of the raw ones: exactly the bytes the execution reads", async () => {
    const req = request('principal-activity', { userName: 'alucloud87' });
    const both = engine(STORE_BUCKET);
    const estimate = await both.estimate(req);
    const executed = await run(both, req);
    expect(estimate.bytesScanned).toBe(executed.execution.statistics.bytesScanned);
    // 01/30 and 01/31 from the copy, 02/01 and 02/02 raw; a day per region that has files.
    expect(estimate.days.compacted).toBe(2);
    expect(estimate.days.raw).toBeGreaterThan(0);
    const raw = await engine().estimate(req);
    expect(raw.days.compacted).toBe(0);
    expect(raw.bytesScanned).toBe(rawBytesOf(['2018/01/30', '2018/01/31', '2018/02/01', '2018/02/02']));
    // With an Idempotency-Key the execution reads raw only, and so does its estimate.
    expect((await both.estimate({ ...req, idempotencyKey: 'k' })).bytesScanned).toBe(raw.bytesScanned);
  });

  it('reads raw only for a start with an Idempotency-Key, whose retry must send the same statement', async () => {
    const keyed = await run(
      engine(STORE_BUCKET),
      request('principal-activity', { userName: 'alucloud87' }, 'key-1'),
    );
    expect(keyed.sql).not.toContain('cloudtrail_parquet');
  });

  it('never clears a day executions read: compacted days are refused until released, then rebuilt', async () => {
    const keys = () => [...double.store.keys()].filter((k) => k.startsWith('cloudtrail/')).sort();
    const before = keys();
    await expect(compact(scope, ['2018/01/31'], NOW)).rejects.toThrow(
      /overlap the compacted range 2018\/01\/29 to 2018\/01\/31, which executions read/,
    );
    expect(unloads()).toEqual([]);
    expect(keys()).toEqual(before);
    // So is a compaction of fewer regions than the watermark's: a question of those reads the range too.
    await expect(compact({ ...scope, regions: REGIONS.slice(0, 1) }, ['2018/01/30'], NOW)).rejects.toThrow(
      /overlap the compacted range 2018\/01\/29 to 2018\/01\/31, which executions read/,
    );
    expect(unloads()).toEqual([]);
    expect(keys()).toEqual(before);
    // --rebuild: under a lease held from the release on, the day leaves the range (executions read
    // it raw), and a scheduled run meanwhile is refused; then it is compacted again, under that lease.
    const held = await acquireLease(double.s3, STORE_BUCKET, 60_000);
    expect(await releaseDaysFrom(double.s3, STORE_BUCKET, '2018/01/31', NOW)).toMatchObject({
      from: '2018/01/29',
      through: '2018/01/30',
    });
    await expect(compact(scope, ['2018/01/31'], NOW)).rejects.toBeInstanceOf(LeaseHeldError);
    const rebuilt = await compact(scope, ['2018/01/31'], NOW, { lease: held });
    // The lease is the caller's to give back.
    expect(double.store.has(LEASE_KEY)).toBe(true);
    await releaseLease(double.s3, STORE_BUCKET, held);
    expect(double.store.has(LEASE_KEY)).toBe(false);
    expect(rebuilt.published).toEqual(['2018/01/31']);
    expect(rebuilt.watermark).toMatchObject({ from: '2018/01/29', through: '2018/01/31' });
    // The same partitions, new files: the old ones were cleared before each UNLOAD.
    expect(keys().length).toBe(before.length);
    expect(keys().filter((k) => k.includes('/2018/01/31/'))).not.toEqual(
      before.filter((k) => k.includes('/2018/01/31/')),
    );
  });

  it('runs one compaction at a time: a second is refused while the first holds its lease, an expired lease is taken over', async () => {
    const lease = await acquireLease(double.s3, STORE_BUCKET, 60_000);
    await expect(compact(scope, ['2018/02/01'], NOW)).rejects.toBeInstanceOf(LeaseHeldError);
    expect(unloads()).toEqual([]);
    await releaseLease(double.s3, STORE_BUCKET, lease);
    // A lease whose holder died (it expired) does not block the next run.
    await acquireLease(double.s3, STORE_BUCKET, -1);
    const taken = await acquireLease(double.s3, STORE_BUCKET, 60_000);
    await expect(
      renewLease(double.s3, STORE_BUCKET, { ...taken, etag: '"stale"' }, 60_000),
    ).rejects.toBeInstanceOf(LeaseHeldError);
    await releaseLease(double.s3, STORE_BUCKET, taken);
    expect(double.store.has(LEASE_KEY)).toBe(false);
  });

  it('publishes only the days compacted whole when a partition fails, and the next run completes them', async () => {
    const failing: CompactionScope = {
      ...scope,
      athena: {
        send: (command: StartQueryExecutionCommand) =>
          command instanceof StartQueryExecutionCommand &&
          command.input.ExecutionParameters?.[0] === "'2018/02/02'"
            ? Promise.reject(new Error('TooManyRequestsException: Rate exceeded'))
            : double.athena.send(command),
      } as unknown as AthenaClient,
    };
    const report = await compact(failing, ['2018/02/01', '2018/02/02', '2018/02/03'], NOW);
    expect(report.failed.map((f) => [f.day, f.accounts])).toEqual([['2018/02/02', [ACCOUNT]]]);
    // 02/01 is published as soon as it is whole; the run stops at 02/02 (02/03 would leave a gap).
    expect(report.published).toEqual(['2018/02/01']);
    expect(report.watermark).toMatchObject({ from: '2018/01/29', through: '2018/02/01' });
    expect(unloads().filter((u) => u.ExecutionParameters?.includes("'2018/02/03'"))).toEqual([]);
    const again = await compact(scope, ['2018/02/02', '2018/02/03'], NOW);
    expect(again.failed).toEqual([]);
    expect(again.watermark).toMatchObject({ from: '2018/01/29', through: '2018/02/03' });
  });

  it('refuses a day not yet closed, and days that would leave a gap, before anything runs', async () => {
    await expect(compact(scope, ['2026/11/27'], NOW)).rejects.toThrow(
      /not closed yet: the last closed day is 2026\/11\/26/,
    );
    await expect(compact(scope, ['2018/02/10'], NOW)).rejects.toThrow(/do not touch the compacted range/);
    expect(unloads()).toEqual([]);
  });

  it('never loses a concurrent compaction: a watermark write with a stale ETag is refused', async () => {
    const read = await readWatermark(double.s3, STORE_BUCKET);
    const sets = { accounts: [ACCOUNT], regions: REGIONS };
    await writeWatermark(
      double.s3,
      STORE_BUCKET,
      { from: '2018/01/29', through: '2018/02/03', ...sets },
      read,
      NOW,
    );
    await expect(
      writeWatermark(
        double.s3,
        STORE_BUCKET,
        { from: '2018/01/29', through: '2018/02/04', ...sets },
        read,
        NOW,
      ),
    ).rejects.toMatchObject({ name: 'PreconditionFailed' });
    await expect(
      writeWatermark(
        double.s3,
        STORE_BUCKET,
        { from: '2018/01/29', through: '2018/02/04', ...sets },
        {},
        NOW,
      ),
    ).rejects.toMatchObject({
      name: 'PreconditionFailed',
    });
    expect(double.store.has(WATERMARK_KEY)).toBe(true);
  });

  it('the scheduled function compacts the closed days after the watermark, at most a week a run', async () => {
    const config = loadAthenaConfig({
      TRAILHOUND_ATHENA_WORKGROUP: WORKGROUP,
      TRAILHOUND_COMPACT_WORKGROUP: COMPACTION_WORKGROUP,
      TRAILHOUND_ATHENA_DATABASE: TEMPLATE_NAMES.database,
      TRAILHOUND_STORE_BUCKET: STORE_BUCKET,
      TRAILHOUND_ACCOUNTS: ACCOUNT,
      TRAILHOUND_REGIONS: REGIONS.join(','),
    });
    // A clock stopped at one instant; its sleeps return at once (the double moves on each poll).
    const at = (iso: string) => ({ now: () => Date.parse(iso), sleep: async () => {} });
    // 2018-02-06 at 00:30 UTC: 02/04 is closed, 02/05 closes at 01:00.
    const handler = compactDaysHandler(
      config,
      { athena: double.athena, s3: double.s3 },
      at('2018-02-06T00:30:00Z'),
    );
    const report = await asFunction('compactDays', () => handler());
    expect(report.days).toEqual(['2018/02/04']);
    expect((await readWatermark(double.s3, STORE_BUCKET)).watermark).toMatchObject({ through: '2018/02/04' });
    const later = compactDaysHandler(
      config,
      { athena: double.athena, s3: double.s3 },
      at('2018-02-20T02:00:00Z'),
    );
    expect((await asFunction('compactDays', () => later())).days).toEqual([
      '2018/02/05',
      '2018/02/06',
      '2018/02/07',
      '2018/02/08',
      '2018/02/09',
      '2018/02/10',
      '2018/02/11',
    ]);
  });

  it("makes only calls each function's role in the packaged template allows (least privilege)", async () => {
    const functions = new Set(double.calls.map((c) => c.fn));
    for (const fn of ['compactDays', 'startExecution', 'getExecution', 'getResults'])
      expect(functions, fn).toContain(fn);
    const compaction = double.calls.filter((c) => c.fn === 'compactDays');
    // It wrote the store, deleted there, and read the logs as UNLOAD reads them.
    for (const action of [
      's3:PutObject',
      's3:DeleteObject',
      's3:GetObject',
      'glue:GetTable',
      'athena:StartQueryExecution',
    ]) {
      expect(
        compaction.map((c) => c.action),
        action,
      ).toContain(action);
    }
    expect(await refusedCalls(await rolesOf('default'), double.calls)).toEqual([]);
  }, 120_000);
});
