/**
 * The sweep answered from kept partials (src/lib/engines/duckdb/keptPartials.ts) gives the rows
 * its one statement gives, on a week generated from the bundled real records by the scan bench's
 * generator: two accounts, two regions, files delivered after midnight and after the month's end,
 * and bursts that run across regions and days, so that runs made apart are joined. The one
 * statement is itself checked against the raw records (sweep.test.ts and the contract suites).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../src/lib/logging/logger.js';
import { compactStore } from '../../src/lib/store/duckdb/compactStore.js';
import { collectMonthGarbage } from '../../src/lib/store/duckdb/compactUnit.js';
import { monthDir, readManifest } from '../../src/lib/store/duckdb/monthManifest.js';
import { runToEnd } from '../helpers/apiClient.js';
import type { RawRecord } from '../helpers/cloudtrailData.js';
import { copyOfLogs } from '../helpers/logsCopy.js';
import { INVICTUS_DAY } from '../helpers/queryHarness.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';

const REPO = path.resolve(import.meta.dirname, '../..');
let logsDir = '';
let storeDir = '';
const servers: TestServer[] = [];
/** The server that keeps partials, and one that runs the sweep's one statement over the same store. */
let kept: TestServer;
let oneStatement: TestServer;

beforeAll(async () => {
  logsDir = await mkdtemp(path.join(tmpdir(), 'trailhound-week-'));
  // 2025-02-24 to 2025-03-02: February's and March's files, each month a file of its own.
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/scan/generateTrail.ts',
      '--out',
      logsDir,
      '--days',
      '7',
      '--records-per-day',
      '6600',
      '--end-day',
      '2025-03-02',
      '--jobs',
      '1',
    ],
    { cwd: REPO, stdio: 'ignore' },
  );
  storeDir = await mkdtemp(path.join(tmpdir(), 'trailhound-store-'));
  await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
  kept = await serveOver(logsDir, storeDir, 'on');
  oneStatement = await serveOver(logsDir, storeDir, 'off');
}, 180_000);

afterAll(async () => {
  for (const server of servers) await server.close();
});

/** A server over `logs` and `store`, keeping partials or not. */
const serveOver = async (logs: string, store: string, keep: 'on' | 'off') => {
  const server = await startTestServer(
    await duckDbTestRuntime(logs, { TRAILHOUND_STORE_DIR: store, TRAILHOUND_KEEP_PARTIALS: keep }),
  );
  servers.push(server);
  return server;
};

const partialsDir = () => path.join(storeDir, '.partials');
/** The Parquet files under .partials/, by path under it. */
const partialFiles = async (): Promise<string[]> => {
  const entries = await readdir(partialsDir(), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.parquet'))
    .map((e) => path.relative(partialsDir(), path.join(e.parentPath, e.name)))
    .sort();
};
/** The kept partial files, by path under .partials/<digest>/: each compacted file's. */
const keptFiles = async (): Promise<string[]> =>
  (await partialFiles()).filter((f) => !f.includes('/reduced/'));
/** The reduced partials: one file a month of an account, under .partials/<digest>/reduced/. */
const reducedFiles = async (): Promise<string[]> =>
  (await partialFiles()).filter((f) => f.includes('/reduced/'));

/** The rows of `sql` over Parquet files, each `?` bound to a value of `values`. */
const parquetRows = async (sql: string, values: readonly string[] = []): Promise<unknown[][]> => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const prepared = await connection.prepare(sql);
    values.forEach((value, i) => {
      prepared.bindVarchar(i + 1, value);
    });
    return (await prepared.runAndReadAll()).getRows();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
};

const sweep = (from: string, to: string, extra: Record<string, unknown> = {}) => ({
  query: 'sweep',
  parameters: {},
  from,
  to,
  ...extra,
});

/** An execution's whole result as the CSV the server gives, byte for byte. */
const csvOf = async (server: TestServer, executionId: string): Promise<string> => {
  const response = await fetch(`${server.baseUrl}/v1/executions/${executionId}/results`, {
    headers: { accept: 'text/csv' },
  });
  expect(response.status).toBe(200);
  return response.text();
};

