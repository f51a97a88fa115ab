/**
 * The embedded engine with a columnar store: answers never stale, the days read each way
 * reported, bytes scanned counted by column, and the sample compacted when the server starts.
 */
import { mkdtemp, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { compactStore } from '../../../../src/lib/store/duckdb/compactStore.js';
import { monthDir, readManifest } from '../../../../src/lib/store/duckdb/monthManifest.js';
import { call, runToEnd } from '../../../helpers/apiClient.js';
import { rawRecords } from '../../../helpers/cloudtrailData.js';
import { copyOfLogs, GRYCAP_FEBRUARY } from '../../../helpers/logsCopy.js';
import { INVICTUS_DAY } from '../../../helpers/queryHarness.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../../../helpers/testServer.js';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

const invictusCopy = () => copyOfLogs('invictus-attack-simulation');

const serve = async (logsDir: string, storeDir: string, env: Record<string, string> = {}) => {
  const server = await startTestServer(
    await duckDbTestRuntime(logsDir, { TRAILHOUND_STORE_DIR: storeDir, ...env }),
  );
  servers.push(server);
  return server;
};

const [from, to] = INVICTUS_DAY;
const createUsers = { query: 'events', parameters: { eventNames: ['CreateUser'] }, from, to };

/** Who made a raw record, as principal-activity names a principal each way. */
const made = (record: Record<string, unknown>, parameters: Record<string, string>): boolean => {
  const who = (record.userIdentity ?? {}) as Record<string, unknown>;
  const issuer = ((who.sessionContext as Record<string, unknown> | undefined)?.sessionIssuer ?? {}) as Record<
    string,
    unknown
  >;
  const arn = String(who.arn ?? '');
  if (parameters.userName !== undefined) {
    const session = who.type === 'AssumedRole' && arn.split('/').at(-1) === parameters.userName;
    return who.userName === parameters.userName || session;
  }
  if (parameters.arn !== undefined) return arn === parameters.arn || issuer.arn === parameters.arn;
  if (parameters.accessKeyId !== undefined) return who.accessKeyId === parameters.accessKeyId;
  const id = String(who.principalId ?? '');
  return id === parameters.principalId || id.startsWith(`${parameters.principalId}:`);
};

describe('the columnar store in answers', () => {
  it('principal-activity, read in two passes over the store, answers every way of naming a principal as the raw records do', async () => {
    const { logsDir, storeDir } = await invictusCopy();
    await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    const compacted = await serve(logsDir, storeDir);
    const raw = await serve(logsDir, path.join(storeDir, 'empty'));
    const principals: Record<string, string>[] = [
      { userName: 'bert-jan' },
      { userName: 'i-0dbc91f429e48eeed' },
      { arn: 'arn:aws:iam::123837392027:role/stratus-red-team-ec2-steal-credentials-role' },
      {
        arn: 'arn:aws:sts::123837392027:assumed-role/stratus-red-team-get-usr-data-role/aws-go-sdk-1688990565286187801',
      },
      { accessKeyId: 'ASIATFQR7NSCWLLE7IWW' },
      { principalId: 'AROATFQR7NSCWWVLB7BES' },
    ];
    for (const parameters of principals) {
      const request = { query: 'principal-activity', parameters, from, to };
      const store = await runToEnd(compacted.baseUrl, request);
      const files = await runToEnd(raw.baseUrl, request);
      expect(store.execution.body.statistics.days).toEqual({ compacted: 1, raw: 0 });
      expect(files.execution.body.statistics.days).toEqual({ compacted: 0, raw: 1 });
      const expected = rawRecords('invictus-attack-simulation').filter((r) => made(r, parameters));
      expect(expected.length, JSON.stringify(parameters)).toBeGreaterThan(0);
      expect(store.rows.map((r) => r.eventid).sort()).toEqual(expected.map((r) => r.eventID).sort());
      expect(store.rows).toEqual(files.rows);
    }
  });

  it('reads a store file that is cut short, overwritten or gone from the raw files, and the next compaction writes it again', async () => {
    const { logsDir, storeDir } = await invictusCopy();
    await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    const dir = monthDir(storeDir, { account: '123837392027', region: 'us-east-1', month: '2023/07' });
    const server = await serve(logsDir, storeDir);
    const good = await runToEnd(server.baseUrl, createUsers);
    expect(good.execution.body.statistics.days).toEqual({ compacted: 1, raw: 0 });
    const fileOf = async () => path.join(dir, (await readManifest(dir))?.units[0]?.parquet ?? '');
    const damages: [string, (file: string) => Promise<void>][] = [
      ['cut short', async (file) => truncate(file, (await stat(file)).size - 100)],
      [
        'overwritten, keeping its size and time',
        async (file) => {
          const { size, atime, mtime } = await stat(file);
          const bytes = await readFile(file);
          // Another month's statistics, say: the same length, other bytes in the footer.
          bytes.fill(0x41, size - 200, size - 8);
          await writeFile(file, bytes);
          await utimes(file, atime, mtime);
        },
      ],
      ['gone', (file) => rm(file)],
    ];
    for (const [damage, apply] of damages) {
      await apply(await fileOf());
      const answer = await runToEnd(server.baseUrl, createUsers);
      expect(answer.execution.body.state, damage).toBe('SUCCEEDED');
      expect(answer.execution.body.statistics.days, damage).toEqual({ compacted: 0, raw: 1 });
      expect(answer.rows, damage).toEqual(good.rows);
      // The next compaction sees it and writes the month again, and the store answers again.
      const summary = await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
      expect(summary.built, damage).toBe(1);
      const repaired = await runToEnd(server.baseUrl, createUsers);
      expect(repaired.execution.body.statistics.days, damage).toEqual({ compacted: 1, raw: 0 });
      expect(repaired.rows, damage).toEqual(good.rows);
    }
  });

  it('reads a compacted day from the store, and a day with a late file from the raw files', async () => {
    const { logsDir, storeDir } = await invictusCopy();
    await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    const server = await serve(logsDir, storeDir);
    const before = await runToEnd(server.baseUrl, createUsers);
    const expected = rawRecords('invictus-attack-simulation').filter((r) => r.eventName === 'CreateUser');
    expect(before.rows.map((r) => r.eventid).sort()).toEqual(expected.map((r) => r.eventID).sort());
    expect(before.execution.body.statistics.days).toEqual({ compacted: 1, raw: 0 });

    const late = {
      ...expected[0],
      eventID: 'late-delivery-create-user-0001',
      eventTime: '2023-07-10T12:59:00Z',
    };
    await writeFile(
      path.join(logsDir, 'AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10/late.json.gz'),
      gzipSync(JSON.stringify({ Records: [late] })),
    );
    const after = await runToEnd(server.baseUrl, createUsers);
    expect(after.execution.body.statistics.days).toEqual({ compacted: 0, raw: 1 });
    expect(after.rows.map((r) => r.eventid)).toContain('late-delivery-create-user-0001');
    expect(after.rows).toHaveLength(before.rows.length + 1);
  });

  it('counts the bytes of the columns a statement reads from a compacted file, not the whole file', async () => {
    const { logsDir, storeDir } = await invictusCopy();
    await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    const manifest = (
      await readManifest(
        monthDir(storeDir, { account: '123837392027', region: 'us-east-1', month: '2023/07' }),
      )
    )?.units[0];
    const server = await serve(logsDir, storeDir);
    const timeline = await runToEnd(server.baseUrl, { query: 'activity-timeline', parameters: {}, from, to });
    const bytes = timeline.execution.body.statistics.bytesScanned;
    // activity-timeline reads the times, event names and error codes, and the day, which the
    // window bounds; no other column. Its filters on a principal and a source address, not
    // given, are dropped when the statement is planned (the values are constants to DuckDB).
    const read = ['day', 'eventtime', 'eventname', 'errorcode'];
    expect(bytes).toBe(read.reduce((sum, column) => sum + (manifest?.columnBytes[column] ?? Number.NaN), 0));
    expect(bytes).toBeLessThan((manifest?.bytes ?? 0) / 4);
  });

  it('compacts the sample in the background when the server starts', async () => {
    const { logsDir, storeDir } = await invictusCopy();
    const server = await serve(logsDir, storeDir, { TRAILHOUND_COMPACT: 'background' });
    await server.runtime.compaction?.();
    const run = await runToEnd(server.baseUrl, createUsers);
    expect(run.execution.body.statistics.days).toEqual({ compacted: 1, raw: 0 });
  });

  it('reads a day whose raw files changed from them, and the other days of its file from the store', async () => {
    const { logsDir, storeDir } = await copyOfLogs('grycap-research-account', GRYCAP_FEBRUARY.dir);
    await compactStore({ logsDir, storeDir, closedAfterMs: 0 });
    const manifest = await readManifest(monthDir(storeDir, GRYCAP_FEBRUARY));
    expect(manifest?.units.map((u) => Object.keys(u.days).length)).toEqual([19]);
    const store = await serve(logsDir, storeDir);
    const raw = await serve(logsDir, await mkdtemp(path.join(tmpdir(), 'trailhound-store-')));
    const month = {
      query: 'events',
      parameters: {},
      from: '2018-02-01T00:00:00Z',
      to: '2018-03-01T00:00:00Z',
    };
    const week = { ...month, from: '2018-02-05T00:00:00Z', to: '2018-02-12T00:00:00Z' };
    const answers = async (request: typeof month) => {
      const [fromStore, fromRaw] = await Promise.all([
        runToEnd(store.baseUrl, request),
        runToEnd(raw.baseUrl, request),
      ]);
      expect(fromStore.execution.body.state).toBe('SUCCEEDED');
      expect(fromStore.rows).toEqual(fromRaw.rows);
      // Never more bytes than the raw files: a unit costlier than its days' files is not read.
      expect(fromStore.execution.body.statistics.bytesScanned).toBeLessThanOrEqual(
        fromRaw.execution.body.statistics.bytesScanned,
      );
      return { rows: fromStore.rows, days: fromStore.execution.body.statistics.days };
    };

    const before = await answers(month);
    expect(before.days).toEqual({ compacted: 19, raw: 0 });
    // A week inside the month: its six days' raw files are fewer bytes than the month's file,
    // which the week would read whole (one row group), so they are read raw.
    const inWeek = await answers(week);
    expect(inWeek.rows.length).toBeGreaterThan(0);
    expect(inWeek.rows.length).toBeLessThan(before.rows.length);
    expect(inWeek.days).toEqual({ compacted: 0, raw: 6 });
    // Its evidence says so too: each file read raw, the six days' log files and no other.
    const weekRun = await runToEnd(store.baseUrl, week);
    const evidence = await call(
      store.baseUrl,
      'GET',
      `/v1/executions/${weekRun.execution.body.executionId}/evidence`,
    );
    const sources = evidence.body.manifest.sources as { key: string; readFrom: string }[];
    expect(new Set(sources.map((f) => f.readFrom))).toEqual(new Set(['raw']));
    expect(new Set(sources.map((f) => f.key.split('/').slice(-4, -1).join('/')))).toEqual(
      new Set(['05', '06', '09', '10', '11', '12'].map((d) => `2018/02/${d}`)),
    );

    const [record] = rawRecords('grycap-research-account').filter((r) =>
      String(r.eventTime).startsWith('2018-02-09'),
    );
    await writeFile(
      path.join(logsDir, GRYCAP_FEBRUARY.dir, '09/late.json.gz'),
      gzipSync(JSON.stringify({ Records: [{ ...record, eventID: 'late-delivery-grycap-0001' }] })),
    );
    const after = await answers(month);
    expect(after.days).toEqual({ compacted: 18, raw: 1 });
    expect(after.rows).toHaveLength(before.rows.length + 1);
    expect(after.rows.map((r) => r.eventid)).toContain('late-delivery-grycap-0001');
    expect((await answers(week)).rows).toHaveLength(inWeek.rows.length + 1);
  });
});