/**
 * Both servers' answers to `request`, which must be the same rows, in the same order, and the
 * same CSV, byte for byte (a number written otherwise would parse to the same row).
 */
const bothAnswer = async (
  request: Record<string, unknown>,
  servers: { readonly kept: TestServer; readonly one: TestServer } = { kept, one: oneStatement },
) => {
  const fromKept = await runToEnd(servers.kept.baseUrl, request);
  const fromOne = await runToEnd(servers.one.baseUrl, request);
  expect(fromKept.execution.body.state, JSON.stringify(fromKept.execution.body.error)).toBe('SUCCEEDED');
  expect(fromOne.execution.body.state).toBe('SUCCEEDED');
  expect(fromKept.rows).toEqual(fromOne.rows);
  expect(await csvOf(servers.kept, fromKept.execution.body.executionId)).toBe(
    await csvOf(servers.one, fromOne.execution.body.executionId),
  );
  return fromKept;
};

const WEEK = ['2025-02-24T00:00:00Z', '2025-03-03T00:00:00Z'] as const;
/** What the server logs when a reduced month's band is met and its runs are read whole. */
const READ_WHOLE = 'partials read whole: a row meets a reduced month';

/** An event's place in the sweep's order: its time, then its id. */
const order = (r: RawRecord) => `${String(r.eventTime)} ${String(r.eventID)}`;

describe('the sweep from kept partials', () => {
  it('makes the partials of every compacted file on its first answer, reads them on the next, and gives the one statement’s rows both times', async () => {
    expect(await keptFiles()).toEqual([]);
    const first = await bothAnswer(sweep(...WEEK));
    const files = await keptFiles();
    // A file for each month of each account and region: 2 x 2 x 2.
    expect(files).toHaveLength(8);
    expect(
      files.every((f) =>
        /^[0-9a-f]{16}\/AWSLogs\/\d{12}\/CloudTrail\/[a-z0-9-]+\/2025\/0[23]\/part-/.test(f),
      ),
    ).toBe(true);
    const made = await Promise.all(files.map((f) => stat(path.join(partialsDir(), f))));
    expect(made.every((s) => (s.mode & 0o777) === 0o600)).toBe(true);
    expect(first.rows.length).toBeGreaterThan(100);

    const again = await bothAnswer(sweep(...WEEK));
    expect(again.rows).toEqual(first.rows);
    const reread = await Promise.all(files.map((f) => stat(path.join(partialsDir(), f))));
    expect(reread.map((s) => s.mtimeMs)).toEqual(made.map((s) => s.mtimeMs));
    // What it read: the kept files, not the store's columns.
    const bytes = made.reduce((sum, s) => sum + s.size, 0);
    expect(again.execution.body.statistics.bytesScanned).toBe(bytes);
  });

  it('reads each month of an account it reads whole from its runs reduced: fewer rows, bursts within its band taken together, the same answer', async () => {
    await bothAnswer(sweep(...WEEK));
    const reduced = await reducedFiles();
    // February and March of each account: their files are read whole (every day of them in the week).
    expect(reduced).toHaveLength(4);
    expect(
      reduced.every((f) => /^[0-9a-f]{16}\/reduced\/\d{12}\/2025\/0[23]\/[0-9a-f]{16}\.parquet$/.test(f)),
    ).toBe(true);
    const modes = await Promise.all(reduced.map((f) => stat(path.join(partialsDir(), f))));
    expect(modes.every((s) => (s.mode & 0o777) === 0o600)).toBe(true);
    let merged = 0;
    for (const file of reduced) {
      const [digest, , account, year, month] = file.split('/');
      const glob = path.join(
        partialsDir(),
        String(digest),
        'AWSLogs',
        String(account),
        'CloudTrail',
        '*',
        String(year),
        String(month),
        '*.parquet',
      );
      const [[runs, aggregate, events]] = (await parquetRows(
        `SELECT count(*), count(*) FILTER (WHERE d_kind = 'aggregate'), count(*) FILTER (WHERE d_kind = 'event') FROM read_parquet('${glob}')`,
      )) as [[bigint, bigint, bigint]];
      const [[kept, keptAggregate, keptEvents]] = (await parquetRows(
        `SELECT count(*), count(*) FILTER (WHERE d_kind = 'aggregate'), count(*) FILTER (WHERE d_kind = 'event') FROM read_parquet('${path.join(partialsDir(), file)}')`,
      )) as [[bigint, bigint, bigint]];
      // Only runs of aggregate detections are left out or taken together, most of them: those of
      // bursts within the band. An event detection's run keeps its finding's line; no other does.
      expect(keptEvents, file).toBe(events);
      expect(Number(keptAggregate), file).toBeLessThan(Number(aggregate) / 2);
      expect(kept, file).toBe(keptAggregate + keptEvents);
      expect(runs, file).toBe(aggregate + events);
      const [[lined, linedAggregate, mergedRuns]] = (await parquetRows(
        `SELECT count(line), count(line) FILTER (WHERE d_kind = 'aggregate'),
           count(*) FILTER (WHERE d_kind = 'aggregate' AND NOT EXISTS (
             SELECT 1 FROM read_parquet('${glob}') AS run
             WHERE run.detection = reduced.detection AND run.principal IS NOT DISTINCT FROM reduced.principal
               AND run.first_t = reduced.first_t AND run.last_t = reduced.last_t AND run.n_events = reduced.n_events))
         FROM read_parquet('${path.join(partialsDir(), file)}') AS reduced`,
      )) as [[bigint, bigint, bigint]];
      expect(lined, file).toBe(events);
      expect(linedAggregate, file).toBe(0n);
      merged += Number(mergedRuns);
    }
    // Some bursts of several runs lie within their month's band: each is one row, not a run.
    expect(merged).toBeGreaterThan(0);
    // A window over whole months reads them as well, but for the month whose files hold a day
    // past the week's end (March of 111122223333: files delivered after midnight on the 3rd): the
    // week reduced it within the week, whole months reduce it within its own band.
    await bothAnswer(sweep('2025-02-01T00:00:00Z', '2025-04-01T00:00:00Z'));
    const after = await reducedFiles();
    expect(after).toEqual(expect.arrayContaining(reduced));
    expect(after.filter((f) => !reduced.includes(f))).toEqual([
      expect.stringMatching(/\/reduced\/111122223333\/2025\/03\//),
    ]);
  });

  it('reads the runs of a month whole when a run of another source falls in its band, and joins them', async () => {
    // A run of February that its reduction left out (alone in its burst, under its threshold)...
    await bothAnswer(sweep(...WEEK));
    const [reducedFebruary] = (await reducedFiles()).filter((f) => f.includes('/111122223333/2025/02/'));
    const [digest] = String(reducedFebruary).split('/');
    const keptGlob = path.join(
      partialsDir(),
      String(digest),
      'AWSLogs/111122223333/CloudTrail/*/2025/02/*.parquet',
    );
    const [left] = (await parquetRows(
      `SELECT k.region, k.day, k.eventid, k.first_seen, k.last_t, k.n_events, k.n_resources, k.n_services
       FROM read_parquet('${keptGlob}') AS k
       ANTI JOIN read_parquet('${path.join(partialsDir(), String(reducedFebruary))}') AS r
         USING (detection, account, region, day, principal, first_t, last_t, eventid)
       WHERE k.detection = 'discovery-burst'
       ORDER BY k.first_t LIMIT 1`,
    )) as [[string, string, string, string, number, bigint, bigint, bigint]];
    expect(left).toBeDefined();
    const [region, day, eventId, firstSeen, lastT, events, resources, services] = left as NonNullable<
      typeof left
    >;
    expect(Number(resources) < 20 || Number(services) < 5).toBe(true);
    // ...and its first event, whose principal 25 calls of 25 more APIs of 6 services repeat a
    // minute after the run's end, delivered late (under March 1st, a compacted day, read raw since).
    const dayDir = path.join(logsDir, 'AWSLogs/111122223333/CloudTrail', region, day);
    let first: RawRecord | undefined;
    for (const name of await readdir(dayDir)) {
      const { Records } = JSON.parse(
        gunzipSync(await readFile(path.join(dayDir, name))).toString('utf8'),
      ) as {
        Records: RawRecord[];
      };
      first ??= Records.find((r) => r.eventID === eventId);
    }
    expect(first).toBeDefined();
    const late = Array.from({ length: 25 }, (_, k) => ({
      ...first,
      eventID: `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`,
      eventTime: new Date((lastT + 60 + k) * 1000).toISOString().replace('.000Z', 'Z'),
      eventSource: `service${k % 6}.amazonaws.com`,
      eventName: `ListThings${k}`,
      errorCode: undefined,
      errorMessage: undefined,
    }));
    const lateDir = path.join(logsDir, 'AWSLogs/111122223333/CloudTrail', region, '2025/03/01');
    const lateFile = path.join(lateDir, 'late-straggler.json.gz');
    await writeFile(lateFile, gzipSync(JSON.stringify({ Records: late })));
    const info = vi.spyOn(logger, 'info');
    try {
      const { rows, execution } = await bothAnswer(sweep(...WEEK));
      expect(execution.body.statistics.days.raw).toBeGreaterThan(0);
      expect(info.mock.calls.some(([message]) => message === READ_WHOLE)).toBe(true);
      // The one burst the one statement counts: the run and the late calls (and any run they
      // reach), from the run's start.
      const burst = rows.find(
        (r) =>
          r.detection === 'discovery-burst' && r.account === '111122223333' && r.first_seen === firstSeen,
      );
      expect(burst?.eventid).toBe(eventId);
      expect(Number(burst?.events)).toBeGreaterThanOrEqual(Number(events) + 25);
    } finally {
      info.mockRestore();
      await rm(lateFile, { force: true });
    }
  });

  it('reads the last month reduced while the days after those its files hold are read raw', async () => {
    // March's files hold March 1st to 3rd (the 3rd, files delivered after midnight); a day after
    // them, March 5th, not compacted, is read raw. Its runs are after the band (the days the files
    // hold, not the calendar month): no row meets it.
    const from = path.join(logsDir, 'AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/02');
    const to = path.join(logsDir, 'AWSLogs/111122223333/CloudTrail/us-east-1/2025/03/05');
    expect(await stat(to).catch(() => undefined)).toBeUndefined();
    await mkdir(to, { recursive: true });
    const DAY_MS = 3 * 86_400_000;
    for (const name of await readdir(from)) {
      const { Records } = JSON.parse(gunzipSync(await readFile(path.join(from, name))).toString('utf8')) as {
        Records: RawRecord[];
      };
      const next = Records.map((r) => ({
        ...r,
        eventID: randomUUID(),
        eventTime: new Date(Date.parse(String(r.eventTime)) + DAY_MS).toISOString().replace('.000Z', 'Z'),
      }));
      await writeFile(
        path.join(to, name.replace('20250302', '20250305')),
        gzipSync(JSON.stringify({ Records: next })),
      );
    }
    // Made afresh by this request (an earlier one made the same file).
    const march = async () => (await reducedFiles()).filter((f) => f.includes('/111122223333/2025/03/'));
    for (const file of await march()) await rm(path.join(partialsDir(), file));
    const info = vi.spyOn(logger, 'info');
    try {
      const { execution } = await bothAnswer(sweep('2025-02-24T00:00:00Z', '2025-03-06T00:00:00Z'));
      expect(execution.body.statistics.days.raw).toBe(1);
      expect(await march()).toHaveLength(1);
      expect(info.mock.calls.some(([message]) => message === READ_WHOLE)).toBe(false);
    } finally {
      info.mockRestore();
      await rm(to, { recursive: true, force: true });
    }
  });

  it('reads a month unreduced when a day of its account is read raw among its days, or it cannot be reduced', async () => {
    // A region of the account whose files are not compacted: its day in February is read raw.
    const from = path.join(logsDir, 'AWSLogs/111122223333/CloudTrail/us-east-1/2025/02/26');
    const region = path.join(logsDir, 'AWSLogs/111122223333/CloudTrail/ap-south-1');
    const to = path.join(region, '2025/02/26');
    await mkdir(to, { recursive: true });
    const [name] = await readdir(from);
    await writeFile(
      path.join(to, String(name).replace('us-east-1', 'ap-south-1')),
      await readFile(path.join(from, String(name))),
    );
    const february = async (account: string) =>
      (await reducedFiles()).filter((f) => f.includes(`/${account}/2025/02/`));
    const [digest] = (await keptFiles())[0]?.split('/') ?? [];
    const refused = () => path.join(partialsDir(), String(digest), 'reduced/444455556666/2025/02');
    const warn = vi.spyOn(logger, 'warn');
    try {
      for (const file of [...(await february('111122223333')), ...(await february('444455556666'))])
        await rm(path.join(partialsDir(), file));
      // The other account's February cannot be written (a file where its directory goes): it is
      // read unreduced, and said so.
      await rm(refused(), { recursive: true, force: true });
      await mkdir(path.dirname(refused()), { recursive: true });
      await writeFile(refused(), '');
      const { execution } = await bothAnswer(sweep(...WEEK));
      expect(execution.body.statistics.days.raw).toBe(1);
      expect(await february('111122223333')).toEqual([]);
      expect(await february('444455556666')).toEqual([]);
      expect(warn.mock.calls.some(([message]) => message === 'partials not reduced')).toBe(true);
    } finally {
      warn.mockRestore();
      await rm(refused(), { force: true });
      await rm(region, { recursive: true, force: true });
    }
  });

  it('joins runs kept apart (another region, another day) into the one burst the one statement counts', async () => {
    const { rows } = await bothAnswer(sweep(...WEEK));
    const bursts = rows.filter((r) => r.detection === 'discovery-burst');
    expect(bursts.length).toBeGreaterThan(0);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const glob = path.join(partialsDir(), '*', 'AWSLogs', '**', '*.parquet');
      let joined = 0;
      for (const burst of bursts) {
        const prepared = await connection.prepare(
          `SELECT count(*), sum(n_events), count(DISTINCT region) FROM read_parquet('${glob}')
           WHERE detection = 'discovery-burst' AND principal = $1 AND account = $2
             AND first_seen >= $3 AND last_seen <= $4`,
        );
        prepared.bindVarchar(1, String(burst.principal));
        prepared.bindVarchar(2, String(burst.account));
        prepared.bindVarchar(3, String(burst.first_seen));
        prepared.bindVarchar(4, String(burst.last_seen));
        const [[runs, events]] = (await prepared.runAndReadAll()).getRows() as [[bigint, bigint]];
        // The burst's events are its runs' (each event is in one run).
        expect(Number(events), JSON.stringify(burst)).toBe(Number(burst.events));
        if (runs > 1n) joined += 1;
      }
      expect(joined).toBeGreaterThan(0);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it.each([
    ['three days across the month’s end', sweep('2025-02-27T00:00:00Z', '2025-03-02T00:00:00Z')],
    ['one day', sweep('2025-03-01T00:00:00Z', '2025-03-02T00:00:00Z')],
    ['some detections, high and above', sweep(...WEEK, { parameters: { minSeverity: 'high' } })],
    [
      'two detections named',
      sweep(...WEEK, { parameters: { detections: ['discovery-burst', 'console-login-failed'] } }),
    ],
    ['one account', sweep(...WEEK, { accounts: ['444455556666'] })],
    ['one region', sweep(...WEEK, { regions: ['eu-west-1'] })],
  ])('answers %s as the one statement does', async (_what, request) => {
    await bothAnswer(request);
  });

  it('a window that does not start at midnight runs the one statement, and makes nothing', async () => {
    await rm(partialsDir(), { recursive: true, force: true });
    const answer = await bothAnswer(sweep('2025-02-25T06:30:00Z', '2025-02-28T00:00:00Z'));
    expect(answer.rows.length).toBeGreaterThan(0);
    expect(await keptFiles()).toEqual([]);
  });

  it('reads a day whose files changed from the raw files, with the kept partials of the rest', async () => {
    await bothAnswer(sweep(...WEEK));
    const day = 'AWSLogs/111122223333/CloudTrail/us-east-1/2025/02/26';
    // A late file under a compacted day: that day is read raw until it is compacted again.
    await writeFile(path.join(logsDir, day, 'late.json.gz'), gzipSync(JSON.stringify({ Records: [] })));
    const mixed = await bothAnswer(sweep(...WEEK));
    expect(mixed.execution.body.statistics.days.raw).toBeGreaterThan(0);
    expect(mixed.execution.body.statistics.days.compacted).toBeGreaterThan(0);

    // Compacted again, the month is a new file: the partials of the file it replaced are removed
    // with that file (once no execution can be reading it), and its own made at the next sweep.
    const month = monthDir(storeDir, { account: '111122223333', region: 'us-east-1', month: '2025/02' });
    const keptOfMonth = async () =>
      (await keptFiles())
        .filter((f) => f.includes('111122223333/CloudTrail/us-east-1/2025/02/'))
        .map((f) => path.basename(f));
    const before = (await readManifest(month))?.units.map((u) => u.parquet);
    expect(await keptOfMonth()).toEqual(before);
    await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    const after = (await readManifest(month))?.units.map((u) => u.parquet);
    expect(after).not.toEqual(before);
    expect(await keptOfMonth()).toEqual(before);
    await collectMonthGarbage(month, 0);
    expect(await keptOfMonth()).toEqual([]);
    const recompacted = await bothAnswer(sweep(...WEEK));
    expect(recompacted.execution.body.statistics.days.raw).toBe(0);
    expect(await keptOfMonth()).toEqual(after);
  });
});

describe('a short window over a month with none kept', () => {
  it('runs the one statement and makes none, where making them would read more than its raw files', async () => {
    // grycap's February 2018: 19 days of one account and region, one file of the store.
    const { logsDir: dir, storeDir: store } = await copyOfLogs('grycap-research-account');
    await compactStore({ logsDir: dir, storeDir: store, closedAfterMs: 0 });
    const serve = (keep: 'on' | 'off') => serveOver(dir, store, keep);
    const [fromKept, fromOne] = [await serve('on'), await serve('off')];
    const kept = async () =>
      (await readdir(path.join(store, '.partials'), { recursive: true }).catch(() => [])).filter((f) =>
        String(f).endsWith('.parquet'),
      );
    const both = async (from: string, to: string) => {
      const request = sweep(from, to);
      const a = await runToEnd(fromKept.baseUrl, request);
      const b = await runToEnd(fromOne.baseUrl, request);
      expect(a.rows).toEqual(b.rows);
      return [a, b] as const;
    };
    const [day, oneDay] = await both('2018-02-12T00:00:00Z', '2018-02-13T00:00:00Z');
    // It read what the one statement reads.
    expect(day.execution.body.statistics.bytesScanned).toBe(oneDay.execution.body.statistics.bytesScanned);
    // Read raw, as the one statement reads a day whose month's columns cost more than its files.
    expect(day.execution.body.statistics.days).toEqual({ compacted: 0, raw: 2 });
    expect(await kept()).toEqual([]);
    // The whole month: its runs are worth making, and are made.
    await both('2018-02-01T00:00:00Z', '2018-03-01T00:00:00Z');
    expect((await kept()).length).toBeGreaterThan(0);
  });
});

/** A copy of the invictus logs, its one log file (2023-07-10, us-east-1) and that file's records. */
const invictusCopy = async () => {
  const { logsDir: dir, storeDir: store } = await copyOfLogs('invictus-attack-simulation');
  const trail = path.join(dir, 'AWSLogs/123837392027/CloudTrail');
  const [name] = await readdir(path.join(trail, 'us-east-1/2023/07/10'));
  const file = path.join(trail, 'us-east-1/2023/07/10', String(name));
  const records = (JSON.parse(gunzipSync(await readFile(file)).toString('utf8')) as { Records: RawRecord[] })
    .Records;
  return { dir, store, trail, name: String(name), file, records };
};

/** bert-jan's enumeration in the invictus file: 1,867 calls, 11:54 to 12:34. */
const enumeration = (r: RawRecord) =>
  r.userIdentity?.userName === 'bert-jan' && /^(List|Describe|Get)/.test(String(r.eventName));

describe('a burst whose runs were kept apart', () => {
  /** The invictus file, and bert-jan's enumeration in it, in the sweep's order. */
  const invictus = async () => {
    const { dir, store, trail, name, file, records } = await invictusCopy();
    const discovery = records.filter(enumeration).sort((a, b) => order(a).localeCompare(order(b)));
    /** Writes `kept` in the us-east-1 file and `other` in one of eu-west-1, compacts, and asks both servers. */
    const answers = async (
      kept: RawRecord[],
      other: RawRecord[],
      parameters: Record<string, unknown> = { detections: ['discovery-burst'] },
    ) => {
      await writeFile(file, gzipSync(JSON.stringify({ Records: kept })));
      await mkdir(path.join(trail, 'eu-west-1/2023/07/10'), { recursive: true });
      await writeFile(
        path.join(trail, 'eu-west-1/2023/07/10', name.replace('us-east-1', 'eu-west-1')),
        gzipSync(JSON.stringify({ Records: other })),
      );
      await compactStore({ logsDir: dir, storeDir: store, closedAfterMs: 0 });
      const serve = (keep: 'on' | 'off') => serveOver(dir, store, keep);
      const request = sweep(...INVICTUS_DAY, { parameters });
      const fromKept = await runToEnd((await serve('on')).baseUrl, request);
      const fromOne = await runToEnd((await serve('off')).baseUrl, request);
      expect(fromKept.execution.body.statistics.days).toEqual({ compacted: 2, raw: 0 });
      expect(fromKept.rows).toEqual(fromOne.rows);
      return fromKept.rows;
    };
    return { records, discovery, answers };
  };

  it('takes its first event’s columns from the run that starts it, an error code of none included', async () => {
    // Its second part moved to a file of another region from the first call refused (11:57:16,
    // InvocationDoesNotExist): one burst the one statement counts, from two runs kept apart.
    const { records, discovery, answers } = await invictus();
    const refused = discovery.find((r) => r.errorCode !== undefined);
    expect(discovery[0]?.errorCode).toBeUndefined();
    expect(refused).toMatchObject({ eventTime: '2023-07-10T11:57:16Z', errorCode: 'InvocationDoesNotExist' });
    const later = (r: RawRecord) => order(r) >= order(refused as RawRecord);
    const rows = await answers(
      records.filter((r) => !later(r)),
      records.filter(later),
    );
    expect(rows.find((r) => r.principal === 'bert-jan')).toMatchObject({
      eventid: discovery[0]?.eventID,
      error_code: null,
      first_seen: '2023-07-10T11:54:33Z',
    });
  });

  it('counts an event delivered under two regions once, as the one statement does, whichever copy a run holds', async () => {
    // Every call of the enumeration delivered twice, under us-east-1 and eu-west-1 (as trails of
    // several regions deliver global events): every run has a twin that starts with the same event.
    const { records, discovery, answers } = await invictus();
    const rows = await answers(records, discovery);
    const burst = rows.find((r) => r.principal === 'bert-jan');
    expect(burst).toMatchObject({ eventid: discovery[0]?.eventID, first_seen: '2023-07-10T11:54:33Z' });
    // The copies are counted once: the burst's calls are no more than the enumeration's.
    expect(Number(burst?.events)).toBeLessThanOrEqual(discovery.length);
  });

  it('makes one finding of an event an event detection finds in two runs, as the one statement does', async () => {
    // The whole day delivered twice, under us-east-1 and eu-west-1: every event finding of the day
    // has a copy in another file's runs, and is one finding, with the columns of both taken together.
    const { records, answers } = await invictus();
    const rows = await answers(records, records, {});
    const events = rows.filter((r) => Number(r.events) === 1 && r.distinct_resources === null);
    expect(events.length).toBeGreaterThan(10);
    const ids = events.map((r) => `${String(r.detection)} ${String(r.eventid)}`);
    expect(new Set(ids).size).toBe(ids.length);
    // Each finding's event is in the day's records once, and its region the larger of the copies'.
    const byId = new Map(records.map((r) => [r.eventID, r]));
    for (const row of events) {
      expect(byId.has(String(row.eventid)), String(row.eventid)).toBe(true);
      expect(row.region).toBe('us-east-1');
    }
  });
});

describe('a month whose days a window cuts', () => {
  it('is reduced within the window: a burst taken together across the cut counts from the cut, as the one statement counts it', async () => {
    const { dir, store, trail, name, file, records } = await invictusCopy();
    const july = path.join(trail, 'us-east-1/2023/07');
    // bert-jan's enumeration (1,867 calls, 11:54 to 12:34) moved 12 hours earlier, across
    // midnight: from 23:54 on the 9th (delivered under the 9th) to 00:34 on the 10th.
    const moved = records.map((r) =>
      enumeration(r)
        ? {
            ...r,
            eventTime: new Date(Date.parse(String(r.eventTime)) - 12 * 3_600_000)
              .toISOString()
              .replace('.000Z', 'Z'),
          }
        : r,
    );
    const onThe9th = (r: RawRecord) => String(r.eventTime) < '2023-07-10';
    await writeFile(file, gzipSync(JSON.stringify({ Records: moved.filter((r) => !onThe9th(r)) })));
    await mkdir(path.join(july, '09'), { recursive: true });
    await writeFile(
      path.join(july, '09', name.replace('20230710', '20230709')),
      gzipSync(JSON.stringify({ Records: moved.filter(onThe9th) })),
    );
    await compactStore({ logsDir: dir, storeDir: store, closedAfterMs: 0 });
    const servers = { kept: await serveOver(dir, store, 'on'), one: await serveOver(dir, store, 'off') };
    const burst = async (from: string, to: string) => {
      const request = sweep(from, to, { parameters: { detections: ['discovery-burst'] } });
      const answer = await bothAnswer(request, servers);
      expect(answer.execution.body.statistics.days.raw).toBe(0);
      return answer.rows.find((r) => r.principal === 'bert-jan');
    };
    // Both days: July's runs reduced, the enumeration one row, one finding from 23:54.
    expect((await burst('2023-07-09T00:00:00Z', '2023-07-11T00:00:00Z'))?.first_seen).toMatch(
      /^2023-07-09T23:5/,
    );
    const reduced = (await readdir(path.join(store, '.partials'), { recursive: true })).filter((f) =>
      /reduced\/123837392027\/2023\/07\/[0-9a-f]{16}\.parquet$/.test(String(f)),
    );
    expect(reduced).toHaveLength(1);
    const [[acrossMidnight]] = (await parquetRows(
      `SELECT count(*) FROM read_parquet('${path.join(store, '.partials', String(reduced[0]))}')
       WHERE detection = 'discovery-burst' AND principal = 'bert-jan'
         AND first_seen < '2023-07-10' AND last_seen >= '2023-07-10'`,
    )) as [[bigint]];
    expect(acrossMidnight).toBe(1n);
    // The 10th alone: the same month, reduced within the day, the enumeration's calls from midnight on.
    expect((await burst('2023-07-10T00:00:00Z', '2023-07-11T00:00:00Z'))?.first_seen).toMatch(
      /^2023-07-10T00:0/,
    );
    expect(
      (await readdir(path.join(store, '.partials'), { recursive: true })).filter((f) =>
        /reduced\/123837392027\/2023\/07\/[0-9a-f]{16}\.parquet$/.test(String(f)),
      ),
    ).toHaveLength(2);
  });
});
